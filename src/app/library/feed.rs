//! The scheduler's refresh (PROVIDER.md, "New episodes"): instead of asking for every series'
//! pages on each run, read the site's new-episodes page once and refresh only the series of
//! the library it names, as Sonarr's RSS sync spares indexers. Every series is still
//! refreshed when a full refresh is due (`provider.full_refresh_hours`, counted across
//! restarts) and whenever the new-episodes page cannot be read.

use std::collections::HashSet;

use chrono::{DateTime, Duration, Utc};

use super::jobs::{Refresh, ScanSummary};
use super::{LibraryError, LibraryService};
use crate::domain::library::LibrarySeries;
use crate::domain::series::SeriesKey;
use crate::domain::site::Site;

/// The series a refresh asks the catalogue about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Targets {
    /// Series never looked up.
    Unknown,
    All,
    /// Series named by the new-episodes page, any never looked up, and every series of a
    /// site without such a page (s.to: its series are refreshed by their pages each run).
    Named(HashSet<SeriesKey>),
}

impl Targets {
    /// Whether the refresh reads only the latest and the unknown seasons of this series: an
    /// s.to series refreshed between two full refreshes because its site has no new-episodes
    /// page (`domain::library::seasons_to_read`).
    pub(crate) fn light(&self, series: &LibrarySeries) -> bool {
        match self {
            Self::Named(keys) => {
                series.available.is_some()
                    && series.series.key.site() == Site::Sto
                    && !keys.contains(&series.series.key)
            }
            Self::All | Self::Unknown => false,
        }
    }

    /// Whether the refresh asks about this series.
    pub(crate) fn includes(&self, series: &LibrarySeries) -> bool {
        match self {
            Self::All => true,
            Self::Unknown => series.available.is_none(),
            Self::Named(keys) => {
                series.available.is_none()
                    || series.series.key.site() == Site::Sto
                    || keys.contains(&series.series.key)
            }
        }
    }
}

impl LibraryService {
    /// Runs the scheduler's job (a disk scan, then the scheduled refresh) and waits for it;
    /// `None` when a library job was running already (the run is then skipped).
    ///
    /// # Errors
    /// As for the scan: no directory, a missing directory, the store.
    pub async fn run_scheduled(
        &self,
        now: DateTime<Utc>,
        full_every: Duration,
    ) -> Option<Result<ScanSummary, LibraryError>> {
        self.run_job(Refresh::Scheduled { now, full_every }).await
    }

    /// Starts the scheduler's job now, in the background; `Ok(false)` when a library job is
    /// running already.
    ///
    /// # Errors
    /// [`LibraryError::NoDirectory`].
    pub fn start_scheduled(
        &self,
        now: DateTime<Utc>,
        full_every: Duration,
    ) -> Result<bool, LibraryError> {
        self.start_job(Refresh::Scheduled { now, full_every })
    }

    /// Which series a refresh asks about; for the scheduler's, reads the new-episodes page.
    pub(crate) async fn targets(&self, which: Refresh) -> Targets {
        match which {
            Refresh::Unknown => Targets::Unknown,
            Refresh::All => Targets::All,
            Refresh::Scheduled { now, full_every } => self.scheduled_targets(now, full_every).await,
        }
    }

    async fn scheduled_targets(&self, now: DateTime<Utc>, full_every: Duration) -> Targets {
        let store = &self.inner.store;
        let last_full = match store.last_full_refresh().await {
            Ok(Some(at)) => at,
            Ok(None) => {
                // A new library was looked up series by series as it was added: count the
                // first day from now rather than refreshing it all at once.
                self.full_refresh_at(now).await;
                now
            }
            Err(e) => {
                tracing::warn!(error = %e, "last full refresh unknown; refreshing every series");
                now - full_every
            }
        };
        if now - last_full >= full_every {
            tracing::info!("full refresh of every series due");
            self.full_refresh_at(now).await;
            return Targets::All;
        }
        match self.inner.catalogue.new_episodes().await {
            Ok(entries) => {
                let view = self.view();
                let named: HashSet<SeriesKey> = entries
                    .into_iter()
                    .map(|e| e.key)
                    .filter(|key| view.get(key).is_some())
                    .collect();
                tracing::info!(series = named.len(), "new-episodes page read");
                Targets::Named(named)
            }
            Err(e) => {
                tracing::warn!(error = %e, "new-episodes page unreadable; refreshing every series");
                self.full_refresh_at(now).await;
                Targets::All
            }
        }
    }

    async fn full_refresh_at(&self, now: DateTime<Utc>) {
        if let Err(e) = self.inner.store.set_last_full_refresh(now).await {
            tracing::warn!(error = %e, "could not record the full refresh");
        }
    }
}
