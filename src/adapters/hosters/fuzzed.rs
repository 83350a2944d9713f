//! Property tests: whatever an embed page holds, every extractor answers with a media URL
//! or a typed error, never a panic. Pages are made of the pieces the real ones are built
//! from, shuffled into nonsense, and of arbitrary text.

use proptest::prelude::*;

use crate::domain::catalogue::ProviderError;

/// Text made of the landmarks of every hoster's page, shuffled.
fn page_soup() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "<script type=\"application/json\">",
        "<script src=\"/js/loader.js\"></script>",
        "['@$','^^']",
        "{\"streaming_url\":\"",
        "/api/stream",
        "filecode",
        "</script>",
        "[\"",
        "\"]",
        "var a168c = '",
        "';",
        "'hls': '",
        "\"hls\": \"",
        "https://cdn.example/x/master.m3u8",
        "permanentToken",
        "window.location.href = '",
        "/pass_md5/1-2-3/abc",
        "?token=",
        "makePlay",
        "sourcesCode: [{ src: \"",
        "<source src=\"",
        "type=\"video/mp4\"",
        "file:\"",
        ".mp4",
        "document.getElementById('robotlink').innerHTML = '",
        "+ ('xcd",
        "').substring(",
        "eval(function(p,a,c,k,e,d){",
        "}('",
        "',36,3,'",
        "'.split('|')",
        "&amp;",
        "\\'",
        "\u{0}",
        "ä",
    ]);
    prop::collection::vec(prop_oneof![pieces.prop_map(String::from), ".{0,8}"], 0..40)
        .prop_map(|parts| parts.concat())
}

const PAGE_URL: &str = "https://hoster.example/e/abc123";

fn every_extractor(page: &str) -> Vec<Option<ProviderError>> {
    vec![
        super::voe::extract(page, PAGE_URL, None).err(),
        super::voe::extract(page, PAGE_URL, super::voe::loader_tokens(page).as_deref()).err(),
        super::vidara::stream_url("Vidara", page).err(),
        super::luluvdo::extract(page).err(),
        super::filemoon::packed_stream_url(page).err(),
        super::vidmoly::extract(page).err(),
        super::doodstream::extract(page).err(),
        super::vidoza::extract(page).err(),
        super::streamtape::extract(page, PAGE_URL).err(),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn no_extractor_panics_on_page_soup(page in page_soup()) {
        for error in every_extractor(&page).into_iter().flatten() {
            prop_assert!(matches!(error, ProviderError::Layout(_)), "{error:?}");
        }
    }

    #[test]
    fn no_extractor_panics_on_any_text(page in any::<String>()) {
        let _ = every_extractor(&page);
        let _ = super::fuzzing::landmarks(&page);
        let _ = super::voe::loader_src(&page);
    }
}
