//! The outbox: every event that makes a message becomes one entry per connection that wants
//! it, kept in the database before anything is sent; a sender apart from the downloads takes
//! the due entries, one media-server refresh per series folder (entries for one folder made
//! within a few seconds go as one), and retries a failed one with backoff until a day passed.

use std::collections::BTreeMap;
use std::time::Duration as Wait;

use chrono::Duration;
use tokio_util::sync::CancellationToken;

use super::ConnectService;
use crate::domain::connection::{ConnEvent, Connection};
use crate::domain::notify::{Message, OutboxEntry, give_up_after, retry_delay};
use crate::lock::{MutexRecover, RwLockRecover};
use crate::ports::events::Next;

/// How long a media server's refresh waits for more downloads of the same series folder.
const GATHER_SECONDS: i64 = 3;
/// Messages one turn of the sender sends at most.
const PER_TURN: usize = 100;
/// Events the subscriber takes into one write at most.
const BATCH: usize = 512;
/// How often the sender looks for due entries when nothing wakes it.
const TICK: Wait = Wait::from_millis(250);

/// Whether `connection` wants `message`: enabled, subscribed to its event; a media server
/// only a download into the library.
fn wants(connection: &Connection, message: &Message) -> bool {
    connection.enabled
        && connection.events.contains(&message.event)
        && (!connection.kind.is_media_server()
            || (message.event == ConnEvent::Download && message.in_library))
}

impl ConnectService {
    /// Subscribes to the event bus now and starts the sender.
    pub fn start(&self) {
        let stop = CancellationToken::new();
        let mut events = self.inner.events.subscribe();
        let this = self.clone();
        let until = stop.clone();
        let subscriber = tokio::spawn(async move {
            loop {
                let first = tokio::select! {
                    () = until.cancelled() => return,
                    next = events.next() => next,
                };
                // What else is waiting goes into the same write: a burst of events (10,000
                // episodes queued at once) costs a few commits, not one each, so the
                // subscriber keeps up with the bus.
                let batch = events.with_waiting(first, BATCH);
                let root = this.inner.config.current().anime_directory.clone();
                let root = root.as_ref().map(|d| d.as_str().to_owned());
                let mut messages = Vec::new();
                let mut closed = false;
                for next in batch {
                    match next {
                        Next::Event(event) => {
                            messages.extend(Message::of(&event, root.as_deref()));
                        }
                        Next::Missed(n) => {
                            tracing::warn!(missed = n, "connections fell behind the events");
                        }
                        Next::Closed => closed = true,
                    }
                }
                this.enqueue(messages).await;
                if closed {
                    return;
                }
            }
        });
        let this = self.clone();
        let until = stop.clone();
        let sender = tokio::spawn(async move {
            loop {
                tokio::select! {
                    () = until.cancelled() => return,
                    () = this.inner.wake.notified() => {}
                    () = tokio::time::sleep(TICK) => {}
                }
                this.send_due().await;
            }
        });
        *self.inner.running.lock_or_recover() = Some((stop, vec![subscriber, sender]));
    }

    /// Keeps one entry per connection that wants each message, in one write.
    async fn enqueue(&self, messages: Vec<Message>) {
        let now = self.inner.clock.now();
        let entries: Vec<OutboxEntry> = {
            let connections = self.inner.connections.read_or_recover();
            messages
                .iter()
                .flat_map(|message| {
                    connections
                        .iter()
                        .filter(|c| wants(c, message))
                        .map(move |c| (c, message))
                })
                .map(|(c, message)| {
                    let gather = if c.kind.is_media_server() {
                        Duration::seconds(GATHER_SECONDS)
                    } else {
                        Duration::zero()
                    };
                    OutboxEntry {
                        id: self
                            .inner
                            .next_id
                            .fetch_add(1, std::sync::atomic::Ordering::Relaxed),
                        connection_id: c.id.clone(),
                        message: message.clone(),
                        attempts: 0,
                        next_at: now + gather,
                        created_at: now,
                    }
                })
                .collect()
        };
        if entries.is_empty() {
            return;
        }
        let _writing = self.inner.writing.lock().await;
        if let Err(e) = self.inner.store.put_outbox(entries.clone()).await {
            tracing::warn!(error = %e, "could not keep a message for the connections");
            return;
        }
        self.inner.outbox.lock_or_recover().extend(entries);
        self.inner.wake.notify_one();
    }

