//! VOE: the embed page often only forwards (`location.href = '<url>'`, sometimes through a
//! `permanentToken=` URL, to a rotating mirror), and the player page at the end of the hops
//! holds the sources in one of several forms, newest first: the obfuscated JSON-array script
//! (2026), the obfuscated `a168c` variable (2025), `'hls': '<base64 or URL>'`, or just an
//! `.m3u8` URL. `forms` finds each landmark, `decode` undoes the obfuscation with the markers
//! `loader` reads from the player's loader script; this file decides what a page is and
//! follows the hops.

mod decode;
mod forms;
mod loader;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod token_tests;

use async_trait::async_trait;
use base64::Engine;

use self::decode::{BASE64, PlayerSources, decode};
use self::loader::FIXED_MARKERS;
use super::{absolute, landing, media_source};
use crate::adapters::fetch::Fetcher;
use crate::domain::catalogue::{MediaKind, MediaSource, ProviderError};
use crate::ports::Hoster;
use crate::ports::catalogue::{EmbedPage, Recognition};

const NAME: &str = "VOE";

/// Forwards followed after the embed page: the site uses one or two; a chain must end.
const MAX_FORWARDS: usize = 4;

/// What a page without any landmark lacks.
const MISSING: &str = "VOE page: the player's JSON, a168c, 'hls' or an .m3u8 URL";

/// What a VOE page is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum VoePage {
    /// The player: the absolute media URL and whether it is a playlist or a file.
    Player { url: String, kind: MediaKind },
    /// A page that only forwards, to this absolute URL.
    Forward(String),
}

/// VOE's own domain names; its mirrors rotate, so pages are recognised by their landmarks.
const HOSTS: [&str; 1] = ["voe"];

/// Whether a page holds a VOE landmark: the player's JSON, `a168c`, `'hls'`, or a forward
/// through a `permanentToken=` URL (a bare `.m3u8` URL is on every HLS hoster's page).
pub(super) fn has_landmarks(page: &str) -> bool {
    forms::a168c_value(page).is_some()
        || forms::hls_value(page).is_some()
        || forms::forward_target(page).is_some_and(|t| t.contains("permanentToken="))
        || !forms::json_array_values(page).is_empty()
}

/// The `src` of a player page's loader script (the markers' source), as written.
pub(super) fn loader_src(page: &str) -> Option<String> {
    forms::loader_src(page)
}

/// The marker tokens in a loader script, if it lists them.
pub(super) fn loader_tokens(script: &str) -> Option<Vec<String>> {
    loader::tokens(script)
}

/// Reads a VOE page, trying the landmarks newest first, with the marker `tokens` of the
/// page's loader script when it had them (else, and when they do not decode, the fixed
/// list). Any landmark wins over a forward: player pages carry unrelated `location.href`
/// lines (ad-block and domain checks). When a landmark is present but unreadable and nothing
/// later works, that failure is reported.
pub(super) fn extract(
    page: &str,
    page_url: &str,
    tokens: Option<&[String]>,
) -> Result<VoePage, ProviderError> {
    let mut failure = None;
    let obfuscated = forms::json_array_values(page)
        .into_iter()
        .chain(forms::a168c_value(page));
    for value in obfuscated {
        match player_from_obfuscated(&value, page_url, tokens) {
            Ok(found) => return Ok(found),
            Err(error) => {
                failure.get_or_insert(error);
            }
        }
    }
    if let Some(value) = forms::hls_value(page) {
        match playlist_url(&value, page_url) {
            Ok(url) => return Ok(hls(url)),
            Err(error) => {
                failure.get_or_insert(error);
            }
        }
    }
    if let Some(found) = forms::bare_playlist(page)
        && let Ok(url) = absolute(NAME, page_url, &found)
    {
        return Ok(hls(url));
    }
    if let Some(error) = failure {
        return Err(error);
    }
    match forms::forward_target(page) {
        Some(target) => absolute(NAME, page_url, &target).map(VoePage::Forward),
        None => Err(layout(MISSING)),
    }
}

fn hls(url: String) -> VoePage {
    VoePage::Player {
        url,
        kind: MediaKind::Hls,
    }
}

fn layout(what: &str) -> ProviderError {
    ProviderError::Layout(what.to_owned())
}

/// The player from an obfuscated sources value (JSON-array script or `a168c`): decoded with
/// the loader's `tokens` first, then with the fixed markers.
fn player_from_obfuscated(
    value: &str,
    page_url: &str,
    tokens: Option<&[String]>,
) -> Result<VoePage, ProviderError> {
    let decoded = match tokens.map(|t| decode(value, t)) {
        Some(Ok(sources)) => Ok(sources),
        // The loader's tokens are the news: their failure says more than the fixed list's.
        Some(Err(error)) => decode(value, &FIXED_MARKERS).map_err(|_| error),
        None => decode(value, &FIXED_MARKERS),
    };
    let sources = decoded.map_err(|error| {
        layout(&format!(
            "{NAME} page: a decodable player JSON: {}",
            error.step()
        ))
    })?;
    choose(&sources, page_url)
}

