//! Where the health of the outside world is kept, so its counts survive a restart.

use async_trait::async_trait;

use super::StoreError;
use crate::domain::provider_health::SourceHealth;
use crate::domain::site::Site;

/// Which source a health record is about.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Source {
    /// One catalogue site.
    Catalogue(Site),
    /// One hoster, by its extractor's name (`VOE`, `Filemoon`, ...).
    Hoster(String),
}

impl Source {
    /// The stored key: `catalogue` (aniworld.to, as before there were two sites),
    /// `catalogue:s.to`, or `hoster:<name>`.
    pub fn key(&self) -> String {
        match self {
            Self::Catalogue(Site::Aniworld) => "catalogue".into(),
            Self::Catalogue(site) => format!("catalogue:{}", site.name()),
            Self::Hoster(name) => format!("hoster:{name}"),
        }
    }

    /// The source of a stored key; `None` for a key this build does not know.
    pub fn parse(key: &str) -> Option<Self> {
        if key == "catalogue" {
            return Some(Self::Catalogue(Site::Aniworld));
        }
        if let Some(site) = key.strip_prefix("catalogue:") {
            return Site::from_name(site).map(Self::Catalogue);
        }
        key.strip_prefix("hoster:")
            .filter(|name| !name.is_empty())
            .map(|name| Self::Hoster(name.to_owned()))
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
        for source in [
            Source::Catalogue(Site::Aniworld),
            Source::Catalogue(Site::Sto),
            Source::Hoster("VOE".into()),
        ] {
            assert_eq!(Source::parse(&source.key()), Some(source));
        }
        assert_eq!(Source::parse("hoster:"), None);
        assert_eq!(Source::parse("something"), None);
    }
}
