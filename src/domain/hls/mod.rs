//! HLS playlists, parsed without I/O: master or media playlist, the variant to fetch, the
//! segment URIs resolved against the playlist URL and the `#EXT-X-KEY` AES-128 attributes.
//!
//! The reader is deliberately small and forgiving (unknown tags are skipped, a URI without an
//! `#EXTINF` still counts as a segment) because hosters write playlists by hand-rolled
//! scripts; it only fails where going on would download the wrong thing: a text that is not
//! a playlist, a variant without a URI, a key we cannot decrypt with, or an unreadable IV.
//! Byte ranges and `#EXT-X-MAP` (fragmented MP4) are not read: the hosters serve MPEG-TS.

mod attributes;
#[cfg(test)]
mod tests;

use url::Url;

use attributes::{attribute, attribute_list};

/// Why a text could not be read as an HLS playlist.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HlsError {
    /// The text does not start with `#EXTM3U` (an HTML error page, say).
    #[error("not an HLS playlist (no #EXTM3U header)")]
    NotAPlaylist,
    /// The playlist's own URL is not an absolute URL, so nothing can be resolved against it.
    #[error("playlist URL {0:?} is not an absolute URL")]
    BadPlaylistUrl(String),
    /// An `#EXT-X-STREAM-INF` tag (at the given 1-based line) is not followed by a URI.
    #[error("line {line}: #EXT-X-STREAM-INF is not followed by a URI")]
    MissingVariantUri { line: usize },
    /// An `#EXT-X-KEY` with a method (or key format) other than plain AES-128.
    #[error("unsupported encryption: {0}")]
    UnsupportedKeyMethod(String),
    /// An AES-128 `#EXT-X-KEY` (at the given line) without the URI of its key.
    #[error("line {line}: AES-128 key without a URI")]
    MissingKeyUri { line: usize },
    /// An `IV=` attribute that is not `0x` followed by up to 32 hex digits.
    #[error("bad IV {0:?}: expected 0x and up to 32 hex digits")]
    BadIv(String),
    /// A segment, variant or key URI that cannot be resolved against the playlist URL.
    #[error("URI {0:?} cannot be resolved against the playlist URL")]
    BadUri(String),
}

/// A parsed playlist: either a choice of variants or the segments of one stream.
#[derive(Debug, Clone, PartialEq)]
pub enum Playlist {
    /// A master playlist: the same stream at several bandwidths.
    Master(Vec<Variant>),
    /// A media playlist: the segments to fetch, in order.
    Media(MediaPlaylist),
}

impl Playlist {
    /// The variant with the highest `BANDWIDTH` of a master playlist; `None` for a media
    /// playlist or a master playlist without variants.
    pub fn best_variant(&self) -> Option<&Variant> {
        match self {
            Self::Master(variants) => best_variant(variants),
            Self::Media(_) => None,
        }
    }
}

/// One `#EXT-X-STREAM-INF` entry of a master playlist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variant {
    /// Peak bits per second; 0 where the tag leaves it out.
    pub bandwidth: u64,
    /// Width and height in pixels, where given.
    pub resolution: Option<(u32, u32)>,
    /// Absolute URL of the variant's media playlist.
    pub uri: String,
}

/// The segments of one stream.
#[derive(Debug, Clone, PartialEq)]
pub struct MediaPlaylist {
    /// The segments in playlist order (the order they are written to the file).
    pub segments: Vec<Segment>,
    /// `#EXT-X-TARGETDURATION` in seconds (0 where missing).
    pub target_duration: f64,
    /// `#EXT-X-MEDIA-SEQUENCE`: the sequence number of the first segment.
    pub media_sequence: u64,
    /// `#EXT-X-ENDLIST` was present: the stream is complete (video on demand).
    pub ended: bool,
}

/// One media segment.
#[derive(Debug, Clone, PartialEq)]
pub struct Segment {
    /// Absolute URL of the segment.
    pub uri: String,
    /// `#EXTINF` duration in seconds (0 where missing).
    pub duration: f64,
    /// Media sequence number: the playlist's `media_sequence` plus the segment's index.
    pub sequence: u64,
    /// The key the segment is encrypted with, if any.
    pub key: Option<SegmentKey>,
}

/// Encryption methods we can decrypt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyMethod {
    /// AES-128 in CBC mode with PKCS#7 padding, the whole segment encrypted.
    Aes128,
}

/// The `#EXT-X-KEY` in force for a segment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SegmentKey {
    pub method: KeyMethod,
    /// Absolute URL of the 16-byte key.
    pub uri: String,
    /// The IV from the tag; `None` means "derive it from the sequence number".
    pub iv: Option<[u8; 16]>,
}

/// The variant with the highest bandwidth; on a tie the higher resolution, then the first.
pub fn best_variant(variants: &[Variant]) -> Option<&Variant> {
    let pixels = |v: &Variant| v.resolution.map_or(0, |(w, h)| u64::from(w) * u64::from(h));
    variants.iter().reduce(|best, v| {
        if (v.bandwidth, pixels(v)) > (best.bandwidth, pixels(best)) {
            v
        } else {
            best
        }
    })
}

