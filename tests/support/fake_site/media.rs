//! Media the fake hosters point to, generated deterministically from the link id so a download
//! test can compute the expected bytes: MP4 files (with `Range` support) and HLS master and media
//! playlists whose highest variant may be AES-128 encrypted.

use std::ops::Range;

use aes::cipher::{BlockModeEncrypt, KeyIvInit, block_padding::Pkcs7};

use super::model::FakeMedia;

/// The first media sequence number of every media playlist. Not 0, so a downloader that derives
/// the AES IV from the sequence number must add the segment's index to it.
pub const MEDIA_SEQUENCE: u64 = 5;

/// The variant a downloader should pick: the highest `BANDWIDTH` of the master playlist.
pub const BEST_VARIANT: &str = "high";

/// The variants of every master playlist: name, bandwidth and resolution, in playlist order
/// (the best one deliberately in the middle).
pub const VARIANTS: [(&str, u64, &str); 3] = [
    ("mid", 1_200_000, "1280x720"),
    (BEST_VARIANT, 2_500_000, "1920x1080"),
    ("low", 800_000, "640x360"),
];

/// The first bytes of every generated MP4: an `ftyp` box, so the file sniffs as MP4.
const MP4_HEADER: &[u8; 24] = b"\0\0\0\x18ftypisom\0\0\x02\0isomiso2";

/// One step of SplitMix64: a fast, well-mixed 64-bit hash of `x`.
fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// Pseudo-random bytes `range` of the stream named by `seed`.
fn noise(seed: u64, range: Range<u64>) -> Vec<u8> {
    let mut out = Vec::with_capacity((range.end.saturating_sub(range.start)) as usize);
    let mut offset = range.start;
    while offset < range.end {
        let word = mix(seed.rotate_left(17) ^ mix(offset / 8)).to_le_bytes();
        let from = (offset % 8) as usize;
        let take = (8 - from).min((range.end - offset) as usize);
        out.extend_from_slice(&word[from..from + take]);
        offset += take as u64;
    }
    out
}

/// Bytes `range` of the MP4 file of link `id` (the range must lie inside the file).
pub fn mp4_bytes(id: u64, range: Range<u64>) -> Vec<u8> {
    let mut out = noise(id, range.clone());
    for (i, byte) in out.iter_mut().enumerate() {
        if let Some(h) = MP4_HEADER.get(range.start as usize + i) {
            *byte = *h;
        } else {
            break;
        }
    }
    out
}

/// The whole MP4 file of link `id`.
pub fn mp4_file(id: u64, size: u64) -> Vec<u8> {
    mp4_bytes(id, 0..size)
}

/// The AES-128 key of link `id`'s encrypted variant.
pub fn hls_key(id: u64) -> [u8; 16] {
    let mut key = [0u8; 16];
    key.copy_from_slice(&noise(id ^ 0x006b_6579, 0..16));
    key
}

/// The IV of segment `index`: its media sequence number, big-endian (no IV in the key tag).
pub fn hls_iv(index: u32) -> [u8; 16] {
    u128::from(MEDIA_SEQUENCE + u64::from(index)).to_be_bytes()
}

/// Segment `index` of `variant` as plain MPEG-TS-like bytes: 0x47 every 188 bytes.
pub fn segment_plain(id: u64, variant: &str, index: u32, segment_bytes: usize) -> Vec<u8> {
    let variant_no = VARIANTS.iter().position(|v| v.0 == variant).unwrap_or(9) as u64;
    let seed = id.wrapping_mul(1_000_003) ^ (variant_no << 40) ^ u64::from(index);
    let mut bytes = noise(seed, 0..segment_bytes as u64);
    for packet in bytes.chunks_mut(188) {
        packet[0] = 0x47;
    }
    bytes
}

/// Segment `index` of `variant` as served: encrypted when the variant is.
pub fn segment_served(id: u64, variant: &str, index: u32, media: FakeMedia) -> Option<Vec<u8>> {
    let FakeMedia::Hls {
        segments,
        segment_bytes,
        encrypted,
    } = media
    else {
        return None;
    };
    if index >= segments || !VARIANTS.iter().any(|v| v.0 == variant) {
        return None;
    }
    let plain = segment_plain(id, variant, index, segment_bytes);
    if encrypted && variant == BEST_VARIANT {
        Some(encrypt(&hls_key(id), &hls_iv(index), &plain))
    } else {
        Some(plain)
    }
}

