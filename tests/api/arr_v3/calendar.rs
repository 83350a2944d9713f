//! `/api/v3/calendar`: an episode's date is when the library learnt of it, so the episodes of
//! a series added on day 0 are dated day 0, and one a refresh finds on day 3 is dated day 3;
//! each range lists the episodes dated in it and nothing else.

use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};

use super::{make_key, v3};
use crate::feed::scheduled_run;
use crate::helpers::assert_error;
use crate::library::{add, library_app, missing_becomes};
use crate::support::fake_site::FakeEpisode;

/// (season, episode) of each record, in order.
fn episodes(records: &Value) -> Vec<(u64, u64)> {
    let records = records.as_array().unwrap();
    records
        .iter()
        .map(|r| {
            (
                r["seasonNumber"].as_u64().unwrap(),
                r["episodeNumber"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn day(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%d").to_string()
}

#[tokio::test]
async fn the_calendar_lists_the_episodes_found_in_its_range_and_nothing_outside() {
    let (app, site, token) = library_app().await;
    let added_at = app.clock_now();
    add(&app, &site, &token, "kaguya-sama-love-is-war").await;
    let r = app
        .request(
            reqwest::Method::PUT,
            "/api/config",
            Some(&token),
            Some(json!({ "provider": { "cache_minutes": 0 }, "scheduler": { "enabled": false } })),
        )
        .await;
    assert_eq!(r.status(), 200);
    let (_, key) = make_key(&app, &token, &["read"]).await;

    app.clock.advance(Duration::days(3));
    let found_at = app.clock_now();
    site.edit_series("kaguya-sama-love-is-war", |s| {
        s.seasons[0].episodes.push(FakeEpisode::new(3));
    });
    let token = app.token().await;
    scheduled_run(&app, &token).await;
    missing_becomes(&app, "kaguya-sama-love-is-war", &["1-1", "1-2", "1-3"]).await;

    let first_day = format!("/api/v3/calendar?start={0}&end={0}", day(added_at));
    let listed = v3(&app, &first_day, &key).await;
    assert_eq!(episodes(&listed), [(1, 1), (1, 2)]);
    let first = &listed[0];
    let at: DateTime<Utc> = first["airDateUtc"].as_str().unwrap().parse().unwrap();
    assert_eq!(at, added_at);
    assert_eq!(first["airDate"], day(added_at));
    assert_eq!(first["hasFile"], false);
    assert_eq!(first["title"], "Episode 1");
    assert_eq!(
        (&first["series"]["title"], &first["series"]["titleSlug"]),
        (
            &json!("Kaguya-sama: Love is War"),
            &json!("kaguya-sama-love-is-war")
        )
    );

    let today = v3(&app, "/api/v3/calendar?unmonitored=True", &key).await;
    assert_eq!(
        episodes(&today),
        [(1, 3)],
        "by default today and the next two days"
    );
    let around = |t: DateTime<Utc>| (t - Duration::minutes(1)).to_rfc3339();
    let exact = format!(
        "/api/v3/calendar?start={}&end={}",
        urlencode(&around(found_at)),
        urlencode(&(found_at + Duration::minutes(1)).to_rfc3339())
    );
    let new = v3(&app, &exact, &key).await;
    assert_eq!(episodes(&new), [(1, 3)]);
    assert_eq!(
        new[0]["id"],
        v3(&app, "/api/v3/wanted/missing", &key).await["records"][2]["id"]
    );
    let between = format!(
        "/api/v3/calendar?start={}&end={}",
        day(added_at + Duration::days(1)),
        day(added_at + Duration::days(2))
    );
    assert_eq!(v3(&app, &between, &key).await, json!([]));

    for bad in [
        "start=tomorrow",
        "end=2026-02-30",
        "start=2026-13-01T00:00:00Z",
    ] {
        let r = app
            .get(&format!("/api/v3/calendar?{bad}&apikey={key}"), None)
            .await;
        let body = assert_error(r, 400, "BAD_REQUEST").await;
        let field = bad.split('=').next().unwrap();
        assert_eq!(body["details"]["field"], field, "{body}");
    }
}

/// `+` and `:` of a date-time, as a query value.
fn urlencode(text: &str) -> String {
    text.replace('+', "%2B").replace(':', "%3A")
}
