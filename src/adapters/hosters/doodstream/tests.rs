use super::super::test_site::{TestSite, fetcher, resolve_at};
use super::*;
use crate::adapters::fetch::USER_AGENT;

const PLAYER_PAGE: &str = include_str!("../../../../tests/fixtures/hosters/doodstream.html");
const PASS_MD5: &str =
    "/pass_md5/6189744-89-151-1764412345-8c7e4b3f2d1a0e9f8c7b6a5d4e3f2a1b/k3q9x7ml2bd0vfz8w1yh5snc";

#[test]
fn the_pass_md5_path_and_the_players_token_are_read_past_the_decoys() {
    assert_eq!(
        extract(PLAYER_PAGE).unwrap(),
        Player {
            pass_md5: PASS_MD5.into(),
            token: "k3q9x7ml2bd0vfz8w1yh5snc".into(),
        }
    );
}

#[test]
fn an_embed_page_that_landed_on_playmogo_asks_pass_md5_there_and_names_it_as_referer() {
    let player = extract(PLAYER_PAGE).unwrap();
    let landed = "https://playmogo.com/e/k3q9x7ml2bd0";
    let (pass_md5, referer) = on_final_host(landed, &player).unwrap();
    assert_eq!(pass_md5, format!("https://playmogo.com{PASS_MD5}"));
    assert_eq!(referer, "https://playmogo.com/");
    let url = media_url(
        landed,
        "https://cdn.playmogo.example/u5kj7aaf/zw8ja0o3gk~",
        "Ab3dE6gH9k",
        &player.token,
        1_764_412_345_000,
    )
    .unwrap();
    assert_eq!(
        url,
        "https://cdn.playmogo.example/u5kj7aaf/zw8ja0o3gk~Ab3dE6gH9k?token=k3q9x7ml2bd0vfz8w1yh5snc&expiry=1764412345000"
    );
}

#[test]
fn doodstream_recognises_its_domains_and_the_pass_md5_call() {
    let page = |url: &str, body: &str| EmbedPage {
        url: url.into(),
        body: body.into(),
        linked_from: "https://s.to/redirect/1".into(),
    };
    let dood = Doodstream::new(fetcher());
    for host in [
        "https://playmogo.com/e/a",
        "https://dood.wf/e/a",
        "https://d000d.com/e/a",
    ] {
        assert_eq!(
            dood.recognises(&page(host, "")),
            Recognition::Host,
            "{host}"
        );
    }
    assert_eq!(
        dood.recognises(&page("http://127.0.0.1:9/e/a", PLAYER_PAGE)),
        Recognition::Landmarks
    );
    assert_eq!(
        dood.recognises(&page("http://127.0.0.1:9/e/a", "<p>nothing</p>")),
        Recognition::Unknown
    );
}

#[test]
fn a_plain_token_is_used_when_the_player_builds_its_url_differently() {
    let page = r#"$.get("/pass_md5/1-2-3/abc", f); var u = "&token=t0k3n";"#;
    let player = extract(page).unwrap();
    assert_eq!(player.pass_md5, "/pass_md5/1-2-3/abc");
    assert_eq!(player.token, "t0k3n");
}

#[test]
fn a_page_without_pass_md5_or_token_names_the_missing_landmark() {
    assert_eq!(
        extract("<h1>Video not found</h1>").unwrap_err().to_string(),
        "Doodstream page layout not recognised (missing $.get('/pass_md5/...'))"
    );
    assert_eq!(
        extract("$.get('/pass_md5/1-2/x'); var csrf_token=abc;")
            .unwrap_err()
            .to_string(),
        "Doodstream page layout not recognised (missing token=)"
    );
}

#[test]
fn the_media_url_is_base_random_token_and_expiry_in_milliseconds() {
    let url = media_url(
        "https://d000d.com/e/ab12",
        "https://xk91.cloudatacdn.com/u5kj7aaf3pdlsdgge3xw4kp6qxqa/zw8ja0o3gk~\n",
        "Ab3dE6gH9k",
        "tok",
        1_764_412_345_678,
    )
    .unwrap();
    assert_eq!(
        url,
        "https://xk91.cloudatacdn.com/u5kj7aaf3pdlsdgge3xw4kp6qxqa/zw8ja0o3gk~Ab3dE6gH9k?token=tok&expiry=1764412345678"
    );
}

#[test]
fn a_refused_pass_md5_answer_is_no_url() {
    for answer in ["RELOAD", "", "<html>403</html>", "javascript:alert(1)"] {
        assert_eq!(
            media_url("https://dood.example/e/1", answer, "x", "t", 1),
            Err(ProviderError::Layout(
                "Doodstream page: base URL in the pass_md5 answer".into()
            )),
            "{answer:?}"
        );
    }
}

#[test]
fn the_random_part_is_ten_alphanumeric_characters() {
    let suffix = random_suffix();
    assert_eq!(suffix.len(), 10);
    assert!(suffix.chars().all(|c| c.is_ascii_alphanumeric()));
}

#[tokio::test]
async fn the_embed_page_and_pass_md5_give_a_signed_mp4_with_the_host_as_referer() {
    let site = TestSite::serve(&[
        ("/e/ab12", PLAYER_PAGE),
        (PASS_MD5, "{base}/cdn/u5kj7aaf/zw8ja0o3gk~"),
    ])
    .await;

    let before = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_millis();
    let source = resolve_at(&Doodstream::new(fetcher()), &site.url("/e/ab12"))
        .await
        .unwrap();

    let prefix = site.url("/cdn/u5kj7aaf/zw8ja0o3gk~");
    let rest = source.url.strip_prefix(&prefix).unwrap();
    let (random, query) = rest.split_once('?').unwrap();
    assert_eq!(random.len(), 10);
    let expiry: u128 = query
        .strip_prefix("token=k3q9x7ml2bd0vfz8w1yh5snc&expiry=")
        .unwrap()
        .parse()
        .unwrap();
    assert!(expiry >= before && expiry < before + 60_000, "{expiry}");
    assert_eq!(source.kind, MediaKind::Direct);
    assert_eq!(
        source.headers,
        vec![
            ("Referer".to_owned(), site.url("/")),
            ("User-Agent".to_owned(), USER_AGENT.to_owned()),
        ]
    );
}

#[tokio::test]
async fn a_missing_pass_md5_answer_fails_the_hoster() {
    let site = TestSite::serve(&[("/e/ab12", PLAYER_PAGE)]).await;
    let error = resolve_at(&Doodstream::new(fetcher()), &site.url("/e/ab12"))
        .await
        .unwrap_err();
    assert_eq!(error, ProviderError::NotFound);
}
