//! Connections in the settings, a section loaded when opened (`/#settings/connections` opens
//! it): a webhook added with its URL and a password (never shown again), tested from its row
//! (the remote's answer shown, the receiver given Sonarr's Test payload), changed in another
//! language (the section and the connection being changed kept), and deleted after "Delete?
//! Yes".

use reqwest::Method;
use serde_json::json;

use crate::browser;
use crate::i18n_scan::catalogue_of;
use crate::layout::call;
use crate::scenery::PASSWORD;
use crate::server::spawn_server;
use crate::support::receiver::Receiver;

#[tokio::test]
async fn a_connection_is_added_tested_and_deleted_from_the_settings() {
    if !crate::browser::available() {
        return;
    }
    let server = spawn_server("http://127.0.0.1:9").await;
    let dir = server.anime_dir.path().to_str().unwrap().to_owned();
    let setup = json!({ "master_password": PASSWORD, "anime_directory": dir });
    call(&server, Method::POST, "/api/auth/setup", None, setup).await;
    let receiver = Receiver::spawn().await;
    let b = browser::open(1280, 900).await;
    b.goto(&server.url("/login")).await;
    b.type_into("#password", PASSWORD).await;
    b.click("#login-submit").await;
    b.until_path("/").await;
    b.goto(&server.url("/#settings/connections")).await;
    b.until(
        "the connections panel",
        "return document.getElementById('settings-connections')?.dataset.ready === 'connections'",
    )
    .await;
    let sections = b
        .js("return ['keys', 'connections', 'arr'].map((s) => document.getElementById(`settings-${s}`).open)")
        .await;
    assert_eq!(sections, json!([false, true, false]), "the link opens one");
    b.until_text(
        "#conn-list li.empty",
        "No connections yet: add one to be told when an episode is downloaded.",
    )
    .await;

    b.type_into("#conn-name", "Hook").await;
    b.type_into("#conn-set-url", &format!("{}/ui-hook", receiver.url))
        .await;
    b.type_into("#conn-set-password", "pw-secret").await;
    b.click("#conn-save").await;
    let shown = b
        .until("the connection listed", "const li = document.querySelector('#conn-list li[data-id]'); return !!li && li.innerText")
        .await;
    let shown = shown.as_str().unwrap();
    assert!(
        shown.contains("Hook") && shown.contains("webhook · Downloaded"),
        "{shown}"
    );

    b.click("#conn-list li[data-id] button[aria-label='Test Hook']")
        .await;
    b.until_text("#conn-list .conn-outcome", "Test sent: 200 OK")
        .await;
    let got = receiver.received();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].uri, "/ui-hook");
    assert_eq!(got[0].json()["eventType"], "Test");
    let html = b.js("return document.body.innerHTML").await;
    assert!(
        !html.as_str().unwrap().contains("pw-secret"),
        "the password is not in the page"
    );
    b.screenshot("connections").await;

    // changing it in another language: the section and the form with the connection kept
    let de = catalogue_of("de");
    b.click("#conn-list li[data-id] button[aria-label='Change Hook']")
        .await;
    b.until_text("#conn-form h3", "Change “Hook”").await;
    b.js("const s = document.getElementById('lang'); s.value = 'de'; s.dispatchEvent(new Event('change')); return true").await;
    let heading = de["connections.change_heading"].replace("{name}", "Hook");
    b.until_text("#conn-form h3", &heading).await;
    let form = b
        .js("return [document.getElementById('settings-connections').open, document.querySelector('#settings-connections summary').innerText, document.getElementById('conn-name').value, document.getElementById('conn-save').innerText]")
        .await;
    assert_eq!(
        form,
        json!([
            true,
            de["settings.connections_heading"],
            "Hook",
            de["connections.save"]
        ])
    );
    b.js("const s = document.getElementById('lang'); s.value = 'en'; s.dispatchEvent(new Event('change')); return true").await;
    b.until_text("#conn-save", "Save connection").await;

    b.click("#conn-list li[data-id] button[aria-label='Delete Hook']")
        .await;
    b.js("[...document.querySelectorAll('#conn-list button')].find((x) => x.innerText === 'Yes').click(); return true").await;
    b.until_text(
        "#conn-list li.empty",
        "No connections yet: add one to be told when an episode is downloaded.",
    )
    .await;
}
