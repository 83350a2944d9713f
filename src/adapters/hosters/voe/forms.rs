//! Where each VOE landmark sits in a page, newest first: the JSON-array script (2026) and the
//! loader script after it, the `a168c` variable (2025), the `'hls'` entry, a bare `.m3u8`
//! URL, and the forwards of the redirect hops. Each finder returns the value as written;
//! `mod.rs` decides what it means.

use std::sync::LazyLock;

use regex::Regex;
use scraper::{ElementRef, Html, Selector};

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

/// Every `<script>`, in page order.
static SCRIPT: LazyLock<Selector> =
    LazyLock::new(|| Selector::parse("script").expect("valid selector"));

/// The obfuscated strings of every `<script type="application/json">` whose body is a JSON
/// array of exactly one string, in page order. Other JSON scripts (structured data, config
/// arrays) are decoys and skipped.
pub(super) fn json_array_values(page: &str) -> Vec<String> {
    let document = Html::parse_document(page);
    document
        .select(&JSON_SCRIPT)
        .filter_map(player_value)
        .collect()
}

/// The obfuscated string of a player JSON script: a JSON array of one non-blank string.
fn player_value(script: ElementRef<'_>) -> Option<String> {
    if script.value().attr("type") != Some("application/json") {
        return None;
    }
    let body: String = script.text().collect();
    match serde_json::from_str::<Vec<String>>(body.trim()) {
        Ok(mut values) if values.len() == 1 => values.pop().filter(|v| !v.trim().is_empty()),
        _ => None,
    }
}

/// The `src` of the player's loader script: the first `<script src>` after the first player
/// JSON script (scripts before it are other things: ads, analytics).
pub(super) fn loader_src(page: &str) -> Option<String> {
    let document = Html::parse_document(page);
    document
        .select(&SCRIPT)
        .skip_while(|script| player_value(*script).is_none())
        .skip(1)
        .find_map(|script| script.value().attr("src"))
        .filter(|src| !src.trim().is_empty())
        .map(str::to_owned)
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
    fn the_loader_is_the_first_script_with_a_source_after_the_player_json() {
        let page = r#"<script src="/js/ads.js"></script>
            <script type="application/json">["not", "the player"]</script>
            <script src="/js/decoy.js"></script>
            <script type="application/json">["obfuscated"]</script>
            <script>var inline = 1;</script>
            <script src="/js/loader.4f2a.js?v=9"></script>
            <script src="/js/later.js"></script>"#;
        assert_eq!(loader_src(page), Some("/js/loader.4f2a.js?v=9".into()));
        let without =
            r#"<script src="/js/ads.js"></script><script type="application/json">["x"]</script>"#;
        assert_eq!(loader_src(without), None);
        assert_eq!(loader_src(r#"<script src="/js/a.js"></script>"#), None);
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
