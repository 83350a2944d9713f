//! What came of asking hosters for an episode: each attempt's outcome as the user reads it,
//! the media resolved, and why none was.

use std::fmt;

use crate::domain::catalogue::{Language, MediaSource, ProviderError};
use crate::domain::provider_health::FailureKind;
use crate::ports::media::FetchError;

/// What came of asking one hoster for one link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AttemptOutcome {
    /// The hoster gave a media source.
    Resolved,
    /// The page links this hoster but we have no extractor for it.
    Unsupported,
    /// Following the catalogue's redirect or reading the hoster's page failed.
    Failed(ProviderError),
    /// The hoster gave a media source, but downloading it failed.
    Transfer(FetchError),
    /// The hoster rests after a browser challenge for this many more seconds.
    Resting(u64),
}

/// One hoster tried for one language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HosterAttempt {
    /// The hoster's name as the episode page writes it.
    pub hoster: String,
    pub language: Language,
    pub outcome: AttemptOutcome,
}

impl fmt::Display for HosterAttempt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({}): ", self.hoster, self.language.name())?;
        match &self.outcome {
            AttemptOutcome::Resolved => f.write_str("resolved"),
            AttemptOutcome::Unsupported => f.write_str("no extractor for this hoster"),
            // "Not found" from a hoster is its page answering 404, not the catalogue's.
            AttemptOutcome::Failed(ProviderError::NotFound) => f.write_str("HTTP 404 (not found)"),
            AttemptOutcome::Failed(error) => write!(f, "{error}"),
            AttemptOutcome::Transfer(error) => write!(f, "{error}"),
            AttemptOutcome::Resting(secs) => {
                write!(f, "resting after a browser challenge ({secs} s left)")
            }
        }
    }
}

/// A media source ready to download, the language it is in (kept on record for a later
/// per-series language policy) and every attempt made to get it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedMedia {
    pub source: MediaSource,
    pub language: Language,
    pub attempts: Vec<HosterAttempt>,
}

/// Why no media source was found.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ResolveError {
    /// The episode page has no link for any preferred language and hoster.
    #[error("no hoster link for this episode in the preferred languages and hosters")]
    NoLinks,
    /// Links existed, but every hoster tried failed.
    #[error("every hoster failed: {}", list(attempts))]
    AllHostersFailed { attempts: Vec<HosterAttempt> },
    /// The episode page itself could not be read.
    #[error("episode page: {0}")]
    Catalogue(#[from] ProviderError),
}

fn list(attempts: &[HosterAttempt]) -> String {
    attempts
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

/// The kind of a failed transfer; `None` for what is no fault of the hoster (the disk, a
/// cancel).
pub(super) fn transfer_failure(error: &FetchError) -> Option<FailureKind> {
    match error {
        FetchError::Expired { .. } | FetchError::NotFound | FetchError::Status(_) => {
            Some(FailureKind::HttpStatus)
        }
        FetchError::Timeout => Some(FailureKind::Timeout),
        FetchError::Truncated { .. } | FetchError::Transport(_) | FetchError::Unusable(_) => {
            Some(FailureKind::Other)
        }
        FetchError::Disk(_) | FetchError::Cancelled { .. } => None,
    }
}
