//! A series' cover as the API serves it: the kept image with its own `Content-Type`, an ETag
//! (the version), and a long cache where the URL names the current version. The URL a series
//! answer gives (`cover`) is `/api/anime/<key>/cover?v=<version>`, so a new cover is a new URL.

use poem_openapi::ApiResponse;
use poem_openapi::payload::Binary;

use crate::domain::cover::{CachedCover, ImageKind};

/// Cached for a year where the URL names the version served; else revalidated.
const IMMUTABLE: &str = "private, max-age=31536000, immutable";
const REVALIDATE: &str = "private, no-cache";

/// The URL of a series' cover, as series answers give it.
pub fn cover_url(key: &str, cover: &CachedCover) -> String {
    format!("/api/anime/{key}/cover?v={}", cover.version())
}

/// The answer of `GET /api/anime/{anime_id}/cover`.
#[derive(ApiResponse)]
pub enum CoverImage {
    /// The cover, a JPEG
    #[oai(status = 200, content_type = "image/jpeg")]
    Jpeg(
        Binary<Vec<u8>>,
        #[oai(header = "ETag")] String,
        #[oai(header = "Cache-Control")] String,
    ),
    /// The cover, a PNG
    #[oai(status = 200, content_type = "image/png")]
    Png(
        Binary<Vec<u8>>,
        #[oai(header = "ETag")] String,
        #[oai(header = "Cache-Control")] String,
    ),
    /// The cover, a WebP
    #[oai(status = 200, content_type = "image/webp")]
    Webp(
        Binary<Vec<u8>>,
        #[oai(header = "ETag")] String,
        #[oai(header = "Cache-Control")] String,
    ),
    /// The cover, a GIF
    #[oai(status = 200, content_type = "image/gif")]
    Gif(
        Binary<Vec<u8>>,
        #[oai(header = "ETag")] String,
        #[oai(header = "Cache-Control")] String,
    ),
    /// The cover, an AVIF
    #[oai(status = 200, content_type = "image/avif")]
    Avif(
        Binary<Vec<u8>>,
        #[oai(header = "ETag")] String,
        #[oai(header = "Cache-Control")] String,
    ),
    /// The cover has not changed since the ETag sent as `If-None-Match`
    #[oai(status = 304)]
    NotModified(
        #[oai(header = "ETag")] String,
        #[oai(header = "Cache-Control")] String,
    ),
}

impl CoverImage {
    /// The answer for `cover` (its `bytes`), asked with version `v` and `If-None-Match`.
    pub fn of(
        cover: &CachedCover,
        bytes: Vec<u8>,
        v: Option<&str>,
        if_none_match: Option<&str>,
    ) -> Self {
        let etag = format!("\"{}\"", cover.version());
        let cache = if v == Some(cover.version()) {
            IMMUTABLE
        } else {
            REVALIDATE
        }
        .to_owned();
        let matches = if_none_match.is_some_and(|tags| {
            tags.split(',')
                .map(|t| t.trim().trim_start_matches("W/"))
                .any(|t| t == etag || t == "*")
        });
        if matches {
            return Self::NotModified(etag, cache);
        }
        let body = Binary(bytes);
        match cover.kind {
            ImageKind::Jpeg => Self::Jpeg(body, etag, cache),
            ImageKind::Png => Self::Png(body, etag, cache),
            ImageKind::Webp => Self::Webp(body, etag, cache),
            ImageKind::Gif => Self::Gif(body, etag, cache),
            ImageKind::Avif => Self::Avif(body, etag, cache),
        }
    }
}
