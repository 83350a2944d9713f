//! The four measurements, each taken once per test binary and shared by the tests: Chromium's
//! and the product's ClientHello (through the recorder) and their two navigations (through the
//! site: `/`, then `/next` as a same-origin navigation). Plus the printing of them.

use std::time::Duration;

use aniworld::adapters::fetch::Fetcher;
use fantoccini::Locator;
use tokio::sync::OnceCell;

use crate::PATIENCE;
use crate::chromium;
use crate::hello::{ClientHello, group_name, is_grease};
use crate::ja4::Ja4;
use crate::recorder::Recorder;
use crate::site::{Request, Site};

/// The two requests of one client: the first navigation and the same-origin one.
pub type Navigations = (Request, Request);

static CHROMIUM_HELLO: OnceCell<ClientHello> = OnceCell::const_new();
static PRODUCT_HELLO: OnceCell<ClientHello> = OnceCell::const_new();
static CHROMIUM_NAV: OnceCell<Navigations> = OnceCell::const_new();
static PRODUCT_NAV: OnceCell<Navigations> = OnceCell::const_new();

fn fetcher() -> Fetcher {
    Fetcher::new(Duration::from_secs(5), 1 << 20).expect("the product's fetcher")
}

/// Chromium's ClientHello to `https://localhost:<port>/`.
pub async fn chromium_hello() -> &'static ClientHello {
    CHROMIUM_HELLO
        .get_or_init(|| async {
            let recorder = Recorder::start().await;
            let _browser = chromium::open_url(&format!("https://localhost:{}/", recorder.port));
            recorder
                .hello(PATIENCE)
                .await
                .expect("Chromium's ClientHello")
        })
        .await
}

/// The product's ClientHello (`Fetcher::get`, whose error is expected: the recorder hangs up).
pub async fn product_hello() -> &'static ClientHello {
    PRODUCT_HELLO
        .get_or_init(|| async {
            let recorder = Recorder::start().await;
            let url = format!("https://localhost:{}/", recorder.port);
            let _ = tokio::time::timeout(PATIENCE, fetcher().get(&url, &[])).await;
            recorder
                .hello(PATIENCE)
                .await
                .expect("the product's ClientHello")
        })
        .await
}

/// Chromium loads `/`, then a real click on `#next`.
pub async fn chromium_navigations() -> &'static Navigations {
    CHROMIUM_NAV
        .get_or_init(|| async {
            let site = Site::start().await;
            let browser = chromium::session().await;
            browser.client.goto(&site.url("/")).await.expect("goto /");
            let first = site.request("/", PATIENCE).await.expect("Chromium's /");
            let link = browser
                .client
                .find(Locator::Id("next"))
                .await
                .expect("#next");
            link.click().await.expect("click #next");
            let second = site
                .request("/next", PATIENCE)
                .await
                .expect("Chromium's /next");
            browser.client.close().await.ok();
            (first, second)
        })
        .await
}

/// The product fetches `/`, then `/next`.
pub async fn product_navigations() -> &'static Navigations {
    PRODUCT_NAV
        .get_or_init(|| async {
            let site = Site::start().await;
            let fetcher = fetcher();
            fetcher.get(&site.url("/"), &[]).await.expect("product's /");
            fetcher
                .get(&site.url("/next"), &[])
                .await
                .expect("product's /next");
            let first = site.request("/", PATIENCE).await.expect("product's /");
            let second = site
                .request("/next", PATIENCE)
                .await
                .expect("product's /next");
            (first, second)
        })
        .await
}

fn hex(list: &[u16]) -> String {
    list.iter()
        .map(|v| format!("{v:04x}"))
        .collect::<Vec<_>>()
        .join(",")
}

/// Groups without GREASE, by name.
pub fn named_groups(list: &[u16]) -> Vec<String> {
    list.iter()
        .filter(|g| !is_grease(**g))
        .map(|g| group_name(*g))
        .collect()
}

/// Prints one ClientHello: JA4, JA4_r and the lists a Chrome identity is configured from.
pub fn print_hello(who: &str, hello: &ClientHello) {
    let ja4 = Ja4::of(hello);
    let order: Vec<u16> = hello.extensions.iter().map(|(k, _)| *k).collect();
    println!("{who} ClientHello:");
    println!("  JA4:   {}", ja4.hash());
    println!("  JA4_r: {}", ja4.raw());
    println!("  ciphers as sent:      {}", hex(&hello.ciphers));
    println!("  extensions as sent:   {}", hex(&order));
    println!(
        "  supported_groups:     {}",
        named_groups(&hello.supported_groups()).join(",")
    );
    println!(
        "  key_share groups:     {}",
        named_groups(&hello.key_share_groups()).join(",")
    );
    println!("  ALPN:                 {}", hello.alpn().join(","));
    println!(
        "  supported_versions:   {}",
        hex(&hello.supported_versions())
    );
    println!(
        "  compress_certificate: {}",
        hex(&hello.compress_certificate())
    );
    println!(
        "  GREASE: ciphers {}, extensions {}",
        hello.grease_in_ciphers(),
        hello.grease_in_extensions()
    );
}

/// Prints one client's two requests: each header name and value in order.
pub fn print_navigations(who: &str, (first, second): &Navigations) {
    for (label, request) in [
        ("first navigation", first),
        ("same-origin navigation", second),
    ] {
        println!("{who} {label} (GET {}):", request.path);
        for (name, value) in &request.headers {
            println!("  {name}: {value}");
        }
    }
}
