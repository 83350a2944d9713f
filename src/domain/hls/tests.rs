//! Playlist reading: master and media playlists as hosters serve them, keys and IVs, the
//! typed failures, and a property test that arbitrary text never makes the reader panic.

use proptest::prelude::*;

use super::*;

const MASTER_URL: &str = "https://cdn.example/hls/abc/master.m3u8?t=1";
const MEDIA_URL: &str = "https://cdn.example/hls/abc/720p/index.m3u8";

fn media(text: &str) -> MediaPlaylist {
    match parse(text, MEDIA_URL).unwrap() {
        Playlist::Media(m) => m,
        other => panic!("expected a media playlist, got {other:?}"),
    }
}

#[test]
fn a_master_playlist_lists_its_variants_with_absolute_uris() {
    let text = "#EXTM3U\r\n#EXT-X-VERSION:3\r\n\
        #EXT-X-STREAM-INF:BANDWIDTH=800000,RESOLUTION=640x360,CODECS=\"avc1.4d401e,mp4a.40.2\"\r\n\
        360p/index.m3u8\r\n\
        #EXT-X-STREAM-INF:BANDWIDTH=2800000,RESOLUTION=1280x720\r\n\
        /hls/abc/720p/index.m3u8\r\n\
        #EXT-X-STREAM-INF:BANDWIDTH=1400000\r\n\
        https://other.example/480p.m3u8\r\n";
    let Playlist::Master(variants) = parse(text, MASTER_URL).unwrap() else {
        panic!("expected a master playlist");
    };
    assert_eq!(
        variants,
        vec![
            Variant {
                bandwidth: 800_000,
                resolution: Some((640, 360)),
                uri: "https://cdn.example/hls/abc/360p/index.m3u8".into(),
            },
            Variant {
                bandwidth: 2_800_000,
                resolution: Some((1280, 720)),
                uri: "https://cdn.example/hls/abc/720p/index.m3u8".into(),
            },
            Variant {
                bandwidth: 1_400_000,
                resolution: None,
                uri: "https://other.example/480p.m3u8".into(),
            },
        ]
    );
}

#[test]
fn the_best_variant_is_the_one_with_the_highest_bandwidth() {
    let text = "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=500\na.m3u8\n\
        #EXT-X-STREAM-INF:BANDWIDTH=9000,RESOLUTION=1920x1080\nb.m3u8\n\
        #EXT-X-STREAM-INF:BANDWIDTH=3000\nc.m3u8\n";
    let playlist = parse(text, MASTER_URL).unwrap();
    assert_eq!(
        playlist.best_variant().unwrap().uri,
        "https://cdn.example/hls/abc/b.m3u8"
    );
}

#[test]
fn a_media_playlist_has_no_best_variant() {
    let playlist = parse("#EXTM3U\n#EXTINF:4,\nseg0.ts\n", MEDIA_URL).unwrap();
    assert_eq!(playlist.best_variant(), None);
}

#[test]
fn a_media_playlist_lists_segments_in_order_with_durations_and_sequence_numbers() {
    let playlist = media(
        "\u{feff}#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXT-X-MEDIA-SEQUENCE:7\n\
         #EXTINF:9.009,\nseg-7.ts\n\n#EXTINF:10.0,Title\n# a comment\nsub/seg-8.ts?x=1\n\
         #EXTINF:3.5,\nhttps://edge.example/seg-9.ts\n#EXT-X-ENDLIST\n",
    );
    assert_eq!(playlist.target_duration, 10.0);
    assert_eq!(playlist.media_sequence, 7);
    assert!(playlist.ended);
    let summary: Vec<_> = playlist
        .segments
        .iter()
        .map(|s| (s.uri.as_str(), s.duration, s.sequence))
        .collect();
    assert_eq!(
        summary,
        vec![
            ("https://cdn.example/hls/abc/720p/seg-7.ts", 9.009, 7),
            ("https://cdn.example/hls/abc/720p/sub/seg-8.ts?x=1", 10.0, 8),
            ("https://edge.example/seg-9.ts", 3.5, 9),
        ]
    );
}

#[test]
fn a_live_playlist_without_endlist_is_not_ended() {
    assert!(!media("#EXTM3U\n#EXTINF:4,\na.ts\n").ended);
}

#[test]
fn an_aes_key_applies_to_the_following_segments_until_method_none() {
    let playlist = media(
        "#EXTM3U\n#EXT-X-MEDIA-SEQUENCE:1\n#EXTINF:4,\nclear.ts\n\
         #EXT-X-KEY:METHOD=AES-128,URI=\"../keys/k1.bin\"\n#EXTINF:4,\nenc1.ts\n#EXTINF:4,\nenc2.ts\n\
         #EXT-X-KEY:METHOD=NONE\n#EXTINF:4,\nclear2.ts\n",
    );
    let keys: Vec<_> = playlist.segments.iter().map(|s| s.key.clone()).collect();
    let key = SegmentKey {
        method: KeyMethod::Aes128,
        uri: "https://cdn.example/hls/abc/keys/k1.bin".into(),
        iv: None,
    };
    assert_eq!(keys, vec![None, Some(key.clone()), Some(key), None]);
}

