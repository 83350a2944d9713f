//! Queue, start, complete: byte-exact MP4 and (encrypted) HLS files under the names media
//! servers read, the library updated, and the API's answers.

use serde_json::{Value, json};

use super::*;
use crate::helpers::assert_error;
use crate::library::missing;
use crate::support::fake_site::FakeHoster;

#[tokio::test]
async fn an_hls_episode_is_downloaded_decrypted_and_named_for_media_servers() {
    let (app, site, token) = queue_app(&["VOE"]).await;
    let added = enqueue(&app, &token, "attack-on-titan", &[(1, 1)], "NORMAL").await;
    assert_eq!(added["status"], "success");
    assert_eq!(added["message"], "Added 1 episode(s) to download queue");
    assert_eq!(added["item_ids"], added["added_items"]);
    assert_eq!(added["failed_items"], json!([]));
    let id = ids(&added).remove(0);

    let pending = wait_for_item(&app, &token, &id, "pending").await;
    assert_eq!(pending["serie_id"], "attack-on-titan");
    assert_eq!(pending["serie_folder"], "Attack on Titan (2013)");
    assert_eq!(
        pending["episode"],
        json!({ "season": 1, "episode": 1, "title": "Episode 1" })
    );
    assert_eq!(
        (pending["priority"].clone(), pending["retry_count"].clone()),
        (json!("NORMAL"), json!(0))
    );
    for field in [
        "started_at",
        "completed_at",
        "progress",
        "error",
        "source_url",
    ] {
        assert!(pending[field].is_null(), "{field}: {pending}");
    }
    let before = status(&app, &token).await;
    assert_eq!(before["status"]["is_running"], false);

    command(&app, &token, "start").await;
    let done = wait_for_item(&app, &token, &id, "completed").await;
    let expected = "Attack on Titan (2013)/Season 01/Attack on Titan (2013) - S01E01.ts";
    assert_eq!(done["file"], expected);
    assert_eq!(done["hoster"], "VOE");
    assert_eq!(done["language"], "German Dub");
    assert_eq!(done["progress"]["percent"], 100.0);
    assert!(done["completed_at"].is_string() && done["started_at"].is_string());
    let link = site
        .links("attack-on-titan", 1, 1)
        .into_iter()
        .find(|l| l.link.hoster == FakeHoster::Voe && l.link.language == 1)
        .unwrap();
    let bytes = std::fs::read(library_file(&app, expected)).unwrap();
    assert!(
        bytes == link.expected_bytes(),
        "the file is the decrypted best variant, byte for byte"
    );
    assert!(part_files(&app).is_empty(), "no partial file is left");
    assert!(
        !missing(&app, "attack-on-titan")
            .await
            .contains(&"1-1".to_owned())
    );

    let s = status(&app, &token).await;
    let stats = &s["statistics"];
    assert_eq!(
        (
            stats["total_items"].clone(),
            stats["completed_count"].clone()
        ),
        (json!(1), json!(1))
    );
    let mb = bytes.len() as f64 / 1024.0 / 1024.0;
    assert!(
        (stats["total_downloaded_mb"].as_f64().unwrap() - mb).abs() < 0.01,
        "{stats}"
    );
}

#[tokio::test]
async fn an_mp4_episode_is_downloaded_byte_exact() {
    let (app, site, token) = queue_app(&["Vidoza"]).await;
    command(&app, &token, "start").await;
    let id = ids(&enqueue(&app, &token, "attack-on-titan", &[(2, 4)], "HIGH").await).remove(0);
    let done = wait_for_item(&app, &token, &id, "completed").await;
    let expected = "Attack on Titan (2013)/Season 02/Attack on Titan (2013) - S02E04.mp4";
    assert_eq!(done["file"], expected);
    let link = site
        .links("attack-on-titan", 2, 4)
        .into_iter()
        .find(|l| l.link.hoster == FakeHoster::Vidoza)
        .unwrap();
    assert!(std::fs::read(library_file(&app, expected)).unwrap() == link.expected_bytes());
    // The media request carried the embed page as Referer and a browser User-Agent.
    let headers = site
        .last_headers(&format!("/media/{}/video.mp4", link.link.id))
        .unwrap();
    let header = |n: &str| headers.iter().find(|(k, _)| k == n).map(|(_, v)| v.clone());
    assert_eq!(header("referer"), Some(link.embed_url()));
    assert!(header("user-agent").unwrap().starts_with("Mozilla/5.0"));
}

