//! Filemoon and Doodstream through the real server and the fake site: an episode whose only
//! link is on that hoster is queued and downloads byte-exact; Filemoon's best height is the
//! one fetched (API and packed-page forms); Doodstream's media is refused to any client but
//! the one its base URL was made for, and the product is that client.

use aniworld::adapters::fetch::USER_AGENT;

use crate::queue::{command, enqueue, ids, library_file, queue_app, wait_for_item};
use crate::support::fake_site::{
    EmbedBehaviour, FakeHoster, FakeLink, FakeLinkInfo, FakeSite, doodstream,
};

const KEY: &str = "attack-on-titan";

/// Gives episode 1-3 of the standard site this one link; answers it as the site serves it.
pub(crate) fn only_link(site: &FakeSite, link: FakeLink) -> FakeLinkInfo {
    site.edit_series(KEY, |s| s.episode_mut(1, 3).unwrap().links = vec![link]);
    site.links(KEY, 1, 3).remove(0)
}

/// Queues episode 1-3, starts the queue and answers the completed file's bytes and hoster.
pub(crate) async fn download(hoster: &str, link: FakeLink) -> (Vec<u8>, FakeLinkInfo, FakeSite) {
    let (app, site, token) = queue_app(&[hoster]).await;
    let info = only_link(&site, link);
    command(&app, &token, "start").await;
    let id = ids(&enqueue(&app, &token, KEY, &[(1, 3)], "NORMAL").await).remove(0);
    let done = wait_for_item(&app, &token, &id, "completed").await;
    assert_eq!(done["hoster"], hoster);
    let bytes = std::fs::read(library_file(&app, done["file"].as_str().unwrap())).unwrap();
    (bytes, info, site)
}

#[tokio::test]
async fn an_episode_only_on_filemoon_downloads_byte_exact_from_the_greatest_height() {
    let (bytes, link, site) = download("Filemoon", FakeLink::new(FakeHoster::Filemoon, 1)).await;
    assert!(bytes == link.expected_bytes(), "byte-exact HLS download");
    let id = link.link.id;
    assert_eq!(site.requests(&format!("/api/videos/{id}")), 1);
    for decoy in ["h720", "h360"] {
        assert_eq!(
            site.requests_under(&format!("/media/{id}/{decoy}/")),
            0,
            "a lower height was fetched"
        );
    }
}

#[tokio::test]
async fn a_filemoon_embed_page_with_the_packed_player_downloads_byte_exact() {
    let link = FakeLink::new(FakeHoster::Filemoon, 1).embed(EmbedBehaviour::AlternativePattern);
    let (bytes, link, site) = download("Filemoon", link).await;
    assert!(bytes == link.expected_bytes(), "byte-exact HLS download");
    // The API came first and had no answer; the packed page held the playlist.
    let id = link.link.id;
    assert_eq!(site.requests(&format!("/api/videos/{id}")), 1);
}

#[tokio::test]
async fn the_fake_filemoon_api_wants_its_host_root_as_referer() {
    let site = FakeSite::standard().await;
    let link = only_link(&site, FakeLink::new(FakeHoster::Filemoon, 1));
    let api = site.url(&format!("/api/videos/{}", link.link.id));
    let client = reqwest::Client::new();
    let bare = client.get(&api).send().await.unwrap();
    assert_eq!(bare.status(), 403);
    let answer = client
        .get(&api)
        .header("Referer", site.url("/"))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 200);
    let body: serde_json::Value = answer.json().await.unwrap();
    assert_eq!(body["playback"]["key_parts"].as_array().unwrap().len(), 4);
}

#[tokio::test]
async fn an_episode_only_on_doodstream_downloads_byte_exact() {
    let (bytes, link, _site) =
        download("Doodstream", FakeLink::new(FakeHoster::Doodstream, 1)).await;
    assert!(bytes == link.expected_bytes(), "byte-exact MP4 download");
}

#[tokio::test]
async fn doodstream_media_is_refused_without_the_pass_md5_user_agent_and_the_host_referer() {
    let site = FakeSite::standard().await;
    let link = only_link(&site, FakeLink::new(FakeHoster::Doodstream, 1));
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis();
    let token = doodstream::token(&link.link, link.generation);
    let url = format!(
        "{}Ab3dE6gH9k?token={token}&expiry={now}",
        doodstream::media_prefix(site.base_url(), &link.link, USER_AGENT)
    );
    let client = reqwest::Client::new();
    let ask = |agent: Option<&str>, referer: Option<String>| {
        let mut request = client.get(&url);
        if let Some(agent) = agent {
            request = request.header("User-Agent", agent);
        }
        if let Some(referer) = referer {
            request = request.header("Referer", referer);
        }
        async move { request.send().await.unwrap().status().as_u16() }
    };
    let host = Some(site.url("/"));
    assert_eq!(ask(None, host.clone()).await, 403, "no User-Agent");
    assert_eq!(
        ask(Some("curl/8.5"), host.clone()).await,
        403,
        "another User-Agent"
    );
    assert_eq!(ask(Some(USER_AGENT), None).await, 403, "no Referer");
    assert_eq!(
        ask(Some(USER_AGENT), Some(link.embed_url())).await,
        403,
        "the embed page instead of its host"
    );
    assert_eq!(ask(Some(USER_AGENT), host.clone()).await, 200);
    let stale = url.replace(&format!("expiry={now}"), "expiry=1000");
    let old = client
        .get(&stale)
        .header("User-Agent", USER_AGENT)
        .header("Referer", site.url("/"))
        .send()
        .await
        .unwrap();
    assert_eq!(old.status(), 403, "an expiry far from now");
}
