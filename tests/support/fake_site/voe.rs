//! The fake VOE as the real one answers in 2026: the embed page forwards through a
//! `permanentToken=` URL to a second hop, which forwards to the player page; the player page
//! holds the media URL in the JSON-array script, obfuscated as PROVIDER.md describes (this
//! file holds the encoder, the inverse of the product's decoder), among decoy JSON scripts.
//! The older `'hls'` page is the link's [`super::EmbedBehaviour::AlternativePattern`]; with
//! [`super::EmbedBehaviour::LoaderTokens`] the player page scatters other markers than the
//! fixed list and lists them in its loader script (`/hoster/voe/l/<id>`, served only with the
//! player page as Referer), as VOE does since September 2026.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use super::hosters::{media_url, player};
use super::model::{EmbedBehaviour, FakeLink};

/// The noise strings VOE scatters through the encoded text (the fixed list).
const MARKERS: [&str; 7] = ["@$", "^^", "~@", "%?", "*~", "!!", "#&"];

/// The markers of a [`EmbedBehaviour::LoaderTokens`] player page: none of the fixed list.
pub const LOADER_MARKERS: [&str; 6] = ["(]", "-{", "|;", "?:", ">~", ",."];

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

/// The loader script's URL, as the player page names it.
pub fn loader_url(link: &FakeLink) -> String {
    format!("/hoster/voe/l/{}", link.id)
}

/// The loader script of a loader-token player page, for a request with the player page as
/// `Referer`; `None` (404) otherwise. Decoy arrays come before the token array.
pub fn loader_script(base: &str, link: &FakeLink, referer: Option<&str>) -> Option<String> {
    if link.embed != EmbedBehaviour::LoaderTokens || referer != Some(&player_url(base, link)) {
        return None;
    }
    let tokens: Vec<String> = LOADER_MARKERS.iter().map(|t| format!("'{t}'")).collect();
    Some(format!(
        "!function(){{var l=['en','de'],q=[\"@$\",\"^^\"];var m=[{}];window.__p=function(s){{m.forEach(function(t){{s=s.split(t).join('_')}});return s}}}}();\n",
        tokens.join(",")
    ))
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
    let tokens = link.embed == EmbedBehaviour::LoaderTokens;
    let markers: &[&str] = if tokens { &LOADER_MARKERS } else { &MARKERS };
    let value = obfuscate_with(&player_json(base, link, generation), markers);
    let loader = if tokens {
        loader_url(link)
    } else {
        "/js/player.min.js".to_owned()
    };
    format!(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Fake &amp; Episode &ndash; {id}</title>\n\
         <script type=\"application/json\">{{\"@context\": \"https://schema.org\", \"@type\": \"VideoObject\"}}</script>\n\
         <script type=\"application/json\">[\"not\", \"obfuscated\"]</script>\n\
         <script src=\"/js/ads.min.js\"></script>\n\
         <script>if (window.location.hostname == 'voe.sx') {{ window.location.href = '/404'; }}</script></head>\n\
         <body><div id=\"vplayer\" data-title=\"Folge &#8211; {id}\"></div>\n\
         <script type=\"application/json\">[\"{value}\"]</script>\n\
         <script src=\"{loader}\"></script>\n</body></html>\n"
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
    obfuscate_with(json, &MARKERS)
}

/// [`obfuscate`] scattering `markers`.
pub fn obfuscate_with(json: &str, markers: &[&str]) -> String {
    let inner: String = STANDARD.encode(json).chars().rev().collect();
    let shifted: Vec<u8> = inner.bytes().map(|b| b + 3).collect();
    let mut noisy = String::new();
    for (i, c) in STANDARD.encode(shifted).chars().enumerate() {
        noisy.push(c);
        if i % 6 == 5 {
            noisy.push_str(markers[i / 6 % markers.len()]);
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
