//! Every page with content on it, at 360 px (no horizontal scroll), 390×844 and 1280×800
//! (screenshots into the folder the test prints), with a series in the library and queue
//! items active, pending and failed.

use serde_json::{Value, json};

use crate::browser::{self, Browser};
use crate::scenery::{PASSWORD, dr_stone_site};
use crate::server::{Server, spawn_server};
use crate::support::eventually::eventually;
use crate::support::fake_site::{EmbedBehaviour, FakeHoster, FakeLink, FakeSeries};

/// The pages, each with a script that is truthy once it shows its content (the settings'
/// sections loaded when opened each by its link).
const PAGES: [(&str, &str, &str); 8] = [
    (
        "library",
        "/",
        "return document.body.dataset.ready === 'library' && !!document.querySelector('#series-list li[data-key]')",
    ),
    (
        "series",
        "/#series/dr-stone",
        "return !!document.getElementById('series-title')",
    ),
    (
        "queue",
        "/queue",
        "return document.body.dataset.ready === 'queue' && !!document.querySelector('#list-failed li[data-id]') && !!document.querySelector('#list-active progress')",
    ),
    (
        "settings",
        "/#settings",
        "return !!document.querySelector('#settings-form') && !!document.querySelector('#backup-list li')",
    ),
    (
        "settings-keys",
        "/#settings/keys",
        "return document.getElementById('settings-keys')?.dataset.ready === 'keys' && !!document.querySelector('#key-list li')",
    ),
    (
        "settings-connections",
        "/#settings/connections",
        "return document.getElementById('settings-connections')?.dataset.ready === 'connections' && !!document.querySelector('#conn-list li')",
    ),
    (
        "settings-arr",
        "/#settings/arr",
        "return document.getElementById('settings-arr')?.dataset.ready === 'arr' && !!document.getElementById('arr-homepage')",
    ),
    (
        "status",
        "/#status",
        "return !!document.querySelector('#status-body .panel')",
    ),
];

