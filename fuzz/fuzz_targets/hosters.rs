//! The hosters' embed pages. The first byte picks the extractor; the rest is the page, as
//! lossy UTF-8 (for Doodstream, the text after the last NUL is the pass_md5 answer; for
//! VOE with a loader, the player's loader script; Vidara's input is its `/api/stream`
//! answer, Luluvdo's its player page). Every page's landmarks are looked for too.
#![no_main]

use aniworld::fuzzing::hosters;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, page)) = data.split_first() else {
        return;
    };
    let page = String::from_utf8_lossy(page);
    let _ = hosters::landmarks(&page);
    let found = match selector % 9 {
        0 => hosters::voe(&page),
        1 => hosters::filemoon(&page).map(|s| s.url),
        2 => hosters::vidmoly(&page).map(|s| s.url),
        3 => {
            let (page, base) = page.rsplit_once('\0').unwrap_or((&page, ""));
            hosters::doodstream(page, base)
        }
        4 => hosters::vidoza(&page).map(|s| s.url),
        5 => hosters::streamtape(&page).map(|s| s.url),
        6 => {
            let (page, script) = page.rsplit_once('\0').unwrap_or((&page, ""));
            hosters::voe_with_loader(page, script)
        }
        7 => hosters::vidara(&page).map(|s| s.url),
        _ => hosters::luluvdo(&page).map(|s| s.url),
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
