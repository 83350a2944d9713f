//! What the queue does when it cannot write its store (a read-only or failing disk): it
//! stops taking items and stops the running transfers at a safe point, instead of starting
//! the same item again and again. Their partial files stay; the store still holds what was
//! last recorded (an item downloading goes back to pending at the next start and resumes
//! from its last stored checkpoint), so nothing is lost.

use super::QueueService;
use crate::domain::event::EventKind;
use crate::domain::queue::ItemId;
use crate::ports::StoreError;

impl QueueService {
    /// Stops the queue (in memory: the store cannot record it) after a failed write.
    pub(super) fn halt(&self, e: &StoreError) {
        let was_running = {
            let mut state = self.state();
            for token in state.active.values() {
                token.cancel();
            }
            std::mem::replace(&mut state.running, false)
        };
        if !was_running {
            return;
        }
        tracing::error!(error = %e, "the queue stopped: its store cannot be written");
        self.publish(EventKind::Error {
            message: format!(
                "The queue stopped: {e}. Downloads go on from their last checkpoint once the \
                 data dir is writable and the queue is started again."
            ),
        });
        self.announce_running(true, false);
    }

    /// After a download's end could not be recorded: the item as the store will show it at
    /// the next start (an item downloading is pending again), in memory only.
    pub(super) fn unrecorded(&self, id: ItemId) {
        if let Some(item) = self.state().items.get_mut(&id)
            && let Err(e) = item.interrupt()
        {
            tracing::debug!(item = %id, error = %e, "left as it was");
        }
    }
}
