//! The fake s.to checked against the s.to readers with a plain HTTP client, so later s.to
//! tests can rely on it: its pages read with the readers the fixtures test, the suggest API
//! has its JSON shape, the HTML search pages 24 at a time, a play link redirects to an embed
//! page on the other (aniworld.to) port whose media downloads byte-exact, the challenge switch
//! answers the Turnstile page with status 200, and faults and counts are s.to's own.

use aniworld::adapters::catalogue::sto::{
    StoUrls, parse_episode_page, parse_search_page, parse_season_page, parse_series_page,
    parse_suggest,
};
use aniworld::domain::catalogue::Language;
use aniworld::domain::episode::EpisodeId;
use aniworld::domain::series::SeriesKey;
use aniworld::domain::site::Site;
use reqwest::StatusCode;
use reqwest::redirect::Policy;

use crate::support::fake_site::guard::{CLEARANCE_COOKIE, SOLVER_USER_AGENT};
use crate::support::fake_site::sto::{
    STO_PLAY_PATH, STO_SEARCH_PATH, STO_SUGGEST_PATH, sto_episode_path, sto_season_path,
    sto_series_path,
};
use crate::support::fake_site::{FakeHoster, FakeLinkInfo, FakeSeries, FakeSite};

async fn sto_site() -> FakeSite {
    FakeSite::builder().sto_standard_catalogue().spawn().await
}

fn urls(site: &FakeSite) -> StoUrls {
    StoUrls::new(&format!("{}/", site.sto_base_url())).unwrap()
}

fn key(slug: &str) -> SeriesKey {
    SeriesKey::on(Site::Sto, slug).unwrap()
}

async fn text(url: &str) -> String {
    let answer = reqwest::get(url).await.unwrap();
    assert_eq!(answer.status(), StatusCode::OK, "{url}");
    answer.text().await.unwrap()
}

/// A client that reads a play link's answer instead of following it.
fn not_following() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(Policy::none())
        .build()
        .unwrap()
}

/// The link of episode 1-1 of Grey's Anatomy served by `hoster`.
fn link(site: &FakeSite, hoster: FakeHoster) -> FakeLinkInfo {
    site.sto_links("greys-anatomy", 1, 1)
        .into_iter()
        .find(|l| l.link.hoster == hoster)
        .unwrap()
}

#[tokio::test]
async fn the_series_page_reads_with_the_sto_reader_under_both_paths() {
    let site = sto_site().await;
    assert_ne!(site.sto_base_url(), site.base_url());
    let urls = urls(&site);
    let page = text(&urls.series(&key("greys-anatomy"))).await;
    let series = parse_series_page(&page, &key("greys-anatomy"), &urls).unwrap();
    assert_eq!(series.name, "Grey's Anatomy");
    assert_eq!(
        series.description.as_deref(),
        Some("Meredith Grey & ihre Kollegen am \"Seattle Grace\".")
    );
    assert_eq!(
        (series.year, series.seasons.as_slice()),
        (Some(2005), &[1, 2][..])
    );
    assert!(series.has_films);
    let cover = site.sto_url("/media/images/channel/desktop/greys-anatomy-Zq1xT0.webp");
    assert_eq!(series.metadata.cover.map(String::from), Some(cover));
    assert_eq!(series.metadata.genres.as_slice(), ["Drama", "Romanze"]);
    assert_eq!(
        series.metadata.imdb.map(String::from).as_deref(),
        Some("tt0413573")
    );
    let old_form = text(&site.sto_url("/serie/stream/greys-anatomy")).await;
    assert_eq!(old_form, page);
}

#[tokio::test]
async fn season_pages_read_with_gaps_films_and_flags() {
    let site = sto_site().await;
    let page = text(&site.sto_url(&sto_season_path("greys-anatomy", 2))).await;
    let rows = parse_season_page(&page, &key("greys-anatomy"), 2).unwrap();
    let ids: Vec<u32> = rows.iter().map(|r| r.listing.id.episode).collect();
    assert_eq!(ids, vec![1, 2, 4, 7]);
    assert_eq!(rows[0].listing.title_german.as_deref(), Some("Folge 1"));
    assert_eq!(
        rows[0].languages,
        vec![Language::GermanDub, Language::GermanSub]
    );
    let films = text(&site.sto_url(&sto_season_path("greys-anatomy", 0))).await;
    let rows = parse_season_page(&films, &key("greys-anatomy"), 0).unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].listing.id, EpisodeId::new(0, 1));
    let first = text(&site.sto_url(&sto_season_path("greys-anatomy", 1))).await;
    let rows = parse_season_page(&first, &key("greys-anatomy"), 1).unwrap();
    assert_eq!(
        rows[0].languages,
        vec![
            Language::GermanDub,
            Language::EnglishDub,
            Language::GermanSub
        ]
    );
}