/// `source` (HLS) when it is a usable URL; else the MP4 `direct_access_url`, but only when
/// the JSON allows direct access.
fn choose(sources: &PlayerSources, page_url: &str) -> Result<VoePage, ProviderError> {
    let usable = |url: &Option<String>| {
        url.as_deref()
            .filter(|u| !u.trim().is_empty())
            .and_then(|u| absolute(NAME, page_url, u).ok())
    };
    if let Some(url) = usable(&sources.source) {
        return Ok(hls(url));
    }
    match usable(&sources.direct_access_url) {
        Some(url) if sources.direct_access_allowed => Ok(VoePage::Player {
            url,
            kind: MediaKind::Direct,
        }),
        _ => Err(layout(&format!(
            "{NAME} page: a usable source (or allowed direct_access_url) in the player JSON"
        ))),
    }
}

/// The decode chain alone, for the fuzz targets (`super::fuzzing`): the player JSON's
/// `source`, or the step that failed.
pub(super) fn decoded_source(obfuscated: &str) -> Result<Option<String>, &'static str> {
    decode(obfuscated, &FIXED_MARKERS)
        .map(|s| s.source)
        .map_err(|e| e.step())
}

/// The playlist URL from the `hls` value: base64 of the URL, or the URL itself.
fn playlist_url(value: &str, page_url: &str) -> Result<String, ProviderError> {
    if value.starts_with("http") || value.starts_with("//") {
        return absolute(NAME, page_url, value);
    }
    let unreadable = || layout(&format!("{NAME} page: a base64 URL as the 'hls' value"));
    let bytes = BASE64.decode(value).map_err(|_| unreadable())?;
    let text = String::from_utf8(bytes).map_err(|_| unreadable())?;
    absolute(NAME, page_url, &text).map_err(|_| unreadable())
}

/// The VOE extractor.
#[derive(Clone, Debug)]
pub struct Voe {
    fetcher: Fetcher,
}

impl Voe {
    /// An extractor fetching through the shared client.
    pub fn new(fetcher: Fetcher) -> Self {
        Self { fetcher }
    }

    /// The marker tokens of a player page's loader script (same host, the page as Referer);
    /// `None` when the page names none, or it cannot be read or lists none: the fixed
    /// markers are used then.
    async fn markers(&self, body: &str, page_url: &str) -> Option<Vec<String>> {
        let src = forms::loader_src(body)?;
        let url = absolute(NAME, page_url, &src).ok()?;
        match self.fetcher.get_xhr(&url, &[("Referer", page_url)]).await {
            Ok(script) => {
                let tokens = loader::tokens(&script.body);
                if tokens.is_none() {
                    tracing::debug!(hoster = NAME, "loader script lists no markers");
                }
                tokens
            }
            Err(error) => {
                tracing::debug!(hoster = NAME, %error, "loader script unreadable");
                None
            }
        }
    }
}

#[async_trait]
impl Hoster for Voe {
    fn name(&self) -> &str {
        NAME
    }

    async fn open(&self, embed_url: &str, linked_from: &str) -> Result<EmbedPage, ProviderError> {
        landing::open(&self.fetcher, embed_url, linked_from).await
    }

    fn recognises(&self, page: &EmbedPage) -> Recognition {
        landing::recognition(page, &HOSTS, has_landmarks(&page.body))
    }

    /// Follows the forwards (at most [`MAX_FORWARDS`], never to a URL already visited) and
    /// returns the media. The last page is the Referer: a browser plays the stream from it.
    async fn resolve(&self, page: &EmbedPage) -> Result<MediaSource, ProviderError> {
        let mut visited = vec![normalised(&page.url)];
        let (mut url, mut body) = (page.url.clone(), page.body.clone());
        for hop in 0..=MAX_FORWARDS {
            let tokens = self.markers(&body, &url).await;
            let target = match extract(&body, &url, tokens.as_deref())? {
                VoePage::Player { url: media, kind } => {
                    return media_source(NAME, &url, &media, Some(kind));
                }
                VoePage::Forward(target) => target,
            };
            if visited.contains(&normalised(&target)) {
                return Err(layout(&format!(
                    "{NAME} page: a player page (the forwards loop back to {target})"
                )));
            }
            if hop == MAX_FORWARDS {
                break;
            }
            tracing::debug!(hoster = NAME, "page forwards to another hop");
            let next = self.fetcher.get(&target, &[]).await?;
            visited.push(normalised(&target));
            visited.push(normalised(&next.final_url));
            (url, body) = (next.final_url, next.body);
        }
        Err(layout(&format!(
            "{NAME} page: a player page within {MAX_FORWARDS} forwards"
        )))
    }
}

/// A URL as `url` writes it, so `http://a/b` and `http://a:80/b` count as one visit.
fn normalised(raw: &str) -> String {
    url::Url::parse(raw).map_or_else(|_| raw.to_owned(), String::from)
}