/// AES-128-CBC with PKCS#7 padding, as HLS `METHOD=AES-128` uses it.
pub fn encrypt(key: &[u8; 16], iv: &[u8; 16], plain: &[u8]) -> Vec<u8> {
    let mut buf = vec![0u8; plain.len() + 16];
    let len = cbc::Encryptor::<aes::Aes128>::new(key.into(), iv.into())
        .encrypt_padded_b2b::<Pkcs7>(plain, &mut buf)
        .expect("buffer holds the padded text")
        .len();
    buf.truncate(len);
    buf
}

/// The master playlist of link `id`: three variants, relative and absolute URIs, and a
/// `CODECS` attribute with a comma inside quotes. Every URI ends in `query` (a signed link's
/// `?sig=<generation>`, or nothing).
pub fn master_playlist(base: &str, id: u64, query: &str) -> String {
    let mut text = String::from("#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-INDEPENDENT-SEGMENTS\n");
    for (name, bandwidth, resolution) in VARIANTS {
        text.push_str(&format!(
            "#EXT-X-STREAM-INF:BANDWIDTH={bandwidth},RESOLUTION={resolution},CODECS=\"avc1.640028,mp4a.40.2\"\n"
        ));
        if name == BEST_VARIANT {
            text.push_str(&format!("{base}/media/{id}/{name}/index.m3u8{query}\n"));
        } else {
            text.push_str(&format!("{name}/index.m3u8{query}\n"));
        }
    }
    text
}

/// The media playlist of one variant: even segments relative, odd ones absolute, an
/// `#EXT-X-KEY` without IV on the encrypted variant; every URI ends in `query`.
pub fn media_playlist(
    base: &str,
    id: u64,
    variant: &str,
    media: FakeMedia,
    query: &str,
) -> Option<String> {
    let FakeMedia::Hls {
        segments,
        encrypted,
        ..
    } = media
    else {
        return None;
    };
    if !VARIANTS.iter().any(|v| v.0 == variant) {
        return None;
    }
    let mut text = format!(
        "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:6\n#EXT-X-MEDIA-SEQUENCE:{MEDIA_SEQUENCE}\n#EXT-X-PLAYLIST-TYPE:VOD\n"
    );
    if encrypted && variant == BEST_VARIANT {
        text.push_str(&format!(
            "#EXT-X-KEY:METHOD=AES-128,URI=\"{base}/media/{id}/{variant}/key.bin{query}\"\n"
        ));
    }
    for index in 0..segments {
        text.push_str("#EXTINF:6.006,\n");
        if index.is_multiple_of(2) {
            text.push_str(&format!("seg-{index}.ts{query}\n"));
        } else {
            text.push_str(&format!(
                "{base}/media/{id}/{variant}/seg-{index}.ts{query}\n"
            ));
        }
    }
    text.push_str("#EXT-X-ENDLIST\n");
    Some(text)
}

/// What a correct download of link `id` writes: the MP4 file, or the plain segments of the best
/// variant in playlist order.
pub fn expected_download(id: u64, media: FakeMedia) -> Vec<u8> {
    match media {
        FakeMedia::Mp4 { size } => mp4_file(id, size),
        FakeMedia::Hls {
            segments,
            segment_bytes,
            ..
        } => (0..segments)
            .flat_map(|i| segment_plain(id, BEST_VARIANT, i, segment_bytes))
            .collect(),
    }
}

/// A `Range: bytes=<a>-[<b>]` header as a byte range inside a file of `size` bytes; `None`
/// when it is malformed or starts past the end.
pub fn parse_range(header: &str, size: u64) -> Option<Range<u64>> {
    let spec = header.trim().strip_prefix("bytes=")?;
    let (start, end) = spec.split_once('-')?;
    let start: u64 = start.trim().parse().ok()?;
    let end = match end.trim() {
        "" => size,
        last => last.parse::<u64>().ok()?.saturating_add(1).min(size),
    };
    (start < end).then_some(start..end)
}
