//! The scoreboard of the outside world (CONTRACT.md section 7): every catalogue request and
//! every hoster attempt is counted here, kept in the store so the counts survive a restart,
//! and read by `/health/detailed` and by the adaptive hoster order.

mod catalogue;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use crate::lock::MutexRecover;
use chrono::{DateTime, Duration, Utc};

pub use catalogue::WatchedCatalogue;

use crate::domain::provider_health::{FailureKind, SourceHealth, SourceState};
use crate::ports::health::Source;
use crate::ports::{Clock, HealthStore, StoreError};

/// A catalogue success is written to the store at most this often (a refresh of a large
/// library makes thousands of requests); failures and changes of state are written at once.
fn catalogue_save_every() -> Duration {
    Duration::seconds(60)
}

/// What one attempt came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Attempt {
    Succeeded,
    Failed(FailureKind, String),
}

#[derive(Debug, Default)]
struct Entry {
    health: SourceHealth,
    saved_at: Option<DateTime<Utc>>,
}

/// Health records of the catalogue and every hoster; shared by all workers.
pub struct ProviderHealth {
    store: Arc<dyn HealthStore>,
    clock: Arc<dyn Clock>,
    state: Mutex<BTreeMap<Source, Entry>>,
    /// Saves happen one at a time, so the store never ends with an older record than memory.
    saving: tokio::sync::Mutex<()>,
}

impl ProviderHealth {
    /// The scoreboard as the store kept it.
    ///
    /// # Errors
    /// The store's.
    pub async fn open(
        store: Arc<dyn HealthStore>,
        clock: Arc<dyn Clock>,
    ) -> Result<Self, StoreError> {
        let now = clock.now();
        let state = store
            .load_health()
            .await?
            .into_iter()
            .map(|(source, health)| {
                let entry = Entry {
                    health,
                    saved_at: Some(now),
                };
                (source, entry)
            })
            .collect();
        Ok(Self {
            store,
            clock,
            state: Mutex::new(state),
            saving: tokio::sync::Mutex::new(()),
        })
    }

    /// An empty scoreboard over a store in memory: it keeps nothing past the process (for
    /// tests and tools that resolve episodes without a data dir).
    ///
    /// # Panics
    /// Never in practice: an in-memory redb cannot fail to open.
    pub fn in_memory() -> Arc<Self> {
        let store = crate::adapters::store::Store::in_memory().expect("in-memory store");
        Arc::new(Self {
            store: Arc::new(store),
            clock: Arc::new(crate::adapters::clock::SystemClock),
            state: Mutex::new(BTreeMap::new()),
            saving: tokio::sync::Mutex::new(()),
        })
    }

    fn state(&self) -> std::sync::MutexGuard<'_, BTreeMap<Source, Entry>> {
        self.state.lock_or_recover()
    }

    /// Counts one attempt on `source` and keeps it in the store. A store failure is logged:
    /// the scoreboard must never fail a download.
    pub async fn record(&self, source: Source, attempt: Attempt) {
        let _saving = self.saving.lock().await;
        let now = self.clock.now();
        let save = {
            let mut state = self.state();
            let entry = state.entry(source.clone()).or_default();
            let before = entry.health.state(now);
            match attempt {
                Attempt::Succeeded => entry.health.success(now),
                Attempt::Failed(kind, message) => entry.health.failure(kind, message, now),
            }
            let due = match (&source, entry.saved_at) {
                (Source::Hoster(_), _) | (Source::Catalogue(_), None) => true,
                (Source::Catalogue(_), Some(saved)) => {
                    entry.health.state(now) != before
                        || entry.health.last_error_at == Some(now)
                        || now - saved >= catalogue_save_every()
                }
            };
            if due {
                entry.saved_at = Some(now);
            }
            due.then(|| entry.health.clone())
        };
        if let Some(health) = save
            && let Err(e) = self.store.save_health(source.clone(), health).await
        {
            tracing::warn!(error = %e, ?source, "could not keep the provider health");
        }
    }

    /// The record of one source (empty when it was never tried).
    pub fn get(&self, source: &Source) -> SourceHealth {
        self.state()
            .get(source)
            .map(|e| e.health.clone())
            .unwrap_or_default()
    }

    /// Whether the source works now, by its recent outcomes.
    pub fn source_state(&self, source: &Source) -> SourceState {
        let now = self.clock.now();
        self.state()
            .get(source)
            .map_or(SourceState::Unknown, |e| e.health.state(now))
    }

    /// Now, as the scoreboard's clock says.
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }
}
