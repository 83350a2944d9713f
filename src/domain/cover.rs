//! A series' cover as the product keeps it (INTEGRATIONS.md section 7): the catalogue's image,
//! fetched once through the browser identity, checked to be an image, cached in the data dir
//! and served to the product's own pages, so no page ever loads an image from another host.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// Largest cover accepted; the site's are 20 to 60 KiB.
pub const MAX_COVER_BYTES: u64 = 4 * 1024 * 1024;

/// The kinds of image a cover may be, told by their first bytes (never by a header or a file
/// name, which a garbled answer can get wrong).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ImageKind {
    Jpeg,
    Png,
    Webp,
    Gif,
    Avif,
}

impl ImageKind {
    /// The kind of image `bytes` hold, if they are one.
    pub fn sniff(bytes: &[u8]) -> Option<Self> {
        match bytes {
            [0xFF, 0xD8, 0xFF, ..] => Some(Self::Jpeg),
            [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, ..] => Some(Self::Png),
            [
                b'R',
                b'I',
                b'F',
                b'F',
                _,
                _,
                _,
                _,
                b'W',
                b'E',
                b'B',
                b'P',
                ..,
            ] => Some(Self::Webp),
            [b'G', b'I', b'F', b'8', b'7' | b'9', b'a', ..] => Some(Self::Gif),
            [
                _,
                _,
                _,
                _,
                b'f',
                b't',
                b'y',
                b'p',
                b'a',
                b'v',
                b'i',
                b'f',
                ..,
            ] => Some(Self::Avif),
            _ => None,
        }
    }

    /// The `Content-Type` it is served with.
    pub fn content_type(self) -> &'static str {
        match self {
            Self::Jpeg => "image/jpeg",
            Self::Png => "image/png",
            Self::Webp => "image/webp",
            Self::Gif => "image/gif",
            Self::Avif => "image/avif",
        }
    }
}

/// Why a download was not taken as a cover.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CoverError {
    #[error("the cover is empty")]
    Empty,
    #[error("the cover is not an image (JPEG, PNG, WebP, GIF or AVIF)")]
    NotAnImage,
    #[error("the cover is larger than {MAX_COVER_BYTES} bytes")]
    TooLarge,
}

/// A cover in the cache: where it came from and what it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CachedCover {
    /// The catalogue's URL it was fetched from; a new URL on the series page fetches again.
    pub source: String,
    /// SHA-256 of the bytes, lowercase hex.
    pub sha256: String,
    pub kind: ImageKind,
    pub size: u64,
}

impl CachedCover {
    /// Checks downloaded bytes and describes them as the cover fetched from `source`.
    ///
    /// # Errors
    /// [`CoverError`] for nothing, something too large, or something not an image.
    pub fn of(source: &str, bytes: &[u8]) -> Result<Self, CoverError> {
        if bytes.is_empty() {
            return Err(CoverError::Empty);
        }
        if bytes.len() as u64 > MAX_COVER_BYTES {
            return Err(CoverError::TooLarge);
        }
        let kind = ImageKind::sniff(bytes).ok_or(CoverError::NotAnImage)?;
        Ok(Self {
            source: source.to_owned(),
            sha256: sha256_hex(bytes),
            kind,
            size: bytes.len() as u64,
        })
    }

    /// A short tag that changes with the bytes: the `v` of the cover's URL and its ETag.
    pub fn version(&self) -> &str {
        &self.sha256[..self.sha256.len().min(12)]
    }
}

/// SHA-256 of `bytes` as lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";

    #[test]
    fn images_are_told_by_their_first_bytes() {
        assert_eq!(ImageKind::sniff(PNG), Some(ImageKind::Png));
        assert_eq!(
            ImageKind::sniff(b"\xFF\xD8\xFF\xE0\0\x10JFIF"),
            Some(ImageKind::Jpeg)
        );
        assert_eq!(
            ImageKind::sniff(b"RIFF\x10\0\0\0WEBPVP8 "),
            Some(ImageKind::Webp)
        );
        assert_eq!(ImageKind::sniff(b"GIF89a\x01\0"), Some(ImageKind::Gif));
        assert_eq!(
            ImageKind::sniff(b"\0\0\0\x1cftypavif\0\0"),
            Some(ImageKind::Avif)
        );
        assert_eq!(
            ImageKind::sniff(b"<!DOCTYPE html><title>Just a moment"),
            None
        );
        assert_eq!(ImageKind::sniff(b"\xFF\xD8"), None);
    }

    #[test]
    fn a_cover_is_checked_and_versioned_by_its_bytes() {
        let cover = CachedCover::of("https://aniworld.to/public/img/cover/a.png", PNG).unwrap();
        assert_eq!(cover.kind, ImageKind::Png);
        assert_eq!(cover.size, PNG.len() as u64);
        assert_eq!(cover.sha256, sha256_hex(PNG));
        assert_eq!(cover.version().len(), 12);
        assert!(cover.sha256.starts_with(cover.version()));
        assert_eq!(CachedCover::of("u", b""), Err(CoverError::Empty));
        assert_eq!(CachedCover::of("u", b"<html>"), Err(CoverError::NotAnImage));
        let huge = [PNG, &vec![0; MAX_COVER_BYTES as usize]].concat();
        assert_eq!(CachedCover::of("u", &huge), Err(CoverError::TooLarge));
    }
}
