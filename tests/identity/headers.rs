//! The HTTP half: the product's requests against Chromium's, over plain HTTP/1.1 to loopback.
//! Header names in Chromium's order (case-insensitive) for the first navigation and for the
//! same-origin one; the values that must match in kind (`Sec-Fetch-*`,
//! `Upgrade-Insecure-Requests`, `Accept`, whether a `Referer` is sent); and the product's own
//! consistency (`sec-ch-ua`'s major is its User-Agent's, `Accept-Language` German first).
//! User-Agent and client-hint values are not compared: headless Chromium says HeadlessChrome.

use crate::chromium;
use crate::measure::{chromium_navigations, product_navigations};
use crate::site::Request;

/// Headers whose values the product must send as Chromium does.
const SAME_VALUES: [&str; 6] = [
    "sec-fetch-site",
    "sec-fetch-mode",
    "sec-fetch-user",
    "sec-fetch-dest",
    "upgrade-insecure-requests",
    "accept",
];

fn pairs<'a>(
    chromium: &'a (Request, Request),
    product: &'a (Request, Request),
) -> [(&'static str, &'a Request, &'a Request); 2] {
    [
        ("first navigation (/)", &chromium.0, &product.0),
        ("same-origin navigation (/next)", &chromium.1, &product.1),
    ]
}

#[tokio::test]
async fn product_header_names_in_chromiums_order() {
    if !chromium::available() {
        return;
    }
    let (chromium, product) = (chromium_navigations().await, product_navigations().await);
    for (what, chromium, product) in pairs(chromium, product) {
        println!(
            "{what}\n  chromium: {:?}\n  product:  {:?}",
            chromium.names(),
            product.names()
        );
    }
    for (what, chromium, product) in pairs(chromium, product) {
        assert_eq!(
            product.names(),
            chromium.names(),
            "{what}: header names differ (left: product, right: chromium)"
        );
    }
}

#[tokio::test]
async fn product_header_values_match_chromiums_in_kind() {
    if !chromium::available() {
        return;
    }
    let (chromium, product) = (chromium_navigations().await, product_navigations().await);
    let mut failures = Vec::new();
    for (what, chromium, product) in pairs(chromium, product) {
        for name in SAME_VALUES {
            if product.value(name) != chromium.value(name) {
                failures.push(format!(
                    "{what}: {name}: product {:?}, chromium {:?}",
                    product.value(name),
                    chromium.value(name)
                ));
            }
        }
        let referer = |r: &Request| r.value("referer").is_some();
        if referer(product) != referer(chromium) {
            failures.push(format!(
                "{what}: Referer sent by product {}, by chromium {}",
                referer(product),
                referer(chromium)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The major version in a User-Agent's `Chrome/<major>`.
fn ua_major(ua: &str) -> Option<&str> {
    let rest = ua.split("Chrome/").nth(1)?;
    rest.split(['.', ' ']).next()
}

#[tokio::test]
async fn product_headers_are_consistent() {
    if !chromium::available() {
        return;
    }
    let (first, second) = product_navigations().await;
    for request in [first, second] {
        let ua = request.value("user-agent").unwrap_or_default();
        let major = ua_major(ua).unwrap_or_default();
        let brands = request.value("sec-ch-ua").unwrap_or_default();
        assert!(
            !major.is_empty() && brands.contains(&format!("v=\"{major}\"")),
            "{}: sec-ch-ua {brands:?} does not name the User-Agent's major {major:?} ({ua:?})",
            request.path
        );
        let language = request.value("accept-language").unwrap_or_default();
        assert!(
            language.starts_with("de-DE"),
            "{}: Accept-Language {language:?} does not start with de-DE",
            request.path
        );
    }
}

#[test]
fn reads_the_major_from_a_user_agent() {
    let ua = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) \
              Chrome/156.0.0.0 Safari/537.36";
    assert_eq!(ua_major(ua), Some("156"));
    assert_eq!(ua_major("curl/8"), None);
}
