use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::Engine;

use super::super::test_site::{TestSite, fetcher, resolve_at};
use super::*;
use crate::domain::catalogue::MediaKind;

/// The 2026 embed page: only the player, which asks the video API.
const API_PLAYER_PAGE: &str = r#"<!DOCTYPE html><html><head><title>Watch &amp; share | Filemoon</title></head>
<body><div id="app" data-video="mp1x2"></div>
<script>window.__api = "/api/videos/mp1x2";</script><script type="module" src="/assets/player-2026.js"></script></body></html>"#;

const PACKED_PAGE: &str = include_str!("../../../../tests/fixtures/hosters/filemoon_packed.html");
const PACKED_PLAYLIST: &str = "https://be4242.rcr82.waw05.cdn112.com/hls2/01/09876/\
    ,mp1x2h7lkcq4_n,.urlset/master.m3u8?t=kq9Rf-T3b_x&s=1764412345&e=10800&f=49381&srv=25\
    &i=0.4&sp=500&p1=25&p2=25&asn=3320";

/// An API answer naming `plain` (the decrypted JSON), encrypted as Filemoon does.
fn api_answer(plain: &str) -> String {
    let b64 = |b: &[u8]| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b);
    let key = [7u8; 32];
    let iv = [9u8; 12];
    let cipher = Aes256Gcm::new_from_slice(&key).unwrap();
    let sealed = cipher
        .encrypt(&Nonce::try_from(&iv[..]).unwrap(), plain.as_bytes())
        .unwrap();
    serde_json::json!({ "playback": {
        "key_parts": [b64(&key[..16]), b64(&key[16..])], "iv": b64(&iv), "payload": b64(&sealed),
    }})
    .to_string()
}

#[test]
fn the_code_and_host_root_come_from_e_and_d_embed_urls() {
    let video = Video::of("https://filemoon.to/e/mp1x2h7lkcq4/Attack_on_Titan").unwrap();
    assert_eq!(video.origin, "https://filemoon.to/");
    assert_eq!(video.code, "mp1x2h7lkcq4");
    assert_eq!(
        video.api_url(),
        "https://filemoon.to/api/videos/mp1x2h7lkcq4"
    );
    let download = Video::of("http://127.0.0.1:8080/hoster/filemoon/d/42").unwrap();
    assert_eq!(download.origin, "http://127.0.0.1:8080/");
    assert_eq!(download.code, "42");
}

#[test]
fn an_embed_url_without_a_code_names_that_landmark() {
    for url in [
        "https://filemoon.to/",
        "https://filemoon.to/e/",
        "not a url",
    ] {
        assert!(
            matches!(Video::of(url), Err(ProviderError::Layout(what)) if what.starts_with("Filemoon page: ")),
            "{url}"
        );
    }
}

#[test]
fn the_packed_player_yields_its_playlist_not_the_thumbnails_nor_the_unpacked_decoy() {
    assert_eq!(packed_stream_url(PACKED_PAGE).unwrap(), PACKED_PLAYLIST);
}

#[test]
fn a_page_without_a_packed_script_names_that_landmark() {
    let page = r#"<script>var fallback = { file: "https://decoy.example/master.m3u8" };</script>"#;
    assert_eq!(
        packed_stream_url(page).unwrap_err().to_string(),
        "Filemoon page layout not recognised (missing packed player script)"
    );
}

#[test]
fn a_packed_script_without_a_playlist_names_that_landmark() {
    let page = "eval(function(p,a,c,k,e,d){return p}('0({1:\"2.3\"})',10,4,'setup|file|thumb|jpg'.split('|'),0,{}))";
    assert_eq!(
        packed_stream_url(page).unwrap_err().to_string(),
        "Filemoon page layout not recognised (missing m3u8 file in the unpacked player script)"
    );
}

#[tokio::test]
async fn the_api_answer_gives_the_best_playlist_with_the_host_root_as_referer() {
    let answer = api_answer(
        r#"{"sources":[{"url":"/hls/720/master.m3u8","height":720},{"url":"/hls/1080/master.m3u8","height":1080}]}"#,
    );
    let site = TestSite::serve(&[
        ("/api/videos/mp1x2", &answer),
        ("/e/mp1x2", API_PLAYER_PAGE),
    ])
    .await;

    let source = resolve_at(&Filemoon::new(fetcher()), &site.url("/e/mp1x2"))
        .await
        .unwrap();

    assert_eq!(source.url, site.url("/hls/1080/master.m3u8"));
    assert_eq!(source.kind, MediaKind::Hls);
    assert_eq!(source.hoster, "Filemoon");
    assert_eq!(source.headers[0], ("Referer".into(), site.url("/")));
}

