//! A series: its provider-assigned key, its display name and its folder in the library.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::site::Site;

/// Why a series value was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SeriesError {
    /// The key is empty, too long or holds characters other than `a-z 0-9 - _` (after
    /// `sto:` for an s.to series).
    #[error(
        "invalid series key {0:?}: use lower-case letters, digits, '-' and '_' (1 to 200), after `sto:` for an s.to series"
    )]
    InvalidKey(String),
    /// Nothing is left of the name once unsafe characters are removed.
    #[error("the name {0:?} leaves no usable folder name")]
    EmptyFolderName(String),
}

/// The identifier of a series across sites, URL-safe: the site's slug (`attack-on-titan`)
/// for aniworld.to, `sto:<slug>` for s.to ([`Site`]).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct SeriesKey(String);

impl SeriesKey {
    /// Longest slug accepted.
    pub const MAX_LEN: usize = 200;

    /// Checks a key: a slug of 1 to 200 characters of `a-z`, `0-9`, `-` and `_`, after its
    /// site's prefix.
    pub fn parse(raw: &str) -> Result<Self, SeriesError> {
        let slug = raw.strip_prefix(Site::Sto.key_prefix()).unwrap_or(raw);
        if is_slug(slug) {
            Ok(Self(raw.to_owned()))
        } else {
            Err(SeriesError::InvalidKey(raw.chars().take(64).collect()))
        }
    }

    /// The key of `slug` on `site`.
    pub fn on(site: Site, slug: &str) -> Result<Self, SeriesError> {
        if is_slug(slug) {
            Ok(Self(format!("{}{slug}", site.key_prefix())))
        } else {
            Err(SeriesError::InvalidKey(slug.chars().take(64).collect()))
        }
    }

    /// The key as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The site the series is on.
    pub fn site(&self) -> Site {
        if self.0.starts_with(Site::Sto.key_prefix()) {
            Site::Sto
        } else {
            Site::Aniworld
        }
    }

    /// The site's own name for the series, as its URLs hold it.
    pub fn slug(&self) -> &str {
        &self.0[self.site().key_prefix().len()..]
    }
}

/// 1 to 200 characters of `a-z`, `0-9`, `-` and `_`.
fn is_slug(slug: &str) -> bool {
    !slug.is_empty()
        && slug.len() <= SeriesKey::MAX_LEN
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}

impl TryFrom<String> for SeriesKey {
    type Error = SeriesError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<SeriesKey> for String {
    fn from(key: SeriesKey) -> Self {
        key.0
    }
}

impl fmt::Display for SeriesKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A folder name that is safe on every common file system: no `< > : " / \ | ? *`, no control
/// characters, no leading or trailing white space or dots. Unicode is kept.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct FolderName(String);

impl FolderName {
    /// Longest folder name in bytes (most file systems allow 255).
    pub const MAX_BYTES: usize = 200;

    /// Turns a display name into a folder name:
    /// `"Attack on Titan: Final Season"` becomes `"Attack on Titan Final Season"`.
    pub fn sanitise(name: &str) -> Result<Self, SeriesError> {
        let cleaned: String = name
            .chars()
            .filter(|c| !matches!(c, '<' | '>' | ':' | '"' | '/' | '\\' | '|' | '?' | '*'))
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        // Removing a character can leave two spaces side by side; fold runs of white space.
        let folded = cleaned.split_whitespace().collect::<Vec<_>>().join(" ");
        let trimmed =
            within_max_bytes(folded.trim_matches(|c: char| c == '.' || c.is_whitespace()));
        if trimmed.is_empty() {
            return Err(SeriesError::EmptyFolderName(
                name.chars().take(64).collect(),
            ));
        }
        // A name Windows reserves for a device cannot be a folder there (a library shared
        // over SMB, a disk moved to a Windows machine): keep it, made ordinary by a `_` right
        // after the device name (`nul.txt` becomes `nul_.txt`; one at the end would leave
        // `nul.txt_` reserved, and the folder name would change each time it is read back).
        if let Some(device) = windows_device_len(trimmed) {
            let ordinary = format!("{}_{}", &trimmed[..device], &trimmed[device..]);
            return Ok(Self(within_max_bytes(&ordinary).to_owned()));
        }
        Ok(Self(trimmed.to_owned()))
    }

    /// The folder name with ` (YEAR)` appended where the year is known.
    pub fn with_year(name: &str, year: Option<i32>) -> Result<Self, SeriesError> {
        let base = Self::sanitise(name)?;
        match year {
            Some(y) => Self::sanitise(&format!("{} ({y})", base.0)),
            None => Ok(base),
        }
    }

    /// The folder name as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for FolderName {
    type Error = SeriesError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        let folder = Self::sanitise(&value)?;
        if folder.0 == value {
            Ok(folder)
        } else {
            Err(SeriesError::EmptyFolderName(value))
        }
    }
}

impl From<FolderName> for String {
    fn from(folder: FolderName) -> Self {
        folder.0
    }
}

impl fmt::Display for FolderName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What identifies a series in the library: the catalogue's key, its name, which catalogue
/// site it comes from and where it lives on disk. This is also the content of the
/// `aniworld.json` sidecar in the series folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Series {
    pub key: SeriesKey,
    pub name: String,
    /// The catalogue site, e.g. `aniworld.to`.
    pub site: String,
    /// The series page on the catalogue site.
    pub link: String,
    pub folder: FolderName,
}

/// `text` cut to [`FolderName::MAX_BYTES`] on a character boundary, without the dots and
/// white space the cut leaves at the end.
fn within_max_bytes(mut text: &str) -> &str {
    while text.len() > FolderName::MAX_BYTES {
        let mut end = FolderName::MAX_BYTES;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text = text[..end].trim_end_matches(|c: char| c == '.' || c.is_whitespace());
    }
    text
}

