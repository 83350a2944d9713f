//! The qBittorrent WebAPI v2 (`/api/v2/`) as Sonarr drives it: login with a `download` key,
//! add a magnet from the Torznab feed, follow `torrents/info` to `pausedUP` with the file at
//! `content_path` (in the `arr` folder, not the library, the library's episode still
//! missing), categories, delete with and without files; unknown magnets, bad and revoked
//! keys refused.

use std::path::PathBuf;
use std::time::Duration;

use reqwest::Response;
use serde_json::{Value, json};

use super::{arr_app, make_key, revoke, sonarr_reads, torznab};
use crate::helpers::TestApp;
use crate::library::{add, missing};
use crate::queue::{all_items, command, enqueue, set_downloads, status};
use crate::support::eventually::eventually;
use crate::support::fake_site::FakeHoster;

/// A qBittorrent client's session: its `SID` cookie.
struct Qbit<'a> {
    app: &'a TestApp,
    sid: String,
}

/// Logs in with `password`; answers the body and the `SID` cookie, if one was set.
async fn login(app: &TestApp, password: &str) -> (String, Option<String>) {
    let r = app
        .client
        .post(format!("{}/api/v2/auth/login", app.base))
        .form(&[("username", "admin"), ("password", password)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let sid = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|c| c.strip_prefix("SID="))
        .map(|c| c.split(';').next().unwrap().to_owned());
    (r.text().await.unwrap(), sid)
}

impl<'a> Qbit<'a> {
    async fn new(app: &'a TestApp, key: &str) -> Self {
        let (body, sid) = login(app, key).await;
        assert_eq!(body, "Ok.");
        Self {
            app,
            sid: sid.expect("a SID cookie"),
        }
    }

    /// POSTs a form, as qbittorrent-api does.
    async fn post(&self, path: &str, form: &[(&str, &str)]) -> Response {
        self.app
            .client
            .post(format!("{}/api/v2/{path}", self.app.base))
            .header("Cookie", format!("SID={}", self.sid))
            .form(form)
            .send()
            .await
            .unwrap()
    }

    /// GETs with a query, as Sonarr does.
    async fn get(&self, path_and_query: &str) -> Response {
        self.app
            .client
            .get(format!("{}/api/v2/{path_and_query}", self.app.base))
            .header("Cookie", format!("SID={}", self.sid))
            .send()
            .await
            .unwrap()
    }

    async fn info(&self) -> Vec<Value> {
        let r = self.get("torrents/info").await;
        assert_eq!(r.status(), 200);
        r.json().await.unwrap()
    }
}

/// The magnet the feed offers for one episode of Attack on Titan in German Dub.
async fn magnet(app: &TestApp, key: &str, season: u32, episode: u32) -> String {
    let query =
        format!("t=tvsearch&q=Attack%20on%20Titan&season={season}&ep={episode}&apikey={key}");
    sonarr_reads(&torznab(app, &query).await.2)
        .into_iter()
        .find(|i| i.title.contains(".German.DL."))
        .expect("a German Dub release")
        .magnet
}

/// Waits until the torrent with `hash` is in `state`; answers it.
async fn wait_for_state(qbit: &Qbit<'_>, hash: &str, state: &str) -> Value {
    eventually(
        Duration::from_secs(30),
        &format!("{hash} should be {state}"),
        async || {
            let found = qbit.info().await.into_iter().find(|t| t["hash"] == hash);
            match found {
                Some(t) if t["state"] == state => Some(t),
                Some(t) => {
                    assert_ne!(t["state"], "error", "{t}");
                    None
                }
                None => None,
            }
        },
    )
    .await
}

#[tokio::test]
async fn a_magnet_from_the_feed_downloads_to_the_arr_folder_for_sonarr_to_import() {
    let (app, site, token, (_, key)) = arr_app().await;
    add(&app, &site, &token, "attack-on-titan").await;
    set_downloads(&app, &token, json!({ "preferred_hosters": ["Vidoza"] })).await;
    let qbit = Qbit::new(&app, &key).await;
    let magnet = magnet(&app, &key, 2, 4).await;
    let r = qbit
        .post(
            "torrents/add",
            &[
                ("urls", &magnet),
                ("category", "tv-sonarr"),
                ("paused", "false"),
            ],
        )
        .await;
    assert_eq!(r.text().await.unwrap(), "Ok.");

    let queued = all_items(&status(&app, &token).await);
    assert_eq!(queued.len(), 1);
    assert_eq!(queued[0]["origin"], "arr", "{}", queued[0]);
    let title = "Attack.on.Titan.S02E04.German.DL.WEB.h264-ANIWORLD";
    assert_eq!(queued[0]["release"], title);
    let listed = qbit.info().await;
    let hash = listed[0]["hash"].as_str().unwrap().to_owned();
    assert!(magnet.contains(&hash));
    assert_eq!(listed[0]["state"], "pausedDL", "the queue is stopped");
    assert_eq!(listed[0]["category"], "tv-sonarr");

    command(&app, &token, "start").await;
    let done = wait_for_state(&qbit, &hash, "pausedUP").await;
    assert_eq!(done["progress"], 1.0);
    assert_eq!(done["name"], title);
    let save_path = PathBuf::from(done["save_path"].as_str().unwrap());
    assert_eq!(save_path, app.data_dir.path().join("arr-downloads"));
    let content = PathBuf::from(done["content_path"].as_str().unwrap());
    assert_eq!(content, save_path.join(title).join(format!("{title}.mp4")));
    assert_ne!(
        content, save_path,
        "Sonarr refuses a download in the root folder"
    );
    let link = site
        .links("attack-on-titan", 2, 4)
        .into_iter()
        .find(|l| l.link.hoster == FakeHoster::Vidoza && l.link.language == 1)
        .unwrap();
    assert!(
        std::fs::read(&content).unwrap() == link.expected_bytes(),
        "byte-exact"
    );
    assert_eq!(done["size"], link.expected_bytes().len());
    assert!(done["completion_on"].as_i64().unwrap() >= done["added_on"].as_i64().unwrap());

    // Not in the library: Sonarr imports it, and the episode stays missing here.
    assert!(
        missing(&app, "attack-on-titan")
            .await
            .contains(&"2-4".to_owned())
    );
    let in_library = walkdir::WalkDir::new(app.anime_path())
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .count();
    assert_eq!(in_library, 1, "only the series' sidecar is in the library");

    // The library's own downloads are not torrents.
    enqueue(&app, &token, "attack-on-titan", &[(1, 3)], "HIGH").await;
    assert_eq!(qbit.info().await.len(), 1);

    let mut counts = Vec::new();
    for filter in ["completed", "downloading", "errored"] {
        let r = qbit.get(&format!("torrents/info?filter={filter}")).await;
        counts.push(r.json::<Vec<Value>>().await.unwrap().len());
    }
    assert_eq!(counts, [1, 0, 0], "qBittorrent's filters");
    let files: Value = qbit
        .get(&format!("torrents/files?hash={hash}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(files[0]["name"], format!("{title}/{title}.mp4"));
    let props: Value = qbit
        .post("torrents/properties", &[("hash", &hash)])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(props["save_path"], done["save_path"]);

    let r = qbit
        .post(
            "torrents/delete",
            &[("hashes", &hash), ("deleteFiles", "true")],
        )
        .await;
    assert_eq!(r.status(), 200);
    assert!(
        !content.exists() && !save_path.join(title).exists(),
        "file and folder deleted"
    );
    assert!(qbit.info().await.is_empty());
    let left = all_items(&status(&app, &token).await);
    assert!(left.iter().all(|i| i["origin"] != "arr"), "{left:?}");
}

#[tokio::test]
async fn deleting_without_files_keeps_the_file_and_categories_are_kept() {
    let (app, _site, token, (_, key)) = arr_app().await;
    set_downloads(&app, &token, json!({ "preferred_hosters": ["Vidoza"] })).await;
    let qbit = Qbit::new(&app, &key).await;
    let r = qbit
        .post(
            "torrents/createCategory",
            &[("category", "anime"), ("savePath", "")],
        )
        .await;
    assert_eq!(r.status(), 200);
    let categories: Value = qbit.get("torrents/categories").await.json().await.unwrap();
    assert_eq!(
        categories,
        json!({ "anime": { "name": "anime", "savePath": "" } })
    );

    let magnet = magnet(&app, &key, 2, 4).await;
    assert_eq!(
        qbit.post("torrents/add", &[("urls", &magnet), ("category", "anime")])
            .await
            .text()
            .await
            .unwrap(),
        "Ok."
    );
    // Added again: still one.
    assert_eq!(
        qbit.post("torrents/add", &[("urls", &magnet)])
            .await
            .text()
            .await
            .unwrap(),
        "Ok."
    );
    let hash = qbit.info().await[0]["hash"].as_str().unwrap().to_owned();
    assert_eq!(qbit.info().await.len(), 1);
    assert_eq!(
        qbit.get("torrents/info?category=other")
            .await
            .json::<Vec<Value>>()
            .await
            .unwrap()
            .len(),
        0
    );
    let r = qbit
        .post(
            "torrents/setCategory",
            &[("hashes", &hash), ("category", "nope")],
        )
        .await;
    assert_eq!(r.status(), 409);
    let r = qbit
        .post("torrents/createCategory", &[("category", "tv-sonarr")])
        .await;
    assert_eq!(r.status(), 200);
    let r = qbit
        .post(
            "torrents/setCategory",
            &[("hashes", &hash), ("category", "tv-sonarr")],
        )
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(qbit.info().await[0]["category"], "tv-sonarr");

    command(&app, &token, "start").await;
    let done = wait_for_state(&qbit, &hash, "pausedUP").await;
    let content = PathBuf::from(done["content_path"].as_str().unwrap());
    let r = qbit
        .get(&format!("torrents/delete?hashes={hash}&deleteFiles=false"))
        .await;
    assert_eq!(r.status(), 200);
    assert!(qbit.info().await.is_empty());
    assert!(content.is_file(), "the file stays without deleteFiles");
}

#[tokio::test]
async fn only_magnets_this_server_offered_are_added() {
    let (app, _site, token, (_, key)) = arr_app().await;
    let qbit = Qbit::new(&app, &key).await;
    for urls in [
        format!("magnet:?xt=urn:btih:{}&dn=Other.S01E01", "ab".repeat(20)),
        "magnet:?xt=urn:btih:CQWZ2JYQ3XKYHGCKZOB4AQTUPHOQWHXK".to_owned(),
        "https://example.org/file.torrent".to_owned(),
        String::new(),
    ] {
        let r = qbit.post("torrents/add", &[("urls", &urls)]).await;
        assert_eq!(r.text().await.unwrap(), "Fails.", "{urls}");
    }
    assert!(
        all_items(&status(&app, &token).await).is_empty(),
        "nothing queued"
    );
}

#[tokio::test]
async fn bad_read_and_revoked_keys_are_refused() {
    let (app, _site, token, (key_id, key)) = arr_app().await;
    let r = app.get("/api/v2/app/webapiVersion", None).await;
    assert_eq!(r.text().await.unwrap(), "2.9.3", "asked before logging in");
    let r = app.get("/api/v2/torrents/info", None).await;
    assert_eq!(r.status(), 403);
    assert_eq!(
        login(&app, "0123456789abcdef0123456789abcdef").await,
        ("Fails.".into(), None)
    );
    let (_, read) = make_key(&app, &token, "Homepage", &["read"]).await;
    assert_eq!(
        login(&app, &read).await,
        ("Fails.".into(), None),
        "a read key may not download"
    );

    let qbit = Qbit::new(&app, &key).await;
    assert_eq!(
        qbit.get("app/version").await.text().await.unwrap(),
        "v4.6.7"
    );
    let prefs: Value = qbit.get("app/preferences").await.json().await.unwrap();
    assert_eq!(
        (
            &prefs["queueing_enabled"],
            &prefs["max_ratio_enabled"],
            &prefs["dht"]
        ),
        (&json!(false), &json!(false), &json!(true))
    );
    assert_eq!(qbit.get("torrents/info").await.status(), 200);
    revoke(&app, &token, &key_id).await;
    assert_eq!(
        qbit.get("torrents/info").await.status(),
        403,
        "revoked at once"
    );
    assert_eq!(qbit.post("torrents/info", &[]).await.status(), 403);
}
