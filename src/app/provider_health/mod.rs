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

use crate::domain::event::EventKind;
use crate::domain::provider_health::{FailureKind, SourceHealth, SourceState};
use crate::ports::health::Source;
use crate::ports::{Clock, EventBus, HealthStore, StoreError};

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
    /// Where a source turning failing (or working again) is announced, once wired.
    events: std::sync::OnceLock<Arc<dyn EventBus>>,
}

/// A state as `health_changed` names it.
fn state_name(state: SourceState) -> &'static str {
    match state {
        SourceState::Unknown => "unknown",
        SourceState::Working => "healthy",
        SourceState::Failing => "failing",
    }
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
            events: std::sync::OnceLock::new(),
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
            events: std::sync::OnceLock::new(),
        })
    }

    /// Announces changes of health on `events` (`health_changed`) from now on.
    pub fn announce_on(&self, events: Arc<dyn EventBus>) {
        let _ = self.events.set(events);
    }

    fn state(&self) -> std::sync::MutexGuard<'_, BTreeMap<Source, Entry>> {
        self.state.lock_or_recover()
    }

    /// Counts one attempt on `source` and keeps it in the store. A store failure is logged:
    /// the scoreboard must never fail a download.
    pub async fn record(&self, source: Source, attempt: Attempt) {
        let _saving = self.saving.lock().await;
        let now = self.clock.now();
        let (save, change) = {
            let mut state = self.state();
            let entry = state.entry(source.clone()).or_default();
            let before = entry.health.state(now);
            match attempt {
                Attempt::Succeeded => entry.health.success(now),
                Attempt::Failed(kind, message) => entry.health.failure(kind, message, now),
            }
            let after = entry.health.state(now);
            // A source's first success is no news; turning failing, and back, is.
            let change = (after != before && after != SourceState::Unknown)
                .then_some((before, after))
                .filter(|(b, a)| !(*b == SourceState::Unknown && *a == SourceState::Working));
            let change = change.map(|(b, a)| (b, a, entry.health.last_error.clone()));
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
            (due.then(|| entry.health.clone()), change)
        };
        if let (Some((before, after, error)), Some(events)) = (change, self.events.get()) {
            events.publish(EventKind::HealthChanged {
                source: source.key(),
                status: state_name(after).to_owned(),
                previous: state_name(before).to_owned(),
                reason: (after == SourceState::Failing).then_some(error).flatten(),
            });
        }
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