#[tokio::test]
async fn without_the_api_the_packed_embed_page_is_read() {
    let site = TestSite::serve(&[("/e/mp1x2h7lkcq4", PACKED_PAGE)]).await;

    let source = resolve_at(&Filemoon::new(fetcher()), &site.url("/e/mp1x2h7lkcq4"))
        .await
        .unwrap();

    assert_eq!(source.url, PACKED_PLAYLIST);
    assert_eq!(source.headers[0], ("Referer".into(), site.url("/")));
}

#[tokio::test]
async fn an_unreadable_api_answer_and_a_page_without_the_old_form_report_the_api_landmark() {
    let site = TestSite::serve(&[
        ("/api/videos/x1", r#"{"status":"ok"}"#),
        (
            "/e/x1",
            "<html><body>File is no longer available</body></html>",
        ),
    ])
    .await;

    let error = resolve_at(&Filemoon::new(fetcher()), &site.url("/e/x1"))
        .await
        .unwrap_err();

    assert_eq!(
        error.to_string(),
        "Filemoon page layout not recognised (missing playback)"
    );
}

#[tokio::test]
async fn a_video_gone_from_the_api_and_the_embed_page_is_not_found() {
    let site = TestSite::serve(&[]).await;
    let error = resolve_at(&Filemoon::new(fetcher()), &site.url("/e/gone"))
        .await
        .unwrap_err();
    assert_eq!(error, ProviderError::NotFound);
}

#[test]
fn an_api_player_or_a_packed_page_is_recognised_on_any_host_and_filemoon_names_by_host() {
    let page = |url: &str, body: &str| EmbedPage {
        url: url.into(),
        body: body.into(),
        linked_from: "https://aniworld.to/redirect/1".into(),
    };
    let filemoon = Filemoon::new(fetcher());
    let local = "http://127.0.0.1:9/hoster/x/e/1";
    for body in [API_PLAYER_PAGE, PACKED_PAGE] {
        assert_eq!(
            filemoon.recognises(&page(local, body)),
            Recognition::Landmarks
        );
    }
    assert_eq!(
        filemoon.recognises(&page("https://filemoon.to/e/x", "")),
        Recognition::Host
    );
    assert_eq!(
        filemoon.recognises(&page(local, "<video src=\"/v.mp4\"></video>")),
        Recognition::Unknown
    );
}

/// The unpacker on any input: never a panic, never more than its cap; and whatever the
/// packer packs reads back.
mod fuzzed {
    use proptest::prelude::*;

    use super::super::unpack::{unpack, unpack_all};

    /// `n` written in `base` with the packer's digits.
    fn encode(mut n: usize, base: usize) -> String {
        const DIGITS: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
        let mut out = Vec::new();
        loop {
            out.push(DIGITS[n % base]);
            n /= base;
            if n == 0 {
                break;
            }
        }
        out.reverse();
        String::from_utf8(out).unwrap()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn unpacking_never_panics(payload in any::<String>(), base in any::<u32>(), words in any::<String>()) {
            if let Some(out) = unpack(&payload, base, &words) {
                prop_assert!(out.len() <= 4 * 1024 * 1024);
            }
        }

        #[test]
        fn finding_packed_scripts_never_panics(page in "(eval\\(function\\(p,a,c,k,e,d\\)\\{|\\}\\('|',|[0-9]{1,3}|'\\.split\\('\\|'\\)|\\\\'|[a-z|; ]{0,6}){0,30}") {
            let _ = unpack_all(&page);
        }

        #[test]
        fn what_the_packer_packs_reads_back(
            words in prop::collection::vec("[a-z][a-z0-9]{0,7}", 1..80),
            base in 2usize..=62,
        ) {
            let payload: Vec<String> = (0..words.len()).map(|i| encode(i, base)).collect();
            let out = unpack(&payload.join(" "), base as u32, &words.join("|")).unwrap();
            prop_assert_eq!(out, words.join(" "));
        }
    }

    #[test]
    fn a_payload_that_would_explode_is_refused() {
        let payload = "0 ".repeat(100_000);
        let word = "x".repeat(1_000);
        assert_eq!(unpack(&payload, 10, &word), None);
    }
}