#[tokio::test]
async fn duplicates_and_episodes_the_catalogue_lacks_are_refused_one_by_one() {
    let (app, _site, token) = queue_app(&["VOE"]).await;
    let first = enqueue(&app, &token, "attack-on-titan", &[(1, 1)], "NORMAL").await;
    assert_eq!(ids(&first).len(), 1);
    let second = enqueue(
        &app,
        &token,
        "attack-on-titan",
        &[(1, 1), (1, 2), (1, 2), (9, 9)],
        "LOW",
    )
    .await;
    assert_eq!(ids(&second).len(), 1, "{second}");
    assert_eq!(second["message"], "Added 1 episode(s) to download queue");
    let failed: Vec<(u64, u64, String)> = second["failed_items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["season"].as_u64().unwrap(),
                f["episode"].as_u64().unwrap(),
                f["reason"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(failed.len(), 3, "{failed:?}");
    assert!(failed[0].2.contains("already in the queue"), "{failed:?}");
    assert!(failed[1].2.contains("listed twice"), "{failed:?}");
    assert!(failed[2].2.contains("does not list S09E09"), "{failed:?}");

    let unknown = app
        .post(
            "/api/queue/add",
            Some(&token),
            json!({ "serie_id": "no-such-series", "serie_folder": "X", "serie_name": "X", "episodes": [{ "season": 1, "episode": 1 }] }),
        )
        .await;
    assert_eq!(unknown.status(), 201);
    let body: Value = unknown.json().await.unwrap();
    assert_eq!(body["added_items"], json!([]));
    assert_eq!(body["failed_items"].as_array().unwrap().len(), 1, "{body}");
    assert_eq!(all_items(&status(&app, &token).await).len(), 2);
}

#[tokio::test]
async fn bad_requests_get_the_error_body_and_change_nothing() {
    let (app, _site, token) = queue_app(&["VOE"]).await;
    let bad_bodies = [
        json!({ "serie_id": "attack-on-titan", "episodes": [] }),
        json!({ "serie_id": "", "episodes": [{ "season": 1, "episode": 1 }] }),
        json!({ "serie_id": "attack-on-titan", "episodes": [{ "season": 1, "episode": 1 }], "priority": "URGENT" }),
        json!({ "serie_id": "attack-on-titan", "episodes": [{ "season": -1, "episode": 1 }] }),
    ];
    for body in bad_bodies {
        let r = app.post("/api/queue/add", Some(&token), body.clone()).await;
        assert_error(r, 422, "VALIDATION_ERROR").await;
    }
    let r = app
        .post(
            "/api/queue/reorder",
            Some(&token),
            json!({ "item_ids": ["not-a-uuid"] }),
        )
        .await;
    assert_error(r, 422, "VALIDATION_ERROR").await;
    let stranger = "0b9c5c3e-6f1d-4c57-9d2a-3e1f0e7c2b11";
    for (method, path, body) in [
        (Method::DELETE, format!("/api/queue/{stranger}"), None),
        (Method::DELETE, "/api/queue/nonsense".to_owned(), None),
        (
            Method::DELETE,
            "/api/queue".to_owned(),
            Some(json!({ "item_ids": [stranger] })),
        ),
        (
            Method::POST,
            "/api/queue/reorder".to_owned(),
            Some(json!({ "item_ids": [stranger] })),
        ),
        (
            Method::POST,
            "/api/queue/retry".to_owned(),
            Some(json!({ "item_ids": [stranger] })),
        ),
    ] {
        let r = app.request(method.clone(), &path, Some(&token), body).await;
        assert_error(r, 404, "NOT_FOUND_ERROR").await;
    }
    let r = app.get("/api/queue/status", None).await;
    assert_error(r, 401, "AUTHENTICATION_ERROR").await;
    assert!(all_items(&status(&app, &token).await).is_empty());
}

#[tokio::test]
async fn removing_and_clearing_answer_as_the_api_says() {
    let (app, _site, token) = queue_app(&["VOE"]).await;
    let added = ids(&enqueue(
        &app,
        &token,
        "attack-on-titan",
        &[(1, 1), (1, 3), (2, 1), (2, 2)],
        "NORMAL",
    )
    .await);
    let r = app
        .request(
            Method::DELETE,
            &format!("/api/queue/{}", added[0]),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(r.status(), 204);
    assert!(r.text().await.unwrap().is_empty());
    let r = app
        .request(
            Method::DELETE,
            "/api/queue",
            Some(&token),
            Some(json!({ "item_ids": [added[1]] })),
        )
        .await;
    assert_eq!(r.status(), 204);
    let r = app
        .request(Method::DELETE, "/api/queue/pending", Some(&token), None)
        .await;
    assert_eq!(r.status(), 200);
    let body: Value = r.json().await.unwrap();
    assert_eq!(
        body,
        json!({ "status": "success", "message": "Removed 2 pending item(s)", "count": 2 })
    );
    for section in ["completed", "failed"] {
        let r = app
            .request(
                Method::DELETE,
                &format!("/api/queue/{section}"),
                Some(&token),
                None,
            )
            .await;
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["count"], 0);
        assert_eq!(body["message"], format!("Cleared 0 {section} item(s)"));
    }
    assert!(all_items(&status(&app, &token).await).is_empty());
}

#[tokio::test]
async fn a_series_not_in_the_library_downloads_into_the_folder_the_request_names() {
    let (app, site, token) = queue_app(&["Vidoza"]).await;
    command(&app, &token, "start").await;
    let r = app
        .post(
            "/api/queue/add",
            Some(&token),
            json!({ "serie_id": "jojos-bizarre-adventure", "serie_folder": "JoJo", "serie_name": "JoJo's Bizarre Adventure", "episodes": [{ "season": 2, "episode": 2 }] }),
        )
        .await;
    assert_eq!(r.status(), 201);
    let id = ids(&r.json().await.unwrap()).remove(0);
    let done = wait_for_item(&app, &token, &id, "completed").await;
    assert_eq!(done["serie_folder"], "JoJo");
    assert_eq!(done["serie_name"], "JoJo's Bizarre Adventure");
    assert_eq!(done["file"], "JoJo/Season 02/JoJo - S02E02.mp4");
    let link = site
        .links("jojos-bizarre-adventure", 2, 2)
        .into_iter()
        .find(|l| l.link.hoster == FakeHoster::Vidoza)
        .unwrap();
    let bytes = std::fs::read(library_file(&app, "JoJo/Season 02/JoJo - S02E02.mp4")).unwrap();
    assert!(bytes == link.expected_bytes());
}

#[tokio::test]
async fn a_folder_name_cannot_lead_a_download_out_of_the_anime_directory() {
    let (app, _site, token) = queue_app(&["Vidoza"]).await;
    command(&app, &token, "start").await;
    let r = app
        .post(
            "/api/queue/add",
            Some(&token),
            json!({ "serie_id": "jojos-bizarre-adventure", "serie_folder": "../../escaped", "episodes": [{ "season": 1, "episode": 1 }] }),
        )
        .await;
    let id = ids(&r.json().await.unwrap()).remove(0);
    let done = wait_for_item(&app, &token, &id, "completed").await;
    let file = library_file(&app, done["file"].as_str().unwrap());
    let root = app.anime_path().canonicalize().unwrap();
    assert!(file.canonicalize().unwrap().starts_with(&root), "{file:?}");
    assert_eq!(done["serie_folder"], "escaped");
}
