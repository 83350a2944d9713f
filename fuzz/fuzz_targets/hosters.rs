//! The hosters' embed pages. The first byte picks the extractor; the rest is the page, as
//! lossy UTF-8 (for Doodstream, the text after the last NUL is the pass_md5 answer).
#![no_main]

use aniworld::fuzzing::hosters;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, page)) = data.split_first() else {
        return;
    };
    let page = String::from_utf8_lossy(page);
    let found = match selector % 6 {
        0 => hosters::voe(&page),
        1 => hosters::filemoon(&page).map(|s| s.url),
        2 => hosters::vidmoly(&page).map(|s| s.url),
        3 => {
            let (page, base) = page.rsplit_once('\0').unwrap_or((&page, ""));
            hosters::doodstream(page, base)
        }
        4 => hosters::vidoza(&page).map(|s| s.url),
        _ => hosters::streamtape(&page).map(|s| s.url),
    };
    match found {
        Ok(url) => assert!(
            url.starts_with("http://") || url.starts_with("https://"),
            "an http(s) URL: {url:?}"
        ),
        Err(error) => assert!(
            matches!(error, aniworld::domain::catalogue::ProviderError::Layout(_)),
            "a page is wrong only in its layout: {error:?}"
        ),
    }
});
