//! A release: one episode of one series in one language, as Sonarr and Prowlarr see the
//! catalogue (INTEGRATIONS.md sections 2 and 3). The Torznab feed offers releases; the
//! qBittorrent API takes one back by its magnet, whose info hash names it and nothing else.
//! Pure: the title Sonarr's parser reads, the info hash, the magnet.

use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha1::{Digest, Sha1};

use super::catalogue::Language;
use super::episode::EpisodeId;
use super::series::SeriesKey;
use super::site::Site;

/// The release group every title ends with.
pub const GROUP: &str = "ANIWORLD";

/// What a release's size is taken to be before it is downloaded: the catalogue does not say,
/// and Sonarr wants a size. About a 24-minute episode at 2 Mbit/s.
pub const EPISODE_SIZE_ESTIMATE: u64 = 350 * 1024 * 1024;
/// The same for a film (season 0).
pub const FILM_SIZE_ESTIMATE: u64 = 1536 * 1024 * 1024;

/// An episode in a language, offered to Sonarr.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Release {
    /// The series; its site is in the key.
    pub key: SeriesKey,
    /// The series' name on its site.
    pub series_title: String,
    pub episode: EpisodeId,
    pub language: Language,
    /// When the product first offered it: the feed's `pubDate`.
    pub first_seen: DateTime<Utc>,
}

/// A release's info hash: 40 lower-case hex digits.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct InfoHash(String);

impl InfoHash {
    /// Parses 40 hex digits (either case).
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        (text.len() == 40 && text.bytes().all(|b| b.is_ascii_hexdigit()))
            .then(|| Self(text.to_ascii_lowercase()))
    }

    /// The info hash of a magnet link's `xt=urn:btih:<40 hex>`; `None` for anything else
    /// (a base32 hash, another scheme): no magnet the product issues looks like that.
    pub fn of_magnet(magnet: &str) -> Option<Self> {
        let query = magnet.trim().strip_prefix("magnet:?")?;
        url::form_urlencoded::parse(query.as_bytes())
            .filter(|(k, _)| k == "xt")
            .find_map(|(_, v)| {
                let hash = v.strip_prefix("urn:btih:")?;
                Self::parse(hash)
            })
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for InfoHash {
    type Error = String;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value).ok_or_else(|| format!("not an info hash: {value:?}"))
    }
}

impl From<InfoHash> for String {
    fn from(hash: InfoHash) -> Self {
        hash.0
    }
}

impl fmt::Display for InfoHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Release {
    pub fn site(&self) -> Site {
        self.key.site()
    }

    /// SHA-1 of `site|key|season|episode|language` (`aniworld.to|dr-stone|1|5|German Dub`):
    /// stable per episode and language, and the same on every install.
    pub fn hash(&self) -> InfoHash {
        let named = format!(
            "{}|{}|{}|{}|{}",
            self.site().name(),
            self.key.as_str(),
            self.episode.season,
            self.episode.episode,
            self.language.name()
        );
        let digest = Sha1::digest(named.as_bytes());
        InfoHash(digest.iter().map(|b| format!("{b:02x}")).collect())
    }

    /// The title Sonarr's parser reads: `Dr.Stone.S01E05.German.DL.WEB.h264-ANIWORLD`. The
    /// height is not known before the download, so there is no resolution token.
    pub fn title(&self) -> String {
        let mut parts = vec![dotted(&self.series_title, self.key.slug())];
        parts.push(self.episode.tag());
        if let Some(token) = language_token(self.language) {
            parts.push(token.to_owned());
        }
        parts.push("WEB".into());
        format!("{}.h264-{GROUP}", parts.join("."))
    }

    /// `magnet:?xt=urn:btih:<hash>&dn=<title>`.
    pub fn magnet(&self) -> String {
        let title: String = url::form_urlencoded::byte_serialize(self.title().as_bytes()).collect();
        format!("magnet:?xt=urn:btih:{}&dn={title}", self.hash())
    }

    /// The size Sonarr is told before the download ([`EPISODE_SIZE_ESTIMATE`]).
    pub fn size_estimate(&self) -> u64 {
        if self.episode.season == 0 {
            FILM_SIZE_ESTIMATE
        } else {
            EPISODE_SIZE_ESTIMATE
        }
    }

    /// The language Torznab's `language` attribute names: what Sonarr files it under (its
    /// parser reads `GerSub` as German too).
    pub fn torznab_language(&self) -> &'static str {
        match self.language {
            Language::GermanDub | Language::GermanSub => "German",
            Language::EnglishSub | Language::EnglishDub => "English",
        }
    }
}

/// The title's language token: `German.DL` for German audio, `GerSub` and `EngSub` for
/// subtitles, `English` for English audio.
fn language_token(language: Language) -> Option<&'static str> {
    Some(match language {
        Language::GermanDub => "German.DL",
        Language::GermanSub => "GerSub",
        Language::EnglishSub => "EngSub",
        Language::EnglishDub => "English",
    })
}

