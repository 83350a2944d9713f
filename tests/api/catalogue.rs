//! The catalogue adapter against the fake catalogue site.

use crate::support::fake_site::FakeSite;

#[tokio::test]
async fn the_fake_site_serves_a_series_page() {
    let site = FakeSite::standard().await;
    let body = reqwest::get(site.url("/anime/stream/attack-on-titan"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(body.contains("<h1 itemprop=\"name\" title=\"Anime Stream Attack on Titan\"><span>Attack on Titan</span></h1>"));
    assert_eq!(site.requests("/anime/stream/attack-on-titan"), 1);
}
