//! Downloading an s.to episode: through its `/r?t=` play link to the hoster, byte-exact; and a
//! challenged play link resting s.to while an aniworld.to episode downloads.

use serde_json::{Value, json};

use super::{add_link, app_on, two_sites};
use crate::queue::{command, ids, item, set_downloads, status, wait_for_item, wait_until};
use crate::support::fake_site::FakeHoster;
use crate::support::fake_site::sto::STO_PLAY_PATH;

/// Queues episodes of a library series; answers the new items' ids.
async fn queue(
    app: &crate::helpers::TestApp,
    token: &str,
    key: &str,
    episodes: &[(u32, u32)],
    priority: &str,
) -> Vec<String> {
    let episodes: Vec<Value> = episodes
        .iter()
        .map(|(s, e)| json!({ "season": s, "episode": e, "title": format!("Episode {e}") }))
        .collect();
    let r = app
        .post(
            "/api/queue/add",
            Some(token),
            json!({ "serie_id": key, "serie_folder": "-", "serie_name": "-", "episodes": episodes, "priority": priority }),
        )
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    ids(&r.json().await.unwrap())
}

#[tokio::test]
async fn an_sto_episode_downloads_byte_exact_through_its_play_link() {
    let site = two_sites().await;
    let (app, token) = app_on(&site, true).await;
    add_link(&app, &token, &site.sto_url("/serie/greys-anatomy")).await;
    set_downloads(
        &app,
        &token,
        json!({ "preferred_hosters": ["Vidoza"], "preferred_languages": ["English Dub"] }),
    )
    .await;
    command(&app, &token, "start").await;
    let id = queue(&app, &token, "sto:greys-anatomy", &[(1, 1)], "NORMAL")
        .await
        .remove(0);
    let done = wait_for_item(&app, &token, &id, "completed").await;
    let expected = "Grey's Anatomy (2005)/Season 01/Grey's Anatomy (2005) - S01E01.mp4";
    assert_eq!(done["file"], expected);
    assert_eq!(done["hoster"], "Vidoza");
    assert_eq!(done["language"], "English Dub");
    assert_eq!(done["serie_id"], "sto:greys-anatomy");
    let link = site
        .sto_links("greys-anatomy", 1, 1)
        .into_iter()
        .find(|l| l.link.hoster == FakeHoster::Vidoza)
        .unwrap();
    let bytes = std::fs::read(app.anime_path().join(expected)).unwrap();
    assert!(bytes == link.expected_bytes(), "byte for byte");
    assert_eq!(site.sto_play_requests(), 1, "one play link followed");
}

#[tokio::test]
async fn a_challenged_sto_play_link_rests_sto_while_an_aniworld_episode_downloads() {
    let site = two_sites().await;
    let (app, token) = app_on(&site, true).await;
    add_link(&app, &token, &site.sto_url("/serie/greys-anatomy")).await;
    add_link(&app, &token, &site.url("/anime/stream/attack-on-titan")).await;
    set_downloads(
        &app,
        &token,
        json!({ "preferred_hosters": ["VOE", "Vidoza"] }),
    )
    .await;
    site.challenge_sto_play_links(0);
    // The s.to episode first in line, the aniworld.to one behind it; one download at a time.
    let sto = queue(&app, &token, "sto:greys-anatomy", &[(1, 1)], "HIGH")
        .await
        .remove(0);
    let aniworld = queue(&app, &token, "attack-on-titan", &[(2, 4)], "NORMAL")
        .await
        .remove(0);
    command(&app, &token, "start").await;
    wait_for_item(&app, &token, &aniworld, "completed").await;
    let s = wait_until(&app, &token, "the s.to item waits", |s| {
        item(s, &sto).is_some_and(|i| i["status"] == "pending" && i["error"].is_string())
    })
    .await;
    let waiting = item(&s, &sto).unwrap();
    let error = waiting["error"].as_str().unwrap();
    assert!(
        error.contains("asks for a browser challenge") || error.contains("resting"),
        "{error}"
    );
    assert_eq!(
        site.sto_play_requests(),
        1,
        "s.to is not asked again while it rests"
    );

    let health: Value = app
        .get("/health/detailed", None)
        .await
        .json()
        .await
        .unwrap();
    let sto_health = &health["dependencies"]["catalogues"]["s.to"];
    assert_eq!(sto_health["status"], "resting", "{sto_health}");
    assert!(
        sto_health["resting_seconds"].as_u64().unwrap() > 29 * 60,
        "{sto_health}"
    );
    assert_eq!(
        health["dependencies"]["catalogues"]["aniworld.to"]["status"],
        "healthy"
    );
    assert_eq!(status(&app, &token).await["status"]["is_running"], true);
    assert!(site.sto_requests(STO_PLAY_PATH) >= 1);
}
