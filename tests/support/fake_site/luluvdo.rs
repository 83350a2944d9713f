//! The fake Luluvdo: the embed page (`/hoster/luluvdo/e/<id>`) holds no player; the player
//! comes from `GET /dl?op=embed&file_code=<id>&embed=1&referer=<site host>`, served only with
//! `Origin` and `Referer` on this host and the catalogue's host as `referer`, and holds
//! `file:"<playlist>"` among decoy thumbnail tracks. The media is served only to the
//! User-Agent the player page was served to (see `routes.rs`).

use super::hosters::media_url;
use super::model::FakeLink;

/// The embed page: a loader shell, without the media URL.
pub fn embed_page(link: &FakeLink) -> String {
    format!(
        "<!DOCTYPE html>\n<html><head><title>Luluvdo &ndash; {id}</title></head>\n<body><div id=\"vplayer\">Loading&hellip;</div>\n\
         <script>var fc = '{id}'; /* the player loads from /dl */</script></body></html>\n",
        id = link.id
    )
}

/// The link id the `/dl` query asks for, when the query is exactly the player's for the
/// catalogue at `site_host`.
pub fn asked_link(query: Option<&str>, site_host: &str) -> Option<u64> {
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(query?.as_bytes())
        .into_owned()
        .collect();
    let value = |name: &str| {
        pairs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    };
    let wanted = value("op") == Some("embed")
        && value("embed") == Some("1")
        && value("referer") == Some(site_host);
    wanted.then(|| value("file_code")?.parse().ok()).flatten()
}

/// The player page: `None` (403) unless `Origin` is this host and `Referer` its root.
pub fn player_page(
    base: &str,
    link: &FakeLink,
    generation: u64,
    origin: Option<&str>,
    referer: Option<&str>,
) -> Option<String> {
    if origin != Some(base) || referer != Some(&format!("{base}/")) {
        return None;
    }
    let id = link.id;
    let media = media_url(base, link, generation);
    Some(format!(
        "<!DOCTYPE html>\n<html><body><div id=\"vplayer\"></div>\n<script type=\"text/javascript\">\n\
         jwplayer(\"vplayer\").setup({{tracks:[{{file:\"/dl?op=get_slides&amp;length=1440&amp;url={id}.jpg\",kind:\"thumbnails\"}}],\
         sources:[{{file:\"{media}\"}}],image:\"{base}/img/{id}.jpg\",width:\"100%\"}});\n</script></body></html>\n"
    ))
}
