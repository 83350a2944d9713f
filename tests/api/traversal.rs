//! No request reads or writes outside the data and anime dirs (CONTRACT.md section 6,
//! issue 11): series names with `../`, NUL or a device name Windows reserves become plain
//! folder names inside the library; path parameters that try to climb out are refused with
//! the error body and touch nothing.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{TestApp, assert_error};
use crate::library::library_app;

/// Every entry under `dir`, relative, sorted.
fn tree(dir: &std::path::Path) -> Vec<String> {
    let mut found: Vec<String> = walk(dir)
        .into_iter()
        .map(|p| p.strip_prefix(dir).unwrap().display().to_string())
        .collect();
    found.sort();
    found
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        }
        out.push(path);
    }
    out
}

async fn add_named(app: &TestApp, token: &str, key: &str, name: &str) -> reqwest::Response {
    let link = format!("{}/anime/stream/{key}", app.options.provider_url);
    app.post(
        "/api/anime/add",
        Some(token),
        json!({ "link": link, "name": name }),
    )
    .await
}

#[tokio::test]
async fn series_names_that_climb_or_are_devices_become_folders_inside_the_library() {
    let (app, _site, token) = library_app().await;
    // Where a climbing name would land, next to the library (a shared temp folder, so only
    // these names are looked at).
    let outside = app.anime_path().parent().unwrap().to_path_buf();
    let escapes = [outside.join("etc"), outside.join("x")];
    let before: Vec<bool> = escapes.iter().map(|p| p.exists()).collect();
    for (key, name, folder) in [
        ("attack-on-titan", "../../etc", "etc"),
        (
            "kaguya-sama-love-is-war",
            "Kaguya\u{0}/../../x",
            "Kaguya ....x",
        ),
        ("jojos-bizarre-adventure", "CON", "CON_"),
    ] {
        let r = add_named(&app, &token, key, name).await;
        assert_eq!(r.status(), 200, "{name:?}: {}", r.text().await.unwrap());
        let added: Value = r.json().await.unwrap();
        let made = added["folder"].as_str().unwrap();
        assert!(made.starts_with(folder), "{name:?} became {made:?}");
        assert!(!made.contains('/') && !made.contains('\0'), "{made:?}");
        assert!(
            app.anime_path().join(made).is_dir(),
            "{made:?} inside the library"
        );
    }
    assert_error(
        add_named(&app, &token, "attack-on-titan-junior-high", "..").await,
        422,
        "VALIDATION_ERROR",
    )
    .await;
    let after: Vec<bool> = escapes.iter().map(|p| p.exists()).collect();
    assert_eq!(after, before, "nothing was made next to the library");
    let folders: Vec<String> = tree(&app.anime_path())
        .into_iter()
        .filter(|p| !p.contains('/'))
        .collect();
    assert_eq!(folders.len(), 3, "{folders:?}");
}

#[tokio::test]
async fn path_parameters_that_climb_out_are_refused_and_touch_nothing() {
    let (app, _site, token) = library_app().await;
    let data_before = tree(app.data_dir.path());
    // (`%2e%2e` alone is left out: the URL parser of the client resolves it as `..` before
    // sending; curl sends it as it is and the server answers 400 / 404 as below.)
    for id in ["..%2F..%2Fetc%2Fpasswd", "..%5Cconfig.json", "a%00b"] {
        let r = app.get(&format!("/api/anime/{id}"), None).await;
        assert_error(r, 404, "NOT_FOUND_ERROR").await;
        let r = app
            .request(
                Method::PATCH,
                &format!("/api/anime/{id}"),
                Some(&token),
                Some(json!({ "upgrade": true })),
            )
            .await;
        assert_error(r, 404, "NOT_FOUND_ERROR").await;
    }
    for name in [
        "..%2Fconfig.json",
        "..%2F..%2Fetc%2Fpasswd",
        "x%00.json",
        "..%5Caniworld.redb",
    ] {
        let r = app
            .request(
                Method::DELETE,
                &format!("/api/config/backups/{name}"),
                Some(&token),
                None,
            )
            .await;
        assert_error(r, 400, "BAD_REQUEST").await;
        let r = app
            .post(
                &format!("/api/config/backups/{name}/restore"),
                Some(&token),
                json!(null),
            )
            .await;
        assert_error(r, 400, "BAD_REQUEST").await;
    }
    let r = app
        .request(
            Method::DELETE,
            "/api/queue/..%2F..%2Fetc",
            Some(&token),
            None,
        )
        .await;
    assert!(
        [404, 422].contains(&r.status().as_u16()),
        "a non-UUID item id: {}",
        r.status()
    );
    assert_eq!(
        tree(app.data_dir.path()),
        data_before,
        "the data dir is untouched"
    );
}
