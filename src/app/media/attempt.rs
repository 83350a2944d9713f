//! What came of asking hosters for an episode: each attempt's outcome as the user reads it,
//! the media resolved, and why none was.

use std::fmt;

use crate::domain::catalogue::{HosterLink, Language, MediaSource, ProviderError};
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
    /// The extractor that read the page the link landed on, when it is not the one the
    /// label names (a "Vidara" link landing on a VOE page).
    pub extractor: Option<String>,
    pub language: Language,
    pub outcome: AttemptOutcome,
}

impl HosterAttempt {
    /// An attempt on `link` read by the label's own extractor.
    pub fn new(link: &HosterLink, outcome: AttemptOutcome) -> Self {
        Self {
            hoster: link.hoster.clone(),
            extractor: None,
            language: link.language,
            outcome,
        }
    }

    /// Notes the extractor that read the landed page; kept only when it is not the label's.
    #[must_use]
    pub fn read_by(mut self, extractor: &str) -> Self {
        self.extractor =
            (!extractor.eq_ignore_ascii_case(self.hoster.trim())).then(|| extractor.to_owned());
        self
    }
}

/// Why one link gave no media source, and which extractor read its page (when one did).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkFailure {
    pub outcome: AttemptOutcome,
    pub extractor: Option<String>,
}

impl From<AttemptOutcome> for LinkFailure {
    fn from(outcome: AttemptOutcome) -> Self {
        Self {
            outcome,
            extractor: None,
        }
    }
}

impl LinkFailure {
    /// Notes the extractor that read the landed page.
    #[must_use]
    pub fn read_by(mut self, extractor: &str) -> Self {
        self.extractor = Some(extractor.to_owned());
        self
    }

    /// The attempt on `link` this failure was, as counted and shown.
    pub fn attempt(self, link: &HosterLink) -> HosterAttempt {
        let attempt = HosterAttempt::new(link, self.outcome);
        match self.extractor {
            Some(extractor) => attempt.read_by(&extractor),
            None => attempt,
        }
    }
}

impl fmt::Display for HosterAttempt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // "Vidara (as VOE) (German Dub): ..." when the link landed on another hoster's page.
        write!(f, "{}", self.hoster)?;
        if let Some(extractor) = &self.extractor {
            write!(f, " (as {extractor})")?;
        }
        write!(f, " ({}): ", self.language.name())?;
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
