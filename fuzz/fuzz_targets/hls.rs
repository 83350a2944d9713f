//! HLS playlists, master and media alike. The first byte picks the playlist's URL (the base
//! relative URIs are resolved against); the rest is the playlist, as lossy UTF-8.
#![no_main]

use aniworld::fuzzing::{Playlist, iv_for, parse_playlist};
use libfuzzer_sys::fuzz_target;

const BASES: [&str; 4] = [
    "https://cdn.example/hls/master.m3u8",
    "https://cdn.example/a/b/index.m3u8?token=x&e=1",
    "http://127.0.0.1:8080/p.m3u8",
    "https://xn--bcher-kva.example:8443/%20x/",
];

fuzz_target!(|data: &[u8]| {
    let Some((&selector, text)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(text);
    let base = BASES[usize::from(selector) % BASES.len()];
    match parse_playlist(&text, base) {
        Ok(playlist @ Playlist::Master(_)) => {
            let Playlist::Master(variants) = &playlist else {
                unreachable!()
            };
            assert!(!variants.is_empty(), "a master playlist has variants");
            let best = playlist.best_variant().expect("a best variant");
            assert!(variants.iter().all(|v| v.bandwidth <= best.bandwidth));
        }
        Ok(Playlist::Media(media)) => {
            assert!(media.target_duration.is_finite() && media.target_duration >= 0.0);
            for (i, segment) in media.segments.iter().enumerate() {
                assert!(segment.duration.is_finite() && segment.duration >= 0.0);
                assert_eq!(
                    segment.sequence,
                    media.media_sequence.saturating_add(i as u64)
                );
                let _ = iv_for(segment);
            }
        }
        Err(_) => {}
    }
});
