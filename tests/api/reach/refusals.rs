//! A catalogue that refuses the product (PROVIDER.md, "Looking like a browser, and being
//! refused"). Every fake catalogue refuses requests without Chrome's headers (the whole suite
//! runs that way); here it also refuses everyone without a solver's clearance cookie.

use std::time::Instant;

use serde_json::Value;

use super::{search_names, set_provider};
use crate::helpers::{TestOptions, assert_error, spawn_app_with};
use crate::library::{add, library_app};
use crate::queue::{command, enqueue, ids, library_file, set_downloads, wait_for_item};
use crate::support::fake_site::guard::{CLEARANCE_COOKIE, SOLVER_USER_AGENT};
use crate::support::fake_site::{FakeHoster, FakeLink, FakeSite, SEARCH_PATH};
use crate::support::flaresolverr::FakeSolver;

#[tokio::test]
async fn the_fake_catalogue_refuses_a_plain_client_and_lets_the_product_in() {
    let site = FakeSite::standard().await;
    let plain = reqwest::get(site.url("/anime/stream/attack-on-titan"))
        .await
        .unwrap();
    assert_eq!(plain.status(), 403, "a client without Chrome's headers");
    assert!(!plain.text().await.unwrap().contains("Just a moment"));

    let app = spawn_app_with(TestOptions {
        provider_url: site.base_url().to_owned(),
        ..TestOptions::default()
    })
    .await;
    assert_eq!(
        search_names(&app, "titan").await,
        ["Attack on Titan", "Attack on Titan: Junior High"]
    );
    let headers = site.last_headers(SEARCH_PATH).unwrap();
    let header = |name: &str| {
        headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    assert_eq!(header("x-requested-with"), "XMLHttpRequest");
    assert_eq!(header("sec-fetch-mode"), "cors");
    assert_eq!(header("sec-fetch-dest"), "empty");
    assert_eq!(header("sec-fetch-site"), "same-origin");
    assert_eq!(header("origin"), site.base_url());
    assert!(
        header("accept-language").starts_with("de-DE"),
        "{headers:?}"
    );
    assert!(header("user-agent").contains("Chrome/156."), "{headers:?}");
    assert!(
        header("sec-ch-ua").contains("\"Chromium\";v=\"156\""),
        "{headers:?}"
    );
}

#[tokio::test]
async fn without_flaresolverr_a_refusal_is_named_with_its_remedy_and_not_retried() {
    let (app, site, token) = library_app().await;
    site.refuse_uncleared();
    let r = app.get("/api/anime/search?query=titan", None).await;
    let body = assert_error(r, 502, "UPSTREAM_ERROR").await;
    let message = body["message"].as_str().unwrap();
    assert!(
        message.contains("127.0.0.1 refused the request (HTTP 403)"),
        "{message}"
    );
    assert!(message.contains("FlareSolverr"), "{message}");
    assert_eq!(site.requests(SEARCH_PATH), 1, "a 403 is not retried");

    let link = site.url("/anime/stream/attack-on-titan");
    let r = app
        .post(
            "/api/anime/add",
            Some(&token),
            serde_json::json!({ "link": link }),
        )
        .await;
    let body = assert_error(r, 502, "UPSTREAM_ERROR").await;
    assert!(
        body["message"].as_str().unwrap().contains("refused"),
        "{body}"
    );

    let health: Value = app
        .get("/health/detailed", None)
        .await
        .json()
        .await
        .unwrap();
    let catalogue = &health["dependencies"]["catalogue"];
    assert_eq!(catalogue["refused"], true, "{catalogue}");
    assert_eq!(catalogue["site"], "aniworld.to");
    assert!(
        catalogue["remedy"]
            .as_str()
            .unwrap()
            .contains("provider.flaresolverr_url"),
        "{catalogue}"
    );
    assert!(catalogue["failures"]["refused"].as_u64().unwrap() >= 1);
    assert!(
        catalogue["last_error"]
            .as_str()
            .unwrap()
            .contains("refused the request"),
        "{catalogue}"
    );
    let identity = &health["dependencies"]["identity"];
    assert!(
        identity["user_agent"]
            .as_str()
            .unwrap()
            .contains("Chrome/156")
    );
    assert_eq!(identity["tls"], "BoringSSL as Chrome 156");
}

#[tokio::test]
async fn with_flaresolverr_search_add_and_download_work_and_the_cookie_is_solved_once() {
    let (app, site, token) = library_app().await;
    site.refuse_uncleared();
    let solver = FakeSolver::spawn().await;
    set_provider(
        &app,
        &token,
        serde_json::json!({ "flaresolverr_url": solver.url }),
    )
    .await;

    let started = Instant::now();
    let names = search_names(&app, "titan").await;
    let through_solver = started.elapsed();
    assert_eq!(names, ["Attack on Titan", "Attack on Titan: Junior High"]);
    let started = Instant::now();
    assert_eq!(search_names(&app, "bizarre").await.len(), 1);
    let plain = started.elapsed();
    println!(
        "search through a refusal and FlareSolverr: {through_solver:?}; with its cookie: {plain:?}"
    );

    site.edit_series("attack-on-titan", |s| {
        s.episode_mut(1, 3).unwrap().links = vec![FakeLink::new(FakeHoster::Voe, 1)];
    });
    let link = site.links("attack-on-titan", 1, 3).remove(0);
    add(&app, &site, &token, "attack-on-titan").await;
    set_downloads(
        &app,
        &token,
        serde_json::json!({ "preferred_hosters": ["VOE"] }),
    )
    .await;
    command(&app, &token, "start").await;
    let item = ids(&enqueue(&app, &token, "attack-on-titan", &[(1, 3)], "NORMAL").await).remove(0);
    let done = wait_for_item(&app, &token, &item, "completed").await;
    assert_eq!(done["hoster"], "VOE", "{done}");
    let bytes = std::fs::read(library_file(&app, done["file"].as_str().unwrap())).unwrap();
    assert!(bytes == link.expected_bytes(), "byte-exact download");

    assert_eq!(solver.asked().len(), 1, "solved once: {:?}", solver.asked());
    for path in [
        "/anime/stream/attack-on-titan".to_owned(),
        format!("/redirect/{}", link.link.id),
    ] {
        let headers = site.last_headers(&path).unwrap();
        let get = |name: &str| {
            headers
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        };
        assert!(
            get("cookie").contains(CLEARANCE_COOKIE),
            "{path}: {headers:?}"
        );
        assert_eq!(get("user-agent"), SOLVER_USER_AGENT, "{path}");
        assert!(
            get("sec-ch-ua").contains("v=\"142\""),
            "hints follow the solver's UA: {headers:?}"
        );
    }
}
