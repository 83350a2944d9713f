//! API keys in the settings: a section loaded when opened (closed at first, its panel not in the
//! page), the empty state, a key made with the read scope (its secret shown once, and real: it
//! reads the library and may not change the configuration), the list with its name, scope and
//! "never" for expiry, the section kept open in another language with the secret and what was
//! typed, a key without a scope refused below the scopes, revoking after "Revoke? Yes / No" (No
//! keeps it), and the revoked key refused.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::browser::{self, Browser};
use crate::i18n_scan::catalogue_of;
use crate::layout::call;
use crate::scenery::{PASSWORD, api_get};
use crate::server::{Server, spawn_server};

const EMPTY: &str = "No API keys yet. Programs such as Sonarr, Prowlarr or a dashboard use one instead of your password.";

/// The status of `method path` sent with `X-Api-Key: key`.
async fn with_key(server: &Server, method: Method, path: &str, key: &str) -> StatusCode {
    reqwest::Client::new()
        .request(method, server.url(path))
        .header("X-Api-Key", key)
        .json(&json!({}))
        .send()
        .await
        .expect("the server answers")
        .status()
}

/// Each listed key as `[name, its line of scopes and dates]`.
async fn listed(b: &Browser) -> Value {
    b.js("return [...document.querySelectorAll('#key-list li[data-id]')].map((li) => [li.querySelector('strong').innerText, li.querySelector('.meta').innerText])")
        .await
}

