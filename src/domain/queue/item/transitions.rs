//! The item's changes: its place, where it comes from, its transfer's checkpoint and
//! progress, and its state transitions: started, completed, retried later, waiting for resting
//! hosters, failed, retried by the user, interrupted, cancelled. Each answers whether the
//! state allowed it; a refused one leaves the item as it was.

use chrono::{DateTime, Utc};

use super::{ItemState, LastAttempt, NoTransfer, QueueItem, TransitionError};
use crate::domain::catalogue::Language;
use crate::domain::queue::stats::Progress;
use crate::domain::queue::values::{Partial, Status};

/// The data of the downloading state, taken out of it by a transition.
struct Running {
    started_at: DateTime<Utc>,
    progress: Option<Progress>,
    partial: Option<Partial>,
}

impl QueueItem {
    /// Moves the item within its priority.
    pub fn move_to(&mut self, position: i64) {
        self.parts.position = position;
    }

    /// Records the hoster, language and embed page (when known) the item downloads from.
    pub fn note_source(&mut self, hoster: String, language: Language, page: Option<String>) {
        self.parts.source.hoster = Some(hoster);
        self.parts.source.language = Some(language);
        if page.is_some() {
            self.parts.source.url = page;
        }
    }

    /// Records where the transfer can go on from (`None`: from the start).
    ///
    /// # Errors
    /// [`NoTransfer`] unless the item is pending or downloading.
    pub fn checkpoint(&mut self, at: Option<Partial>) -> Result<(), NoTransfer> {
        match &mut self.parts.state {
            ItemState::Pending { partial, .. } | ItemState::Downloading { partial, .. } => {
                *partial = at;
                Ok(())
            }
            other => Err(NoTransfer(other.status())),
        }
    }

    /// Records the running transfer's progress and the time spent transferring in all.
    ///
    /// # Errors
    /// [`NoTransfer`] unless the item is downloading.
    pub fn record_progress(&mut self, now: Progress, transfer_ms: u64) -> Result<(), NoTransfer> {
        match &mut self.parts.state {
            ItemState::Downloading { progress, .. } => {
                *progress = Some(now);
                self.parts.transfer_ms = transfer_ms;
                Ok(())
            }
            other => Err(NoTransfer(other.status())),
        }
    }

    fn refuse(&self, to: Status) -> TransitionError {
        TransitionError {
            from: self.status(),
            to,
        }
    }

    /// The downloading state's data, leaving `to` in its place; refused (unchanged) unless
    /// the item is downloading.
    fn leave_downloading(&mut self, to: ItemState) -> Result<Running, TransitionError> {
        if !matches!(self.parts.state, ItemState::Downloading { .. }) {
            return Err(self.refuse(to.status()));
        }
        match std::mem::replace(&mut self.parts.state, to) {
            ItemState::Downloading {
                started_at,
                progress,
                partial,
            } => Ok(Running {
                started_at,
                progress,
                partial,
            }),
            _ => unreachable!("checked above"),
        }
    }

    /// Leaves downloading for `to`, keeping the attempt's start and its progress, stalled.
    fn end_attempt(&mut self, to: ItemState) -> Result<Option<Partial>, TransitionError> {
        let Running {
            started_at,
            progress,
            partial,
        } = self.leave_downloading(to)?;
        self.parts.last.started_at = Some(started_at);
        self.parts.last.progress = progress.map(|mut p| {
            p.stalled();
            p
        });
        Ok(partial)
    }

    /// pending → downloading.
    ///
    /// # Errors
    /// [`TransitionError`] unless the item is pending.
    pub fn start(&mut self, now: DateTime<Utc>) -> Result<(), TransitionError> {
        let ItemState::Pending { partial, .. } = self.parts.state else {
            return Err(self.refuse(Status::Downloading));
        };
        self.parts.state = ItemState::Downloading {
            started_at: now,
            progress: self.parts.last.progress.take(),
            partial,
        };
        Ok(())
    }

