//! The attribute lists of HLS tags (`BANDWIDTH=1280000,CODECS="avc1.4d401f,mp4a.40.2"`) and
//! the small value parsers the playlist reader needs. Quoted values may hold commas, so a
//! plain `split(',')` would cut `CODECS` in half; this reader walks the text once instead.

/// The `NAME=value` pairs of one tag, in order; quotes are removed from quoted values.
/// Names are upper-cased because real playlists are not always careful about case.
pub(super) fn attribute_list(text: &str) -> Vec<(String, String)> {
    let mut pairs = Vec::new();
    let mut rest = text.trim();
    while !rest.is_empty() {
        let Some(eq) = rest.find('=') else { break };
        let name = rest[..eq].trim().trim_start_matches(',').trim();
        let after = rest[eq + 1..].trim_start();
        let (value, remainder) = if let Some(quoted) = after.strip_prefix('"') {
            match quoted.find('"') {
                Some(end) => (&quoted[..end], &quoted[end + 1..]),
                // An unterminated quote: take the rest rather than give up on the tag.
                None => (quoted, ""),
            }
        } else {
            match after.find(',') {
                Some(end) => (after[..end].trim(), &after[end..]),
                None => (after.trim(), ""),
            }
        };
        if !name.is_empty() {
            pairs.push((name.to_ascii_uppercase(), value.to_owned()));
        }
        rest = remainder.trim_start().trim_start_matches(',').trim_start();
    }
    pairs
}

/// The value of one attribute, if present.
pub(super) fn attribute<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

/// `1920x1080` as width and height.
pub(super) fn resolution(text: &str) -> Option<(u32, u32)> {
    let (w, h) = text.trim().split_once(['x', 'X'])?;
    Some((w.trim().parse().ok()?, h.trim().parse().ok()?))
}

/// A duration in seconds as written after `#EXTINF:` (`9.009,title`) or
/// `#EXT-X-TARGETDURATION:` (an integer by the RFC, a decimal in some playlists).
pub(super) fn seconds(text: &str) -> Option<f64> {
    let number = text.split(',').next()?.trim();
    number
        .parse::<f64>()
        .ok()
        .filter(|s| s.is_finite() && *s >= 0.0)
}

/// An `IV=0x...` value as 16 bytes. The RFC asks for 32 hex digits; shorter values are read
/// as a number and left-padded with zeros, which is what common players do with them.
pub(super) fn iv(text: &str) -> Option<[u8; 16]> {
    let hex = text
        .trim()
        .strip_prefix("0x")
        .or_else(|| text.trim().strip_prefix("0X"))?;
    if hex.is_empty() || hex.len() > 32 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let value = u128::from_str_radix(hex, 16).ok()?;
    Some(value.to_be_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_values_keep_their_commas() {
        let pairs = attribute_list(
            r#"BANDWIDTH=1280000,CODECS="avc1.4d401f,mp4a.40.2",RESOLUTION=640x360"#,
        );
        assert_eq!(attribute(&pairs, "BANDWIDTH"), Some("1280000"));
        assert_eq!(attribute(&pairs, "CODECS"), Some("avc1.4d401f,mp4a.40.2"));
        assert_eq!(attribute(&pairs, "RESOLUTION"), Some("640x360"));
    }

    #[test]
    fn attribute_names_are_matched_whatever_their_case() {
        let pairs = attribute_list("method=AES-128, uri=\"k.bin\"");
        assert_eq!(attribute(&pairs, "METHOD"), Some("AES-128"));
        assert_eq!(attribute(&pairs, "URI"), Some("k.bin"));
    }

    #[test]
    fn a_full_iv_is_read_big_endian_and_a_short_one_is_left_padded() {
        let full = iv("0x000102030405060708090A0B0C0D0E0F").unwrap();
        assert_eq!(full, core::array::from_fn(|i| i as u8));
        let short = iv("0x1").unwrap();
        assert_eq!(short[15], 1);
        assert!(short[..15].iter().all(|b| *b == 0));
    }

    #[test]
    fn an_iv_without_prefix_or_with_bad_digits_or_too_long_is_refused() {
        assert_eq!(iv("000102"), None);
        assert_eq!(iv("0xZZ"), None);
        assert_eq!(iv("0x"), None);
        assert_eq!(iv(&format!("0x{}", "1".repeat(33))), None);
    }

    #[test]
    fn extinf_durations_ignore_the_title_and_refuse_nonsense() {
        assert_eq!(seconds("9.009,Episode 1"), Some(9.009));
        assert_eq!(seconds("10"), Some(10.0));
        assert_eq!(seconds("-1,"), None);
        assert_eq!(seconds("NaN"), None);
    }
}
