//! The fake s.to's episode page, shaped like `tests/fixtures/sto/episode.html`: the episode
//! heading (`h2.episode-title`), the season pills, `#episode-links` with one `button.link-box`
//! per link (`data-play-url="/r?t=<token>"`, provider, language id and label, attributes in
//! varying order), a trailer button and a list of other episodes with the same title classes.
//! Also how a link's language shows on s.to.

use super::super::model::{FakeLink, FakeSeries};
use super::super::pages::esc;
use super::pages::{layout, season_nav};
use super::state::play_token;
use super::{STO_PLAY_PATH, sto_episode_path};

/// How s.to shows one of the fake's languages (a [`FakeLink`]'s site key).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoLanguage {
    /// `data-language-id`: 1 German audio, 2 English audio; 3 for a language s.to does not
    /// offer (readers skip it).
    pub id: u8,
    /// `data-language-label`.
    pub label: &'static str,
    /// The flag icon's id (`#icon-flag-...`).
    pub flag: &'static str,
}

/// The s.to form of a language key: 1 German Dub (German audio), 4 English Dub (English
/// audio), 3 German Sub (English audio, German subtitles). Key 2, English Sub, is not on s.to:
/// it shows with id 3 and a Japanese flag, which the readers skip.
pub fn sto_language(key: u8) -> StoLanguage {
    match key {
        1 => StoLanguage {
            id: 1,
            label: "Deutsch",
            flag: "icon-flag-german",
        },
        3 => StoLanguage {
            id: 2,
            label: "Englisch mit deutschen Untertiteln",
            flag: "icon-flag-english-german",
        },
        4 => StoLanguage {
            id: 2,
            label: "Englisch",
            flag: "icon-flag-english",
        },
        _ => StoLanguage {
            id: 3,
            label: "Japanisch mit englischen Untertiteln",
            flag: "icon-flag-japanese-english",
        },
    }
}

/// One link button; every second one lists its attributes in another order.
fn link_box(index: usize, link: &FakeLink) -> String {
    let id = link.id;
    let name = esc(link.hoster.name());
    let language = sto_language(link.language);
    let (lang_id, label, flag) = (language.id, language.label, language.flag);
    let play = format!("{STO_PLAY_PATH}?t={}", play_token(id));
    let inside = format!(
        "<img src=\"/img/hoster/{slug}.svg\" alt=\"{name}\" width=\"24\" height=\"24\"> <span class=\"provider-name\">{name}</span>\n          <span class=\"float-end\"><svg class=\"watch-language\"><use href=\"#{flag}\"></use></svg> <span class=\"language-label\">{label}</span></span>",
        slug = link.hoster.slug(),
    );
    let attributes = if index.is_multiple_of(2) {
        format!(
            "type=\"button\" class=\"link-box btn w-100 text-start\" data-link-id=\"{id}\" data-play-url=\"{play}\" data-provider-name=\"{name}\" data-language-label=\"{label}\" data-language-id=\"{lang_id}\""
        )
    } else {
        format!(
            "type=\"button\" data-language-id=\"{lang_id}\" data-language-label=\"{label}\" data-provider-name=\"{name}\" data-play-url=\"{play}\" data-link-id=\"{id}\" class=\"link-box btn w-100 text-start\""
        )
    };
    format!(
        "      <div class=\"col-12 col-md-6 col-xl-4\">\n        <button {attributes}>\n          {inside}\n        </button>\n      </div>\n"
    )
}

/// An episode page (season 0 = films and specials), or `None` when there is no such episode.
pub fn episode_page(
    series: &FakeSeries,
    season: u32,
    number: u32,
    all: &[FakeSeries],
) -> Option<String> {
    let episodes = series.episodes_of(season)?;
    let episode = episodes.iter().find(|e| e.number == number)?;
    let title = esc(&series.title);
    let german = esc(episode.title_german.as_deref().unwrap_or(""));
    let english = esc(episode.title_english.as_deref().unwrap_or(""));
    let links: String = episode
        .links
        .iter()
        .enumerate()
        .map(|(i, link)| link_box(i, link))
        .collect();
    let others: String = episodes
        .iter()
        .filter(|e| e.number != number)
        .map(|e| {
            format!(
                "      <li><a href=\"{}\"><span class=\"episode-title-ger\">{}</span> <small class=\"episode-title-eng\">{}</small></a></li>\n",
                sto_episode_path(&series.key, season, e.number),
                esc(e.title_german.as_deref().unwrap_or("")),
                esc(e.title_english.as_deref().unwrap_or("")),
            )
        })
        .collect();
    let main = format!(
        r#"<div class="container-fluid episode-header py-3">
  <h1 class="h2 mb-1">{title}</h1>
  <h2 class="h4 episode-title mb-1">
    <span class="episode-title-ger" title="{german}">{german}</span>
    <small class="episode-title-eng text-muted" title="{english}">{english}</small>
  </h2>
  <p class="small text-muted">Staffel {season} &middot; Episode {number}</p>
</div>
{nav}<section id="episode-links" class="container-fluid episode-links">
  <div class="btn-group language-filter mb-2" role="group" aria-label="Sprache">
    <button type="button" class="btn btn-sm btn-outline-light active" data-filter-language="all">Alle</button>
  </div>
  <div class="row g-2">
{links}  </div>
</section>
<section class="container-fluid more-episodes py-3">
  <h3 class="h5">Weitere Episoden</h3>
  <ul class="list-unstyled">
{others}  </ul>
  <button type="button" class="btn btn-outline-secondary trailer-button" data-play-url="https://www.youtube-nocookie.com/embed/q1Xb3hUe9yL">Trailer ansehen</button>
</section>
"#,
        nav = season_nav(series, season),
    );
    Some(layout(
        &format!("{title} Staffel {season} Episode {number}"),
        &main,
        all,
        Some(&series.key),
    ))
}
