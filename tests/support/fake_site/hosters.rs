//! The fake hosters' embed pages, one per hoster, holding the patterns PROVIDER.md describes
//! (plus a decoy where the real hoster has one), and the URLs they lead to. A signed link's
//! media URLs carry its current generation (`generation`, ignored for other links). The
//! page is the one of the hoster the link lands on ([`FakeLink::host`]). VOE's hops and
//! obfuscation live in [`super::voe`], Vidara's and Luluvdo's APIs in [`super::vidara`] and
//! [`super::luluvdo`].

use super::media_control::sig_query;
use super::voe;

use super::model::{EmbedBehaviour, FakeHoster, FakeLink, FakeMedia};

/// The path of a link's embed page, where `/redirect/<id>` sends the client.
pub fn embed_path(link: &FakeLink) -> String {
    format!("/hoster/{}/e/{}", link.host().slug(), link.id)
}

/// The URL of a link's media: the MP4 file or the HLS master playlist.
pub fn media_url(base: &str, link: &FakeLink, generation: u64) -> String {
    let sig = sig_query(link.signed, generation);
    match link.media {
        FakeMedia::Mp4 { .. } => format!("{base}/media/{}/video.mp4{sig}", link.id),
        FakeMedia::Hls { .. } => format!("{base}/media/{}/master.m3u8{sig}", link.id),
    }
}

/// The `<a>` part of the Streamtape line (the URL without scheme and without its last part).
fn streamtape_head(base: &str, link: &FakeLink, generation: u64) -> String {
    let host = base
        .trim_start_matches("http:")
        .trim_start_matches("https:");
    let sig = sig_query(link.signed, generation).replace('?', "&");
    format!(
        "{host}/media/{}/video.mp4?id={}&expires=1{sig}&token=",
        link.id, link.id
    )
}

/// The `<b>` part of the Streamtape line, after its `xcd` prefix.
fn streamtape_tail(link: &FakeLink) -> String {
    format!("tok{}", link.id)
}

/// The media URL a correct extractor finds on the link's embed page: for Streamtape,
/// `https:` + `<a>` + `<b>` as PROVIDER.md says (so it names the fake site with `https`).
pub fn extracted_media_url(base: &str, link: &FakeLink, generation: u64) -> String {
    match link.host() {
        // The head is protocol-relative: it takes the embed page's scheme, as in a browser.
        FakeHoster::Streamtape => format!(
            "{}:{}{}",
            base.split_once(':').map_or("https", |(scheme, _)| scheme),
            streamtape_head(base, link, generation),
            streamtape_tail(link)
        ),
        _ => media_url(base, link, generation),
    }
}

/// A small page around a script.
pub(super) fn player(title: &str, script: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{title}</title>\n<script src=\"/js/player.min.js\"></script></head>\n<body><div id=\"vplayer\"></div>\n<script type=\"text/javascript\">\n{script}\n</script>\n</body></html>\n"
    )
}

/// The embed page of a link (`/hoster/<slug>/e/<id>`); `None` answers 404.
pub fn embed_page(base: &str, link: &FakeLink, generation: u64) -> Option<String> {
    match link.embed {
        EmbedBehaviour::Gone => return None,
        EmbedBehaviour::Unrecognised => {
            return Some(player(
                "File not found",
                "var message = 'This video is being processed, come back later';",
            ));
        }
        EmbedBehaviour::Working | EmbedBehaviour::LoaderTokens => {}
        EmbedBehaviour::AlternativePattern => {
            return Some(alternative_page(base, link, generation));
        }
    }
    let media = media_url(base, link, generation);
    let id = link.id;
    let page = match link.host() {
        // VOE forwards twice before its player page (see `voe.rs`).
        FakeHoster::Voe => voe::embed_page(base, link),
        FakeHoster::Vidoza => player(
            "Vidoza",
            &format!(
                "var pData = {{ sourcesCode: [{{ src: \"{media}\", type: \"video/mp4\", label:\"SD\", res:\"720\"}}], poster: \"{base}/img/{id}.jpg\" }};"
            ),
        ),
        FakeHoster::Vidmoly => player(
            "Vidmoly",
            &format!(
                "jwplayer(\"vplayer\").setup({{ sources: [{{file: \"{media}\"}}], image: \"{base}/img/{id}.jpg\", width: \"100%\" }});"
            ),
        ),
        FakeHoster::Streamtape => player(
            "Streamtape",
            &format!(
                "document.getElementById('norobotlink').innerHTML = '//decoy.invalid/get_video?id=0&token='+ ('xcdwrong').substring(1).substring(2);\ndocument.getElementById('robotlink').innerHTML = '{}'+ ('xcd{}').substring(1).substring(2);",
                streamtape_head(base, link, generation),
                streamtape_tail(link)
            ),
        ),
        FakeHoster::Filemoon => super::filemoon::embed_page(base, link, generation),
        FakeHoster::Doodstream => super::doodstream::embed_page(link, generation),
        FakeHoster::Vidara => super::vidara::embed_page(link),
        FakeHoster::Luluvdo => super::luluvdo::embed_page(link),
        FakeHoster::Other(name) => player(
            name,
            "eval(function(p,a,c,k,e,d){return p}('0 1=2',3,3,'var|x|y'.split('|')));",
        ),
    };
    Some(page)
}

/// The embed page with the hoster's second pattern.
fn alternative_page(base: &str, link: &FakeLink, generation: u64) -> String {
    let media = media_url(base, link, generation);
    match link.host() {
        FakeHoster::Voe => voe::hls_page(base, link, generation),
        FakeHoster::Vidoza => format!(
            "<!DOCTYPE html>\n<html><body><video id=\"player\" controls>\n<source src=\"{media}\" type=\"video/mp4\">\n</video></body></html>\n"
        ),
        FakeHoster::Vidmoly => player(
            "Vidmoly",
            &format!(
                "jwplayer(\"vplayer\").setup({{ sources: [{{file:\"{media}\",label:\"HD\"}}] }});"
            ),
        ),
        FakeHoster::Filemoon => super::filemoon::embed_page(base, link, generation),
        FakeHoster::Streamtape
        | FakeHoster::Doodstream
        | FakeHoster::Vidara
        | FakeHoster::Luluvdo
        | FakeHoster::Other(_) => {
            let working = link.clone().embed(EmbedBehaviour::Working);
            embed_page(base, &working, generation).unwrap_or_default()
        }
    }
}