    /// Sends what is due: per connection, its entries in order; a media server's entries of
    /// one series folder as one.
    async fn send_due(&self) {
        let now = self.inner.clock.now();
        let mut due: Vec<OutboxEntry> = {
            let outbox = self.inner.outbox.lock_or_recover();
            // A media server's refresh that is due takes along the downloads of the same
            // series folder made since (not tried yet): the gathering window runs from the
            // first one, so a season finishing within it is one refresh.
            let gathering: std::collections::HashSet<(String, String)> = outbox
                .iter()
                .filter(|e| e.next_at <= now && e.attempts == 0)
                .filter_map(|e| Some((e.connection_id.clone(), gathered_folder(e)?)))
                .collect();
            outbox
                .iter()
                .filter(|e| {
                    e.next_at <= now
                        || e.attempts == 0
                            && gathered_folder(e).is_some_and(|folder| {
                                gathering.contains(&(e.connection_id.clone(), folder))
                            })
                })
                .cloned()
                .collect()
        };
        if due.is_empty() {
            return;
        }
        // A turn sends at most PER_TURN messages, oldest first, and records them in one
        // write; the next turn follows at once (a stop waits for one turn only).
        due.sort_by_key(|e| e.id);
        if due.len() > PER_TURN {
            due.truncate(PER_TURN);
            self.inner.wake.notify_one();
        }
        // (connection, series folder for a media server, else the entry's own id) → entries
        let mut groups: BTreeMap<(String, String), Vec<OutboxEntry>> = BTreeMap::new();
        for entry in due {
            let Ok(connection) = self.get(&entry.connection_id) else {
                self.settle(&[entry.id]).await;
                continue;
            };
            let folder = match (&entry.message.series, connection.kind.is_media_server()) {
                (Some(series), true) => series.path.clone(),
                _ => format!("#{:020}", entry.id),
            };
            groups
                .entry((entry.connection_id.clone(), folder))
                .or_default()
                .push(entry);
        }
        // A connection that refused one message is not asked again in this pass: its other
        // due messages wait for the same next try, written at once.
        let mut refused: BTreeMap<String, (String, Vec<OutboxEntry>)> = BTreeMap::new();
        let (mut sent, mut took) = (Vec::new(), std::collections::BTreeSet::new());
        for ((connection_id, _), entries) in groups {
            if let Some((_, waiting)) = refused.get_mut(&connection_id) {
                waiting.extend(entries);
                continue;
            }
            let Ok(connection) = self.get(&connection_id) else {
                continue;
            };
            let mut message = entries[0].message.clone();
            message.also = entries[1..]
                .iter()
                .filter_map(|e| e.message.file.clone())
                .collect();
            let ids: Vec<u64> = entries.iter().map(|e| e.id).collect();
            match self.inner.notifier.send(&connection, &message).await {
                Ok(_) => {
                    sent.extend(ids);
                    took.insert(connection_id);
                }
                Err(reason) => {
                    // Said once per new reason, not at every try of a connection that is down.
                    if connection.last_error.as_deref() != Some(reason.as_str()) {
                        tracing::warn!(connection = %connection.name, %reason, "a connection refused a message");
                    } else {
                        tracing::debug!(connection = %connection.name, %reason, "a connection refused a message again");
                    }
                    refused.insert(connection_id, (reason, entries));
                }
            }
        }
        if !sent.is_empty() {
            self.settle(&sent).await;
        }
        for connection_id in took {
            self.note(&connection_id, None).await;
        }
        for (connection_id, (reason, entries)) in refused {
            self.retry(entries, &reason).await;
            self.note(&connection_id, Some(reason)).await;
        }
    }

    /// Drops sent (or given up) entries.
    async fn settle(&self, ids: &[u64]) {
        let _writing = self.inner.writing.lock().await;
        if let Err(e) = self.inner.store.remove_outbox(ids.to_vec()).await {
            tracing::warn!(error = %e, "could not drop sent messages");
            return;
        }
        self.inner
            .outbox
            .lock_or_recover()
            .retain(|e| !ids.contains(&e.id));
    }

    /// A failed send: tried again after a backoff, or given up a day after it was made.
    async fn retry(&self, entries: Vec<OutboxEntry>, reason: &str) {
        let now = self.inner.clock.now();
        let (late, again): (Vec<OutboxEntry>, Vec<OutboxEntry>) = entries
            .into_iter()
            .partition(|e| now - e.created_at >= give_up_after());
        if !late.is_empty() {
            tracing::warn!(count = late.len(), %reason, "messages given up after a day of tries");
            let ids: Vec<u64> = late.iter().map(|e| e.id).collect();
            self.settle(&ids).await;
        }
        let again: Vec<OutboxEntry> = again
            .into_iter()
            .map(|mut e| {
                e.next_at = now + retry_delay(e.attempts);
                e.attempts += 1;
                e
            })
            .collect();
        if again.is_empty() {
            return;
        }
        let _writing = self.inner.writing.lock().await;
        if let Err(e) = self.inner.store.put_outbox(again.clone()).await {
            tracing::warn!(error = %e, "could not keep a message's next try");
        }
        let mut outbox = self.inner.outbox.lock_or_recover();
        for entry in again {
            if let Some(kept) = outbox.iter_mut().find(|e| e.id == entry.id) {
                *kept = entry;
            }
        }
    }
}

/// The series folder a media server's entry is gathered by: a download into the library.
fn gathered_folder(entry: &OutboxEntry) -> Option<String> {
    let message = &entry.message;
    (message.event == ConnEvent::Download && message.in_library)
        .then(|| message.series.as_ref().map(|s| s.path.clone()))
        .flatten()
}
