//! VOE's obfuscation of the player's sources (the JSON-array script of 2026 and the
//! `a168c` variable of 2025 hold the same thing): ROT13, noise markers, base64, a character
//! shift, a reversal and base64 again around a small JSON object. Pure, so it is tested on
//! strings alone.

use base64::Engine;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use serde::{Deserialize, Deserializer};

/// Base64 as VOE writes it: standard alphabet, padding sometimes dropped.
pub(super) const BASE64: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// What the decoded player JSON tells us (its `fallback`, `title` and `captions` are unused).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub(super) struct PlayerSources {
    /// The HLS master playlist (signed, expiring after some hours).
    #[serde(default)]
    pub source: Option<String>,
    /// An MP4 of the same video, usable only when `direct_access_allowed` is true.
    #[serde(default)]
    pub direct_access_url: Option<String>,
    /// Whether `direct_access_url` may be downloaded.
    #[serde(default, deserialize_with = "lenient_bool")]
    pub direct_access_allowed: bool,
}

/// The step of the chain at which a value stopped making sense.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum DecodeError {
    /// Nothing left once the markers were removed.
    Empty,
    /// The first base64 decoding (after ROT13 and marker removal) failed.
    FirstBase64,
    /// A character code below 3 (or above ASCII) after the first decoding.
    Shift,
    /// The second base64 decoding (after the shift and the reversal) failed.
    SecondBase64,
    /// The innermost bytes are not UTF-8.
    Utf8,
    /// The innermost text is not a JSON object of the expected shape.
    Json,
}

impl DecodeError {
    /// Where the chain failed, in words for the layout error.
    pub(super) fn step(self) -> &'static str {
        match self {
            Self::Empty => "nothing left after removing the markers",
            Self::FirstBase64 => "base64 after ROT13",
            Self::Shift => "printable text after the character shift",
            Self::SecondBase64 => "base64 after the reversal",
            Self::Utf8 => "UTF-8 after the second base64",
            Self::Json => "a JSON object after the second base64",
        }
    }
}

/// Decodes an obfuscated value into the player's sources, removing `markers` (the noise
/// strings VOE scatters through the encoded text), or says at which step it failed.
pub(super) fn decode<M: AsRef<str>>(
    obfuscated: &str,
    markers: &[M],
) -> Result<PlayerSources, DecodeError> {
    let rotated = rot13(obfuscated.trim());
    // Each marker becomes `_` before the `_` go, as VOE's player does: removing one marker
    // must not join its neighbours into another.
    let cleaned = markers
        .iter()
        .map(AsRef::as_ref)
        .filter(|marker| !marker.is_empty())
        .fold(rotated, |text, marker| text.replace(marker, "_"))
        .replace('_', "");
    if cleaned.is_empty() {
        return Err(DecodeError::Empty);
    }
    let first = BASE64
        .decode(cleaned.as_bytes())
        .map_err(|_| DecodeError::FirstBase64)?;
    let shifted = first
        .iter()
        .map(|byte| byte.checked_sub(3).filter(u8::is_ascii))
        .collect::<Option<Vec<u8>>>()
        .ok_or(DecodeError::Shift)?;
    let reversed: Vec<u8> = shifted.into_iter().rev().collect();
    let second = BASE64
        .decode(&reversed)
        .map_err(|_| DecodeError::SecondBase64)?;
    let text = String::from_utf8(second).map_err(|_| DecodeError::Utf8)?;
    // Only an object: serde would also read a struct from an array of its fields.
    match serde_json::from_str::<serde_json::Value>(&text) {
        Ok(value @ serde_json::Value::Object(_)) => {
            serde_json::from_value(value).map_err(|_| DecodeError::Json)
        }
        _ => Err(DecodeError::Json),
    }
}

/// ROT13 on ASCII letters; everything else is kept.
pub(super) fn rot13(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            'a'..='z' => rotate(c, b'a'),
            'A'..='Z' => rotate(c, b'A'),
            _ => c,
        })
        .collect()
}

fn rotate(c: char, base: u8) -> char {
    char::from((c as u8 - base + 13) % 26 + base)
}

/// `true`, `1` and `"true"`/`"1"` are true; anything else (or null) is false.
fn lenient_bool<'de, D: Deserializer<'de>>(deserializer: D) -> Result<bool, D::Error> {
    Ok(match serde_json::Value::deserialize(deserializer)? {
        serde_json::Value::Bool(b) => b,
        serde_json::Value::Number(n) => n.as_u64() == Some(1),
        serde_json::Value::String(s) => matches!(s.trim(), "true" | "1"),
        _ => false,
    })
}

#[cfg(test)]
pub(super) mod tests {
    use super::super::loader::FIXED_MARKERS as MARKERS;
    use super::*;

    fn decode(obfuscated: &str) -> Result<PlayerSources, DecodeError> {
        super::decode(obfuscated, &MARKERS)
    }

