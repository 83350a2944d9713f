//! The metadata line of a fake series page (PROVIDER.md, "Series page"): cover, alternative
//! titles, last year, genres, FSK and IMDb id, set per series with builder methods on
//! [`FakeSeries`], and rendered with the real page's decoys around it: the site's logo `img`
//! outside the cover box, the lazy loader's placeholder in the cover's `src`, a "+ N" genre
//! expander, an "all genres" link and a `span.genreButton` that are no genre buttons.

use super::model::FakeSeries;
use super::pages::esc;

/// What a fake series page says beyond title, description, first year and seasons. Values
/// are written as given (escaped), so junk can be served too.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FakeMetadata {
    /// The cover's site path (`data-src`), e.g. `/public/img/cover/x_220x330.png`.
    pub cover: Option<String>,
    /// `h1[data-alternativetitles]`, joined with `", "`; empty leaves the attribute off.
    pub alternative_titles: Vec<String>,
    /// `span[itemprop="endDate"] a`; `None` writes "Heute" (still running).
    pub end_year: Option<i32>,
    /// `a.genreButton`s, in order; duplicates are written as given.
    pub genres: Vec<String>,
    /// `div.fsk[data-fsk]`, raw.
    pub fsk: Option<String>,
    /// `a.imdb-link[data-imdb]`, raw.
    pub imdb: Option<String>,
}

impl FakeSeries {
    /// Sets the cover's site path.
    pub fn cover(mut self, path: &str) -> Self {
        self.metadata.cover = Some(path.into());
        self
    }

    /// Sets the alternative titles.
    pub fn alternative_titles(mut self, titles: &[&str]) -> Self {
        self.metadata.alternative_titles = titles.iter().map(|t| (*t).into()).collect();
        self
    }

    /// Sets the last year.
    pub fn end_year(mut self, year: i32) -> Self {
        self.metadata.end_year = Some(year);
        self
    }

    /// Sets the genres.
    pub fn genres(mut self, genres: &[&str]) -> Self {
        self.metadata.genres = genres.iter().map(|g| (*g).into()).collect();
        self
    }

    /// Sets the FSK box's `data-fsk` (junk allowed).
    pub fn fsk(mut self, raw: &str) -> Self {
        self.metadata.fsk = Some(raw.into());
        self
    }

    /// Sets the IMDb link's `data-imdb` (junk allowed).
    pub fn imdb(mut self, raw: &str) -> Self {
        self.metadata.imdb = Some(raw.into());
        self
    }
}

/// The cover box: the lazy loader's placeholder in `src`, the cover in `data-src`.
pub fn cover_box(series: &FakeSeries) -> String {
    let Some(cover) = &series.metadata.cover else {
        return String::new();
    };
    format!(
        "<div class=\"seriesCoverBox\"><img src=\"data:image/gif;base64,R0lGODlhAQABAIAAAP///wAAACwAAAAAAQABAAACAkQBADs=\" data-src=\"{}\" alt=\"{title}\" itemprop=\"image\" title=\"Cover {title}\"></div>\n",
        esc(cover),
        title = esc(&series.title),
    )
}

/// The `data-alternativetitles` attribute of the title's `h1`, with a leading space.
pub fn alternative_titles_attribute(series: &FakeSeries) -> String {
    let titles = &series.metadata.alternative_titles;
    if titles.is_empty() {
        return String::new();
    }
    format!(" data-alternativetitles=\"{}\"", esc(&titles.join(", ")))
}

/// The years under the title: first year (where known) and last year or "Heute".
pub fn years(series: &FakeSeries) -> String {
    let start = series.year.map_or(String::new(), |year| {
        format!("<span itemprop=\"startDate\"><a href=\"/animes/jahr/{year}\">{year}</a></span> - ")
    });
    let end = match series.metadata.end_year {
        Some(year) => format!("<a href=\"/animes/jahr/{year}\">{year}</a>"),
        None => "<a href=\"/animes\">Heute</a>".into(),
    };
    format!("<small> {start}<span itemprop=\"endDate\">{end}</span> </small>")
}

/// FSK box, IMDb link and genre buttons, with a "+ N" expander after the first two genres.
pub fn details(series: &FakeSeries) -> String {
    let m = &series.metadata;
    let mut out = String::new();
    if let Some(fsk) = &m.fsk {
        out.push_str(&format!(
            "<div class=\"fsk fsk{0}\" data-fsk=\"{0}\" title=\"Freigegeben ab {0} Jahren\"><span>{0}</span></div>\n",
            esc(fsk)
        ));
    }
    if let Some(imdb) = &m.imdb {
        out.push_str(&format!(
            "<a class=\"imdb-link\" data-imdb=\"{0}\" href=\"https://www.imdb.com/title/{0}\" target=\"_blank\" rel=\"noopener\">IMDB</a>\n",
            esc(imdb)
        ));
    }
    let main = m.genres.first().map_or(String::new(), |g| esc(g));
    out.push_str(&format!(
        "<div class=\"genres\"><ul data-main-genre=\"{main}\">"
    ));
    for (i, genre) in m.genres.iter().enumerate() {
        let hidden = if i >= 2 {
            " style=\"display: none;\""
        } else {
            ""
        };
        out.push_str(&format!(
            "<li{hidden}><a href=\"/genre/{slug}\" class=\"genreButton clearbutton\" itemprop=\"genre\">{name}</a></li>",
            slug = esc(&genre.to_lowercase().replace(' ', "-")),
            name = esc(genre),
        ));
    }
    if m.genres.len() > 2 {
        out.push_str(&format!(
            "<li><a href=\"#\" class=\"genreButton clearbutton moreGenres\">+ {}</a></li>",
            m.genres.len() - 2
        ));
    }
    out.push_str("</ul></div>\n");
    out
}

/// Links the header carries on every page that look like genre buttons and are not.
pub const GENRE_DECOYS: &str = "<li><a class=\"genreButtons\" href=\"/genres\">Alle Genres</a></li>\n      <li><span class=\"genreButton\">Neu</span></li>";
