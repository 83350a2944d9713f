//! The fake VOE as the real one answers in 2026: the embed page forwards through a
//! `permanentToken=` URL to a second hop, which forwards to the player page; the player page
//! holds the media URL in the JSON-array script, obfuscated as PROVIDER.md describes (this
//! file holds the encoder, the inverse of the product's decoder), among decoy JSON scripts.
//! The older `'hls'` page is the link's [`super::EmbedBehaviour::AlternativePattern`].

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use super::hosters::{media_url, player};
use super::model::FakeLink;

/// The noise strings VOE scatters through the encoded text.
const MARKERS: [&str; 7] = ["@$", "^^", "~@", "%?", "*~", "!!", "#&"];

/// The token the first hop carries; the second hop answers 404 without it.
pub fn permanent_token(link: &FakeLink) -> String {
    format!("pt{:08x}c0ffee", link.id.wrapping_mul(2_654_435_761))
}

/// The second hop's URL, as the embed page names it.
pub fn token_hop_url(base: &str, link: &FakeLink) -> String {
    format!(
        "{base}/hoster/voe/t/{}?permanentToken={}",
        link.id,
        permanent_token(link)
    )
}

/// The player page's URL, where the second hop forwards to.
pub fn player_url(base: &str, link: &FakeLink) -> String {
    format!("{base}/hoster/voe/p/{}", link.id)
}

/// The working embed page (`/hoster/voe/e/<id>`): a frame check and the forward to the
/// token hop.
pub fn embed_page(base: &str, link: &FakeLink) -> String {
    player(
        "Redirecting&hellip;",
        &format!(
            "  if (window.self !== window.top) {{ window.location.href = '/embed-blocked'; }}\n  window.location.href = '{}';",
            token_hop_url(base, link)
        ),
    )
}

/// A VOE page other than the embed page: `t` (the token hop) or `p` (the player). `None`
/// answers 404, as the token hop does without the link's `permanentToken`.
pub fn hop_page(
    base: &str,
    link: &FakeLink,
    kind: &str,
    query: Option<&str>,
    generation: u64,
) -> Option<String> {
    match kind {
        "t" => {
            let expected = format!("permanentToken={}", permanent_token(link));
            let carries = query.is_some_and(|q| q.split('&').any(|pair| pair == expected));
            carries.then(|| {
                player(
                    "VOE",
                    &format!("  location.href = \"{}\";", player_url(base, link)),
                )
            })
        }
        "p" => Some(player_page(base, link, generation)),
        _ => None,
    }
}

/// The JSON the player page obfuscates: `source` is the media URL with its generation.
pub fn player_json(base: &str, link: &FakeLink, generation: u64) -> String {
    serde_json::json!({
        "file_code": format!("fake{}", link.id),
        "title": format!("Fake.Episode.{}.mp4", link.id),
        "source": media_url(base, link, generation),
        "direct_access_url": format!("{base}/media/{}/not-allowed.mp4", link.id),
        "direct_access_allowed": false,
        "fallback": [],
        "captions": [],
    })
    .to_string()
}

/// The player page (`/hoster/voe/p/<id>`): decoy JSON scripts, then the obfuscated sources.
pub fn player_page(base: &str, link: &FakeLink, generation: u64) -> String {
    let id = link.id;
    let value = obfuscate(&player_json(base, link, generation));
    format!(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Fake &amp; Episode &ndash; {id}</title>\n\
         <script type=\"application/json\">{{\"@context\": \"https://schema.org\", \"@type\": \"VideoObject\"}}</script>\n\
         <script type=\"application/json\">[\"not\", \"obfuscated\"]</script>\n\
         <script>if (window.location.hostname == 'voe.sx') {{ window.location.href = '/404'; }}</script></head>\n\
         <body><div id=\"vplayer\" data-title=\"Folge &#8211; {id}\"></div>\n\
         <script type=\"application/json\">[\"{value}\"]</script>\n\
         <script src=\"/js/player.min.js\"></script>\n</body></html>\n"
    )
}

/// The older player page: `'hls': '<base64 of the playlist URL>'`.
pub fn hls_page(base: &str, link: &FakeLink, generation: u64) -> String {
    let encoded = STANDARD.encode(media_url(base, link, generation));
    player(
        "VOE",
        &format!(
            "var sources = {{\n  'hls': '{encoded}',\n  'video_height': 1080,\n  'mp4': 'bm90IHRoZSBmaWxl'\n}};"
        ),
    )
}

/// VOE's obfuscation of `json`: base64, reversed, every character code plus 3, base64
/// again, markers and `_` scattered through it, ROT13.
pub fn obfuscate(json: &str) -> String {
    let inner: String = STANDARD.encode(json).chars().rev().collect();
    let shifted: Vec<u8> = inner.bytes().map(|b| b + 3).collect();
    let mut noisy = String::new();
    for (i, c) in STANDARD.encode(shifted).chars().enumerate() {
        noisy.push(c);
        if i % 6 == 5 {
            noisy.push_str(MARKERS[i / 6 % MARKERS.len()]);
        }
        if i % 17 == 16 {
            noisy.push('_');
        }
    }
    noisy
        .chars()
        .map(|c| match c {
            'a'..='z' => char::from((c as u8 - b'a' + 13) % 26 + b'a'),
            'A'..='Z' => char::from((c as u8 - b'A' + 13) % 26 + b'A'),
            _ => c,
        })
        .collect()
}