/// Makes the page's `GET /health/detailed` answer with a catalogue and two hosters.
const HEALTH_WITH_HOSTERS: &str = r#"
const real = window.fetch;
const failures = (c) => ({ layout: 0, challenge: c, http_status: 1, timeout: 0, other: 0 });
const body = {
  status: 'degraded', timestamp: new Date().toISOString(), version: '0.1.0', startup_time: new Date().toISOString(),
  dependencies: {
    database: { status: 'healthy', connection_time_ms: 0.4, message: 'Database connection successful' },
    catalogue: { status: 'healthy', attempts: 12, successes: 12, failures: failures(0), last_success: new Date().toISOString(), last_error: null, last_error_at: null },
    hosters: {
      VOE: { status: 'resting', attempts: 5, successes: 2, failures: failures(3), last_success: new Date().toISOString(),
        last_error: 'voe.sx asks for a browser challenge', last_error_at: new Date().toISOString(), resting: true, resting_seconds: 240 },
      Filemoon: { status: 'failing', attempts: 2, successes: 0, failures: failures(0), last_success: null,
        last_error: 'HTTP 404 (not found)', last_error_at: new Date().toISOString(), resting: false, resting_seconds: null },
    },
  },
};
window.fetch = (url, init) => String(url).startsWith('/health/detailed')
  ? Promise.resolve(new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/json' } }))
  : real(url, init);
return true;
"#;

pub(crate) async fn call(
    server: &Server,
    method: reqwest::Method,
    path: &str,
    token: Option<&str>,
    body: Value,
) -> Value {
    let mut req = reqwest::Client::new()
        .request(method, server.url(path))
        .json(&body);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let r = req.send().await.unwrap();
    let status = r.status();
    let text = r.text().await.unwrap();
    assert!(status.is_success(), "{path}: {status} {text}");
    serde_json::from_str(&text).unwrap_or(Value::Null)
}

async fn no_horizontal_scroll(b: &Browser, page: &str) {
    let fits = b
        .js("return [document.documentElement.scrollWidth, innerWidth]")
        .await;
    let (scroll, inner) = (fits[0].as_i64().unwrap(), fits[1].as_i64().unwrap());
    assert!(
        scroll <= inner,
        "{page} at 360 px scrolls sideways: scrollWidth {scroll} > innerWidth {inner}"
    );
}

#[tokio::test]
async fn every_page_fits_a_360_px_screen_and_is_photographed_at_phone_and_desktop_size() {
    if !crate::browser::available() {
        return;
    }
    let site = dr_stone_site().await;
    let mut broken = FakeSeries::new("kaguya-sama", "Kaguya-sama: Love is War").season(1, &[1]);
    if let Some(e) = broken.episode_mut(1, 1) {
        e.links = vec![FakeLink::new(FakeHoster::Vidoza, 1).embed(EmbedBehaviour::Gone)];
    }
    site.add_series(broken);
    let slow = site.links("dr-stone", 1, 1)[0].link.id;
    site.throttle_media(slow, 8 * 1024);
    let server = spawn_server(site.base_url()).await;
    let b = browser::open(390, 844).await;
    println!("screenshots: {}", browser::screenshot_dir().display());

    // before the password is set: /setup, then /login
    b.goto(&server.url("/setup")).await;
    b.until(
        "the setup form",
        "return !!document.getElementById('setup-form')",
    )
    .await;
    b.screenshot("setup-390x844").await;
    b.viewport(360, 800).await;
    no_horizontal_scroll(&b, "/setup").await;
    let dir = server.anime_dir.path().to_str().unwrap().to_owned();
    call(
        &server,
        reqwest::Method::POST,
        "/api/auth/setup",
        None,
        json!({ "master_password": PASSWORD, "anime_directory": dir }),
    )
    .await;
    b.goto(&server.url("/login")).await;
    b.until(
        "the login form",
        "return !!document.getElementById('login-form') && location.pathname === '/login'",
    )
    .await;
    no_horizontal_scroll(&b, "/login").await;
    b.viewport(390, 844).await;
    b.screenshot("login-390x844").await;

    // a library with a series, and a queue with an active, a pending and a failed item
    let login = call(
        &server,
        reqwest::Method::POST,
        "/api/auth/login",
        None,
        json!({ "password": PASSWORD }),
    )
    .await;
    let token = login["access_token"].as_str().unwrap().to_owned();
    let t = Some(token.as_str());
    call(
        &server,
        reqwest::Method::PUT,
        "/api/config",
        t,
        json!({ "downloads": { "retries": 0 } }),
    )
    .await;
    call(
        &server,
        reqwest::Method::POST,
        "/api/config/backups",
        t,
        json!({}),
    )
    .await;
    for (key, name) in [
        ("kaguya-sama", "Kaguya-sama: Love is War"),
        ("dr-stone", "Dr. Stone"),
    ] {
        let link = site.url(&format!("/anime/stream/{key}"));
        call(
            &server,
            reqwest::Method::POST,
            "/api/anime/add",
            t,
            json!({ "link": link, "name": name }),
        )
        .await;
    }
    call(&server, reqwest::Method::POST, "/api/queue/add", t, json!({ "serie_id": "kaguya-sama", "episodes": [{ "season": 1, "episode": 1 }], "priority": "HIGH" })).await;
    call(&server, reqwest::Method::POST, "/api/queue/add", t, json!({ "serie_id": "dr-stone", "episodes": [{ "season": 1, "episode": 1 }, { "season": 1, "episode": 2 }] })).await;
    call(
        &server,
        reqwest::Method::POST,
        "/api/queue/start",
        t,
        json!({}),
    )
    .await;
    let what = "the broken episode did not fail";
    eventually(browser::PATIENCE, what, async || {
        let s = call(
            &server,
            reqwest::Method::GET,
            "/api/queue/status",
            t,
            Value::Null,
        )
        .await;
        let failed = s["status"]["failed_downloads"]
            .as_array()
            .is_some_and(|f| !f.is_empty());
        if failed { Ok(()) } else { Err(s) }
    })
    .await;

    b.js_with(
        "sessionStorage.setItem('aniworld.token', JSON.stringify({ access_token: arguments[0], expires_at: arguments[1] })); return true",
        vec![json!(token), login["expires_at"].clone()],
    )
    .await;
    for (size, (w, h)) in [("390x844", (390, 844)), ("1280x800", (1280, 800))] {
        b.viewport(w, h).await;
        for (name, path, ready) in PAGES {
            b.goto("about:blank").await; // a fresh document for each page
            b.goto(&server.url(path)).await;
            b.until(&format!("{name} at {size}"), ready).await;
            b.screenshot(&format!("{name}-{size}")).await;
            if name.starts_with("settings") || name == "status" {
                b.screenshot_full(&format!("{name}-{size}-full"), w, h)
                    .await;
            }
        }
    }
    b.viewport(360, 800).await;
    for (name, path, ready) in PAGES {
        b.goto("about:blank").await;
        b.goto(&server.url(path)).await;
        b.until(&format!("{name} at 360 px"), ready).await;
        no_horizontal_scroll(&b, path).await;
        if name == "queue" {
            let failed = b.text("#list-failed").await;
            assert!(
                failed.contains("Vidoza"),
                "a failed item shows its error, naming the hoster: {failed}"
            );
        }
    }

    // hoster health as the server reports it (dependencies.hosters, CONTRACT.md section 7),
    // answered in the page, so the rendering is checked whether or not this server has it
    b.viewport(1280, 800).await;
    b.goto(&server.url("/")).await;
    b.until("the library", PAGES[0].2).await;
    b.js(HEALTH_WITH_HOSTERS).await;
    b.js("location.hash = 'status'; return true").await;
    b.until_text("#hosters", "Filemoon").await;
    let hosters = b.text("#hosters").await;
    for shown in [
        "VOE",
        "resting",
        "failing",
        "Challenge",
        "asks for a browser challenge",
        "Attempts",
    ] {
        assert!(hosters.contains(shown), "{shown:?} in {hosters}");
    }
    b.until_text("#status-body", "Catalogue").await;
    b.screenshot_full("status-hosters-1280x800", 1280, 800)
        .await;

    // the dark theme, as a system in dark mode shows it
    let dark = browser::open_with(1280, 800, &["--blink-settings=preferredColorScheme=0"]).await;
    dark.goto(&server.url("/login")).await;
    dark.js_with(
        "sessionStorage.setItem('aniworld.token', JSON.stringify({ access_token: arguments[0] })); return true",
        vec![json!(token)],
    )
    .await;
    for (name, path, ready) in [PAGES[0], PAGES[2]] {
        dark.goto("about:blank").await;
        dark.goto(&server.url(path)).await;
        dark.until(&format!("{name} in the dark"), ready).await;
        let background = dark
            .js("return getComputedStyle(document.documentElement).backgroundColor")
            .await;
        assert_eq!(
            background,
            json!("rgb(20, 23, 27)"),
            "the dark theme follows the system"
        );
        dark.screenshot(&format!("{name}-dark-1280x800")).await;
    }
}
