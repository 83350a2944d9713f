//! The weight of a page: its HTML and every file it loads (stylesheet, icon, the module
//! script and each module that one imports, transitively), uncompressed, as the server
//! serves them. The goal is under 100 KiB for `/` and `/queue`.

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

/// Bytes of the page at `path` and everything it loads, with the list of files.
async fn weigh(base: &str, path: &str) -> (usize, BTreeSet<String>) {
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
        .collect();
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
        }
    }
    (total, seen)
}

#[tokio::test]
async fn the_library_and_queue_pages_weigh_less_than_100_kib_with_everything_they_load() {
    if !crate::browser::available() {
        return;
    }
    let server = spawn_server("http://127.0.0.1:9").await;
    for page in ["/", "/queue"] {
        let (bytes, files) = weigh(&server.base, page).await;
        println!(
            "figure: page weight of {page}: {bytes} bytes ({:.1} KiB) uncompressed, HTML + {} files",
            bytes as f64 / 1024.0,
            files.len()
        );
        assert!(files.iter().any(|f| f.ends_with(".css")), "{files:?}");
        assert!(files.iter().any(|f| f.ends_with("/api.js")), "{files:?}");
        assert!(bytes < 100 * 1024, "{page} weighs {bytes} bytes");
    }
}
