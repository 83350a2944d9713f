//! Where each VOE landmark sits in a page, newest first: the JSON-array script (2026), the
//! `a168c` variable (2025), the `'hls'` entry, a bare `.m3u8` URL, and the forwards of the
//! redirect hops. Each finder returns the value as written; `mod.rs` decides what it means.

use std::sync::LazyLock;

use regex::Regex;
use scraper::{Html, Selector};

/// `var a168c = '<obfuscated>';`, with either quote style and any spacing.
static A168C: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"var\s+a168c\s*=\s*['"]([^'"]+)['"]"#).expect("valid regex"));

/// `'hls': '<value>'`, with either quote style and any spacing.
static HLS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"['"]hls['"]\s*:\s*['"]([^'"\s]+)['"]"#).expect("valid regex"));

/// Any `http(s)://...m3u8...` URL, JSON-escaped slashes allowed.
static M3U8: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"https?:\\?/\\?/[^\s'"<>()]+?\.m3u8[^\s'"<>()]*"#).expect("valid regex")
});

/// `window.location.href = '<url>'` or `location.href = "<url>"`.
static FORWARD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"\blocation\.href\s*=\s*['"]([^'"]+)['"]"#).expect("valid regex")
});

/// `<script type="application/json">`, the 2026 player's data block.
static JSON_SCRIPT: LazyLock<Selector> = LazyLock::new(|| {
    Selector::parse(r#"script[type="application/json"]"#).expect("valid selector")
});

/// The obfuscated strings of every `<script type="application/json">` whose body is a JSON
/// array of exactly one string, in page order. Other JSON scripts (structured data, config
/// arrays) are decoys and skipped.
pub(super) fn json_array_values(page: &str) -> Vec<String> {
    let document = Html::parse_document(page);
    document
        .select(&JSON_SCRIPT)
        .filter_map(|script| {
            let body: String = script.text().collect();
            match serde_json::from_str::<Vec<String>>(body.trim()) {
                Ok(mut values) if values.len() == 1 => values.pop(),
                _ => None,
            }
        })
        .filter(|value| !value.trim().is_empty())
        .collect()
}

/// The value of `var a168c = '...'`.
pub(super) fn a168c_value(page: &str) -> Option<String> {
    A168C.captures(page).map(|c| c[1].to_owned())
}

/// The value of `'hls': '...'`: a base64 of the playlist URL, or the URL itself.
pub(super) fn hls_value(page: &str) -> Option<String> {
    HLS.captures(page).map(|c| c[1].to_owned())
}

/// The first `http(s)://...m3u8...` URL anywhere in the page.
pub(super) fn bare_playlist(page: &str) -> Option<String> {
    M3U8.find(page).map(|m| m.as_str().to_owned())
}

/// Where the page forwards to: a target holding `permanentToken=` wins (that is the hop the
/// site means; other `location.href` lines are domain and ad-block checks), else the first.
pub(super) fn forward_target(page: &str) -> Option<String> {
    let targets: Vec<&str> = FORWARD
        .captures_iter(page)
        .filter_map(|c| c.get(1).map(|m| m.as_str()))
        .collect();
    targets
        .iter()
        .find(|t| t.contains("permanentToken="))
        .or_else(|| targets.first())
        .map(|t| (*t).to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_json_scripts_holding_one_string_are_taken() {
        let page = r#"<script type="application/json">{"@context": "https://schema.org"}</script>
            <script type="application/json">["not", "obfuscated"]</script>
            <script type="application/json">[]</script>
            <script type="application/json">not json at all</script>
            <script type="application/json"> ["the&amp;one"] </script>
            <script>["a plain script"]</script>"#;
        assert_eq!(json_array_values(page), ["the&amp;one"]);
    }

    #[test]
    fn the_a168c_and_hls_values_are_read_with_either_quote() {
        assert_eq!(a168c_value("var  a168c = \"xy_z\";"), Some("xy_z".into()));
        assert_eq!(a168c_value("var a168 = 'no';"), None);
        assert_eq!(hls_value(r#"{ "hls" :"aGk" }"#), Some("aGk".into()));
    }

    #[test]
    fn a_bare_playlist_url_is_found_even_with_escaped_slashes() {
        let page =
            r#"x = "https:\/\/c.example\/a\/master.m3u8?t=1"; y = 'https://d.example/v.mp4';"#;
        assert_eq!(
            bare_playlist(page),
            Some(r"https:\/\/c.example\/a\/master.m3u8?t=1".into())
        );
        assert_eq!(bare_playlist("https://d.example/v.mp4"), None);
    }

    #[test]
    fn a_permanent_token_forward_wins_over_other_location_lines() {
        let page = "if (bad) { window.location.href = '/404'; }\n\
                    location.href = \"https://m.example/e/1?permanentToken=abc\";";
        assert_eq!(
            forward_target(page),
            Some("https://m.example/e/1?permanentToken=abc".into())
        );
        assert_eq!(
            forward_target("window.location.href='/e/2';"),
            Some("/e/2".into())
        );
        assert_eq!(forward_target("var nothing;"), None);
    }
}
