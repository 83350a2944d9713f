//! How the outside world has been doing (CONTRACT.md section 7): for the catalogue site and
//! for each hoster, attempts, successes, failures by kind, the last error and the last
//! success, and a short memory of the most recent outcomes that says whether it works now.

use std::collections::VecDeque;

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use super::catalogue::ProviderError;

/// How many of the latest outcomes are "recent".
pub const RECENT_OUTCOMES: usize = 5;

/// Outcomes older than this are not recent, however few came since.
pub fn recent_window() -> Duration {
    Duration::hours(24)
}

/// What kind of failure an attempt ended in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FailureKind {
    /// The page did not hold what the extractor looks for.
    Layout,
    /// Bot protection asked for a browser.
    Challenge,
    /// The site refused the product without a challenge (403, 429, 503).
    Refused,
    /// An unexpected HTTP status (404 and expired signed URLs among them).
    HttpStatus,
    /// No answer in time.
    Timeout,
    /// Anything else: connection refused, truncated transfer, unusable media.
    Other,
}

impl FailureKind {
    /// The kind of a catalogue or hoster page failure.
    pub fn of(error: &ProviderError) -> Self {
        match error {
            ProviderError::Layout(_) => Self::Layout,
            ProviderError::Challenge(_) => Self::Challenge,
            ProviderError::Refused { .. } => Self::Refused,
            ProviderError::NotFound | ProviderError::Status(_) => Self::HttpStatus,
            ProviderError::Timeout => Self::Timeout,
            ProviderError::TooLarge(_)
            | ProviderError::Transport(_)
            | ProviderError::SiteOff(_) => Self::Other,
        }
    }
}

/// Failures counted by kind.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct FailureCounts {
    pub layout: u64,
    pub challenge: u64,
    pub refused: u64,
    pub http_status: u64,
    pub timeout: u64,
    pub other: u64,
}

impl FailureCounts {
    fn count(&mut self, kind: FailureKind) {
        let counter = match kind {
            FailureKind::Layout => &mut self.layout,
            FailureKind::Challenge => &mut self.challenge,
            FailureKind::Refused => &mut self.refused,
            FailureKind::HttpStatus => &mut self.http_status,
            FailureKind::Timeout => &mut self.timeout,
            FailureKind::Other => &mut self.other,
        };
        *counter += 1;
    }
}

/// One outcome in the recent memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outcome {
    pub ok: bool,
    pub at: DateTime<Utc>,
}

/// How one source (the catalogue site or a hoster) has been doing, for the life of the data
/// dir.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SourceHealth {
    pub attempts: u64,
    pub successes: u64,
    pub failures: FailureCounts,
    pub last_error: Option<String>,
    pub last_error_at: Option<DateTime<Utc>>,
    pub last_success_at: Option<DateTime<Utc>>,
    /// The kind of the last failure.
    pub last_failure_kind: Option<FailureKind>,
    /// The latest outcomes, oldest first, at most [`RECENT_OUTCOMES`].
    pub recent: VecDeque<Outcome>,
}

/// Whether a source works, as far as its recent outcomes tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceState {
    /// No recent attempt.
    Unknown,
    /// At least one recent attempt succeeded.
    Working,
    /// Every recent attempt failed.
    Failing,
}

impl SourceHealth {
    /// Counts a success.
    pub fn success(&mut self, at: DateTime<Utc>) {
        self.attempts += 1;
        self.successes += 1;
        self.last_success_at = Some(at);
        self.remember(true, at);
    }

    /// Counts a failure of `kind`, keeping its message as the last error.
    pub fn failure(&mut self, kind: FailureKind, message: String, at: DateTime<Utc>) {
        self.attempts += 1;
        self.failures.count(kind);
        self.last_error = Some(message);
        self.last_error_at = Some(at);
        self.last_failure_kind = Some(kind);
        self.remember(false, at);
    }

