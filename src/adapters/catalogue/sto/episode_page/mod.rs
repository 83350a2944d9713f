//! Reads an s.to episode page (`/serie/<slug>/staffel-N/episode-M`): the titles and the hoster
//! links. Each link is an element (`button.link-box` on the 2026 site) carrying
//! `data-play-url="/r?t=<token>"`, `data-provider-name`, `data-language-id` (1 German,
//! 2 English audio) and `data-language-label`, which says when a link has German subtitles.
//!
//! Landmarks of the page as our fixture (`tests/fixtures/sto/episode.html`) has it: the links
//! sit in `#episode-links` (present even when an episode has no link), the titles in
//! `h2.episode-title` as `.episode-title-ger` and `.episode-title-eng` (the page's list of
//! other episodes uses the same classes, outside that heading).

use std::sync::LazyLock;

use scraper::{ElementRef, Html, Selector};

use super::super::html::{fold, missing, selector};
use super::season_page::full_title;
use super::urls::StoUrls;
use crate::domain::catalogue::{EpisodeDetails, HosterLink, Language, ProviderError};
use crate::domain::episode::EpisodeId;
use crate::domain::site::Site;

const LANDMARK: &str = "#episode-links or [data-play-url][data-provider-name]";

static LINK_BOXES: LazyLock<Selector> =
    LazyLock::new(|| selector("[data-play-url][data-provider-name]"));
static LINK_SECTION: LazyLock<Selector> = LazyLock::new(|| selector("#episode-links"));
static GERMAN: LazyLock<Selector> =
    LazyLock::new(|| selector("h2.episode-title .episode-title-ger"));
static ENGLISH: LazyLock<Selector> =
    LazyLock::new(|| selector("h2.episode-title .episode-title-eng"));

/// Parses the page of episode `id`; `urls` makes the play links absolute (the token is kept
/// as the page writes it, entities decoded).
///
/// Links of an unknown language id, or without a play URL or a hoster name, are left out: one
/// odd link should not cost the episode its other hosters. A link repeated on the page is
/// listed once.
///
/// # Errors
/// [`ProviderError::Layout`] naming the link section when the page has neither
/// `#episode-links` nor any link (an episode page without links is an episode without
/// hosters).
pub fn parse_episode_page(
    html: &str,
    id: EpisodeId,
    urls: &StoUrls,
) -> Result<EpisodeDetails, ProviderError> {
    let doc = Html::parse_document(html);
    let boxes: Vec<ElementRef<'_>> = doc.select(&LINK_BOXES).collect();
    if boxes.is_empty() && doc.select(&LINK_SECTION).next().is_none() {
        return Err(missing("episode page", LANDMARK));
    }
    let mut hosters: Vec<HosterLink> = Vec::new();
    for link in boxes.into_iter().filter_map(|b| hoster_link(b, urls)) {
        if !hosters.iter().any(|h| h.redirect_url == link.redirect_url) {
            hosters.push(link);
        }
    }
    let mut languages = Vec::new();
    for link in &hosters {
        if !languages.contains(&link.language) {
            languages.push(link.language);
        }
    }
    let title = |which: &Selector| doc.select(which).next().and_then(full_title);
    Ok(EpisodeDetails {
        id,
        title_german: title(&GERMAN),
        title_english: title(&ENGLISH),
        languages,
        hosters,
    })
}

/// One link element: its hoster, language and absolute play URL.
fn hoster_link(element: ElementRef<'_>, urls: &StoUrls) -> Option<HosterLink> {
    let attrs = element.value();
    let play = attrs.attr("data-play-url")?.trim();
    let hoster = fold(attrs.attr("data-provider-name")?);
    let language = language_of_link(
        attrs.attr("data-language-id")?,
        attrs.attr("data-language-label").unwrap_or_default(),
    )?;
    (!play.is_empty() && !hoster.is_empty()).then(|| HosterLink {
        site: Site::Sto,
        hoster,
        language,
        redirect_url: urls.absolute(play),
    })
}

/// The product's language of a link (PROVIDER.md): the id says the audio (1 German,
/// 2 English); a label that speaks of subtitles (`Untertitel`, `UT`, `Sub`, `OmU`, any case)
/// makes it German Sub, the only subtitled variant s.to offers; otherwise German audio is
/// German Dub and English audio English Dub. Other ids are no language we download.
pub fn language_of_link(id: &str, label: &str) -> Option<Language> {
    let german_audio = match id.trim() {
        "1" => true,
        "2" => false,
        _ => return None,
    };
    Some(if speaks_of_subtitles(label) {
        Language::GermanSub
    } else if german_audio {
        Language::GermanDub
    } else {
        Language::EnglishDub
    })
}

/// Whether a language label names subtitles, word by word (so `Deutsch` is no `UT`).
fn speaks_of_subtitles(label: &str) -> bool {
    label
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .any(|word| {
            word.contains("untertitel")
                || word.starts_with("subtitle")
                || word.ends_with("sub")
                || matches!(word, "ut" | "subs" | "subbed" | "omu")
        })
}

#[cfg(test)]
mod tests;