/// The length of the device name a name Windows reserves starts with: `CON`, `PRN`, `AUX`,
/// `NUL`, `COM1`…`COM9`, `LPT1`…`LPT9`, also with an extension (`nul.txt`), in any case;
/// `None` for any other name.
fn windows_device_len(name: &str) -> Option<usize> {
    let stem = name.split('.').next().unwrap_or(name).trim_end();
    let upper = stem.to_ascii_uppercase();
    let reserved = matches!(upper.as_str(), "CON" | "PRN" | "AUX" | "NUL")
        || ["COM", "LPT"].iter().any(|p| {
            upper
                .strip_prefix(p)
                .is_some_and(|n| n.len() == 1 && n.as_bytes()[0].is_ascii_digit() && n != "0")
        });
    reserved.then_some(stem.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn device_names_windows_reserves_become_ordinary_folder_names() {
        for (name, folder) in [
            ("CON", "CON_"),
            ("nul", "nul_"),
            ("Com1", "Com1_"),
            ("LPT9.txt", "LPT9_.txt"),
            ("AUX. x", "AUX_. x"),
            ("aux.", "aux_"),
        ] {
            assert_eq!(
                FolderName::sanitise(name).unwrap().as_str(),
                folder,
                "{name}"
            );
        }
        for name in ["CONSOLE", "COM0", "COM10", "Nullarbor", "Conan"] {
            assert_eq!(FolderName::sanitise(name).unwrap().as_str(), name);
        }
    }

    /// Found by the `episode_names` fuzz target: `AUX. ��V` became `AUX. ��V_`, still
    /// reserved, so a folder name read back (which sanitises again) was refused.
    #[test]
    fn a_folder_name_sanitises_to_itself_and_reads_back() {
        let long_device = format!("CON.{}", "x".repeat(FolderName::MAX_BYTES));
        for name in [
            "AUX. \u{fffd}\u{fffd}V",
            "LPT9.txt",
            "nul .x",
            long_device.as_str(),
        ] {
            let folder = FolderName::sanitise(name).unwrap();
            assert!(folder.as_str().len() <= FolderName::MAX_BYTES, "{name}");
            assert_eq!(
                FolderName::sanitise(folder.as_str()).unwrap(),
                folder,
                "{name}"
            );
            assert_eq!(FolderName::try_from(folder.0.clone()), Ok(folder), "{name}");
        }
    }

    proptest::proptest! {
        #[test]
        fn any_folder_name_reads_back_as_itself(name in "(?i)(con|aux|nul|com1|lpt9)?[ .a-z\u{e4}]{0,8}|.{0,220}") {
            if let Ok(folder) = FolderName::sanitise(&name) {
                proptest::prop_assert_eq!(FolderName::try_from(folder.0.clone()), Ok(folder));
            }
        }
    }

    #[test]
    fn a_colon_is_removed_from_the_folder_name() {
        let f = FolderName::sanitise("Attack on Titan: Final Season").unwrap();
        assert_eq!(f.as_str(), "Attack on Titan Final Season");
    }

    #[test]
    fn every_unsafe_character_is_removed_and_unicode_is_kept() {
        let f = FolderName::sanitise(r#" ..<進撃>:"の/\|?*巨人.. "#).unwrap();
        assert_eq!(f.as_str(), "進撃の巨人");
    }

    #[test]
    fn leading_and_trailing_dots_and_spaces_are_trimmed() {
        assert_eq!(
            FolderName::sanitise("...Dr. Stone...").unwrap().as_str(),
            "Dr. Stone"
        );
    }

    #[test]
    fn a_name_of_only_unsafe_characters_is_rejected() {
        assert!(FolderName::sanitise(" ?*: .. ").is_err());
    }

    #[test]
    fn the_year_is_appended_in_brackets() {
        let f = FolderName::with_year("Attack on Titan", Some(2013)).unwrap();
        assert_eq!(f.as_str(), "Attack on Titan (2013)");
    }

    #[test]
    fn a_very_long_name_is_cut_on_a_character_boundary() {
        let f = FolderName::sanitise(&"進".repeat(200)).unwrap();
        assert!(f.as_str().len() <= FolderName::MAX_BYTES);
        assert!(f.as_str().chars().all(|c| c == '進'));
    }

    #[test]
    fn keys_allow_lower_case_digits_and_hyphens_only() {
        assert!(SeriesKey::parse("attack-on-titan_2").is_ok());
        for bad in ["", "Attack", "a/b", "..", "a b", "ä"] {
            assert!(SeriesKey::parse(bad).is_err(), "{bad}");
        }
        assert!(SeriesKey::parse(&"a".repeat(201)).is_err());
    }

    #[test]
    fn an_sto_key_names_its_site_and_the_same_slug_on_both_sites_is_two_keys() {
        let sto = SeriesKey::parse("sto:breaking-bad").unwrap();
        assert_eq!((sto.site(), sto.slug()), (Site::Sto, "breaking-bad"));
        let aniworld = SeriesKey::parse("breaking-bad").unwrap();
        assert_eq!(
            (aniworld.site(), aniworld.slug()),
            (Site::Aniworld, "breaking-bad")
        );
        assert_ne!(sto, aniworld);
        assert_eq!(SeriesKey::on(Site::Sto, "breaking-bad").unwrap(), sto);
        for bad in ["sto:", "sto:sto:x", "aw:x", "sto:A", ":x"] {
            assert!(SeriesKey::parse(bad).is_err(), "{bad}");
        }
        assert!(SeriesKey::on(Site::Aniworld, "sto:x").is_err());
    }
}
