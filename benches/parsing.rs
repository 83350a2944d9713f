//! Parse-time benchmarks of what the product reads from the outside world.
//!
//! - `hls/media_2000_segments`: a generated video-on-demand media playlist of 2,000 segments
//!   (a 24-minute episode cut into ~0.7 s pieces, the worst hosters serve), relative URIs and
//!   an AES-128 key rotated every 500 segments, so URI resolution and key tracking count.
//! - `hls/master_6_variants`: a master playlist as the hosters serve it.
//!
//! Run with `cargo bench --bench parsing -- --quick`.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};

use aniworld::domain::hls::{self, Playlist};

const MEDIA_URL: &str = "https://delivery-node.example/engine/hls2/01/09876/abc_,n,.urlset/index-v1-a1.m3u8?t=token&s=1764412345";
const MASTER_URL: &str =
    "https://delivery-node.example/engine/hls2/01/09876/abc_,n,.urlset/master.m3u8?t=token";

fn media_playlist(segments: usize) -> String {
    let mut text = String::from(
        "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:1\n#EXT-X-MEDIA-SEQUENCE:1\n\
         #EXT-X-PLAYLIST-TYPE:VOD\n",
    );
    for i in 0..segments {
        if i % 500 == 0 {
            text.push_str(&format!(
                "#EXT-X-KEY:METHOD=AES-128,URI=\"/keys/{}.key?t=token\",IV=0x{:032X}\n",
                i / 500,
                i
            ));
        }
        text.push_str(&format!(
            "#EXTINF:0.720,\nseg-{}-v1-a1.ts?t=token&s=1764412345&e=14400\n",
            i + 1
        ));
    }
    text.push_str("#EXT-X-ENDLIST\n");
    text
}

fn master_playlist() -> String {
    let mut text = String::from("#EXTM3U\n#EXT-X-VERSION:3\n");
    for (bandwidth, height) in [
        (400_000, 240),
        (800_000, 360),
        (1_400_000, 480),
        (2_800_000, 720),
        (5_000_000, 1080),
        (9_000_000, 2160),
    ] {
        text.push_str(&format!(
            "#EXT-X-STREAM-INF:BANDWIDTH={bandwidth},RESOLUTION={}x{height},\
             CODECS=\"avc1.640028,mp4a.40.2\",FRAME-RATE=23.976\nindex-f{height}-v1-a1.m3u8?t=token\n",
            height * 16 / 9
        ));
    }
    text
}

fn hls_playlists(c: &mut Criterion) {
    let media = media_playlist(2_000);
    let master = master_playlist();
    // The generated texts must parse as intended, or the figures measure an error path.
    match hls::parse(&media, MEDIA_URL) {
        Ok(Playlist::Media(m)) => assert_eq!(m.segments.len(), 2_000),
        other => panic!("generated media playlist did not parse: {other:?}"),
    }
    assert!(matches!(hls::parse(&master, MASTER_URL), Ok(Playlist::Master(v)) if v.len() == 6));

    let mut group = c.benchmark_group("hls");
    group.throughput(Throughput::Bytes(media.len() as u64));
    group.bench_function("media_2000_segments", |b| {
        b.iter(|| hls::parse(black_box(&media), black_box(MEDIA_URL)))
    });
    group.throughput(Throughput::Bytes(master.len() as u64));
    group.bench_function("master_6_variants", |b| {
        b.iter(|| hls::parse(black_box(&master), black_box(MASTER_URL)))
    });
    group.finish();
}

criterion_group!(parsing, hls_playlists);
criterion_main!(parsing);
