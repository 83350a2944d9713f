//! The catalogue site's pages. The first byte picks the parser (and, for season pages, the
//! season); the rest is the page, as lossy UTF-8 like the client's decoding.
#![no_main]

use std::collections::HashSet;

use aniworld::fuzzing::EpisodeId;
use aniworld::fuzzing::catalogue;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, page)) = data.split_first() else {
        return;
    };
    let page = String::from_utf8_lossy(page);
    match selector % 5 {
        0 => {
            if let Ok(hits) = catalogue::search(&page) {
                let keys: HashSet<_> = hits.iter().map(|h| &h.key).collect();
                assert_eq!(keys.len(), hits.len(), "each key once");
            }
        }
        1 => {
            if let Ok((_, seasons)) = catalogue::series(&page) {
                assert!(!seasons.contains(&0), "films are no season: {seasons:?}");
            }
        }
        2 => {
            let season = u32::from(selector / 5 % 4);
            if let Ok(episodes) = catalogue::season(&page, season) {
                assert!(episodes.iter().all(|e| e.id.season == season));
                assert!(
                    episodes.windows(2).all(|w| w[0].id < w[1].id),
                    "in order, once"
                );
            }
        }
        3 => {
            let _ = catalogue::episode(&page, EpisodeId::new(1, 1));
        }
        _ => {
            // An episode new in two languages is two entries, each once.
            if let Ok(entries) = catalogue::feed(&page) {
                let mut seen = entries.iter().enumerate();
                assert!(
                    seen.all(|(i, e)| !entries[..i].contains(e)),
                    "each entry once"
                );
            }
        }
    }
});
