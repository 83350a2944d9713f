//! The TLS half: the product's ClientHello against Chromium's. JA4 must be equal (it is the
//! fingerprint bot protection keys on), the hello must carry what a Chrome identity has
//! (GREASE, ALPN `h2,http/1.1`, brotli certificate compression), and the supported and key
//! share groups must be Chromium's (not part of JA4; Chrome sends X25519MLKEM768 first).

use crate::chromium;
use crate::hello::{BROTLI, ClientHello};
use crate::ja4::Ja4;
use crate::measure::{chromium_hello, named_groups, print_hello, product_hello};

#[tokio::test]
async fn product_ja4_is_chromiums() {
    if !chromium::available() {
        return;
    }
    let chromium = Ja4::of(chromium_hello().await);
    let product = Ja4::of(product_hello().await);
    assert_eq!(
        product.hash(),
        chromium.hash(),
        "the product's JA4 is not Chromium's\n\
         product  JA4:   {}\nchromium JA4:   {}\n\
         product  JA4_r: {}\nchromium JA4_r: {}\n\
         differing parts (this: product, other: chromium):\n{}",
        product.hash(),
        chromium.hash(),
        product.raw(),
        chromium.raw(),
        product.differences(&chromium)
    );
    println!("JA4 equal: {}\nJA4_r: {}", product.hash(), product.raw());
}

/// What a Chrome ClientHello has; a list of the failures of `hello`.
fn chrome_properties(hello: &ClientHello) -> Vec<String> {
    let mut failures = Vec::new();
    if !hello.grease_in_ciphers() {
        failures.push("no GREASE cipher".to_owned());
    }
    if !hello.grease_in_extensions() {
        failures.push("no GREASE extension".to_owned());
    }
    if hello.alpn() != ["h2", "http/1.1"] {
        failures.push(format!("ALPN {:?}, not h2,http/1.1", hello.alpn()));
    }
    if !hello.compress_certificate().contains(&BROTLI) {
        failures.push(format!(
            "compress_certificate {:?} without brotli (2)",
            hello.compress_certificate()
        ));
    }
    failures
}

#[tokio::test]
async fn product_hello_has_chromes_properties() {
    if !chromium::available() {
        return;
    }
    let chromium = chrome_properties(chromium_hello().await);
    assert!(chromium.is_empty(), "Chromium itself lacks: {chromium:?}");
    let product = chrome_properties(product_hello().await);
    assert!(
        product.is_empty(),
        "the product's ClientHello: {product:#?}"
    );
}

#[tokio::test]
async fn product_groups_are_chromiums() {
    if !chromium::available() {
        return;
    }
    let (chromium, product) = (chromium_hello().await, product_hello().await);
    let groups = |h: &ClientHello| named_groups(&h.supported_groups());
    let shares = |h: &ClientHello| named_groups(&h.key_share_groups());
    println!("chromium supported_groups: {:?}", groups(chromium));
    println!("product  supported_groups: {:?}", groups(product));
    println!("chromium key_share groups: {:?}", shares(chromium));
    println!("product  key_share groups: {:?}", shares(product));
    assert_eq!(
        groups(product),
        groups(chromium),
        "supported_groups (GREASE removed)"
    );
    assert_eq!(
        shares(product),
        shares(chromium),
        "key_share groups (GREASE removed)"
    );
}

/// Prints Chromium's identity (and the product's) for whoever configures the client; fails only
/// when Chromium cannot be measured. `cargo test --test identity prints -- --nocapture`.
#[tokio::test]
async fn prints_the_measurements() {
    if !chromium::available() {
        return;
    }
    print_identity().await;
}

/// Prints both ClientHellos and both pairs of navigations.
pub async fn print_identity() {
    print_hello("chromium", chromium_hello().await);
    print_hello("product", product_hello().await);
    crate::measure::print_navigations("chromium", crate::measure::chromium_navigations().await);
    crate::measure::print_navigations("product", crate::measure::product_navigations().await);
}
