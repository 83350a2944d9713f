//! How its owner wants one series kept: whether automatic downloads apply to it
//! (`monitored`), its own language order (overriding the global one when not empty), and
//! whether a file is replaced when a better language appears (`upgrade`). And the language of
//! each episode file the product downloaded, so "held in German Sub, waiting for the Dub" can
//! be told and acted on.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::catalogue::Language;
use super::episode::EpisodeId;

/// The owner's settings of one series.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SeriesPolicy {
    /// Automatic downloads (and upgrades) apply to the series.
    pub monitored: bool,
    /// Languages in order of preference; empty follows `downloads.preferred_languages`.
    pub languages: Vec<Language>,
    /// Replace a file when the catalogue offers the episode in a better language.
    pub upgrade: bool,
}

impl Default for SeriesPolicy {
    fn default() -> Self {
        Self {
            monitored: true,
            languages: Vec::new(),
            upgrade: false,
        }
    }
}

/// A change to a policy: the fields given replace the old ones.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PolicyPatch {
    pub monitored: Option<bool>,
    pub languages: Option<Vec<Language>>,
    pub upgrade: Option<bool>,
}

impl SeriesPolicy {
    /// The policy with `patch` applied; repeated languages keep their first place.
    pub fn patched(&self, patch: &PolicyPatch) -> Self {
        let mut next = self.clone();
        if let Some(monitored) = patch.monitored {
            next.monitored = monitored;
        }
        if let Some(languages) = &patch.languages {
            next.languages = Vec::new();
            for language in languages {
                if !next.languages.contains(language) {
                    next.languages.push(*language);
                }
            }
        }
        if let Some(upgrade) = patch.upgrade {
            next.upgrade = upgrade;
        }
        next
    }

    /// Whether nothing differs from the default (the sidecar then stays the four fields).
    pub fn is_default(&self) -> bool {
        *self == Self::default()
    }

    /// The languages in force: the series' own, else the global order.
    pub fn languages_or(&self, global: &[Language]) -> Vec<Language> {
        if self.languages.is_empty() {
            global.to_vec()
        } else {
            self.languages.clone()
        }
    }

    /// The languages in force that rank above `held`, best first; all of them when `held`
    /// is not among them.
    pub fn better_than(&self, held: Language, global: &[Language]) -> Vec<Language> {
        self.languages_or(global)
            .into_iter()
            .take_while(|l| *l != held)
            .collect()
    }
}

/// The language of each episode file the product downloaded. Files found on disk that the
/// product did not download have no entry: their language is unknown.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileLanguages(BTreeMap<EpisodeId, Language>);

impl FileLanguages {
    pub fn get(&self, episode: EpisodeId) -> Option<Language> {
        self.0.get(&episode).copied()
    }

    pub fn set(&mut self, episode: EpisodeId, language: Language) {
        self.0.insert(episode, language);
    }

    /// Forgets episodes no longer on disk (and, with them, what was known of their files).
    pub fn retain(&mut self, keep: impl Fn(EpisodeId) -> bool) {
        self.0.retain(|e, _| keep(*e));
    }

    pub fn iter(&self) -> impl Iterator<Item = (EpisodeId, Language)> + '_ {
        self.0.iter().map(|(e, l)| (*e, *l))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Stored and written to the sidecar as `{"1-5": "German Sub"}`.
impl Serialize for FileLanguages {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.0.iter().map(|(e, l)| (e.to_string(), l)))
    }
}

/// Entries with an unreadable episode or language are dropped, not an error: a hand-edited
/// sidecar must not cost the series.
impl<'de> Deserialize<'de> for FileLanguages {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = BTreeMap::<String, serde_json::Value>::deserialize(d)?;
        Ok(Self(
            raw.into_iter()
                .filter_map(|(e, l)| {
                    let language = l.as_str().and_then(Language::from_name)?;
                    Some((EpisodeId::parse_api(&e)?, language))
                })
                .collect(),
        ))
    }
}

/// Which upgrades were tried, so each language is tried once per episode: an upgrade that
/// failed, or found no better copy, is not tried again for that language.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct UpgradesTried(FileLanguages);

impl UpgradesTried {
    /// Whether an upgrade of `episode` to `language` was tried.
    pub fn tried(&self, episode: EpisodeId, language: Language) -> bool {
        self.0.get(episode) == Some(language)
    }

    pub fn record(&mut self, episode: EpisodeId, language: Language) {
        self.0.set(episode, language);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Language::{EnglishSub, GermanDub, GermanSub};

    const GLOBAL: [Language; 3] = [GermanDub, GermanSub, EnglishSub];

    #[test]
    fn a_patch_changes_only_what_it_names_and_drops_repeats() {
        let policy = SeriesPolicy::default();
        let patched = policy.patched(&PolicyPatch {
            languages: Some(vec![GermanSub, GermanDub, GermanSub]),
            ..PolicyPatch::default()
        });
        assert_eq!(patched.languages, [GermanSub, GermanDub]);
        assert!(patched.monitored, "kept");
        assert!(!patched.upgrade, "kept");
        assert!(!patched.is_default());
        assert!(policy.is_default());
    }

    #[test]
    fn better_languages_are_those_ranked_above_the_one_held() {
        let policy = SeriesPolicy::default();
        assert_eq!(policy.better_than(GermanSub, &GLOBAL), [GermanDub]);
        assert_eq!(policy.better_than(GermanDub, &GLOBAL), []);
        let own = SeriesPolicy {
            languages: vec![GermanSub, GermanDub],
            ..SeriesPolicy::default()
        };
        assert_eq!(own.better_than(GermanDub, &GLOBAL), [GermanSub]);
        assert_eq!(own.better_than(EnglishSub, &GLOBAL), [GermanSub, GermanDub]);
    }

    #[test]
    fn file_languages_read_and_write_as_an_object_by_episode() {
        let mut files = FileLanguages::default();
        files.set(EpisodeId::new(1, 5), GermanSub);
        files.set(EpisodeId::new(0, 1), GermanDub);
        let json = serde_json::to_value(&files).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"0-1": "German Dub", "1-5": "German Sub"})
        );
        let back: FileLanguages = serde_json::from_value(
            serde_json::json!({"1-5": "German Sub", "0-1": "German Dub", "x": "German Dub", "1-2": "Klingon"}),
        )
        .unwrap();
        assert_eq!(back, files);
    }

    #[test]
    fn an_old_record_reads_with_the_default_policy() {
        let p: SeriesPolicy = serde_json::from_str("{}").unwrap();
        assert_eq!(p, SeriesPolicy::default());
    }
}
