//! VOE on fixture pages, one per landmark, and the hops over a local test site.

use super::super::test_site::{TestSite, fetcher};
use super::decode::tests::obfuscate;
use super::*;

const JSON_PAGE: &str = include_str!("../../../../tests/fixtures/hosters/voe_json_player.html");
const A168C_PAGE: &str = include_str!("../../../../tests/fixtures/hosters/voe_a168c.html");
const HLS_PAGE: &str = include_str!("../../../../tests/fixtures/hosters/voe_player.html");
const M3U8_PAGE: &str = include_str!("../../../../tests/fixtures/hosters/voe_m3u8_only.html");
const FORWARD_PAGE: &str = include_str!("../../../../tests/fixtures/hosters/voe_forward.html");
const TOKEN_PAGE: &str = include_str!("../../../../tests/fixtures/hosters/voe_forward_token.html");
const DELETED_PAGE: &str = include_str!("../../../../tests/fixtures/hosters/voe_deleted.html");
const PLAYLIST: &str = "https://delivery-node-8k2q.voe-network.net/engine/hls2/01/09876/\
    qz1x4h7kd3mf_,n,.urlset/master.m3u8?t=Xb3kz9LqN0&s=1764412345&e=14400&f=49381\
    &node=delivery-node-8k2q&i=91.0&sp=2500&asn=3320";
const PAGE_URL: &str = "https://kristiesoundsimply.com/e/qz1x4h7kd3mf";

/// A page read with the fixed markers (no loader script).
fn extract(page: &str, page_url: &str) -> Result<VoePage, ProviderError> {
    super::extract(page, page_url, None)
}

/// The extractor on an embed URL: opened, then resolved.
pub(super) async fn resolve(embed_url: &str) -> Result<MediaSource, ProviderError> {
    let voe = Voe::new(fetcher());
    let page = voe
        .open(embed_url, "https://aniworld.to/redirect/1")
        .await?;
    voe.resolve(&page).await
}

fn player(url: &str, kind: MediaKind) -> Result<VoePage, ProviderError> {
    Ok(VoePage::Player {
        url: url.to_owned(),
        kind,
    })
}

/// A page whose JSON-array script holds `json`, obfuscated as VOE does.
fn json_page(json: &str) -> String {
    format!(
        r#"<script type="application/json">["{}"]</script>"#,
        obfuscate(json)
    )
}

fn message(result: Result<VoePage, ProviderError>) -> String {
    result.unwrap_err().to_string()
}

#[test]
fn the_json_array_script_yields_the_decoded_hls_source_despite_the_decoys() {
    assert_eq!(
        extract(JSON_PAGE, PAGE_URL),
        player(PLAYLIST, MediaKind::Hls)
    );
}

#[test]
fn the_a168c_variable_yields_the_decoded_hls_source() {
    let expected = "https://cdn-5kq1.edgeon-bandwidth.com/engine/hls2-c/01/11223/\
        r7c2mxw9po4z_,n,.urlset/master.m3u8?t=Qm2&s=1740000000&e=10800&f=5";
    let page_url = "https://cdn-5kq1.example/e/r7c2mxw9po4z";
    assert_eq!(
        extract(A168C_PAGE, page_url),
        player(expected, MediaKind::Hls)
    );
}

#[test]
fn the_hls_entry_yields_the_base64_decoded_playlist_url() {
    assert_eq!(
        extract(HLS_PAGE, PAGE_URL),
        player(PLAYLIST, MediaKind::Hls)
    );
}

#[test]
fn double_quotes_missing_padding_and_plain_urls_are_understood_in_the_hls_entry() {
    // base64 of "https://a.example/my.m3u8" with its "==" padding left out.
    let page = r#"var s = { "hls" :"aHR0cHM6Ly9hLmV4YW1wbGUvbXkubTN1OA" };"#;
    let expected = player("https://a.example/my.m3u8", MediaKind::Hls);
    assert_eq!(extract(page, "https://voe.sx/e/1"), expected);
    let plain = "var s = {'hls':'https://b.example/x/master.m3u8'};";
    let expected = player("https://b.example/x/master.m3u8", MediaKind::Hls);
    assert_eq!(extract(plain, "https://voe.sx/e/1"), expected);
}

