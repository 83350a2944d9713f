//! The decoders on their own. The first byte picks one:
//! 0 VOE's chain on an obfuscated value; 1 the chain on a player JSON obfuscated here, so the
//! JSON step is reached; 2 the packer on every packed script of a page; 3 the packer on
//! `payload NUL words` in the base of the second byte; 4 Filemoon's API answer; 5 an answer
//! whose payload is the input encrypted here, so the JSON behind AES-256-GCM is reached.
#![no_main]

use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes256Gcm, Nonce};
use aniworld::fuzzing::hosters;
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use libfuzzer_sys::fuzz_target;

/// VOE's obfuscation, the decode chain backwards: base64, reversed, shifted by 3, base64,
/// ROT13.
fn obfuscate(json: &[u8]) -> String {
    let inner: Vec<u8> = STANDARD.encode(json).bytes().rev().map(|b| b + 3).collect();
    STANDARD
        .encode(inner)
        .chars()
        .map(|c| match c {
            'a'..='z' => (((c as u8 - b'a') + 13) % 26 + b'a') as char,
            'A'..='Z' => (((c as u8 - b'A') + 13) % 26 + b'A') as char,
            _ => c,
        })
        .collect()
}

/// A Filemoon API answer carrying `plain` as its AES-256-GCM payload.
fn filemoon_answer(plain: &[u8]) -> String {
    let key = [7u8; 32];
    let iv = [9u8; 12];
    let cipher = Aes256Gcm::new_from_slice(&key).expect("a 32-byte key");
    let nonce = Nonce::try_from(&iv[..]).expect("a 12-byte nonce");
    let payload = cipher.encrypt(&nonce, plain).expect("encryption");
    format!(
        r#"{{"playback":{{"key_parts":["{}","{}"],"iv":"{}","payload":"{}"}}}}"#,
        URL_SAFE_NO_PAD.encode(&key[..16]),
        URL_SAFE_NO_PAD.encode(&key[16..]),
        URL_SAFE_NO_PAD.encode(iv),
        URL_SAFE_NO_PAD.encode(payload)
    )
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    match selector % 6 {
        0 => {
            let _ = hosters::voe_decode(&text);
        }
        1 => {
            if let Err(step) = hosters::voe_decode(&obfuscate(rest)) {
                assert!(
                    step.contains("UTF-8") || step.contains("JSON") || step.contains("nothing"),
                    "the obfuscation steps undone: {step}"
                );
            }
        }
        2 => {
            let _ = hosters::unpack_all(&text);
        }
        3 => {
            let Some((&base, rest)) = rest.split_first() else {
                return;
            };
            let text = String::from_utf8_lossy(rest);
            let (payload, words) = text.split_once('\0').unwrap_or((&text, ""));
            let _ = hosters::unpack(payload, u32::from(base), words);
        }
        4 => {
            let _ = hosters::filemoon_answer(&text);
        }
        _ => {
            if let Err(error) = hosters::filemoon_answer(&filemoon_answer(rest)) {
                assert!(
                    !error.to_string().contains("decryptable"),
                    "the payload decrypts: {error}"
                );
            }
        }
    }
});