#[tokio::test]
async fn the_episode_page_reads_with_its_play_links_and_languages() {
    let site = sto_site().await;
    let urls = urls(&site);
    let page = text(&urls.episode(&key("greys-anatomy"), EpisodeId::new(1, 1))).await;
    let details = parse_episode_page(&page, EpisodeId::new(1, 1), &urls).unwrap();
    assert_eq!(details.title_german.as_deref(), Some("Nichts als Chaos"));
    assert_eq!(details.title_english.as_deref(), Some("A Hard Day's Night"));
    let seen: Vec<_> = details
        .hosters
        .iter()
        .map(|h| (h.hoster.as_str(), h.language, h.redirect_url.clone()))
        .collect();
    let play = |hoster| link(&site, hoster).redirect_url();
    assert_eq!(
        seen,
        vec![
            ("VOE", Language::GermanDub, play(FakeHoster::Voe)),
            ("Vidoza", Language::EnglishDub, play(FakeHoster::Vidoza)),
            (
                "Doodstream",
                Language::GermanSub,
                play(FakeHoster::Doodstream)
            ),
        ],
        "the English Sub link (not on s.to) is left out"
    );
    assert!(
        seen[0]
            .2
            .starts_with(&format!("{}/r?t=", site.sto_base_url()))
    );
}

#[tokio::test]
async fn unknown_series_seasons_and_episodes_are_404() {
    let site = sto_site().await;
    for path in [
        sto_series_path("nope"),
        sto_season_path("dark", 4),
        sto_episode_path("dark", 1, 9),
        "/serie/dark/staffel-1/episode-1/x".to_owned(),
    ] {
        let answer = reqwest::get(site.sto_url(&path)).await.unwrap();
        assert_eq!(answer.status(), StatusCode::NOT_FOUND, "{path}");
    }
}

#[tokio::test]
async fn the_suggest_api_answers_shows_people_and_genres() {
    let site = sto_site().await;
    let urls = urls(&site);
    let body = text(&urls.suggest("GREY")).await;
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert!(json["people"].is_array() && json["genres"].is_array());
    assert_eq!(json["shows"][0]["url"], "/serie/greys-anatomy");
    assert_eq!(json["shows"][0]["name"], "<mark>Grey</mark>&#039;s Anatomy");
    let hits = parse_suggest(&body, &urls).unwrap();
    let keys: Vec<&str> = hits.iter().map(|h| h.key.as_str()).collect();
    assert_eq!(keys, vec!["sto:greys-anatomy"]);
    assert_eq!(hits[0].name, "Grey's Anatomy");
    let nothing = text(&urls.suggest("zzz")).await;
    assert_eq!(parse_suggest(&nothing, &urls), Ok(vec![]));
    assert_eq!(site.sto_requests(STO_SUGGEST_PATH), 2);
}

#[tokio::test]
async fn the_html_search_pages_24_cards_at_a_time() {
    let mut builder = FakeSite::builder();
    for n in 1..=30 {
        builder = builder.sto_series(FakeSeries::new(
            &format!("krimi-{n}"),
            &format!("Krimi {n}"),
        ));
    }
    let site = builder.spawn().await;
    let urls = urls(&site);
    let first = parse_search_page(&text(&urls.search_page("krimi", 1)).await, &urls).unwrap();
    assert_eq!(first.hits.len(), 24);
    assert_eq!(first.hits[0].key.as_str(), "sto:krimi-1");
    let next = first.next.expect("a second page");
    assert_eq!(next, urls.search_page("krimi", 2));
    let second = parse_search_page(&text(&next).await, &urls).unwrap();
    let keys: Vec<&str> = second.hits.iter().map(|h| h.key.as_str()).collect();
    assert_eq!(
        keys,
        (25..=30)
            .map(|n| format!("sto:krimi-{n}"))
            .collect::<Vec<_>>()
    );
    assert_eq!(second.next, None);
    let none = parse_search_page(&text(&urls.search_page("zzz", 1)).await, &urls).unwrap();
    assert!(none.hits.is_empty() && none.next.is_none());
    assert_eq!(site.sto_requests(STO_SEARCH_PATH), 3);
}