#[test]
fn a_bare_m3u8_url_is_the_last_resort() {
    let expected = "https://cdn-9.example-voe.net/engine/hls2/01/55/m3u8onlyx1_,n,.urlset/\
        master.m3u8?t=Zz9&s=1764400000";
    assert_eq!(
        extract(M3U8_PAGE, PAGE_URL),
        player(expected, MediaKind::Hls)
    );
}

#[test]
fn the_json_form_wins_over_older_forms_on_the_same_page() {
    let page = format!(
        "{}<script>var a168c='{}'; var s = {{'hls': 'https://old.example/x.m3u8'}};</script>",
        json_page(r#"{"source": "https://new.example/master.m3u8"}"#),
        obfuscate(r#"{"source": "https://a168c.example/master.m3u8"}"#),
    );
    let expected = player("https://new.example/master.m3u8", MediaKind::Hls);
    assert_eq!(extract(&page, PAGE_URL), expected);
}

#[test]
fn the_direct_mp4_is_used_only_without_a_source_and_when_allowed() {
    let both = r#"{"source": "https://c.example/master.m3u8", "direct_access_url": "https://c.example/v.mp4", "direct_access_allowed": true}"#;
    let expected = player("https://c.example/master.m3u8", MediaKind::Hls);
    assert_eq!(extract(&json_page(both), PAGE_URL), expected);
    let allowed = r#"{"source": "", "direct_access_url": "https://c.example/v.mp4", "direct_access_allowed": true}"#;
    let expected = player("https://c.example/v.mp4", MediaKind::Direct);
    assert_eq!(extract(&json_page(allowed), PAGE_URL), expected);
    let refused =
        r#"{"direct_access_url": "https://c.example/v.mp4", "direct_access_allowed": false}"#;
    assert_eq!(
        message(extract(&json_page(refused), PAGE_URL)),
        "VOE page layout not recognised (missing a usable source (or allowed \
         direct_access_url) in the player JSON)"
    );
}

#[test]
fn an_undecodable_player_json_says_where_the_decoding_failed() {
    let page = r#"<script type="application/json">["%%% not base64 %%%"]</script>"#;
    assert_eq!(
        message(extract(page, PAGE_URL)),
        "VOE page layout not recognised (missing a decodable player JSON: base64 after ROT13)"
    );
}

#[test]
fn an_undecodable_player_json_falls_back_to_a_later_landmark() {
    let page = r#"<script type="application/json">["%%%"]</script>
        <script>var u = "https://d.example/master.m3u8";</script>"#;
    let expected = player("https://d.example/master.m3u8", MediaKind::Hls);
    assert_eq!(extract(page, PAGE_URL), expected);
}

#[test]
fn a_forwarding_page_yields_the_next_hop() {
    let page = extract(FORWARD_PAGE, "https://voe.sx/e/qz1x4h7kd3mf");
    let expected = VoePage::Forward("https://kristiesoundsimply.com/e/qz1x4h7kd3mf".into());
    assert_eq!(page, Ok(expected));
}

#[test]
fn a_permanent_token_forward_is_followed_rather_than_the_frame_check() {
    let page = extract(TOKEN_PAGE, "https://voe.sx/e/qz1x4h7kd3mf");
    let expected = VoePage::Forward(
        "https://jilliandescribecompany.com/e/qz1x4h7kd3mf?permanentToken=6f1c9a2be84d4a7f9c3e"
            .into(),
    );
    assert_eq!(page, Ok(expected));
}

#[test]
fn a_page_without_any_landmark_names_what_was_missing() {
    let expected = "VOE page layout not recognised (missing the player's JSON, a168c, \
        'hls' or an .m3u8 URL)";
    assert_eq!(
        message(extract(DELETED_PAGE, "https://voe.sx/e/1")),
        expected
    );
    let decoys = r#"<script type="application/json">{"@context": "https://schema.org"}</script>
        <script type="application/json">["not", "obfuscated"]</script>"#;
    assert_eq!(message(extract(decoys, "https://voe.sx/e/1")), expected);
}

#[test]
fn an_hls_value_that_is_not_base64_of_a_url_is_an_unrecognised_layout() {
    let page = "var s = {'hls': '!!not-base64!!'};";
    assert_eq!(
        message(extract(page, "https://voe.sx/e/1")),
        "VOE page layout not recognised (missing a base64 URL as the 'hls' value)"
    );
}

#[tokio::test]
async fn two_hops_are_followed_to_the_player_page_which_becomes_the_referer() {
    let first = TOKEN_PAGE.replace(
        "https://jilliandescribecompany.com/e/qz1x4h7kd3mf",
        "{base}/t/abc",
    );
    let second = "<script>location.href = \"{base}/e/qz1x4h7kd3mf\";</script>";
    let site = TestSite::serve(&[
        ("/e/abc", first.as_str()),
        ("/t/abc", second),
        ("/e/qz1x4h7kd3mf", JSON_PAGE),
    ])
    .await;

    let source = resolve(&site.url("/e/abc")).await.unwrap();

    assert_eq!(source.url, PLAYLIST);
    assert_eq!(source.kind, MediaKind::Hls);
    assert_eq!(source.hoster, "VOE");
    assert_eq!(
        source.headers[0],
        ("Referer".into(), site.url("/e/qz1x4h7kd3mf"))
    );
}

#[tokio::test]
async fn forwards_that_loop_are_a_layout_error_naming_the_loop() {
    let site = TestSite::serve(&[
        ("/e/a", "<script>location.href = '{base}/e/b';</script>"),
        ("/e/b", "<script>location.href = '/e/a';</script>"),
    ])
    .await;
    let error = resolve(&site.url("/e/a")).await;
    let expected = format!(
        "VOE page layout not recognised (missing a player page (the forwards loop back to {}))",
        site.url("/e/a")
    );
    assert_eq!(error.unwrap_err().to_string(), expected);
}

#[tokio::test]
async fn more_than_four_forwards_are_given_up() {
    let pages: Vec<(String, String)> = (0..6)
        .map(|i| {
            let next = format!("<script>location.href = '/h/{}';</script>", i + 1);
            (format!("/h/{i}"), next)
        })
        .collect();
    let pages: Vec<(&str, &str)> = pages
        .iter()
        .map(|(p, b)| (p.as_str(), b.as_str()))
        .collect();
    let site = TestSite::serve(&pages).await;
    let error = resolve(&site.url("/h/0")).await;
    assert_eq!(
        error.unwrap_err().to_string(),
        "VOE page layout not recognised (missing a player page within 4 forwards)"
    );
}

#[tokio::test]
async fn a_missing_embed_page_is_not_found() {
    let site = TestSite::serve(&[("/e/other", HLS_PAGE)]).await;
    let error = resolve(&site.url("/e/gone")).await;
    assert_eq!(error, Err(ProviderError::NotFound));
}

/// The decoding chain on any input: a value or the step it failed at, never a panic; and
/// whatever VOE's server encodes (any URL, any noise) reads back.
mod fuzzed {
    use proptest::prelude::*;

    use super::super::decode::tests::obfuscate;
    use super::super::decode::{DecodeError, PlayerSources};
    use super::super::loader::FIXED_MARKERS;

    fn decode(text: &str) -> Result<PlayerSources, DecodeError> {
        super::super::decode::decode(text, &FIXED_MARKERS)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn the_chain_never_panics_on_any_text(text in any::<String>()) {
            let _ = decode(&text);
        }

        #[test]
        fn the_chain_never_panics_on_base64_of_any_bytes(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
            use base64::Engine;
            let once = super::super::decode::BASE64.encode(&bytes);
            let _ = decode(&once);
            let shifted: Vec<u8> = once.bytes().rev().map(|b| b.wrapping_add(3)).collect();
            let _ = decode(&super::super::decode::BASE64.encode(shifted));
        }

        #[test]
        fn whatever_is_encoded_reads_back(
            path in "[A-Za-z0-9_./,=&?-]{0,120}",
            noise in prop::collection::vec((0usize..400, prop::sample::select(vec!["@$", "^^", "~@", "%?", "*~", "!!", "#&", "_"])), 0..8),
        ) {
            let url = format!("https://delivery-node.example/{path}.m3u8");
            let json = serde_json::json!({ "source": url, "title": "x" }).to_string();
            let mut encoded = obfuscate(&json);
            // More noise where VOE puts it: between two characters of the text, never
            // inside another marker.
            let text = |c: char| c.is_ascii_alphanumeric() || "+/=_".contains(c);
            for (at, marker) in noise {
                let gaps: Vec<usize> = (0..=encoded.len())
                    .filter(|&i| {
                        encoded[..i].chars().next_back().is_none_or(text)
                            && encoded[i..].chars().next().is_none_or(text)
                    })
                    .collect();
                encoded.insert_str(gaps[at % gaps.len()], marker);
            }
            prop_assert_eq!(decode(&encoded).unwrap().source, Some(url));
        }
    }
}
