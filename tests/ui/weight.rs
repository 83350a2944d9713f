//! The weight of a page: its HTML and every file it loads (stylesheet, icon, the module
//! script and each module that one imports, transitively), with the texts of each language
//! (the catalogue's core and the parts its modules ask for with `useTexts`), uncompressed,
//! as the server serves them. A module loaded on demand (`import('./settings.js')`) counts
//! for what shows it: a view (`/#series`, `/#settings`, `/#status`, `/#activity`) with its
//! page, and a settings section loaded when opened (`/#settings/keys`,
//! `/#settings/connections`, `/#settings/arr`) with its view. The goal is under 100 KiB for
//! each page as it loads (`/`, `/queue`, `/login`, `/setup`), each view and each section, in
//! each language.

use std::collections::BTreeSet;

use crate::server::spawn_server;

/// The `/static/...` paths named in `text` after `marker` (`src="`, `href="`, `from '`).
fn referenced(text: &str, marker: &str, close: char, base: &str) -> Vec<String> {
    text.split(marker)
        .skip(1)
        .filter_map(|rest| rest.split(close).next())
        .filter_map(|target| {
            if let Some(local) = target.strip_prefix("./") {
                Some(format!("{base}{local}"))
            } else if target.starts_with("/static/") {
                Some(target.to_owned())
            } else {
                None
            }
        })
        .collect()
}

/// Bytes of the page at `path` and everything it loads in language `lang`, with the modules
/// loaded on demand `lazy` (a view's, a section's), with the list of files.
async fn weigh(base: &str, path: &str, lang: &str, lazy: &[&str]) -> (usize, BTreeSet<String>) {
    let client = reqwest::Client::new();
    let get = |p: String| {
        let client = client.clone();
        async move {
            let r = client.get(format!("{base}{p}")).send().await.unwrap();
            assert_eq!(r.status(), 200, "{p}");
            r.text().await.unwrap()
        }
    };
    let html = get(path.to_owned()).await;
    let mut total = html.len();
    let mut todo: Vec<String> = ["src=\"", "href=\""]
        .iter()
        .flat_map(|m| referenced(&html, m, '"', "/static/"))
        .chain(lazy.iter().map(|m| (*m).to_owned()))
        .collect();
    todo.push(format!("/static/i18n/{lang}.js"));
    let mut seen = BTreeSet::new();
    while let Some(file) = todo.pop() {
        if !seen.insert(file.clone()) {
            continue;
        }
        let text = get(file.clone()).await;
        total += text.len();
        if file.ends_with(".js") {
            let dir = &file[..file.rfind('/').unwrap() + 1];
            todo.extend(referenced(&text, "from '", '\'', dir));
            for part in text.split("useTexts('").skip(1) {
                if let Some(name) = part.split('\'').next()
                    && !name.is_empty()
                    && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                {
                    todo.push(format!("/static/i18n/parts/{name}.{lang}.js"));
                }
            }
        }
    }
    (total, seen)
}

#[tokio::test]
async fn each_page_view_and_settings_section_weighs_less_than_100_kib_with_everything_it_loads() {
    if !crate::browser::available() {
        return;
    }
    let server = spawn_server("http://127.0.0.1:9").await;
    let settings = "/static/js/settings.js";
    let pages: [(&str, &[&str]); 11] = [
        ("/", &[]),
        ("/queue", &[]),
        ("/login", &[]),
        ("/setup", &[]),
        ("/#series", &["/static/js/series.js"]),
        ("/#settings", &[settings]),
        ("/#settings/keys", &[settings, "/static/js/keys.js"]),
        (
            "/#settings/connections",
            &[settings, "/static/js/connections.js"],
        ),
        ("/#settings/arr", &[settings, "/static/js/arr.js"]),
        ("/#status", &["/static/js/status.js"]),
        ("/#activity", &["/static/js/activity.js"]),
    ];
    for (page, lazy) in pages {
        for lang in ["en", "de"] {
            let path = page.split('#').next().unwrap_or("/");
            let (bytes, files) = weigh(&server.base, path, lang, lazy).await;
            println!(
                "figure: page weight of {page} in {lang}: {bytes} bytes ({:.1} KiB) uncompressed, HTML + {} files",
                bytes as f64 / 1024.0,
                files.len()
            );
            assert!(files.iter().any(|f| f.ends_with(".css")), "{files:?}");
            assert!(files.iter().any(|f| f.ends_with("/api.js")), "{files:?}");
            assert!(
                files.contains(&format!("/static/i18n/{lang}.js")),
                "{files:?}"
            );
            // a section's own module and texts are there, and not before it is opened
            if let Some(name) = page.strip_prefix("/#settings/") {
                let part = format!("/static/i18n/parts/{name}.{lang}.js");
                assert!(files.contains(&part), "{files:?}");
            } else if lazy.contains(&settings) {
                assert!(!files.iter().any(|f| f.contains("/keys.")), "{files:?}");
            }
            assert!(bytes < 100 * 1024, "{page} in {lang} weighs {bytes} bytes");
        }
    }
}
