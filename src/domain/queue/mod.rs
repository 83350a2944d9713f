//! The download queue's rules: an item and its states, priorities, the order workers take
//! items in, reordering, the backoff between retries, the statistics of the whole queue and
//! the memory of what was queued automatically or removed by the user.
//!
//! - this file: the item and its state transitions;
//! - `values`: its id, status, priority, origin and resume checkpoint;
//! - `order`: which item comes next, and `POST /api/queue/reorder`;
//! - `stats`: throughput over a sliding window, per-item progress and queue statistics;
//! - `memory`: episodes auto-queued once, or removed by the user (whose "no" stands).

mod memory;
mod order;
mod stats;
#[cfg(test)]
mod tests;
mod values;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::catalogue::Language;
use super::episode::EpisodeId;
use super::series::SeriesKey;

pub use memory::{EpisodeKey, Remembered};
pub use order::{ReorderError, next_ready, queue_order, reorder};
pub use stats::{Progress, QueueStatistics, Throughput, mib};
pub use values::{ItemId, Origin, Partial, Priority, Status};

/// Why a state transition was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a {from} item cannot become {to}", from = .from.name(), to = .to.name())]
pub struct TransitionError {
    pub from: Status,
    pub to: Status,
}

/// One episode in the download queue (API.md section 9, "Download Item").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueueItem {
    pub id: ItemId,
    pub series: SeriesKey,
    /// The series folder in the library (`serie_folder`).
    pub folder: String,
    /// The series' display name (`serie_name`).
    pub series_name: String,
    pub episode: EpisodeId,
    pub title: Option<String>,
    pub status: Status,
    pub priority: Priority,
    /// Order within a priority: insertion order, changed by reordering (which may move
    /// items before 0).
    pub position: i64,
    pub origin: Origin,
    pub added_at: DateTime<Utc>,
    pub started_at: Option<DateTime<Utc>>,
    pub completed_at: Option<DateTime<Utc>>,
    pub progress: Option<Progress>,
    /// Why the last attempt failed (kept while a retry waits, and on a failed item).
    pub error: Option<String>,
    /// Attempts made again after a failure: automatic retries and the user's retries.
    pub retry_count: u32,
    /// Automatic retries used since the item was added or last retried by the user.
    #[serde(default)]
    pub auto_retries: u32,
    /// A retry waits until then (exponential backoff).
    #[serde(default)]
    pub not_before: Option<DateTime<Utc>>,
    /// The hoster embed page the episode is (or was last) downloaded from.
    pub source_url: Option<String>,
    #[serde(default)]
    pub hoster: Option<String>,
    #[serde(default)]
    pub language: Option<Language>,
    /// Where an interrupted transfer stopped.
    #[serde(default)]
    pub partial: Option<Partial>,
    /// The file, relative to the library directory, once completed.
    #[serde(default)]
    pub file: Option<String>,
    /// Milliseconds spent transferring (for the average speed).
    #[serde(default)]
    pub transfer_ms: u64,
    /// For an upgrade: the language of the file it replaces.
    #[serde(default)]
    pub upgrade_from: Option<Language>,
    /// For an upgrade: the better languages to download it in, best first (none else is
    /// tried, so a failed upgrade never downloads the language held).
    #[serde(default)]
    pub upgrade_to: Vec<Language>,
}

/// What a new item is made from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewItem {
    pub series: SeriesKey,
    pub folder: String,
    pub series_name: String,
    pub episode: EpisodeId,
    pub title: Option<String>,
    pub priority: Priority,
    pub origin: Origin,
}

impl QueueItem {
    /// A pending item at `position`.
    pub fn new(new: NewItem, position: i64, now: DateTime<Utc>) -> Self {
        Self {
            id: ItemId::new(),
            series: new.series,
            folder: new.folder,
            series_name: new.series_name,
            episode: new.episode,
            title: new.title,
            status: Status::Pending,
            priority: new.priority,
            position,
            origin: new.origin,
            added_at: now,
            started_at: None,
            completed_at: None,
            progress: None,
            error: None,
            retry_count: 0,
            auto_retries: 0,
            not_before: None,
            source_url: None,
            hoster: None,
            language: None,
            partial: None,
            file: None,
            transfer_ms: 0,
            upgrade_from: None,
            upgrade_to: Vec::new(),
        }
    }