    /// Whether the latest request was refused (a 403, 429 or 503 without a challenge): the
    /// site does not take the product for a browser.
    pub fn refused(&self) -> bool {
        self.recent.back().is_some_and(|o| !o.ok)
            && self.last_failure_kind == Some(FailureKind::Refused)
    }

    fn remember(&mut self, ok: bool, at: DateTime<Utc>) {
        self.recent.push_back(Outcome { ok, at });
        while self.recent.len() > RECENT_OUTCOMES {
            self.recent.pop_front();
        }
    }

    /// Whether the source works, judged by the outcomes of the last day.
    pub fn state(&self, now: DateTime<Utc>) -> SourceState {
        let since = now - recent_window();
        let mut recent = self.recent.iter().filter(|o| o.at >= since).peekable();
        if recent.peek().is_none() {
            SourceState::Unknown
        } else if recent.any(|o| o.ok) {
            SourceState::Working
        } else {
            SourceState::Failing
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(minutes: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000, 0).unwrap() + Duration::minutes(minutes)
    }

    #[test]
    fn a_refusal_is_told_while_it_is_the_latest_outcome() {
        let mut h = SourceHealth::default();
        assert!(!h.refused());
        h.failure(FailureKind::Challenge, "asks".into(), at(0));
        assert!(!h.refused());
        h.failure(FailureKind::Refused, "aniworld.to refused".into(), at(1));
        assert!(h.refused());
        assert_eq!(h.failures.refused, 1);
        h.success(at(2));
        assert!(!h.refused(), "a success after it ends the refusal");
    }

    #[test]
    fn counts_attempts_successes_and_failures_by_kind() {
        let mut h = SourceHealth::default();
        h.success(at(0));
        h.failure(FailureKind::Challenge, "voe.sx asks".into(), at(1));
        h.failure(FailureKind::Layout, "VOE page layout".into(), at(2));
        h.failure(FailureKind::Challenge, "again".into(), at(3));
        assert_eq!((h.attempts, h.successes), (4, 1));
        assert_eq!(
            h.failures,
            FailureCounts {
                challenge: 2,
                layout: 1,
                ..FailureCounts::default()
            }
        );
        assert_eq!(h.last_error.as_deref(), Some("again"));
        assert_eq!(h.last_error_at, Some(at(3)));

        assert_eq!(h.last_success_at, Some(at(0)));
    }

    #[test]
    fn a_source_fails_when_every_recent_attempt_failed() {
        let mut h = SourceHealth::default();
        assert_eq!(h.state(at(0)), SourceState::Unknown);
        h.success(at(0));
        assert_eq!(h.state(at(0)), SourceState::Working);
        for m in 1..RECENT_OUTCOMES as i64 {
            h.failure(FailureKind::Timeout, "slow".into(), at(m));
            assert_eq!(h.state(at(m)), SourceState::Working, "a success is recent");
        }
        h.failure(FailureKind::Timeout, "slow".into(), at(10));
        assert_eq!(h.state(at(10)), SourceState::Failing);
        assert_eq!(h.recent.len(), RECENT_OUTCOMES);
        h.success(at(11));
        assert_eq!(h.state(at(11)), SourceState::Working);
    }

    #[test]
    fn outcomes_older_than_a_day_are_not_recent() {
        let mut h = SourceHealth::default();
        h.failure(FailureKind::Other, "reset".into(), at(0));
        assert_eq!(h.state(at(60)), SourceState::Failing);
        assert_eq!(h.state(at(25 * 60)), SourceState::Unknown);
        h.success(at(0));
        h.failure(FailureKind::Other, "reset".into(), at(24 * 60 + 30));
        assert_eq!(
            h.state(at(25 * 60)),
            SourceState::Failing,
            "the old success no longer counts"
        );
    }

    #[test]
    fn old_records_without_new_fields_still_read() {
        let h: SourceHealth = serde_json::from_str(r#"{"attempts":3,"successes":3}"#).unwrap();
        assert_eq!((h.attempts, h.successes), (3, 3));
        assert!(h.recent.is_empty());
    }
}
