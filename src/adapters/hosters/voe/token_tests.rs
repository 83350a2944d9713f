//! VOE's markers from the player's loader script (September 2026): a page obfuscated with
//! other tokens than the fixed list decodes only with the loader's, fetched over a local
//! test site; without a readable loader the fixed list is used. And which pages VOE
//! recognises as its own.

use super::super::test_site::TestSite;
use super::decode::tests::obfuscate_with;
use super::tests::resolve;
use super::*;

const SOURCE: &str = "https://delivery.example/hls/abc/master.m3u8?t=1";
/// Tokens unlike any of the fixed list, as a new loader script would list them.
const TOKENS: [&str; 6] = ["(]", "-{", "|;", "?:", ">~", ",."];

fn json(source: &str) -> String {
    serde_json::json!({ "source": source, "title": "x" }).to_string()
}

/// A player page obfuscated with `markers`, with an ads script before the JSON and the
/// loader after it.
fn player_page(markers: &[&str]) -> String {
    format!(
        "<html><head><script src=\"/js/ads.js\"></script></head><body>\
         <script type=\"application/json\">[\"{}\"]</script>\
         <script src=\"/js/loader.7c1e.js\"></script></body></html>",
        obfuscate_with(&json(SOURCE), markers)
    )
}

const LOADER: &str =
    "!function(){var a=['ab','cd'],m=['(]','-{','|;','?:','>~',',.'];window.__voe=m}();";

fn page_at(url: &str, body: &str) -> EmbedPage {
    EmbedPage {
        url: url.into(),
        body: body.into(),
        linked_from: "https://aniworld.to/redirect/1".into(),
    }
}

#[test]
fn a_page_obfuscated_with_new_tokens_decodes_with_them_and_not_with_the_fixed_list() {
    let page = player_page(&TOKENS);
    let tokens: Vec<String> = TOKENS.map(String::from).into();
    assert_eq!(
        extract(&page, "https://m.example/e/1", Some(&tokens)),
        Ok(VoePage::Player {
            url: SOURCE.into(),
            kind: MediaKind::Hls
        })
    );
    assert_eq!(
        extract(&page, "https://m.example/e/1", None)
            .unwrap_err()
            .to_string(),
        "VOE page layout not recognised (missing a decodable player JSON: base64 after ROT13)"
    );
}

#[test]
fn tokens_that_do_not_decode_fall_back_to_the_fixed_list() {
    let page = player_page(&FIXED_MARKERS);
    let other = vec!["<>".to_owned()];
    let found = extract(&page, "https://m.example/e/1", Some(&other)).unwrap();
    assert_eq!(
        found,
        VoePage::Player {
            url: SOURCE.into(),
            kind: MediaKind::Hls
        }
    );
}

#[tokio::test]
async fn the_loader_script_after_the_player_json_supplies_the_markers() {
    let page = player_page(&TOKENS);
    let site = TestSite::serve(&[
        ("/e/tok", page.as_str()),
        ("/js/ads.js", "var ads=['@$','^^'];"),
        ("/js/loader.7c1e.js", LOADER),
    ])
    .await;
    let source = resolve(&site.url("/e/tok")).await.unwrap();
    assert_eq!(source.url, SOURCE);
    assert_eq!(source.headers[0], ("Referer".into(), site.url("/e/tok")));
}

#[tokio::test]
async fn without_a_readable_loader_the_fixed_markers_are_used() {
    let page = player_page(&FIXED_MARKERS);
    let no_tokens = TestSite::serve(&[
        ("/e/a", page.as_str()),
        ("/js/loader.7c1e.js", "var nothing = 1;"),
    ])
    .await;
    assert_eq!(resolve(&no_tokens.url("/e/a")).await.unwrap().url, SOURCE);
    let no_loader = TestSite::serve(&[("/e/a", page.as_str())]).await;
    assert_eq!(resolve(&no_loader.url("/e/a")).await.unwrap().url, SOURCE);
}

#[test]
fn a_page_with_voe_landmarks_is_recognised_on_any_host_and_voe_sx_by_name() {
    let voe = Voe::new(super::super::test_site::fetcher());
    let local = "http://127.0.0.1:9/hoster/vidara/e/1";
    let pages = [
        player_page(&TOKENS),
        "<script>var a168c = 'abc';</script>".to_owned(),
        "var sources = {'hls': 'aGk='};".to_owned(),
        "<script>window.location.href = 'https://m.example/e/1?permanentToken=abc';</script>"
            .to_owned(),
    ];
    for body in &pages {
        assert_eq!(
            voe.recognises(&page_at(local, body)),
            Recognition::Landmarks,
            "{body}"
        );
    }
    assert_eq!(
        voe.recognises(&page_at("https://voe.sx/e/1", "")),
        Recognition::Host
    );
    let others = [
        "jwplayer('p').setup({sources:[{file:\"https://c.example/a.m3u8\"}]});",
        "<script>if (bad) { location.href = '/404'; }</script>",
        "<script type=\"application/json\">{\"@type\": \"VideoObject\"}</script>",
    ];
    for body in others {
        assert_eq!(
            voe.recognises(&page_at(local, body)),
            Recognition::Unknown,
            "{body}"
        );
    }
}
