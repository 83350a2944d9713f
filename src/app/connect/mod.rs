//! Connections (INTEGRATIONS.md section 5): notification services and media servers told of
//! what happened. Managing them (`GET/POST/PUT/DELETE /api/connections`) and the Test button
//! are here; `outbox` subscribes to the event bus, keeps a message for each connection that
//! wants it in the database, and sends it apart from the downloads, retrying with backoff for
//! up to a day, across restarts.

mod outbox;

use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex, RwLock};

use serde_json::{Map, Value};
use tokio_util::sync::CancellationToken;

use crate::app::config::ConfigService;
use crate::domain::connection::{ConnEvent, Connection, Kind, SettingError, check_settings};
use crate::domain::notify::{Message, OutboxEntry};
use crate::lock::{MutexRecover, RwLockRecover};
use crate::ports::{Clock, ConnectionStore, EventBus, Notifier, StoreError};

/// Why a connection call failed.
#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    /// A field refused: `name`, `kind`, `events`, `settings.<name>`.
    #[error("{field}: {message}")]
    Invalid { field: String, message: String },
    #[error("no connection {0}")]
    NotFound(String),
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The Test reached the remote, or not, and it refused: its answer.
    #[error("the remote answered: {0}")]
    Remote(String),
}

impl From<SettingError> for ConnectError {
    fn from(e: SettingError) -> Self {
        Self::Invalid {
            field: e.field,
            message: e.message,
        }
    }
}

fn invalid(field: &str, message: impl Into<String>) -> ConnectError {
    ConnectError::Invalid {
        field: field.into(),
        message: message.into(),
    }
}

/// A connection as the API makes or changes it.
#[derive(Debug, Clone)]
pub struct ConnectionRequest {
    pub name: String,
    pub kind: String,
    pub enabled: bool,
    pub events: Vec<String>,
    pub settings: Map<String, Value>,
}

/// The connections' use cases; a cheap-to-clone handle.
#[derive(Clone)]
pub struct ConnectService {
    inner: Arc<Inner>,
}

struct Inner {
    store: Arc<dyn ConnectionStore>,
    notifier: Arc<dyn Notifier>,
    events: Arc<dyn EventBus>,
    clock: Arc<dyn Clock>,
    config: Arc<ConfigService>,
    connections: RwLock<Vec<Connection>>,
    outbox: Mutex<Vec<OutboxEntry>>,
    next_id: AtomicU64,
    /// Serialises changes to the store (connections and outbox).
    writing: tokio::sync::Mutex<()>,
    wake: tokio::sync::Notify,
    running: Mutex<Option<(CancellationToken, Vec<tokio::task::JoinHandle<()>>)>>,
}

impl ConnectService {
    /// The connections and the waiting messages as the store keeps them.
    ///
    /// # Errors
    /// The store's.
    pub async fn open(
        store: Arc<dyn ConnectionStore>,
        notifier: Arc<dyn Notifier>,
        events: Arc<dyn EventBus>,
        clock: Arc<dyn Clock>,
        config: Arc<ConfigService>,
    ) -> Result<Self, StoreError> {
        let connections = store.connections().await?;
        let outbox = store.outbox().await?;
        let next_id = outbox.iter().map(|e| e.id).max().unwrap_or(0) + 1;
        Ok(Self {
            inner: Arc::new(Inner {
                store,
                notifier,
                events,
                clock,
                config,
                connections: RwLock::new(connections),
                outbox: Mutex::new(outbox),
                next_id: AtomicU64::new(next_id),
                writing: tokio::sync::Mutex::new(()),
                wake: tokio::sync::Notify::new(),
                running: Mutex::new(None),
            }),
        })
    }

    /// Every connection, by name.
    pub fn list(&self) -> Vec<Connection> {
        let mut all = self.inner.connections.read_or_recover().clone();
        all.sort_by_key(|c| c.name.to_lowercase());
        all
    }

    /// One connection.
    ///
    /// # Errors
    /// [`ConnectError::NotFound`].
    pub fn get(&self, id: &str) -> Result<Connection, ConnectError> {
        self.inner
            .connections
            .read_or_recover()
            .iter()
            .find(|c| c.id == id)
            .cloned()
            .ok_or_else(|| ConnectError::NotFound(id.to_owned()))
    }

