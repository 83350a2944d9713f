use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::Engine;
use serde_json::json;

use super::*;

const KEY: [u8; 32] = *b"0123456789abcdefFEDCBA9876543210";
const IV: [u8; 12] = *b"nonce-twelve";

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

fn sealed(plain: &str, key: &[u8; 32]) -> String {
    let cipher = Aes256Gcm::new_from_slice(key).unwrap();
    let nonce = Nonce::try_from(&IV[..]).unwrap();
    b64(&cipher.encrypt(&nonce, plain.as_bytes()).unwrap())
}

fn answer(payload: &str) -> String {
    json!({ "id": 7, "playback": {
        "algorithm": "AES-256-GCM",
        "key_parts": [b64(&KEY[..11]), b64(&KEY[11..20]), b64(&KEY[20..])],
        "iv": b64(&IV),
        "payload": payload,
    }})
    .to_string()
}

#[test]
fn the_source_of_greatest_height_is_taken_whatever_its_place() {
    let plain = r#"{"sources":[{"url":"https://cdn.example/720/master.m3u8","height":720},
        {"url":"https://cdn.example/1080/master.m3u8","height":"1080p"},
        {"url":"https://cdn.example/360/master.m3u8","height":360}],"tracks":[]}"#;
    assert_eq!(
        stream_url(&answer(&sealed(plain, &KEY))).unwrap(),
        "https://cdn.example/1080/master.m3u8"
    );
}

#[test]
fn a_payload_without_sources_falls_back_to_source_then_file() {
    let source = sealed(
        r#"{"source":"https://cdn.example/a.m3u8","file":"x"}"#,
        &KEY,
    );
    assert_eq!(
        stream_url(&answer(&source)).unwrap(),
        "https://cdn.example/a.m3u8"
    );
    let file = sealed(
        r#"{"sources":[],"file":"https://cdn.example/b.m3u8"}"#,
        &KEY,
    );
    assert_eq!(
        stream_url(&answer(&file)).unwrap(),
        "https://cdn.example/b.m3u8"
    );
}

#[test]
fn the_second_pair_is_tried_when_the_first_does_not_decrypt() {
    let mut value: Value =
        serde_json::from_str(&answer(&sealed("{}", b"another key, 32 bytes long......"))).unwrap();
    value["playback"]["iv2"] = json!(b64(&IV));
    value["playback"]["payload2"] = json!(sealed(r#"{"file":"https://cdn.example/2.m3u8"}"#, &KEY));
    assert_eq!(
        stream_url(&value.to_string()).unwrap(),
        "https://cdn.example/2.m3u8"
    );
}

#[test]
fn a_tampered_payload_is_not_decryptable_and_names_that_landmark() {
    let mut payload = BASE64URL
        .decode(sealed(r#"{"file":"https://x/y.m3u8"}"#, &KEY))
        .unwrap();
    payload[3] ^= 1;
    let error = stream_url(&answer(&b64(&payload))).unwrap_err();
    assert_eq!(
        error.to_string(),
        "Filemoon page layout not recognised (missing decryptable playback payload)"
    );
}

#[test]
fn malformed_answers_are_layout_errors_naming_what_is_missing() {
    let cases = [
        ("<html>not json</html>", "JSON of the video API"),
        (r#"{"error":"not found"}"#, "playback"),
        (r#"{"playback":"x"}"#, "playback"),
        (
            r#"{"playback":{"key_parts":["AAAA"],"iv":"","payload":""}}"#,
            "32-byte playback key_parts",
        ),
        (
            r#"{"playback":{"key_parts":[1,2],"iv":"","payload":""}}"#,
            "32-byte playback key_parts",
        ),
        (
            r#"{"playback":{"key_parts":["!!"]}}"#,
            "32-byte playback key_parts",
        ),
    ];
    for (answer, landmark) in cases {
        assert_eq!(
            stream_url(answer),
            Err(ProviderError::Layout(format!("Filemoon page: {landmark}"))),
            "{answer}"
        );
    }
}

#[test]
fn short_ivs_short_payloads_and_wrong_types_are_errors_not_panics() {
    let key_parts = json!([b64(&KEY)]);
    for (iv, payload) in [
        (json!(b64(&IV[..5])), json!(sealed("{}", &KEY))),
        (json!(b64(&IV)), json!(b64(b"short"))),
        (json!(b64(&IV)), json!("")),
        (json!(12), json!(null)),
        (json!("%%%"), json!("%%%")),
    ] {
        let answer = json!({"playback": {"key_parts": key_parts, "iv": iv, "payload": payload}});
        assert!(stream_url(&answer.to_string()).is_err(), "{answer}");
    }
}

#[test]
fn a_decrypted_payload_without_any_url_names_the_sources() {
    let payload = sealed(r#"{"sources":[{"height":1080}],"source":""}"#, &KEY);
    assert_eq!(
        stream_url(&answer(&payload)).unwrap_err().to_string(),
        "Filemoon page layout not recognised (missing sources in the playback payload)"
    );
}

/// The API answer on any input: a stream or a layout error, never a panic; and any sealed
/// source list yields its greatest height.
mod fuzzed {
    use proptest::prelude::*;

    use super::*;

    fn b64_of(bytes: Vec<u8>) -> String {
        b64(&bytes)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn any_text_is_a_value_or_a_layout_error(text in any::<String>()) {
            if let Err(e) = stream_url(&text) {
                prop_assert!(matches!(e, ProviderError::Layout(_)));
            }
        }

        #[test]
        fn any_playback_fields_are_a_value_or_a_layout_error(
            parts in prop::collection::vec(prop::collection::vec(any::<u8>(), 0..40).prop_map(b64_of), 0..5),
            iv in prop::collection::vec(any::<u8>(), 0..20).prop_map(b64_of),
            payload in prop::collection::vec(any::<u8>(), 0..200).prop_map(b64_of),
        ) {
            let answer = json!({ "playback": { "key_parts": parts, "iv": iv, "payload": payload } });
            if let Err(e) = stream_url(&answer.to_string()) {
                prop_assert!(matches!(e, ProviderError::Layout(_)));
            }
        }

        #[test]
        fn any_sealed_source_list_yields_its_greatest_height(
            heights in prop::collection::vec(0u32..5000, 1..8),
        ) {
            let sources: Vec<_> = heights
                .iter()
                .enumerate()
                .map(|(i, h)| json!({ "url": format!("https://cdn.example/{i}/master.m3u8"), "height": h }))
                .collect();
            let plain = json!({ "sources": sources }).to_string();
            let best = heights.iter().max().unwrap();
            let first_best = heights.iter().position(|h| h == best).unwrap();
            prop_assert_eq!(
                stream_url(&answer(&sealed(&plain, &KEY))).unwrap(),
                format!("https://cdn.example/{first_best}/master.m3u8")
            );
        }
    }
}
