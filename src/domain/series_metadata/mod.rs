//! What a series page says about a series beyond its title, description, first year and
//! seasons: cover image, alternative titles, last year, genres, FSK rating and IMDb id. Read
//! with every series page, kept with the series on record, shown by the UI and written into
//! NFO files later (INTEGRATIONS.md section 7). Each part is optional and checked here, so a
//! garbled page leaves a part out instead of storing junk.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The metadata of one series; every part may be missing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeriesMetadata {
    /// The cover image as an absolute URL on the catalogue site.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cover: Option<CoverUrl>,
    /// Other titles of the series, in the page's order.
    #[serde(default, skip_serializing_if = "Names::is_empty")]
    pub alternative_titles: Names,
    /// The year the series last aired; `None` while it runs or when the page does not say.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_year: Option<i32>,
    /// Genres, in the page's order.
    #[serde(default, skip_serializing_if = "Names::is_empty")]
    pub genres: Names,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fsk: Option<Fsk>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub imdb: Option<ImdbId>,
}

impl SeriesMetadata {
    /// This metadata brought up to date by a newer reading of the series page: each part the
    /// newer reading has replaces the known one; a part it lacks keeps what was known (as the
    /// description and the year do), so one page with a landmark missing erases nothing.
    pub fn refreshed_by(self, newer: Self) -> Self {
        let or_known = |new: Names, old: Names| if new.is_empty() { old } else { new };
        Self {
            cover: newer.cover.or(self.cover),
            alternative_titles: or_known(newer.alternative_titles, self.alternative_titles),
            last_year: newer.last_year.or(self.last_year),
            genres: or_known(newer.genres, self.genres),
            fsk: newer.fsk.or(self.fsk),
            imdb: newer.imdb.or(self.imdb),
        }
    }

    /// Whether the page said nothing of it.
    pub fn is_empty(&self) -> bool {
        self == &Self::default()
    }
}

/// Why a metadata value was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MetadataError {
    #[error("not an absolute http(s) URL of a cover image: {0:?}")]
    Cover(String),
    #[error("not an FSK rating (0, 6, 12, 16 or 18): {0:?}")]
    Fsk(String),
    #[error("not an IMDb id (tt and digits): {0:?}")]
    Imdb(String),
}

/// The start of a rejected value, for the error message.
fn excerpt(raw: &str) -> String {
    raw.chars().take(64).collect()
}

/// An absolute `http(s)` URL of a cover image, without white space, quotes or angle brackets.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CoverUrl(String);

impl CoverUrl {
    /// Longest URL accepted.
    pub const MAX_LEN: usize = 2048;

    /// Checks an absolute URL: `http://` or `https://`, a host, no white space, control
    /// characters, quotes or angle brackets, at most [`Self::MAX_LEN`] bytes.
    pub fn parse(raw: &str) -> Result<Self, MetadataError> {
        let host = raw
            .strip_prefix("https://")
            .or_else(|| raw.strip_prefix("http://"))
            .and_then(|rest| rest.split(['/', '?', '#']).next())
            .unwrap_or_default();
        let clean = !raw
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '"' | '\'' | '<' | '>'));
        if host.is_empty() || !clean || raw.len() > Self::MAX_LEN {
            return Err(MetadataError::Cover(excerpt(raw)));
        }
        Ok(Self(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for CoverUrl {
    type Error = MetadataError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<CoverUrl> for String {
    fn from(url: CoverUrl) -> Self {
        url.0
    }
}

impl fmt::Display for CoverUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A German age rating (Freiwillige Selbstkontrolle): 0, 6, 12, 16 or 18.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct Fsk(u8);

impl Fsk {
    /// The ratings the FSK gives.
    pub const RATINGS: [u8; 5] = [0, 6, 12, 16, 18];

    /// Reads a rating written as plain digits (`"16"`, white space around allowed).
    pub fn parse(raw: &str) -> Result<Self, MetadataError> {
        let digits = raw.trim();
        let number = (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
            .then(|| digits.parse::<u8>().ok())
            .flatten();
        number
            .and_then(|n| Self::try_from(n).ok())
            .ok_or_else(|| MetadataError::Fsk(excerpt(raw)))
    }

    /// The minimum age, e.g. 16.
    pub fn age(self) -> u8 {
        self.0
    }
}

impl TryFrom<u8> for Fsk {
    type Error = MetadataError;
    fn try_from(value: u8) -> Result<Self, Self::Error> {
        if Self::RATINGS.contains(&value) {
            Ok(Self(value))
        } else {
            Err(MetadataError::Fsk(value.to_string()))
        }
    }
}

impl From<Fsk> for u8 {
    fn from(fsk: Fsk) -> Self {
        fsk.0
    }
}

/// An IMDb title id: `tt` and 7 to 12 digits, e.g. `tt2560140`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ImdbId(String);

impl ImdbId {
    /// Checks an id (white space around allowed): `tt` and 7 to 12 ASCII digits.
    pub fn parse(raw: &str) -> Result<Self, MetadataError> {
        let id = raw.trim();
        let ok = id
            .strip_prefix("tt")
            .is_some_and(|d| (7..=12).contains(&d.len()) && d.bytes().all(|b| b.is_ascii_digit()));
        if ok {
            Ok(Self(id.to_owned()))
        } else {
            Err(MetadataError::Imdb(excerpt(raw)))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for ImdbId {
    type Error = MetadataError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<ImdbId> for String {
    fn from(id: ImdbId) -> Self {
        id.0
    }
}

impl fmt::Display for ImdbId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A short list of distinct names (titles, genres) in their first order: white space folded,
/// empty names and repeats dropped, each at most [`Names::MAX_CHARS`] characters and at most
/// [`Names::MAX_COUNT`] of them, so a garbled page cannot bloat a record.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "Vec<String>", into = "Vec<String>")]
pub struct Names(Vec<String>);

impl Names {
    /// Most names kept.
    pub const MAX_COUNT: usize = 50;
    /// Longest name kept, in characters; longer ones are cut.
    pub const MAX_CHARS: usize = 200;

    /// The distinct, non-empty names among `raw`, in their first order.
    pub fn distinct<S: AsRef<str>>(raw: impl IntoIterator<Item = S>) -> Self {
        let mut names: Vec<String> = Vec::new();
        for name in raw {
            let folded = name
                .as_ref()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            let name: String = folded.chars().take(Self::MAX_CHARS).collect();
            let name = name.trim_end().to_owned();
            if !name.is_empty() && !names.contains(&name) {
                names.push(name);
            }
            if names.len() == Self::MAX_COUNT {
                break;
            }
        }
        Self(names)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn as_slice(&self) -> &[String] {
        &self.0
    }
}

impl From<Vec<String>> for Names {
    fn from(names: Vec<String>) -> Self {
        Self::distinct(names)
    }
}

impl From<Names> for Vec<String> {
    fn from(names: Names) -> Self {
        names.0
    }
}

#[cfg(test)]
mod tests;
