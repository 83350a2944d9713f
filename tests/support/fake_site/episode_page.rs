//! The fake site's episode page and search answer: titles, the language box, hoster links in
//! the real site's markup (class token `episodeLink<id>` last, attributes in varying order), and
//! the JSON of `POST /ajax/search` with its highlight tags, entities and non-series links.

use serde_json::json;

use super::model::{FakeLink, FakeSeries};
use super::pages::{esc, layout, season_nav};

/// The flag image and titles of a language key.
fn language_image(key: u8, selected: bool) -> String {
    let (src, title) = match key {
        1 => ("german.svg", "Deutsch"),
        2 => ("japanese-english.svg", "Mit englischem Untertitel"),
        _ => ("japanese-german.svg", "Mit deutschem Untertitel"),
    };
    let class = if selected { "selectedLanguage" } else { "" };
    // Attribute order differs between images on the real site too.
    if !key.is_multiple_of(2) {
        format!(
            "<img data-lang-key=\"{key}\" src=\"/public/img/{src}\" alt=\"{title}\" title=\"{title}\" class=\"{class}\">"
        )
    } else {
        format!(
            "<img class=\"{class}\" src=\"/public/img/{src}\" alt=\"{title}\" title=\"{title}\" data-lang-key=\"{key}\">"
        )
    }
}

/// One hoster `li`; every second one lists its attributes in another order.
fn hoster_item(index: usize, link: &FakeLink) -> String {
    let id = link.id;
    let name = esc(link.hoster.name());
    let lang = link.language;
    let anchor = format!(
        "<div><a class=\"watchEpisode\" itemprop=\"url\" target=\"_blank\" href=\"/redirect/{id}\"><i class=\"icon {name}\" title=\"Hoster {name}\"></i><h4>{name}</h4><div class=\"hosterSiteVideoButton\">Video ansehen</div></a></div>"
    );
    if index.is_multiple_of(2) {
        format!(
            "<li class=\"col-md-3 col-xs-12 col-sm-6 episodeLink{id}\" data-lang-key=\"{lang}\" data-link-id=\"{id}\" data-link-target=\"/redirect/{id}\" data-external-embed=\"false\">\n{anchor}\n</li>\n"
        )
    } else {
        format!(
            "<li data-link-target=\"/redirect/{id}\" data-link-id=\"{id}\" data-lang-key=\"{lang}\" data-external-embed=\"false\" class=\"col-md-3 col-xs-12 col-sm-6 episodeLink{id}\">\n{anchor}\n</li>\n"
        )
    }
}

/// An episode page (season 0 = a film), or `None` when there is no such episode.
pub fn episode_page(series: &FakeSeries, season: u32, number: u32) -> Option<String> {
    let episode = series
        .episodes_of(season)?
        .iter()
        .find(|e| e.number == number)?;
    let german = esc(episode.title_german.as_deref().unwrap_or(""));
    let english = esc(episode.title_english.as_deref().unwrap_or(""));
    let languages: String = episode
        .language_keys()
        .into_iter()
        .enumerate()
        .map(|(i, key)| language_image(key, i == 0))
        .collect();
    let hosters: String = episode
        .links
        .iter()
        .enumerate()
        .map(|(i, link)| hoster_item(i, link))
        .collect();
    let main = format!(
        r#"<div class="series-title"><h1 itemprop="name"><span>{title}</span></h1></div>
{nav}<div class="hosterSiteTitle" data-episode-id="{eid}" data-season-id="{season}">
  <h2><span class="episodeGermanTitle">{german}</span> <small class="episodeEnglishTitle">{english}</small></h2>
</div>
<div class="hosterSiteVideo">
  <div class="changeLanguage"><div class="changeLanguageBox">{languages}</div></div>
  <ul class="row">
{hosters}  </ul>
</div>
<section class="comments"><ul><li class="col-md-3 comment"><h4>Kommentare</h4><a href="/support/kommentare">Alle</a></li></ul></section>
"#,
        title = esc(&series.title),
        nav = season_nav(series, season),
        eid = 40_000 + number,
    );
    Some(layout(&esc(&series.title), &main))
}

/// The title with the first case-insensitive match of `keyword` wrapped in `<em>`, escaped.
fn highlighted(title: &str, keyword: &str) -> String {
    // ASCII lower-casing keeps byte offsets, so the match can be cut from the original title.
    let Some(at) = title
        .to_ascii_lowercase()
        .find(&keyword.to_ascii_lowercase())
    else {
        return esc(title);
    };
    let end = at + keyword.len();
    format!(
        "{}<em>{}</em>{}",
        esc(&title[..at]),
        esc(&title[at..end]),
        esc(&title[end..])
    )
}

/// The answer of `POST /ajax/search` for `keyword`: for each matching series its link, a
/// season link and an episode link; then an unrelated support page and a duplicate of the first
/// series. Slashes are escaped as PHP's `json_encode` does.
pub fn search_json(all: &[FakeSeries], keyword: &str) -> String {
    let keyword = keyword.trim();
    let matches: Vec<&FakeSeries> = if keyword.is_empty() {
        Vec::new()
    } else {
        let needle = keyword.to_ascii_lowercase();
        all.iter()
            .filter(|s| s.title.to_ascii_lowercase().contains(&needle) || s.key.contains(&needle))
            .collect()
    };
    let mut hits = Vec::new();
    for series in &matches {
        let title = highlighted(&series.title, keyword);
        let description = esc(&series.description);
        let key = &series.key;
        hits.push(json!({"title": title, "description": description, "link": format!("/anime/stream/{key}")}));
        if let Some(season) = series.seasons.get(1) {
            hits.push(json!({"title": format!("{title} Staffel {}", season.number), "description": "", "link": format!("/anime/stream/{key}/staffel-{}", season.number)}));
        }
        hits.push(json!({"title": format!("{title} Episode 1"), "description": "", "link": format!("/anime/stream/{key}/staffel-1/episode-1")}));
    }
    if let Some(first) = matches.first() {
        hits.push(json!({"title": "Anime-Wunsch &amp; Support", "description": "Fehlt ein Anime?", "link": "/support/anime-wunsch"}));
        hits.push(json!({"title": highlighted(&first.title, keyword), "description": "", "link": format!("/anime/stream/{}", first.key)}));
    }
    serde_json::to_string(&hits)
        .expect("JSON values serialise")
        .replace('/', "\\/")
}
