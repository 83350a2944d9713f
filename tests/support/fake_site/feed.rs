//! The fake site's new-episodes page (`/neue-episoden`), built as the real one is: rows of
//! links to episode pages with the series title in a `strong`, a language flag, the date,
//! and around them the site's navigation (a series link that is not an entry).

use super::pages::{esc, layout};

/// One published episode the page lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedEntry {
    pub key: String,
    pub title: String,
    pub season: u32,
    pub episode: u32,
    /// The language key as episode pages use it: 1 German Dub, 2 English Sub, 3 German Sub.
    pub language: u8,
}

impl FeedEntry {
    pub fn new(key: &str, title: &str, season: u32, episode: u32, language: u8) -> Self {
        Self {
            key: key.into(),
            title: title.into(),
            season,
            episode,
            language,
        }
    }
}

fn flag(language: u8) -> (&'static str, &'static str) {
    match language {
        1 => ("german.svg", "Deutsch"),
        2 => ("japanese-english.svg", "Englisch Untertitel"),
        _ => ("japanese-german.svg", "Deutsch Untertitel"),
    }
}

/// The page listing `entries`, newest first.
pub fn new_episodes_page(entries: &[FeedEntry]) -> String {
    let mut rows = String::new();
    for (i, e) in entries.iter().enumerate() {
        let (src, alt) = flag(e.language);
        let href = if e.season == 0 {
            format!("/anime/stream/{}/filme/film-{}", e.key, e.episode)
        } else {
            format!(
                "/anime/stream/{}/staffel-{}/episode-{}",
                e.key, e.season, e.episode
            )
        };
        rows.push_str(&format!(
            r#"<div class="col-md-12 newEpisodeRow">
  <div class="row"><a class="row" href="{href}" title="{title} Staffel {s} Episode {ep}">
    <div class="col-md-5"><strong>{title}</strong> <span class="listTag bigListTag blue2">S{s:02} E{ep:02}</span></div>
    <div class="col-md-4"><img class="flag" src="/public/img/{src}" alt="{alt}" title="{alt}"></div>
    <div class="col-md-3"><span class="elementFloatRight">{day:02}.11.2026</span></div>
  </a></div>
</div>
"#,
            title = esc(&e.title),
            s = e.season,
            ep = e.episode,
            day = 28 - (i % 27),
        ));
    }
    let main = format!(
        r#"<div class="container"><h2>Neue Episoden</h2>
<p>Die neuesten Folgen auf AniWorld. <a href="/anime/stream/one-piece">Zum Anime des Monats</a></p>
<div class="row newEpisodeList">
{rows}</div></div>"#
    );
    layout("Neue Episoden", &main)
}
