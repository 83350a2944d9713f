//! Where the health of the outside world is kept, so its counts survive a restart.

use async_trait::async_trait;

use super::StoreError;
use crate::domain::provider_health::SourceHealth;

/// Which source a health record is about.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Source {
    /// The catalogue site.
    Catalogue,
    /// One hoster, by its extractor's name (`VOE`, `Filemoon`, ...).
    Hoster(String),
}

impl Source {
    /// The stored key: `catalogue` or `hoster:<name>`.
    pub fn key(&self) -> String {
        match self {
            Self::Catalogue => "catalogue".into(),
            Self::Hoster(name) => format!("hoster:{name}"),
        }
    }

    /// The source of a stored key; `None` for a key this build does not know.
    pub fn parse(key: &str) -> Option<Self> {
        match key {
            "catalogue" => Some(Self::Catalogue),
            _ => key
                .strip_prefix("hoster:")
                .filter(|name| !name.is_empty())
                .map(|name| Self::Hoster(name.to_owned())),
        }
    }
}

/// The health records, one per source.
#[cfg_attr(test, mockall::automock)]
#[async_trait]
pub trait HealthStore: Send + Sync {
    /// Every record kept.
    async fn load_health(&self) -> Result<Vec<(Source, SourceHealth)>, StoreError>;

    /// Replaces the record of one source.
    async fn save_health(&self, source: Source, health: SourceHealth) -> Result<(), StoreError>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip() {
        for source in [Source::Catalogue, Source::Hoster("VOE".into())] {
            assert_eq!(Source::parse(&source.key()), Some(source));
        }
        assert_eq!(Source::parse("hoster:"), None);
        assert_eq!(Source::parse("something"), None);
    }
}