#[tokio::test]
async fn a_play_link_redirects_to_the_embed_page_on_the_other_port_and_the_media_is_byte_exact() {
    let site = sto_site().await;
    let vidoza = link(&site, FakeHoster::Vidoza);
    let answer = not_following()
        .get(vidoza.redirect_url())
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), StatusCode::FOUND);
    let location = answer.headers()["location"].to_str().unwrap().to_owned();
    assert_eq!(location, vidoza.embed_url());
    assert!(location.starts_with(site.base_url()), "{location}");
    let embed = text(&location).await;
    assert!(embed.contains(&vidoza.media_url()));
    let media = reqwest::get(vidoza.media_url()).await.unwrap();
    assert_eq!(
        media.bytes().await.unwrap().to_vec(),
        vidoza.expected_bytes()
    );
    assert_eq!(site.sto_play_requests(), 1);
    assert_eq!(
        site.requests_under("/r"),
        0,
        "the aniworld.to side saw no play link"
    );
}

#[tokio::test]
async fn an_unknown_or_altered_token_is_404() {
    let site = sto_site().await;
    let url = link(&site, FakeHoster::Voe).redirect_url();
    for bad in [format!("{url}x"), site.sto_url(STO_PLAY_PATH)] {
        let answer = not_following().get(&bad).send().await.unwrap();
        assert_eq!(answer.status(), StatusCode::NOT_FOUND, "{bad}");
    }
}

#[tokio::test]
async fn challenged_play_links_answer_the_turnstile_page_with_200_until_stopped() {
    let site = sto_site().await;
    let play = link(&site, FakeHoster::Voe).redirect_url();
    let client = not_following();
    site.challenge_sto_play_links(1);
    let first = client.get(&play).send().await.unwrap();
    assert_eq!(first.status(), StatusCode::FOUND);
    let second = client.get(&play).send().await.unwrap();
    assert_eq!(second.status(), StatusCode::OK);
    let page = second.text().await.unwrap();
    assert!(page.contains("cf-turnstile") && page.contains("captcha-form"));
    assert!(aniworld::adapters::fetch::is_challenge(&page));
    let cleared = client
        .get(&play)
        .header("Cookie", CLEARANCE_COOKIE)
        .header("User-Agent", SOLVER_USER_AGENT)
        .send()
        .await
        .unwrap();
    assert_eq!(
        cleared.status(),
        StatusCode::FOUND,
        "a solver's clearance passes"
    );
    site.stop_challenging_sto_play_links();
    let after = client.get(&play).send().await.unwrap();
    assert_eq!(after.status(), StatusCode::FOUND);
    assert_eq!(site.sto_play_requests(), 4);
}

#[tokio::test]
async fn faults_and_counts_are_the_fake_stos_own() {
    let site = sto_site().await;
    site.sto_status(STO_SUGGEST_PATH, 500);
    let answer = reqwest::get(urls(&site).suggest("grey")).await.unwrap();
    assert_eq!(answer.status(), StatusCode::INTERNAL_SERVER_ERROR);
    site.sto_clear_faults(STO_SUGGEST_PATH);
    let answer = reqwest::get(urls(&site).suggest("grey")).await.unwrap();
    assert_eq!(answer.status(), StatusCode::OK);
    site.sto_fail_times(&sto_series_path("dark"), 1, 503);
    let series = site.sto_url(&sto_series_path("dark"));
    assert_eq!(reqwest::get(&series).await.unwrap().status(), 503);
    assert_eq!(reqwest::get(&series).await.unwrap().status(), 200);
    assert_eq!(site.sto_requests(STO_SUGGEST_PATH), 2);
    assert_eq!(site.sto_requests_under("/serie/"), 2);
    assert_eq!(
        site.requests_under("/"),
        0,
        "nothing reached the aniworld.to side"
    );
    let log = site.sto_request_log();
    assert_eq!(log.len(), 2, "{log:?}");
}
