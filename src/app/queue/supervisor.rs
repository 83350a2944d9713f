//! The supervisor: one task that hands ready items to workers in the domain's order, at most
//! `parallel_downloads` at a time (read live from the configuration), wakes when an item is
//! added, a worker ends, the queue starts or a retry's backoff has passed, and on shutdown
//! waits for its workers to reach a safe point.

use chrono::{DateTime, Utc};
use tokio::task::JoinSet;

use super::QueueService;
use crate::domain::queue::{ItemId, next_ready};
use crate::lock::MutexRecover;

impl QueueService {
    pub(super) async fn supervise(self) {
        let mut workers = JoinSet::new();
        let mut config = self.inner.deps.config.subscribe();
        loop {
            let (to_start, next_retry) = self.pick();
            for (id, token) in to_start {
                let this = self.clone();
                workers.spawn(async move {
                    this.work(id, token).await;
                    this.inner.state.lock_or_recover().active.remove(&id);
                    this.inner.wake.notify_one();
                });
            }
            let clock = self.inner.deps.clock.clone();
            let retry_due = async {
                match next_retry {
                    Some(at) => clock.sleep_until(at).await,
                    None => std::future::pending().await,
                }
            };
            tokio::select! {
                biased;
                () = self.inner.shutdown.cancelled() => break,
                () = self.inner.wake.notified() => {}
                Some(_) = workers.join_next(), if !workers.is_empty() => {}
                Ok(()) = config.changed() => {}
                () = retry_due => {}
            }
        }
        // The workers' tokens are children of the shutdown token: they are stopping.
        while workers.join_next().await.is_some() {}
    }

    /// The items to start now (marked active here, so they are not picked twice) and the
    /// earliest time a waiting retry becomes ready.
    fn pick(
        &self,
    ) -> (
        Vec<(ItemId, tokio_util::sync::CancellationToken)>,
        Option<DateTime<Utc>>,
    ) {
        let parallel = self
            .inner
            .deps
            .config
            .current()
            .downloads
            .parallel_downloads
            .max(1) as usize;
        let now = self.inner.deps.clock.now();
        let mut state = self.state();
        let mut started = Vec::new();
        if state.running {
            while state.active.len() < parallel {
                let Some(id) = next_ready(
                    state
                        .items
                        .values()
                        .filter(|i| !state.active.contains_key(&i.id())),
                    now,
                )
                .map(|i| i.id()) else {
                    break;
                };
                let token = self.inner.shutdown.child_token();
                state.active.insert(id, token.clone());
                started.push((id, token));
            }
        }
        let next_retry = state
            .items
            .values()
            .filter(|i| i.status() == crate::domain::queue::Status::Pending)
            .filter_map(|i| i.not_before())
            .filter(|t| *t > now)
            .min();
        (started, next_retry.filter(|_| state.running))
    }
}