/// The IV to decrypt a segment with: the tag's IV, else the segment's sequence number as a
/// 128-bit big-endian integer (RFC 8216, 5.2). `None` when the segment is not encrypted.
pub fn iv_for(segment: &Segment) -> Option<[u8; 16]> {
    let key = segment.key.as_ref()?;
    Some(
        key.iv
            .unwrap_or_else(|| u128::from(segment.sequence).to_be_bytes()),
    )
}

/// Reads a playlist fetched from `playlist_url`; relative URIs are resolved against it.
pub fn parse(text: &str, playlist_url: &str) -> Result<Playlist, HlsError> {
    let text = text.trim_start_matches('\u{feff}');
    let mut lines = text.lines().map(str::trim).enumerate().peekable();
    // The header may follow blank lines but nothing else.
    while lines.next_if(|(_, l)| l.is_empty()).is_some() {}
    if !lines.next().is_some_and(|(_, l)| l.starts_with("#EXTM3U")) {
        return Err(HlsError::NotAPlaylist);
    }
    let base =
        Url::parse(playlist_url).map_err(|_| HlsError::BadPlaylistUrl(playlist_url.to_owned()))?;

    let mut variants = Vec::new();
    let mut media = MediaPlaylist {
        segments: Vec::new(),
        target_duration: 0.0,
        media_sequence: 0,
        ended: false,
    };
    let mut duration = None;
    let mut key = None;

    while let Some((index, line)) = lines.next() {
        if line.is_empty() {
            continue;
        }
        let Some(tag) = line.strip_prefix('#') else {
            media.segments.push(Segment {
                uri: resolve(&base, line)?,
                duration: duration.take().unwrap_or(0.0),
                sequence: 0,
                key: key.clone(),
            });
            continue;
        };
        let (name, value) = tag.split_once(':').unwrap_or((tag, ""));
        match name {
            "EXT-X-STREAM-INF" => {
                let pairs = attribute_list(value);
                let uri = variant_uri(&mut lines)
                    .ok_or(HlsError::MissingVariantUri { line: index + 1 })?;
                variants.push(Variant {
                    bandwidth: attribute(&pairs, "BANDWIDTH")
                        .and_then(|b| b.trim().parse().ok())
                        .unwrap_or(0),
                    resolution: attribute(&pairs, "RESOLUTION").and_then(attributes::resolution),
                    uri: resolve(&base, uri)?,
                });
            }
            "EXTINF" => duration = attributes::seconds(value),
            "EXT-X-TARGETDURATION" => {
                media.target_duration = attributes::seconds(value).unwrap_or(0.0);
            }
            "EXT-X-MEDIA-SEQUENCE" => {
                media.media_sequence = value.trim().parse().unwrap_or(0);
            }
            "EXT-X-ENDLIST" => media.ended = true,
            "EXT-X-KEY" => key = segment_key(value, &base, index + 1)?,
            _ => {}
        }
    }

    if !variants.is_empty() {
        return Ok(Playlist::Master(variants));
    }
    for (offset, segment) in media.segments.iter_mut().enumerate() {
        segment.sequence = media.media_sequence.saturating_add(offset as u64);
    }
    Ok(Playlist::Media(media))
}

/// The URI line after an `#EXT-X-STREAM-INF`: blank lines and plain comments may come first,
/// another tag or the end of the text means the URI is missing.
fn variant_uri<'a>(
    lines: &mut std::iter::Peekable<impl Iterator<Item = (usize, &'a str)>>,
) -> Option<&'a str> {
    while lines
        .next_if(|(_, l)| l.is_empty() || (l.starts_with('#') && !l.starts_with("#EXT")))
        .is_some()
    {}
    lines.next_if(|(_, l)| !l.starts_with('#')).map(|(_, l)| l)
}

/// The key in force after an `#EXT-X-KEY` tag: `None` for `METHOD=NONE`.
fn segment_key(value: &str, base: &Url, line: usize) -> Result<Option<SegmentKey>, HlsError> {
    let pairs = attribute_list(value);
    let method = attribute(&pairs, "METHOD").unwrap_or("NONE");
    match method {
        "NONE" => return Ok(None),
        "AES-128" => {}
        other => return Err(HlsError::UnsupportedKeyMethod(other.to_owned())),
    }
    // A KEYFORMAT other than the plain one names a DRM system whose keys we cannot use.
    if let Some(format) = attribute(&pairs, "KEYFORMAT").filter(|f| *f != "identity") {
        return Err(HlsError::UnsupportedKeyMethod(format!(
            "AES-128 with KEYFORMAT {format}"
        )));
    }
    let uri = attribute(&pairs, "URI")
        .filter(|u| !u.trim().is_empty())
        .ok_or(HlsError::MissingKeyUri { line })?;
    let iv = match attribute(&pairs, "IV") {
        Some(text) => Some(attributes::iv(text).ok_or_else(|| HlsError::BadIv(text.to_owned()))?),
        None => None,
    };
    Ok(Some(SegmentKey {
        method: KeyMethod::Aes128,
        uri: resolve(base, uri.trim())?,
        iv,
    }))
}

/// A URI from the playlist as an absolute URL (absolute URIs are kept as they are).
fn resolve(base: &Url, uri: &str) -> Result<String, HlsError> {
    base.join(uri)
        .map(String::from)
        .map_err(|_| HlsError::BadUri(uri.to_owned()))
}
