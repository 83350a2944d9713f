//! Reads an episode (or film) page: titles, the languages offered and the hoster links with
//! their redirect URLs made absolute.

use std::sync::LazyLock;

use scraper::{ElementRef, Html, Selector};

use super::html::{missing, non_empty, selector, text_of};
use super::links::SiteUrls;
use crate::domain::catalogue::{EpisodeDetails, HosterLink, Language, ProviderError};
use crate::domain::episode::EpisodeId;
use crate::domain::site::Site;

const LANGUAGES: &str = "div.changeLanguageBox img[data-lang-key]";

static GERMAN: LazyLock<Selector> = LazyLock::new(|| selector("span.episodeGermanTitle"));
static ENGLISH: LazyLock<Selector> = LazyLock::new(|| selector("small.episodeEnglishTitle"));
static LANGUAGE_BOX: LazyLock<Selector> = LazyLock::new(|| selector("div.changeLanguageBox"));
static LANGUAGE_IMAGES: LazyLock<Selector> = LazyLock::new(|| selector(LANGUAGES));
static ITEMS: LazyLock<Selector> = LazyLock::new(|| selector("li[class]"));
static NAME: LazyLock<Selector> = LazyLock::new(|| selector("h4"));
static WATCH: LazyLock<Selector> = LazyLock::new(|| selector("a.watchEpisode[href]"));

/// Parses the page of episode `id`; `urls` makes the redirect links absolute.
///
/// Hoster items without a known language, a name or a link are left out: one odd item should
/// not cost the episode its other hosters.
///
/// # Errors
/// [`ProviderError::Layout`] naming the language box when the page has none (every episode
/// page has one, even an episode without hosters).
pub fn parse_episode_page(
    html: &str,
    id: EpisodeId,
    urls: &SiteUrls,
) -> Result<EpisodeDetails, ProviderError> {
    let doc = Html::parse_document(html);
    if doc.select(&LANGUAGE_BOX).next().is_none() {
        return Err(missing("episode page", LANGUAGES));
    }
    let mut languages = Vec::new();
    for language in doc
        .select(&LANGUAGE_IMAGES)
        .filter_map(|img| Language::from_site_key(img.value().attr("data-lang-key")?))
    {
        if !languages.contains(&language) {
            languages.push(language);
        }
    }
    let hosters = doc
        .select(&ITEMS)
        .filter(|li| li.value().classes().any(|c| c.starts_with("episodeLink")))
        .filter_map(|li| hoster_link(li, urls))
        .collect();
    let title = |s: &Selector| doc.select(s).next().map(text_of).and_then(non_empty);
    Ok(EpisodeDetails {
        id,
        title_german: title(&GERMAN),
        title_english: title(&ENGLISH),
        languages,
        hosters,
    })
}

/// One hoster item: `data-lang-key`, the `h4` name and the `a.watchEpisode` redirect.
fn hoster_link(item: ElementRef<'_>, urls: &SiteUrls) -> Option<HosterLink> {
    let language = Language::from_site_key(item.value().attr("data-lang-key")?)?;
    let hoster = item.select(&NAME).next().map(text_of).and_then(non_empty)?;
    let href = item.select(&WATCH).next()?.value().attr("href")?.trim();
    (!href.is_empty()).then(|| HosterLink {
        site: Site::Aniworld,
        hoster,
        language,
        redirect_url: urls.absolute(href),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn urls() -> SiteUrls {
        SiteUrls::new("https://aniworld.to/").unwrap()
    }

    const PAGE: &str = r#"<div class="hosterSiteTitle"><h2><span class="episodeGermanTitle">Zu dir &amp; mir</span>
        <small class="episodeEnglishTitle"> To You </small></h2></div>
        <div class="changeLanguageBox"><img data-lang-key="3" class="selectedLanguage">
          <img src="x.svg" data-lang-key="1"><img data-lang-key="3"><img data-lang-key="9"></div>
        <ul>
          <li class="col-md-3 col-xs-12 episodeLink1766412" data-lang-key="1">
            <a class="watchEpisode" href="/redirect/1766412"><i class="icon VOE"></i><h4>VOE</h4></a></li>
          <li data-lang-key="3" class="episodeLink2 col-md-3"><a href="/redirect/2" class="x watchEpisode"><h4> Doodstream </h4></a></li>
          <li class="col-md-3 episodeLink3" data-lang-key="7"><a class="watchEpisode" href="/redirect/3"><h4>Vidoza</h4></a></li>
          <li class="col-md-3 episodeLink4" data-lang-key="1"><a class="watchEpisode" href="/redirect/4"></a></li>
          <li class="col-md-3 comment"><h4>Kommentare</h4><a class="watchEpisode" href="/redirect/5">x</a></li>
        </ul>"#;

    #[test]
    fn an_episode_page_gives_titles_languages_and_hoster_links() {
        let details = parse_episode_page(PAGE, EpisodeId::new(1, 1), &urls()).unwrap();
        assert_eq!(details.title_german.as_deref(), Some("Zu dir & mir"));
        assert_eq!(details.title_english.as_deref(), Some("To You"));
        assert_eq!(
            details.languages,
            vec![Language::GermanSub, Language::GermanDub]
        );
        let links: Vec<_> = details
            .hosters
            .iter()
            .map(|h| (h.hoster.as_str(), h.language, h.redirect_url.as_str()))
            .collect();
        assert_eq!(
            links,
            vec![
                (
                    "VOE",
                    Language::GermanDub,
                    "https://aniworld.to/redirect/1766412"
                ),
                (
                    "Doodstream",
                    Language::GermanSub,
                    "https://aniworld.to/redirect/2"
                ),
            ]
        );
    }

    #[test]
    fn a_page_without_a_language_box_is_a_layout_error_naming_it() {
        let err = parse_episode_page("<h1>Wartung</h1>", EpisodeId::new(1, 1), &urls());
        assert_eq!(
            err,
            Err(ProviderError::Layout(
                "episode page: div.changeLanguageBox img[data-lang-key]".into()
            ))
        );
    }

    #[test]
    fn an_episode_without_hosters_or_titles_is_still_an_episode() {
        let html =
            "<div class=\"changeLanguageBox\"></div><span class=\"episodeGermanTitle\"></span>";
        let details = parse_episode_page(html, EpisodeId::new(0, 2), &urls()).unwrap();
        assert_eq!(details.id, EpisodeId::new(0, 2));
        assert!(details.hosters.is_empty() && details.languages.is_empty());
        assert_eq!(details.title_german, None);
    }
}