    /// Checks a request: name, kind, events and the kind's settings (`before`'s secrets
    /// kept where the request sends them hidden).
    fn checked(
        request: ConnectionRequest,
        id: String,
        before: Option<&Connection>,
    ) -> Result<Connection, ConnectError> {
        let name = request.name.trim().to_owned();
        if name.is_empty() || name.len() > 100 {
            return Err(invalid("name", "must be 1 to 100 characters"));
        }
        let kind = Kind::parse(&request.kind).ok_or_else(|| {
            let kinds: Vec<&str> = Kind::ALL.iter().map(|k| k.name()).collect();
            invalid("kind", format!("must be one of {}", kinds.join(", ")))
        })?;
        let mut events = Vec::new();
        for name in &request.events {
            let event = ConnEvent::parse(name).ok_or_else(|| {
                let names: Vec<&str> = ConnEvent::ALL.iter().map(|e| e.name()).collect();
                invalid(
                    "events",
                    format!("{name:?} is not one of {}", names.join(", ")),
                )
            })?;
            if !events.contains(&event) {
                events.push(event);
            }
        }
        let before_settings = before.filter(|b| b.kind == kind).map(|b| &b.settings);
        let settings = check_settings(kind, request.settings, before_settings)?;
        Ok(Connection {
            id,
            name,
            kind,
            enabled: request.enabled,
            events,
            settings,
            last_sent_at: before.and_then(|b| b.last_sent_at),
            last_error: before.and_then(|b| b.last_error.clone()),
        })
    }

    /// Makes a connection.
    ///
    /// # Errors
    /// [`ConnectError::Invalid`], [`ConnectError::Store`].
    pub async fn create(&self, request: ConnectionRequest) -> Result<Connection, ConnectError> {
        let connection = Self::checked(request, uuid::Uuid::new_v4().to_string(), None)?;
        self.keep(connection.clone()).await?;
        Ok(connection)
    }

    /// Changes a connection (every field; a secret sent as `********` is kept).
    ///
    /// # Errors
    /// [`ConnectError::NotFound`], [`ConnectError::Invalid`], [`ConnectError::Store`].
    pub async fn update(
        &self,
        id: &str,
        request: ConnectionRequest,
    ) -> Result<Connection, ConnectError> {
        let before = self.get(id)?;
        let connection = Self::checked(request, id.to_owned(), Some(&before))?;
        self.keep(connection.clone()).await?;
        Ok(connection)
    }

    async fn keep(&self, connection: Connection) -> Result<(), ConnectError> {
        let _writing = self.inner.writing.lock().await;
        self.inner.store.put_connection(connection.clone()).await?;
        let mut all = self.inner.connections.write_or_recover();
        match all.iter_mut().find(|c| c.id == connection.id) {
            Some(kept) => *kept = connection,
            None => all.push(connection),
        }
        Ok(())
    }

    /// Deletes a connection and the messages waiting for it.
    ///
    /// # Errors
    /// [`ConnectError::NotFound`], [`ConnectError::Store`].
    pub async fn delete(&self, id: &str) -> Result<(), ConnectError> {
        let _writing = self.inner.writing.lock().await;
        if !self.inner.store.remove_connection(id.to_owned()).await? {
            return Err(ConnectError::NotFound(id.to_owned()));
        }
        self.inner
            .connections
            .write_or_recover()
            .retain(|c| c.id != id);
        self.inner
            .outbox
            .lock_or_recover()
            .retain(|e| e.connection_id != id);
        Ok(())
    }

    /// Sends a test message now; answers the remote's answer.
    ///
    /// # Errors
    /// [`ConnectError::NotFound`], [`ConnectError::Remote`] with what the remote answered.
    pub async fn test(&self, id: &str) -> Result<String, ConnectError> {
        let connection = self.get(id)?;
        let message = Message::test(self.inner.clock.now());
        let sent = self.inner.notifier.send(&connection, &message).await;
        self.note(id, sent.as_ref().err().cloned()).await;
        sent.map_err(ConnectError::Remote)
    }

    /// Records a send's outcome on its connection (`last_sent_at`, `last_error`).
    async fn note(&self, id: &str, error: Option<String>) {
        let Ok(mut connection) = self.get(id) else {
            return;
        };
        match error {
            None => {
                connection.last_sent_at = Some(self.inner.clock.now());
                connection.last_error = None;
            }
            Some(e) => connection.last_error = Some(e),
        }
        if let Err(e) = self.keep(connection).await {
            tracing::warn!(error = %e, "could not record a connection's last send");
        }
    }

    /// Messages waiting now (for the figures and the UI).
    pub fn waiting(&self) -> usize {
        self.inner.outbox.lock_or_recover().len()
    }

    /// Stops subscribing and sending; waits for a send in flight.
    pub async fn stop(&self) {
        let running = self.inner.running.lock_or_recover().take();
        if let Some((stop, tasks)) = running {
            stop.cancel();
            for task in tasks {
                let _ = task.await;
            }
        }
    }
}