    /// downloading → completed, with the file it wrote.
    ///
    /// # Errors
    /// [`TransitionError`] unless the item is downloading.
    pub fn complete(&mut self, file: String, now: DateTime<Utc>) -> Result<(), TransitionError> {
        let Running {
            started_at,
            progress,
            ..
        } = self.leave_downloading(ItemState::Completed { file, at: now })?;
        self.parts.last = LastAttempt {
            started_at: Some(started_at),
            progress: progress.map(|mut p| {
                p.finish();
                p
            }),
            error: None,
        };
        Ok(())
    }

    /// downloading → pending again after a failed attempt, to be retried at `not_before`.
    ///
    /// # Errors
    /// [`TransitionError`] unless the item is downloading.
    pub fn retry_later(
        &mut self,
        error: String,
        not_before: DateTime<Utc>,
    ) -> Result<(), TransitionError> {
        self.wait(error, not_before)?;
        self.parts.retry_count += 1;
        self.parts.auto_retries += 1;
        Ok(())
    }

    /// downloading → pending until `until`, without using a retry: every hoster that could
    /// serve the item is resting after a challenge, which is no fault of the item.
    ///
    /// # Errors
    /// [`TransitionError`] unless the item is downloading.
    pub fn wait_for_hosters(
        &mut self,
        reason: String,
        until: DateTime<Utc>,
    ) -> Result<(), TransitionError> {
        self.wait(reason, until)
    }

    fn wait(&mut self, error: String, until: DateTime<Utc>) -> Result<(), TransitionError> {
        let waiting = ItemState::Pending {
            not_before: Some(until),
            partial: None,
        };
        let partial = self.end_attempt(waiting)?;
        self.parts.state = ItemState::Pending {
            not_before: Some(until),
            partial,
        };
        self.parts.last.error = Some(error);
        Ok(())
    }

    /// downloading → failed for good; the partial file is given up.
    ///
    /// # Errors
    /// [`TransitionError`] unless the item is downloading.
    pub fn fail(&mut self, error: String, now: DateTime<Utc>) -> Result<(), TransitionError> {
        self.end_attempt(ItemState::Failed { error, at: now })?;
        self.parts.last.error = None;
        Ok(())
    }

    /// failed (or cancelled) → pending: the user's retry, with a fresh retry budget and a
    /// fresh start (the partial file of a failed item was deleted).
    ///
    /// # Errors
    /// [`TransitionError`] unless the item is failed or cancelled.
    pub fn retry_by_user(&mut self) -> Result<(), TransitionError> {
        if !matches!(
            self.parts.state,
            ItemState::Failed { .. } | ItemState::Cancelled
        ) {
            return Err(self.refuse(Status::Pending));
        }
        self.parts.state = ItemState::Pending {
            not_before: None,
            partial: None,
        };
        self.parts.retry_count += 1;
        self.parts.auto_retries = 0;
        self.parts.last.error = None;
        self.parts.last.progress = None;
        Ok(())
    }

    /// downloading → pending, keeping the partial file: the server stopped (or crashed)
    /// while the item was downloading, and it goes on at the next start.
    ///
    /// # Errors
    /// [`TransitionError`] unless the item is downloading.
    pub fn interrupt(&mut self) -> Result<(), TransitionError> {
        let pending = ItemState::Pending {
            not_before: None,
            partial: None,
        };
        let partial = self.end_attempt(pending)?;
        self.parts.state = ItemState::Pending {
            not_before: None,
            partial,
        };
        Ok(())
    }

    /// downloading → cancelled (removed by the user while downloading).
    ///
    /// # Errors
    /// [`TransitionError`] unless the item is downloading.
    pub fn cancel(&mut self) -> Result<(), TransitionError> {
        self.end_attempt(ItemState::Cancelled).map(drop)
    }
}