    /// The inverse chain, as VOE's server must run it: base64, reverse, shift up by 3,
    /// base64, scatter the markers and `_`, ROT13.
    pub(in super::super) fn obfuscate(json: &str) -> String {
        obfuscate_with(json, &MARKERS)
    }

    /// [`obfuscate`] scattering these markers.
    pub(in super::super) fn obfuscate_with(json: &str, markers: &[&str]) -> String {
        let inner: String = BASE64.encode(json).chars().rev().collect();
        let shifted: Vec<u8> = inner.bytes().map(|b| b + 3).collect();
        let outer = BASE64.encode(shifted);
        let mut noisy = String::new();
        for (i, c) in outer.chars().enumerate() {
            noisy.push(c);
            if i % 5 == 4 {
                noisy.push_str(markers[i / 5 % markers.len()]);
            }
            if i % 11 == 10 {
                noisy.push('_');
            }
        }
        rot13(&noisy)
    }

    #[test]
    fn an_obfuscated_player_json_decodes_to_its_sources() {
        let json = r#"{"source":"https:\/\/cdn.example\/hls\/master.m3u8?t=a&s=1","direct_access_url":"https://cdn.example/v.mp4","direct_access_allowed":true,"fallback":[],"title":"Folge 5 – Ä","captions":[]}"#;
        let sources = decode(&obfuscate(json)).unwrap();
        assert_eq!(
            sources,
            PlayerSources {
                source: Some("https://cdn.example/hls/master.m3u8?t=a&s=1".into()),
                direct_access_url: Some("https://cdn.example/v.mp4".into()),
                direct_access_allowed: true,
            }
        );
    }

    #[test]
    fn every_marker_appears_in_a_long_enough_encoding_and_is_removed() {
        let json = format!(
            r#"{{"source":"https://a.example/{}.m3u8"}}"#,
            "x".repeat(200)
        );
        let encoded = obfuscate(&json);
        assert!(MARKERS.iter().all(|m| encoded.contains(m)));
        assert!(encoded.contains('_'));
        let expected = format!("https://a.example/{}.m3u8", "x".repeat(200));
        assert_eq!(decode(&encoded).unwrap().source, Some(expected));
    }

    #[test]
    fn rot13_turns_only_ascii_letters() {
        assert_eq!(rot13("Hello, World! 09+/=_ä"), "Uryyb, Jbeyq! 09+/=_ä");
        assert_eq!(rot13(&rot13("AbcXyz")), "AbcXyz");
    }

    #[test]
    fn missing_fields_and_loose_flags_are_read_leniently() {
        let none = decode(&obfuscate("{}")).unwrap();
        assert_eq!(none, PlayerSources::default());
        let flag = decode(&obfuscate(r#"{"direct_access_allowed": 1}"#)).unwrap();
        assert!(flag.direct_access_allowed);
        let off = decode(&obfuscate(r#"{"direct_access_allowed": "no"}"#)).unwrap();
        assert!(!off.direct_access_allowed);
    }

    #[test]
    fn an_empty_or_markers_only_value_is_empty() {
        assert_eq!(decode(""), Err(DecodeError::Empty));
        assert_eq!(decode(" @$^^__!! "), Err(DecodeError::Empty));
    }

    #[test]
    fn text_that_is_not_base64_fails_at_the_first_decoding() {
        assert_eq!(decode("not base64 at all!"), Err(DecodeError::FirstBase64));
        assert_eq!(decode("A"), Err(DecodeError::FirstBase64));
    }

    #[test]
    fn bytes_below_three_fail_at_the_shift() {
        let outer = BASE64.encode([0x01, 0x41, 0x42]);
        assert_eq!(decode(&rot13(&outer)), Err(DecodeError::Shift));
        let high = BASE64.encode([0xC3, 0xA4]);
        assert_eq!(decode(&rot13(&high)), Err(DecodeError::Shift));
    }

    #[test]
    fn a_shifted_text_that_is_not_base64_fails_at_the_second_decoding() {
        let shifted: Vec<u8> = "!!!!".bytes().map(|b| b + 3).collect();
        let outer = BASE64.encode(shifted);
        assert_eq!(decode(&rot13(&outer)), Err(DecodeError::SecondBase64));
    }

    #[test]
    fn inner_bytes_that_are_not_utf8_or_not_json_say_so() {
        let wrap = |inner: &[u8]| {
            let reversed: String = BASE64.encode(inner).chars().rev().collect();
            let shifted: Vec<u8> = reversed.bytes().map(|b| b + 3).collect();
            rot13(&BASE64.encode(shifted))
        };
        assert_eq!(decode(&wrap(&[0xFF, 0xFE, 0x7B])), Err(DecodeError::Utf8));
        assert_eq!(decode(&wrap(b"not json")), Err(DecodeError::Json));
        assert_eq!(decode(&wrap(b"[\"array\"]")), Err(DecodeError::Json));
    }
}