    /// The series and episode this item downloads.
    pub fn episode_key(&self) -> EpisodeKey {
        EpisodeKey::new(self.series.clone(), self.episode)
    }

    fn transition(&mut self, allowed: &[Status], to: Status) -> Result<(), TransitionError> {
        if allowed.contains(&self.status) {
            self.status = to;
            Ok(())
        } else {
            Err(TransitionError {
                from: self.status,
                to,
            })
        }
    }

    /// pending → downloading.
    pub fn start(&mut self, now: DateTime<Utc>) -> Result<(), TransitionError> {
        self.transition(&[Status::Pending], Status::Downloading)?;
        self.started_at = Some(now);
        self.not_before = None;
        Ok(())
    }

    /// downloading → completed, with the file it wrote.
    pub fn complete(&mut self, file: String, now: DateTime<Utc>) -> Result<(), TransitionError> {
        self.transition(&[Status::Downloading], Status::Completed)?;
        self.completed_at = Some(now);
        self.file = Some(file);
        self.error = None;
        self.partial = None;
        if let Some(p) = &mut self.progress {
            p.finish();
        }
        Ok(())
    }

    /// downloading → pending again after a failed attempt, to be retried at `not_before`.
    pub fn retry_later(
        &mut self,
        error: String,
        not_before: DateTime<Utc>,
    ) -> Result<(), TransitionError> {
        self.transition(&[Status::Downloading], Status::Pending)?;
        self.error = Some(error);
        self.retry_count += 1;
        self.auto_retries += 1;
        self.not_before = Some(not_before);
        if let Some(p) = &mut self.progress {
            p.stalled();
        }
        Ok(())
    }

    /// downloading → pending until `until`, without using a retry: every hoster that could
    /// serve the item is resting after a challenge, which is no fault of the item.
    pub fn wait_for_hosters(
        &mut self,
        reason: String,
        until: DateTime<Utc>,
    ) -> Result<(), TransitionError> {
        self.transition(&[Status::Downloading], Status::Pending)?;
        self.error = Some(reason);
        self.not_before = Some(until);
        if let Some(p) = &mut self.progress {
            p.stalled();
        }
        Ok(())
    }

    /// downloading → failed for good.
    pub fn fail(&mut self, error: String, now: DateTime<Utc>) -> Result<(), TransitionError> {
        self.transition(&[Status::Downloading], Status::Failed)?;
        self.error = Some(error);
        self.completed_at = Some(now);
        if let Some(p) = &mut self.progress {
            p.stalled();
        }
        Ok(())
    }

    /// failed (or cancelled) → pending: the user's retry, with a fresh retry budget and a
    /// fresh start (the partial file of a failed item was deleted).
    pub fn retry_by_user(&mut self) -> Result<(), TransitionError> {
        self.transition(&[Status::Failed, Status::Cancelled], Status::Pending)?;
        self.retry_count += 1;
        self.auto_retries = 0;
        self.not_before = None;
        self.error = None;
        self.completed_at = None;
        self.progress = None;
        self.partial = None;
        Ok(())
    }

    /// downloading → pending, keeping the partial file: the server stopped (or crashed)
    /// while the item was downloading, and it goes on at the next start.
    pub fn interrupt(&mut self) -> Result<(), TransitionError> {
        self.transition(&[Status::Downloading], Status::Pending)?;
        if let Some(p) = &mut self.progress {
            p.stalled();
        }
        Ok(())
    }

    /// downloading → cancelled (removed by the user while downloading).
    pub fn cancel(&mut self) -> Result<(), TransitionError> {
        self.transition(&[Status::Downloading], Status::Cancelled)?;
        self.partial = None;
        Ok(())
    }

    /// Whether a worker may take the item now.
    pub fn is_ready(&self, now: DateTime<Utc>) -> bool {
        self.status == Status::Pending && self.not_before.is_none_or(|t| t <= now)
    }
}

/// The wait before automatic retry number `retry` (1-based): 2 s, 4 s, 8 s, ... at most
/// 10 minutes. A site that failed a moment ago is given time to recover, without leaving a
/// user waiting long for the common quick hiccup.
pub fn retry_backoff(retry: u32) -> chrono::Duration {
    let secs = 2u64.saturating_pow(retry.clamp(1, 20)).min(600);
    chrono::Duration::seconds(secs as i64)
}