#[tokio::test]
async fn a_key_made_in_the_settings_is_shown_once_works_within_its_scope_and_stops_when_revoked() {
    if !crate::browser::available() {
        return;
    }
    let server = spawn_server("http://127.0.0.1:9").await;
    let dir = server.anime_dir.path().to_str().unwrap().to_owned();
    let setup = json!({ "master_password": PASSWORD, "anime_directory": dir });
    call(&server, Method::POST, "/api/auth/setup", None, setup).await;
    let b = browser::open(1280, 800).await;
    println!("screenshots: {}", browser::screenshot_dir().display());
    b.goto(&server.url("/login")).await;
    b.type_into("#password", PASSWORD).await;
    b.click("#login-submit").await;
    b.until_path("/").await;
    b.click(".bar nav a[href='/#settings']").await;
    b.until(
        "the settings",
        "return document.body.dataset.ready === 'settings'",
    )
    .await;

    // the section is closed, its panel not loaded; opening it loads the panel
    let closed = b
        .js("const s = document.getElementById('settings-keys'); return [s.open, s.querySelector('summary').innerText, !!document.getElementById('key-form'), performance.getEntriesByType('resource').some((r) => r.name.endsWith('/keys.js'))]")
        .await;
    assert_eq!(closed, json!([false, "API keys", false, false]));
    b.click("#settings-keys > summary").await;
    b.until(
        "the keys panel",
        "return document.getElementById('settings-keys').dataset.ready === 'keys'",
    )
    .await;

    // no keys yet
    b.until_text("#key-list li.empty", EMPTY).await;
    assert_eq!(b.text("#key-secret").await, "", "no secret shown");

    // a key for reading: its secret is shown once, 32 hex digits
    b.type_into("#key-name", "Homepage").await;
    b.click("#key-scope-read").await;
    b.click("#key-create").await;
    let key = b
        .until(
            "the new key's secret",
            "const e = document.getElementById('key-secret-value'); return !!e && /^[0-9a-f]{32}$/.test(e.innerText) && e.innerText",
        )
        .await;
    let key = key.as_str().expect("the secret as text").to_owned();
    let warning = b.text("#key-secret").await;
    assert!(
        warning.contains("Copy it now: it will not be shown again"),
        "{warning}"
    );
    assert_eq!(
        b.text("#key-secret button").await,
        "Copy",
        "a Copy button beside it"
    );

    // the key is real: it reads the library, and may not change the configuration
    assert_eq!(
        with_key(&server, Method::GET, "/api/anime", &key).await,
        StatusCode::OK
    );
    assert_eq!(
        with_key(&server, Method::PUT, "/api/config", &key).await,
        StatusCode::FORBIDDEN
    );

    // listed with its scope and no expiry; the form is empty again
    b.until_text("#key-list li[data-id] strong", "Homepage")
        .await;
    let keys = listed(&b).await;
    let rows = keys.as_array().expect("a list");
    assert_eq!(rows.len(), 1, "{keys}");
    let line = rows[0][1].as_str().unwrap_or_default();
    assert!(
        line.contains("Scopes: read ·") && line.contains("expires never"),
        "{line}"
    );
    let form = b
        .js("return [document.getElementById('key-name').value, document.getElementById('key-scope-read').checked]")
        .await;
    assert_eq!(form, json!(["", false]));
    b.screenshot("keys-made-1280x800").await;
    b.viewport(360, 800).await;
    let fits = b
        .js("return document.documentElement.scrollWidth <= innerWidth")
        .await;
    assert_eq!(fits, json!(true), "the panel fits 360 px");
    b.screenshot_full("keys-made-360", 360, 800).await;
    b.viewport(1280, 800).await;

    // another language: the section stays open, built again in German, with the secret and
    // what was typed but not sent
    let de = catalogue_of("de");
    b.type_into("#key-name", "Dashboard").await;
    b.click("#key-scope-download").await;
    b.js("const s = document.getElementById('lang'); s.value = 'de'; s.dispatchEvent(new Event('change')); return true").await;
    b.until_text("#settings-keys summary", &de["settings.keys_heading"])
        .await;
    b.until_text("#key-create", &de["keys.create"]).await;
    let german = b
        .js("return [document.getElementById('settings-keys').open, document.getElementById('key-secret-value')?.innerText, document.getElementById('key-name').value, document.getElementById('key-scope-download').checked, document.querySelector('#key-list li[data-id] .meta')?.innerText]")
        .await;
    assert_eq!(german[0], json!(true), "{german}");
    assert_eq!(german[1], json!(key), "{german}");
    assert_eq!(german[2], json!("Dashboard"), "{german}");
    assert_eq!(german[3], json!(true), "{german}");
    let scopes = de["keys.meta"].replace("{scopes}", "read");
    let scopes = scopes.split(" · ").next().unwrap();
    assert!(
        german[4].as_str().unwrap_or_default().starts_with(scopes),
        "{german}"
    );
    b.screenshot("keys-made-de-1280x800").await;
    b.js("const s = document.getElementById('lang'); s.value = 'en'; s.dispatchEvent(new Event('change')); return true").await;
    b.until_text("#key-create", "Create key").await;
    b.until_text("#key-secret", "Copy it now").await;
    b.click("#key-scope-download").await;

    // no scope ticked: the server's refusal shows below the scopes, and nothing is made
    b.type_into("#key-name", "Nothing").await;
    b.click("#key-create").await;
    b.until_text(
        "#key-scopes-error",
        "Name one or more of read, download, admin",
    )
    .await;
    let invalid = b
        .js("return document.getElementById('key-scopes').getAttribute('aria-invalid')")
        .await;
    assert_eq!(invalid, json!("true"));
    assert_eq!(b.text("#key-name-error").await, "");
    b.screenshot("keys-no-scope-1280x800").await;
    let kept = api_get(&server, &b, "/api/keys").await;
    let names: Vec<&str> = kept
        .as_array()
        .map(|a| a.iter().filter_map(|k| k["name"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(names, ["Homepage"], "{kept}");

    // Revoke asks first, with the focus on No; No keeps the key
    let revoke = "#key-list button[aria-label='Revoke Homepage']";
    b.click(revoke).await;
    b.until(
        "the question, with the focus on No",
        "return document.activeElement?.getAttribute('aria-label') === 'No, keep Homepage'",
    )
    .await;
    assert!(b.text("#key-list li[data-id]").await.contains("Revoke?"));
    b.screenshot("keys-revoke-1280x800").await;
    b.click("#key-list button[aria-label='No, keep Homepage']")
        .await;
    b.click(revoke).await;
    assert_eq!(
        with_key(&server, Method::GET, "/api/anime", &key).await,
        StatusCode::OK,
        "asking revokes nothing"
    );

    // Yes: the list is empty again and the key is refused
    b.click("#key-list button[aria-label='Yes, revoke Homepage']")
        .await;
    b.until_text("#key-list li.empty", EMPTY).await;
    b.until_text("#notices", "Revoked Homepage.").await;
    assert_eq!(listed(&b).await, json!([]));
    assert_eq!(
        with_key(&server, Method::GET, "/api/anime", &key).await,
        StatusCode::UNAUTHORIZED
    );
}
