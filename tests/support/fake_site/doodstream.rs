//! The fake Doodstream: an embed page with `$.get('/pass_md5/<id>-<generation>/<hash>'` and the
//! player's `token=`, the `/pass_md5/...` answer (a base URL under `/dood/<id>/<client>/`,
//! where `<client>` is a hash of the asking User-Agent; refused without the embed page as
//! Referer), and the media under it, refused (403) unless the request carries that same
//! User-Agent, the embed page's host as Referer, the link's token and a current expiry.

use std::time::{SystemTime, UNIX_EPOCH};

use super::hosters::embed_path;
use super::model::FakeLink;

/// How far an `expiry` (Unix milliseconds) may be from now.
const EXPIRY_SLACK_MS: u128 = 10 * 60 * 1000;

/// The token the embed page names for a link's current generation.
pub fn token(link: &FakeLink, generation: u64) -> String {
    format!("dood{}g{generation}", link.id)
}

/// The embed page.
pub fn embed_page(link: &FakeLink, generation: u64) -> String {
    let id = link.id;
    let token = token(link, generation);
    format!(
        "<!DOCTYPE html>\n<html><head><title>Episode &ndash; DoodStream</title>\n<script>var ads = \"https://ads.example/pop?csrf_token=decoy&amp;z=1\";</script></head>\n<body><video id=\"video_player\"></video>\n<script>\nfunction makePlay(){{for(var a=\"\",t=\"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789\",n=t.length,o=0;10>o;o++)a+=t.charAt(Math.floor(Math.random()*n));return a+\"?token={token}&expiry=\"+Date.now();}}\n$.get('/pass_md5/{id}-{generation}/5c0ffee{id}', function(data) {{ dsplayer.src({{ src: data + makePlay(), type: \"video/mp4\" }}); }});\n</script>\n<a href=\"/d/{id}?token=notthis\">Download</a>\n</body></html>\n"
    )
}

/// The link id named by a `/pass_md5/<id>-<generation>/...` path's first segment.
pub fn pass_md5_link(segment: &str) -> Option<u64> {
    segment.split_once('-')?.0.parse().ok()
}

/// The `/pass_md5/...` answer: the base URL for a client with this User-Agent, or `None`
/// (answered 403) when the Referer is not the link's embed page.
pub fn pass_md5_answer(
    base: &str,
    link: &FakeLink,
    referer: Option<&str>,
    user_agent: Option<&str>,
) -> Option<String> {
    (referer == Some(&format!("{base}{}", embed_path(link))))
        .then(|| media_prefix(base, link, user_agent.unwrap_or_default()))
}

/// Where the media of a link lives for a client with this User-Agent: the pass_md5 answer,
/// to which the client appends 10 random characters and its query.
pub fn media_prefix(base: &str, link: &FakeLink, user_agent: &str) -> String {
    format!("{base}/dood/{}/{:016x}/v", link.id, client_hash(user_agent))
}

/// FNV-1a: a stable hash of the User-Agent, so the site needs no memory of who asked.
fn client_hash(user_agent: &str) -> u64 {
    user_agent.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Whether a media request `/dood/<id>/<client>/<file>?<query>` is admitted: its User-Agent
/// hashes to `<client>`, its Referer is the embed page's host, `<file>` is `v` + 10 characters
/// `[A-Za-z0-9]`, and its query holds the token and a current expiry. Answers the generation
/// the token names (to be checked as the signature of a signed link).
pub fn admit_media(
    base: &str,
    link: &FakeLink,
    client: &str,
    file: &str,
    query: Option<&str>,
    user_agent: Option<&str>,
    referer: Option<&str>,
) -> Option<u64> {
    let user_agent = user_agent?;
    if format!("{:016x}", client_hash(user_agent)) != client || referer != Some(&format!("{base}/"))
    {
        return None;
    }
    let random = file.strip_prefix('v')?;
    if random.len() != 10 || !random.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return None;
    }
    let param = |name: &str| {
        query?
            .split('&')
            .find_map(|pair| pair.strip_prefix(name)?.strip_prefix('='))
    };
    let generation: u64 = param("token")?
        .strip_prefix(&format!("dood{}g", link.id))?
        .parse()
        .ok()?;
    let expiry: u128 = param("expiry")?.parse().ok()?;
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .ok()?
        .as_millis();
    (now.abs_diff(expiry) <= EXPIRY_SLACK_MS).then_some(generation)
}
