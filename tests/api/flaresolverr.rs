//! Challenge pages with FlareSolverr configured (PROVIDER.md, "Challenge pages"): a hoster
//! behind bot protection is fetched through the (fake) solver once; its clearance cookie and
//! User-Agent are then sent on every later request to that host, the media included, so the
//! episode downloads byte-exact. A solver that cannot help leaves a challenge error that
//! says why.

use serde_json::json;

use crate::queue::{command, enqueue, ids, library_file, queue_app, set_downloads, wait_for_item};
use crate::support::fake_site::guard::{CLEARANCE_COOKIE, SOLVER_USER_AGENT};
use crate::support::fake_site::{FakeHoster, FakeLink};
use crate::support::flaresolverr::FakeSolver;

const KEY: &str = "attack-on-titan";

async fn set_solver(app: &crate::helpers::TestApp, token: &str, url: &str) {
    let r = app
        .request(
            reqwest::Method::PUT,
            "/api/config",
            Some(token),
            Some(json!({ "provider": { "flaresolverr_url": url } })),
        )
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
}

#[tokio::test]
async fn a_challenged_voe_downloads_through_flaresolverr_and_its_clearance_is_reused() {
    let (app, site, token) = queue_app(&["VOE"]).await;
    site.edit_series(KEY, |s| {
        s.episode_mut(1, 3).unwrap().links = vec![FakeLink::new(FakeHoster::Voe, 1)];
    });
    let link = site.links(KEY, 1, 3).remove(0);
    let id = link.link.id;
    site.guard("/hoster/voe/");
    site.guard(&format!("/media/{id}/"));
    let solver = FakeSolver::spawn().await;
    set_solver(&app, &token, &solver.url).await;

    command(&app, &token, "start").await;
    let item = ids(&enqueue(&app, &token, KEY, &[(1, 3)], "NORMAL").await).remove(0);
    let done = wait_for_item(&app, &token, &item, "completed").await;
    assert_eq!(done["hoster"], "VOE", "{done}");
    let bytes = std::fs::read(library_file(&app, done["file"].as_str().unwrap())).unwrap();
    assert!(bytes == link.expected_bytes(), "byte-exact download");

    let asked = solver.asked();
    assert_eq!(
        asked.len(),
        1,
        "one solve, then the clearance is reused: {asked:?}"
    );
    assert!(asked[0].contains("/hoster/voe/"), "{asked:?}");
    let media: Vec<String> = site
        .request_log()
        .into_iter()
        .map(|(path, _)| path)
        .filter(|p| p.starts_with(&format!("/media/{id}/")))
        .collect();
    assert!(!media.is_empty(), "media fetched: {:?}", site.request_log());
    for path in &media {
        let headers = site.last_headers(path).unwrap();
        let header = |name: &str| {
            headers
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        };
        assert_eq!(header("user-agent"), SOLVER_USER_AGENT, "{path}");
        assert!(
            header("cookie").contains(CLEARANCE_COOKIE),
            "{path}: {headers:?}"
        );
    }
}

#[tokio::test]
async fn a_flaresolverr_that_cannot_be_reached_leaves_a_challenge_error_saying_so() {
    let (app, site, token) = queue_app(&["VOE"]).await;
    site.edit_series(KEY, |s| {
        s.episode_mut(1, 3).unwrap().links = vec![FakeLink::new(FakeHoster::Voe, 1)];
    });
    site.guard("/hoster/voe/");
    // A port nothing listens on.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    set_solver(&app, &token, &url).await;
    set_downloads(&app, &token, json!({ "retries": 0 })).await;

    command(&app, &token, "start").await;
    let item = ids(&enqueue(&app, &token, KEY, &[(1, 3)], "NORMAL").await).remove(0);
    let failed = wait_for_item(&app, &token, &item, "failed").await;
    let error = failed["error"].as_str().unwrap();
    assert!(error.contains("asks for a browser challenge"), "{error}");
    assert!(error.contains("FlareSolverr unreachable"), "{error}");
}
