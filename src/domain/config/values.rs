//! The setting values that are more than a number or a flag: the log level, the preferred
//! languages and the two kinds of directory. Each is parsed once from the document's text
//! (`TryFrom`) and keeps that text, so the document written back is the one read.

use std::path::{Component, Path};

use crate::domain::catalogue::Language;

/// A setting's text that breaks its rule; the message names the rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct InvalidSetting(pub &'static str);

/// The log level: DEBUG, INFO, WARNING, ERROR or CRITICAL (TRACE and WARN too), in any case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogLevel {
    given: String,
    filter: &'static str,
}

impl LogLevel {
    /// The level as written in the document.
    pub fn as_str(&self) -> &str {
        &self.given
    }

    /// The tracing level it means (`trace`, `debug`, `info`, `warn` or `error`).
    pub fn filter(&self) -> &'static str {
        self.filter
    }
}

impl TryFrom<String> for LogLevel {
    type Error = InvalidSetting;

    fn try_from(given: String) -> Result<Self, Self::Error> {
        let filter = match given.to_ascii_uppercase().as_str() {
            "TRACE" => "trace",
            "DEBUG" => "debug",
            "INFO" => "info",
            "WARNING" | "WARN" => "warn",
            "ERROR" | "CRITICAL" => "error",
            _ => {
                return Err(InvalidSetting(
                    "must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL",
                ));
            }
        };
        Ok(Self { given, filter })
    }
}

/// One or more languages in order of preference ("German Dub", "German Sub", "English Sub").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Languages {
    given: Vec<String>,
    order: Vec<Language>,
}

impl Languages {
    /// The languages, most wanted first.
    pub fn order(&self) -> &[Language] {
        &self.order
    }

    /// The names as written in the document.
    pub fn names(&self) -> &[String] {
        &self.given
    }

    /// The names as written, joined by `separator` (for messages).
    pub fn join(&self, separator: &str) -> String {
        self.given.join(separator)
    }
}

impl TryFrom<Vec<String>> for Languages {
    type Error = InvalidSetting;

    fn try_from(given: Vec<String>) -> Result<Self, Self::Error> {
        let order: Option<Vec<Language>> = given.iter().map(|l| Language::from_name(l)).collect();
        match order {
            Some(order) if !order.is_empty() => Ok(Self { given, order }),
            _ => Err(InvalidSetting(
                "must list one or more of German Dub, German Sub, English Sub, English Dub",
            )),
        }
    }
}

/// An absolute directory path (the anime library). Whether it exists is the file system's
/// question; this only makes sure it cannot be read relative to the working directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AbsoluteDir(String);

impl AbsoluteDir {
    /// The path.
    pub fn path(&self) -> &Path {
        Path::new(&self.0)
    }

    /// The path as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for AbsoluteDir {
    type Error = InvalidSetting;

    fn try_from(path: String) -> Result<Self, Self::Error> {
        if Path::new(&path).is_absolute() && !path.contains('\0') {
            Ok(Self(path))
        } else {
            Err(InvalidSetting("must be an absolute path"))
        }
    }
}

impl TryFrom<&str> for AbsoluteDir {
    type Error = InvalidSetting;

    fn try_from(path: &str) -> Result<Self, Self::Error> {
        Self::try_from(path.to_owned())
    }
}

/// A path relative to the data dir that stays inside it: no root, no `..`, no NUL. A request
/// must never make the server write elsewhere.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataDirPath(String);

impl DataDirPath {
    /// The path, relative to the data dir.
    pub fn path(&self) -> &Path {
        Path::new(&self.0)
    }

    /// The path as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for DataDirPath {
    type Error = InvalidSetting;

    fn try_from(path: String) -> Result<Self, Self::Error> {
        let inside = !path.is_empty()
            && !path.contains('\0')
            && Path::new(&path)
                .components()
                .all(|c| matches!(c, Component::Normal(_) | Component::CurDir));
        if inside {
            Ok(Self(path))
        } else {
            Err(InvalidSetting(
                "must be a relative path inside the data directory",
            ))
        }
    }
}

impl TryFrom<&str> for DataDirPath {
    type Error = InvalidSetting;

    fn try_from(path: &str) -> Result<Self, Self::Error> {
        Self::try_from(path.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_leaving_the_data_dir_are_rejected() {
        for bad in ["../x", "/etc", "a/../../b", ""] {
            assert!(DataDirPath::try_from(bad).is_err(), "{bad}");
        }
        assert!(DataDirPath::try_from("logs/app.log").is_ok());
    }

    #[test]
    fn a_directory_must_be_absolute_and_free_of_nul() {
        assert!(AbsoluteDir::try_from("/srv/anime").is_ok());
        for bad in ["srv/anime", "", "/srv/\0x"] {
            assert!(AbsoluteDir::try_from(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn log_levels_keep_their_text_and_mean_a_tracing_level() {
        let level = LogLevel::try_from("warning".to_owned()).unwrap();
        assert_eq!((level.as_str(), level.filter()), ("warning", "warn"));
        assert_eq!(
            LogLevel::try_from("CRITICAL".to_owned()).unwrap().filter(),
            "error"
        );
        assert!(LogLevel::try_from("LOUD".to_owned()).is_err());
    }

    #[test]
    fn languages_are_one_or_more_known_names_in_order() {
        let l = Languages::try_from(vec!["german sub".into(), "German Dub".into()]).unwrap();
        assert_eq!(l.order(), [Language::GermanSub, Language::GermanDub]);
        assert_eq!(l.join(", "), "german sub, German Dub");
        assert!(Languages::try_from(vec![]).is_err());
        assert!(Languages::try_from(vec!["Klingon".into()]).is_err());
    }
}
