//! The fake s.to's search: the suggest API's JSON (`{"shows", "people", "genres"}`, names
//! highlighted with `<mark>` and escaped, a season entry among the shows, slashes escaped as
//! PHP writes them) and the HTML search's pages (24 cover cards a page, `a[rel=next]`), shaped
//! like `tests/fixtures/sto/suggest.json` and `search_page_1.html`.

use serde_json::json;

use super::super::model::FakeSeries;
use super::super::pages::esc;
use super::pages::layout;
use super::{STO_SEARCH_PAGE_SIZE, sto_season_path, sto_series_path};

/// The series whose title or slug holds `term` (case-insensitive), in catalogue order.
fn matching<'a>(all: &'a [FakeSeries], term: &str) -> Vec<&'a FakeSeries> {
    let needle = term.trim().to_lowercase();
    if needle.is_empty() {
        return Vec::new();
    }
    all.iter()
        .filter(|s| s.title.to_lowercase().contains(&needle) || s.key.contains(&needle))
        .collect()
}

/// The title, escaped, with the first case-insensitive match of `term` in `<mark>`.
fn highlighted(title: &str, term: &str) -> String {
    let term = term.trim();
    // ASCII lower-casing keeps byte offsets, so the match can be cut from the original title.
    let found = (!term.is_empty())
        .then(|| title.to_ascii_lowercase().find(&term.to_ascii_lowercase()))
        .flatten();
    let Some(at) = found else {
        return esc(title);
    };
    let end = at + term.len();
    format!(
        "{}<mark>{}</mark>{}",
        esc(&title[..at]),
        esc(&title[at..end]),
        esc(&title[end..])
    )
}

/// The answer of `GET /api/search/suggest?term=<term>`: each matching series, the first one's
/// second season as a show entry too, a person and a genre when anything matched.
pub fn suggest_json(all: &[FakeSeries], term: &str) -> String {
    let found = matching(all, term);
    let mut shows = Vec::new();
    for (i, series) in found.iter().enumerate() {
        let name = highlighted(&series.title, term);
        shows.push(json!({"id": 1000 + i, "name": name, "url": sto_series_path(&series.key), "cover": series.metadata.cover, "year": series.year}));
        if i == 0 {
            shows.push(json!({"id": 1000 + i, "name": format!("{name} \u{2013} Staffel 2"), "url": sto_season_path(&series.key, 2), "cover": null, "year": series.year}));
        }
    }
    let (people, genres) = if found.is_empty() {
        (json!([]), json!([]))
    } else {
        (
            json!([{"id": 31, "name": "Ellen Pompeo", "url": "/person/ellen-pompeo", "role": "Besetzung"}]),
            json!([{"id": 4, "name": "Drama", "url": "/genre/drama"}]),
        )
    };
    json!({"shows": shows, "people": people, "genres": genres})
        .to_string()
        .replace('/', "\\/")
}

/// One cover card.
fn card(series: &FakeSeries) -> String {
    let title = esc(&series.title);
    let cover = series
        .metadata
        .cover
        .as_deref()
        .map(|c| format!("<picture><img class=\"card-img-top\" src=\"{}\" alt=\"{title}\" loading=\"lazy\"></picture>", esc(c)))
        .unwrap_or_default();
    format!(
        "    <div class=\"col-6 col-md-4 col-lg-2\">\n      <div class=\"card cover-card h-100\">\n        <a href=\"{}\" class=\"show-cover\" title=\"{title}\">{cover}<div class=\"card-body p-2\"><h6 class=\"show-title mb-0\">{title}</h6></div></a>\n      </div>\n    </div>\n",
        sto_series_path(&series.key)
    )
}

/// Page `page` (from 1) of `GET /suche?term=<term>&tab=<tab>&page=<page>`: cards only on the
/// `shows` tab, a next link while more cards follow.
pub fn search_page(all: &[FakeSeries], term: &str, tab: &str, page: usize) -> String {
    let found = if tab == "shows" {
        matching(all, term)
    } else {
        Vec::new()
    };
    let page = page.max(1);
    let start = (page - 1).saturating_mul(STO_SEARCH_PAGE_SIZE);
    let cards: String = found
        .iter()
        .skip(start)
        .take(STO_SEARCH_PAGE_SIZE)
        .map(|s| card(s))
        .collect();
    let query: String = url::form_urlencoded::byte_serialize(term.as_bytes()).collect();
    let next = if found.len() > start + STO_SEARCH_PAGE_SIZE {
        format!(
            "<li class=\"page-item\"><a class=\"page-link\" rel=\"next nofollow\" href=\"/suche?term={query}&amp;tab=shows&amp;page={}\">Weiter &raquo;</a></li>",
            page + 1
        )
    } else {
        "<li class=\"page-item disabled\"><span class=\"page-link\">Weiter &raquo;</span></li>"
            .into()
    };
    let term = esc(term);
    let main = format!(
        r#"<div class="container-fluid py-4">
  <h1 class="h3">Suchergebnisse f&uuml;r &bdquo;{term}&ldquo;</h1>
  <form class="search-page-form mb-3" action="/suche" method="get">
    <input type="hidden" name="tab" value="shows">
    <input class="form-control form-control-lg" type="search" name="term" value="{term}">
  </form>
  <div class="row g-3 search-results">
{cards}  </div>
  <nav aria-label="Seitennavigation" class="mt-4"><ul class="pagination justify-content-center">
    <li class="page-item active"><span class="page-link">{page}</span></li>
    {next}
  </ul></nav>
</div>
"#
    );
    layout(&format!("Suche nach &quot;{term}&quot;"), &main, all, None)
}
