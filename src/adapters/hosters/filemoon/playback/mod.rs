//! Filemoon's API answer (`GET /api/videos/<code>`): `playback: {key_parts, iv, payload, iv2?,
//! payload2?}`, all base64url. The key is the decoded `key_parts` joined (AES-256); `payload`
//! is AES-256-GCM ciphertext with its 16-byte tag at the end, no associated data, and decrypts
//! to JSON naming the stream: `sources: [{url, height}]` (best height wins), else `source` or
//! `file`.

use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::Engine;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use serde_json::Value;

use crate::domain::catalogue::ProviderError;

/// base64url with or without padding, as the API writes it.
const BASE64URL: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::URL_SAFE,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

fn missing(landmark: &str) -> ProviderError {
    ProviderError::Layout(format!("Filemoon page: {landmark}"))
}

/// The stream URL (as written) in an API answer.
pub(in crate::adapters::hosters) fn stream_url(answer: &str) -> Result<String, ProviderError> {
    let answer: Value =
        serde_json::from_str(answer).map_err(|_| missing("JSON of the video API"))?;
    let playback = answer
        .get("playback")
        .filter(|p| p.is_object())
        .ok_or_else(|| missing("playback"))?;
    let key = key(playback).ok_or_else(|| missing("32-byte playback key_parts"))?;
    let cipher = Aes256Gcm::new_from_slice(&key).map_err(|_| missing("playback key_parts"))?;
    let mut first_error = None;
    for (iv, payload) in [("iv", "payload"), ("iv2", "payload2")] {
        let found = decrypt(&cipher, playback, iv, payload)
            .ok_or_else(|| missing("decryptable playback payload"))
            .and_then(|plain| source_in(&plain));
        match found {
            Ok(url) => return Ok(url),
            Err(e) => {
                first_error.get_or_insert(e);
            }
        }
    }
    Err(first_error.unwrap_or_else(|| missing("decryptable playback payload")))
}

/// The decoded `key_parts` joined; `None` unless they make 32 bytes.
fn key(playback: &Value) -> Option<Vec<u8>> {
    let mut key = Vec::new();
    for part in playback.get("key_parts")?.as_array()? {
        key.extend(BASE64URL.decode(part.as_str()?).ok()?);
    }
    (key.len() == 32).then_some(key)
}

/// One `iv`/`payload` pair decrypted; `None` when absent, malformed or not authentic.
fn decrypt(cipher: &Aes256Gcm, playback: &Value, iv: &str, payload: &str) -> Option<Vec<u8>> {
    let iv = BASE64URL.decode(playback.get(iv)?.as_str()?).ok()?;
    let payload = BASE64URL.decode(playback.get(payload)?.as_str()?).ok()?;
    let nonce = Nonce::try_from(iv.as_slice()).ok()?;
    cipher.decrypt(&nonce, payload.as_slice()).ok()
}

/// The stream in the decrypted JSON: the source of greatest height, else `source` or `file`.
fn source_in(plain: &[u8]) -> Result<String, ProviderError> {
    let no_source = || missing("sources in the playback payload");
    let value: Value = serde_json::from_slice(plain).map_err(|_| no_source())?;
    let best = value
        .get("sources")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|s| {
            let url = s.get("url").or_else(|| s.get("file"))?.as_str()?;
            Some((height(s.get("height")), url))
        })
        // `max_by_key` keeps the last of equals; the first listed wins a tie instead.
        .rev()
        .max_by_key(|(h, _)| *h)
        .map(|(_, url)| url);
    best.or_else(|| value.get("source").and_then(Value::as_str))
        .or_else(|| value.get("file").and_then(Value::as_str))
        .filter(|url| !url.trim().is_empty())
        .map(str::to_owned)
        .ok_or_else(no_source)
}

/// A height as a number or as text (`1080`, `"1080"`, `"1080p"`); 0 when unreadable.
fn height(value: Option<&Value>) -> u64 {
    match value {
        Some(Value::Number(n)) => n.as_u64().unwrap_or(0),
        Some(Value::String(s)) => {
            let digits: String = s.trim().chars().take_while(char::is_ascii_digit).collect();
            digits.parse().unwrap_or(0)
        }
        _ => 0,
    }
}

#[cfg(test)]
mod tests;
