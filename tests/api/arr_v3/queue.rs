//! `/api/v3/queue` and `/api/v3/queue/details`: queued episodes with the numbers of their
//! series and episodes, as the other answers give them, page by page; the queue's pause.

use serde_json::json;

use super::{make_key, series_ids, v3};
use crate::library::{add, library_app};
use crate::queue::{enqueue, ids};

#[tokio::test]
async fn a_queued_episode_is_in_the_queue_and_its_details_with_the_ids_of_its_series() {
    let (app, site, token) = library_app().await;
    add(&app, &site, &token, "attack-on-titan").await;
    let added = enqueue(
        &app,
        &token,
        "attack-on-titan",
        &[(1, 2), (1, 3), (2, 1)],
        "NORMAL",
    )
    .await;
    let item_ids = ids(&added);
    let (_, key) = make_key(&app, &token, &["read"]).await;
    let series = series_ids(&app, &key).await;
    let aot = *series.keys().next().unwrap();
    let missing = v3(&app, "/api/v3/wanted/missing?pageSize=100", &key).await;
    let episode_1_2 = missing["records"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["seasonNumber"] == 1 && r["episodeNumber"] == 2)
        .unwrap()["id"]
        .clone();

    let queue = v3(
        &app,
        "/api/v3/queue?includeSeries=true&includeEpisode=true",
        &key,
    )
    .await;
    assert_eq!(
        (queue["page"].clone(), queue["pageSize"].clone()),
        (json!(1), json!(10))
    );
    assert_eq!(queue["totalRecords"], 3);
    let first = &queue["records"][0];
    assert_eq!(first["seriesId"], aot);
    assert_eq!(first["episodeId"], episode_1_2);
    assert_eq!(first["downloadId"], item_ids[0].as_str());
    assert_eq!(first["title"], "Attack on Titan - S01E02");
    assert_eq!(
        (
            &first["status"],
            &first["trackedDownloadState"],
            &first["trackedDownloadStatus"]
        ),
        (&json!("queued"), &json!("downloading"), &json!("ok"))
    );
    assert_eq!(
        first["episode"],
        json!({ "id": episode_1_2, "seriesId": aot, "seasonNumber": 1, "episodeNumber": 2,
                "title": "Episode 2" })
    );
    let details = v3(&app, "/api/v3/queue/details", &key).await;
    assert_eq!(&details, &queue["records"], "the same records as an array");
    let second = v3(&app, "/api/v3/queue?page=2&pageSize=2", &key).await;
    assert_eq!(
        second["records"].as_array().unwrap(),
        &details.as_array().unwrap()[2..]
    );

    let r = app.post("/api/queue/pause", Some(&token), json!({})).await;
    assert_eq!(r.status(), 200);
    let paused = v3(&app, "/api/v3/queue/details", &key).await;
    assert!(
        paused
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["status"] == "paused"),
        "{paused}"
    );
}
