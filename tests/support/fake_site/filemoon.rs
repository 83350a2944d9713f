//! The fake Filemoon: its embed page (`/hoster/filemoon/e/<id>`), its video API
//! (`/api/videos/<id>`, the AES-256-GCM `playback` answer with several heights, refused
//! without `Referer: <base>/`) and, for [`EmbedBehaviour::AlternativePattern`], the older
//! embed page whose player script is packed by [`pack`] (the classic JavaScript packer).

use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use regex::Regex;

use super::hosters::media_url;
use super::model::{EmbedBehaviour, FakeHoster, FakeLink};

/// The heights the API lists besides the best one (1080), whose URLs lead nowhere: a client
/// that does not take the greatest height fails its download.
const DECOY_HEIGHTS: [u32; 2] = [720, 360];

/// The embed page: the API form's page only loads the player, which asks the API; the
/// alternative is the older page with the packed player script.
pub fn embed_page(base: &str, link: &FakeLink, generation: u64) -> String {
    let body = if link.embed == EmbedBehaviour::AlternativePattern {
        let player = format!(
            "jwplayer(\"vplayer\").setup({{tracks:[{{file:\"{base}/dl?op=get_slides&id={id}.jpg\",kind:\"thumbnails\"}}],sources:[{{file:\"{media}\"}}],image:\"{base}/img/{id}.jpg\",width:\"100%\"}});",
            id = link.id,
            media = media_url(base, link, generation),
        );
        format!(
            "<script type='text/javascript'>{}</script>",
            pack(&player, 62)
        )
    } else {
        format!(
            "<div id=\"app\" data-video=\"{}\"></div><script type=\"module\" src=\"/assets/player-2026.js\"></script>",
            link.id
        )
    };
    format!(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Watch &amp; share | Filemoon</title></head>\n<body><div id=\"vplayer\"></div>\n{body}\n</body></html>\n"
    )
}

/// The video API's answer for a link: `None` (404) for links that are not working Filemoon
/// links, `Err(())` (403) without the host root as Referer.
pub fn api_answer(
    base: &str,
    link: &FakeLink,
    generation: u64,
    referer: Option<&str>,
) -> Option<Result<String, ()>> {
    if *link.host() != FakeHoster::Filemoon || link.embed != EmbedBehaviour::Working {
        return None;
    }
    if referer != Some(&format!("{base}/")) {
        return Some(Err(()));
    }
    let best = media_url(base, link, generation);
    let decoy = |h: u32| serde_json::json!({ "url": format!("{base}/media/{}/h{h}/master.m3u8", link.id), "height": h });
    let plain = serde_json::json!({
        "sources": [decoy(DECOY_HEIGHTS[0]), { "url": best, "height": 1080 }, decoy(DECOY_HEIGHTS[1])],
        "tracks": [],
    });
    let key = key(link.id);
    let iv = iv(link.id);
    let sealed = Aes256Gcm::new_from_slice(&key)
        .expect("a 32-byte key")
        .encrypt(
            &Nonce::try_from(&iv[..]).expect("a 12-byte nonce"),
            plain.to_string().as_bytes(),
        )
        .expect("AES-GCM encrypts");
    let parts: Vec<String> = key.chunks(8).map(|c| URL_SAFE_NO_PAD.encode(c)).collect();
    let answer = serde_json::json!({
        "id": link.id,
        "playback": {
            "algorithm": "AES-256-GCM",
            "key_parts": parts,
            "iv": URL_SAFE_NO_PAD.encode(iv),
            "payload": URL_SAFE_NO_PAD.encode(sealed),
        },
    });
    Some(Ok(answer.to_string()))
}

/// The link's AES-256 key.
fn key(id: u64) -> [u8; 32] {
    std::array::from_fn(|i| (id as u8).wrapping_mul(31).wrapping_add(i as u8 * 7))
}

/// The link's GCM nonce.
fn iv(id: u64) -> [u8; 12] {
    std::array::from_fn(|i| (id >> (i % 8)) as u8 ^ 0x5a)
}

/// The digits of packed numbers.
const DIGITS: &[u8; 62] = b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

/// `n` written in `base` (2..=62) with [`DIGITS`].
fn encode(mut n: usize, base: usize) -> String {
    let mut out = Vec::new();
    loop {
        out.push(DIGITS[n % base]);
        n /= base;
        if n == 0 {
            break;
        }
    }
    out.reverse();
    String::from_utf8(out).expect("ASCII digits")
}

/// `script` packed as the classic packer does: each word token becomes the number (in `base`)
/// of its entry in the word list; a word equal to its own number is listed empty.
pub fn pack(script: &str, base: usize) -> String {
    let word = Regex::new(r"\b\w+\b").expect("valid regex");
    let mut words: Vec<String> = Vec::new();
    let payload = word.replace_all(script, |c: &regex::Captures| {
        let index = words.iter().position(|w| *w == c[0]).unwrap_or_else(|| {
            words.push(c[0].to_owned());
            words.len() - 1
        });
        encode(index, base)
    });
    let list: Vec<&str> = words
        .iter()
        .enumerate()
        .map(|(i, w)| {
            if *w == encode(i, base) {
                ""
            } else {
                w.as_str()
            }
        })
        .collect();
    let escape = |s: &str| s.replace('\\', "\\\\").replace('\'', "\\'");
    format!(
        "eval(function(p,a,c,k,e,d){{e=function(c){{return(c<a?'':e(parseInt(c/a)))+((c=c%a)>35?String.fromCharCode(c+29):c.toString(36))}};while(c--){{if(k[c]){{p=p.replace(new RegExp('\\\\b'+e(c)+'\\\\b','g'),k[c])}}}}return p}}('{}',{base},{},'{}'.split('|'),0,{{}}))",
        escape(&payload),
        words.len(),
        list.join("|")
    )
}