/// A series name as a release title writes it: letters and digits kept, apostrophes
/// dropped (`Don't` → `Dont`, as Sonarr cleans titles), `&` as `and`, every other run of
/// characters one dot. A name with nothing left is the slug's words.
fn dotted(name: &str, slug: &str) -> String {
    let mut words: Vec<String> = Vec::new();
    let mut word = String::new();
    for c in name.chars() {
        match c {
            c if c.is_alphanumeric() => word.push(c),
            '\'' | '’' | '`' | '´' => {}
            _ => {
                words.extend((!word.is_empty()).then(|| std::mem::take(&mut word)));
                if c == '&' {
                    words.push("and".into());
                }
            }
        }
    }
    words.extend((!word.is_empty()).then_some(word));
    if words.is_empty() && !slug.is_empty() {
        return dotted(&slug.replace(['-', '_'], " "), "");
    }
    // A file name has room for 255 bytes; the title is the folder's and the file's name.
    let mut out = String::new();
    for w in words {
        if out.len() + w.len() > MAX_NAME_BYTES {
            if out.is_empty() {
                out.extend(w.chars().scan(0, |n, c| {
                    *n += c.len_utf8();
                    (*n <= MAX_NAME_BYTES).then_some(c)
                }));
            }
            break;
        }
        if !out.is_empty() {
            out.push('.');
        }
        out.push_str(&w);
    }
    out
}

/// Longest series part of a title, in bytes (the rest of the title is under 60).
const MAX_NAME_BYTES: usize = 150;

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use proptest::prelude::*;

    use super::*;

    fn release(name: &str, key: &str, season: u32, episode: u32, language: Language) -> Release {
        Release {
            key: SeriesKey::parse(key).unwrap(),
            series_title: name.into(),
            episode: EpisodeId::new(season, episode),
            language,
            first_seen: Utc.with_ymd_and_hms(2026, 12, 1, 8, 0, 0).unwrap(),
        }
    }

    #[test]
    fn titles_carry_the_tag_and_the_language_as_sonarr_reads_them() {
        let dub = release("Dr. Stone", "dr-stone", 1, 5, Language::GermanDub);
        assert_eq!(dub.title(), "Dr.Stone.S01E05.German.DL.WEB.h264-ANIWORLD");
        let sub = release("Dr. Stone", "dr-stone", 1, 5, Language::GermanSub);
        assert_eq!(sub.title(), "Dr.Stone.S01E05.GerSub.WEB.h264-ANIWORLD");
        let eng = release("Dr. Stone", "dr-stone", 1, 5, Language::EnglishSub);
        assert_eq!(eng.title(), "Dr.Stone.S01E05.EngSub.WEB.h264-ANIWORLD");
        let film = release("Dr. Stone", "dr-stone", 0, 1, Language::GermanDub);
        assert!(film.title().starts_with("Dr.Stone.S00E01."));
    }

    #[test]
    fn names_lose_what_sonarr_drops() {
        assert_eq!(
            dotted("Attack on Titan: Final Season", "x"),
            "Attack.on.Titan.Final.Season"
        );
        assert_eq!(
            dotted("Don't Toy with Me, Miss Nagatoro", "x"),
            "Dont.Toy.with.Me.Miss.Nagatoro"
        );
        assert_eq!(
            dotted("Kaguya-sama: Love is War!?", "x"),
            "Kaguya.sama.Love.is.War"
        );
        assert_eq!(dotted("Fate/Zero & more", "x"), "Fate.Zero.and.more");
        assert_eq!(dotted("Märchen (2019)", "x"), "Märchen.2019");
        assert_eq!(dotted("!!!", "one-punch-man"), "one.punch.man");
    }

    #[test]
    fn the_hash_is_the_sha1_of_what_names_the_release() {
        let r = release("Dr. Stone", "dr-stone", 1, 5, Language::GermanDub);
        // sha1("aniworld.to|dr-stone|1|5|German Dub")
        let expected = Sha1::digest(b"aniworld.to|dr-stone|1|5|German Dub");
        let hex: String = expected.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(r.hash().as_str(), hex);
        let sto = release("Dr. Stone", "sto:dr-stone", 1, 5, Language::GermanDub);
        assert_ne!(sto.hash(), r.hash(), "the site is part of the name");
        let other = release("Dr. Stone", "dr-stone", 1, 5, Language::GermanSub);
        assert_ne!(other.hash(), r.hash(), "so is the language");
    }

    #[test]
    fn a_magnet_gives_back_its_hash_and_nothing_else_parses() {
        let r = release("Dr. Stone", "dr-stone", 1, 5, Language::GermanDub);
        let magnet = r.magnet();
        assert!(magnet.contains("&dn=Dr.Stone.S01E05"));
        assert_eq!(InfoHash::of_magnet(&magnet), Some(r.hash()));
        let upper = magnet.replace(r.hash().as_str(), &r.hash().as_str().to_uppercase());
        assert_eq!(InfoHash::of_magnet(&upper), Some(r.hash()));
        assert_eq!(InfoHash::of_magnet("magnet:?xt=urn:btih:abc"), None);
        assert_eq!(InfoHash::of_magnet("https://example.org/x.torrent"), None);
        assert_eq!(
            InfoHash::of_magnet("magnet:?xt=urn:btih:CQWZ2JYQ3XKYHGCKZOB4AQTUPHOQWHXK"),
            None
        );
    }

    proptest! {
        #[test]
        fn any_title_is_one_dotted_word_run_sonarr_can_split(name in "\\PC{0,60}|\\PL{140,200}", season in 0u32..30, episode in 1u32..2000) {
            let r = release(&name, "some-series", season, episode, Language::GermanSub);
            let title = r.title();
            prop_assert!(!title.contains(".."));
            prop_assert!(!title.starts_with('.'));
            prop_assert!(title.len() < 250, "a file name has room for 255 bytes");
            prop_assert!(!title.contains(char::is_whitespace));
            prop_assert!(title.contains(&EpisodeId::new(season, episode).tag()));
            prop_assert!(title.ends_with("-ANIWORLD"));
            prop_assert_eq!(InfoHash::of_magnet(&r.magnet()), Some(r.hash()));
        }
    }
}
