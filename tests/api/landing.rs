//! The hosters of late 2026 through the real server and the fake site, each download
//! compared byte for byte: a "Vidara" link whose redirect lands on a VOE page is read by the
//! VOE extractor (and its failure says so, under the label); Vidara's own host through its
//! stream API; Luluvdo's player with `Origin`, `Referer` and the catalogue's host; VOE's
//! player whose markers come from its loader script.

use serde_json::json;

use crate::hosters::{download, only_link};
use crate::queue::{command, enqueue, ids, queue_app, set_downloads, wait_for_item};
use crate::support::fake_site::{EmbedBehaviour, FakeHoster, FakeLink, FakeSite, vidara, voe};

const KEY: &str = "attack-on-titan";

/// A header of the last request for `path`.
fn header(site: &FakeSite, path: &str, name: &str) -> Option<String> {
    site.last_headers(path)?
        .into_iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v)
}

#[tokio::test]
async fn a_vidara_link_landing_on_a_voe_page_downloads_byte_exact_through_the_voe_extractor() {
    let link = FakeLink::new(FakeHoster::Vidara, 1).lands_on(FakeHoster::Voe);
    let (bytes, link, site) = download("Vidara", link).await;
    assert!(bytes == link.expected_bytes(), "byte-exact HLS download");
    let id = link.link.id;
    assert_eq!(link.embed_url(), site.url(&format!("/hoster/voe/e/{id}")));
    assert_eq!(
        site.requests(&format!("/hoster/voe/e/{id}")),
        1,
        "opened once"
    );
    assert_eq!(site.requests(&format!("/hoster/voe/p/{id}")), 1);
    assert_eq!(
        site.requests("/api/stream"),
        0,
        "Vidara's API was not asked"
    );
}

#[tokio::test]
async fn a_failing_voe_page_behind_a_vidara_label_fails_the_item_naming_both() {
    let (app, site, token) = queue_app(&["Vidara"]).await;
    set_downloads(&app, &token, json!({ "retries": 0 })).await;
    let link = FakeLink::new(FakeHoster::Vidara, 1).lands_on(FakeHoster::Voe);
    let info = only_link(&site, link);
    let player = format!("/hoster/voe/p/{}", info.link.id);
    site.serve_html(
        &player,
        "<html><script type=\"application/json\">[\"!!not-voe!!\"]</script></html>",
    );
    command(&app, &token, "start").await;
    let id = ids(&enqueue(&app, &token, KEY, &[(1, 3)], "NORMAL").await).remove(0);
    let failed = wait_for_item(&app, &token, &id, "failed").await;
    assert_eq!(
        failed["error"],
        "all hosters failed: Vidara (as VOE) (German Dub): VOE page layout not recognised \
         (missing a decodable player JSON: base64 after ROT13)"
    );
}

#[tokio::test]
async fn an_episode_only_on_vidara_downloads_byte_exact_through_its_stream_api() {
    let (bytes, link, site) = download("Vidara", FakeLink::new(FakeHoster::Vidara, 1)).await;
    assert!(bytes == link.expected_bytes(), "byte-exact HLS download");
    let embed = format!("/hoster/vidara/e/{}", link.link.id);
    assert_eq!(site.requests(&embed), 1, "the embed page is opened once");
    assert_eq!(site.requests("/api/stream"), 1);
    assert_eq!(header(&site, "/api/stream", "origin"), Some(site.url("")));
    assert_eq!(
        header(&site, "/api/stream", "referer"),
        Some(link.embed_url())
    );
}

#[tokio::test]
async fn the_fake_vidara_api_wants_origin_and_referer_and_behind_its_switch_the_cookie() {
    let site = FakeSite::standard().await;
    let link = only_link(&site, FakeLink::new(FakeHoster::Vidara, 1));
    let client = reqwest::Client::new();
    let embed = client.get(link.embed_url()).send().await.unwrap();
    let set_cookie = embed.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(set_cookie.starts_with(&vidara::session_cookie(&link.link)));
    let body = json!({ "filecode": link.link.id.to_string(), "device": "web" });
    let ask = |cookie: Option<String>, origin: bool| {
        let mut request = client.post(site.url("/api/stream")).json(&body);
        if origin {
            request = request
                .header("Origin", site.url(""))
                .header("Referer", link.embed_url());
        }
        if let Some(cookie) = cookie {
            request = request.header("Cookie", cookie);
        }
        async move { request.send().await.unwrap() }
    };
    site.require_vidara_cookie(false);
    assert_eq!(ask(None, false).await.status(), 403, "no Origin or Referer");
    let answer: serde_json::Value = ask(None, true).await.json().await.unwrap();
    assert_eq!(answer["streaming_url"], link.media_url());
    site.require_vidara_cookie(true);
    assert_eq!(ask(None, true).await.status(), 403, "no session cookie");
    let cookie = Some(vidara::session_cookie(&link.link));
    assert_eq!(ask(cookie, true).await.status(), 200);
}

#[tokio::test]
async fn an_episode_only_on_luluvdo_downloads_byte_exact_from_its_player_page() {
    let (bytes, link, site) = download("Luluvdo", FakeLink::new(FakeHoster::Luluvdo, 1)).await;
    assert!(bytes == link.expected_bytes(), "byte-exact HLS download");
    assert_eq!(site.requests("/dl"), 1);
    assert_eq!(header(&site, "/dl", "origin"), Some(site.url("")));
    assert_eq!(header(&site, "/dl", "referer"), Some(site.url("/")));
    let master = format!("/media/{}/master.m3u8", link.link.id);
    assert_eq!(
        header(&site, &master, "user-agent"),
        header(&site, "/dl", "user-agent"),
        "the media is asked with the player page's User-Agent"
    );
}

#[tokio::test]
async fn a_voe_player_whose_markers_come_from_its_loader_script_downloads_byte_exact() {
    let link = FakeLink::new(FakeHoster::Voe, 1).embed(EmbedBehaviour::LoaderTokens);
    let (bytes, link, site) = download("VOE", link).await;
    assert!(bytes == link.expected_bytes(), "byte-exact HLS download");
    let loader = voe::loader_url(&link.link);
    assert_eq!(site.requests(&loader), 1);
    assert_eq!(
        header(&site, &loader, "referer"),
        Some(voe::player_url(site.base_url(), &link.link))
    );
}