#[test]
fn the_iv_comes_from_the_tag_when_given() {
    let playlist = media(
        "#EXTM3U\n#EXT-X-KEY:METHOD=AES-128,URI=\"k.bin\",IV=0x0000000000000000000000000000ABCD\n\
         #EXTINF:4,\na.ts\n",
    );
    let mut expected = [0u8; 16];
    expected[14] = 0xAB;
    expected[15] = 0xCD;
    assert_eq!(iv_for(&playlist.segments[0]), Some(expected));
}

#[test]
fn without_an_iv_attribute_the_iv_is_the_sequence_number() {
    let playlist = media(
        "#EXTM3U\n#EXT-X-MEDIA-SEQUENCE:258\n#EXT-X-KEY:METHOD=AES-128,URI=\"k.bin\"\n\
         #EXTINF:4,\na.ts\n#EXTINF:4,\nb.ts\n",
    );
    let mut expected = [0u8; 16];
    expected[14] = 1;
    expected[15] = 3; // 259 = 0x0103, the second segment
    assert_eq!(iv_for(&playlist.segments[1]), Some(expected));
}

#[test]
fn an_unencrypted_segment_has_no_iv() {
    let playlist = media("#EXTM3U\n#EXTINF:4,\na.ts\n");
    assert_eq!(iv_for(&playlist.segments[0]), None);
}

#[test]
fn an_html_page_is_not_a_playlist() {
    assert_eq!(
        parse("<html><body>403 Forbidden</body></html>", MEDIA_URL),
        Err(HlsError::NotAPlaylist)
    );
    assert_eq!(parse("", MEDIA_URL), Err(HlsError::NotAPlaylist));
}

#[test]
fn a_stream_inf_followed_by_another_tag_is_missing_its_uri() {
    let text = "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\n#EXT-X-STREAM-INF:BANDWIDTH=2\nb.m3u8\n";
    assert_eq!(
        parse(text, MASTER_URL),
        Err(HlsError::MissingVariantUri { line: 2 })
    );
    assert_eq!(
        parse("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\n\n", MASTER_URL),
        Err(HlsError::MissingVariantUri { line: 2 })
    );
}

#[test]
fn sample_aes_and_drm_key_formats_are_unsupported() {
    let sample = "#EXTM3U\n#EXT-X-KEY:METHOD=SAMPLE-AES,URI=\"skd://x\"\n#EXTINF:4,\na.ts\n";
    assert_eq!(
        parse(sample, MEDIA_URL),
        Err(HlsError::UnsupportedKeyMethod("SAMPLE-AES".into()))
    );
    let drm = "#EXTM3U\n#EXT-X-KEY:METHOD=AES-128,URI=\"k\",KEYFORMAT=\"com.apple.streamingkeydelivery\"\n";
    assert!(matches!(
        parse(drm, MEDIA_URL),
        Err(HlsError::UnsupportedKeyMethod(m)) if m.contains("com.apple")
    ));
}

#[test]
fn a_malformed_iv_or_a_key_without_uri_is_refused() {
    let bad_iv = "#EXTM3U\n#EXT-X-KEY:METHOD=AES-128,URI=\"k\",IV=0xNOTHEX\n";
    assert_eq!(
        parse(bad_iv, MEDIA_URL),
        Err(HlsError::BadIv("0xNOTHEX".into()))
    );
    let no_uri = "#EXTM3U\n\n#EXT-X-KEY:METHOD=AES-128\n";
    assert_eq!(
        parse(no_uri, MEDIA_URL),
        Err(HlsError::MissingKeyUri { line: 3 })
    );
}

#[test]
fn a_relative_playlist_url_is_refused() {
    assert_eq!(
        parse("#EXTM3U\n", "index.m3u8"),
        Err(HlsError::BadPlaylistUrl("index.m3u8".into()))
    );
}

proptest! {
    #[test]
    fn arbitrary_text_never_makes_the_reader_panic(text in "\\PC*") {
        let _ = parse(&text, MEDIA_URL);
    }

    #[test]
    fn arbitrary_playlist_like_lines_never_make_the_reader_panic(
        lines in prop::collection::vec(
            prop_oneof![
                Just("#EXTM3U".to_owned()),
                Just("#EXT-X-STREAM-INF:BANDWIDTH=".to_owned()),
                Just("#EXT-X-KEY:METHOD=AES-128,URI=\"".to_owned()),
                Just("#EXT-X-MEDIA-SEQUENCE:18446744073709551615".to_owned()),
                "#EXT[A-Z-]{0,20}:[ -~]{0,40}",
                "[ -~]{0,40}",
            ],
            0..40,
        )
    ) {
        let mut text = String::from("#EXTM3U\n");
        text.push_str(&lines.join("\n"));
        let _ = parse(&text, MEDIA_URL);
    }
}
