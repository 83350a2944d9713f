//! INTEGRATIONS.md section 5: connections, the notification services and media servers told
//! of grabs, downloads, failures and changes of health. Secrets are write-only: answers show
//! them as `********`, and sending that back keeps the secret. The Test sends now and answers
//! the remote's answer (502 naming it when it refused).

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use poem::web::Data;
use poem_openapi::param::Path;
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, Object, OpenApi};
use serde_json::{Value, json};

use crate::adapters::http::ApiTags;
use crate::adapters::http::error::{ApiError, Code};
use crate::adapters::http::outcomes::{
    INVALID, MALFORMED, Reply, STORAGE, TOO_LARGE, UNAUTHORIZED, outcomes, reply,
};
use crate::adapters::http::security::AdminAuth;
use crate::app::App;
use crate::app::connect::{ConnectError, ConnectionRequest};
use crate::domain::connection::Connection;

/// The connection endpoints.
pub struct ConnectionsApi;

impl From<ConnectError> for ApiError {
    fn from(e: ConnectError) -> Self {
        match e {
            ConnectError::Invalid { ref field, .. } => {
                Self::new(Code::Validation, e.to_string()).with_details(json!({ "field": field }))
            }
            ConnectError::NotFound(_) => Self::new(Code::NotFound, e.to_string()),
            ConnectError::Store(e) => e.into(),
            ConnectError::Remote(_) => Self::new(Code::Upstream, e.to_string()),
        }
    }
}

const NO_SUCH: (Code, &str) = (Code::NotFound, "No connection with that id");

outcomes!(ListConnections: "Every connection, by name, secrets hidden", [UNAUTHORIZED]);
outcomes!(GetConnection(ConnectError): "The connection, secrets hidden", [UNAUTHORIZED, NO_SUCH]);
outcomes!(CreateConnection(ConnectError): "", [MALFORMED, UNAUTHORIZED, TOO_LARGE, INVALID, STORAGE]);
outcomes!(UpdateConnection(ConnectError): "The connection as changed, secrets hidden", [
    MALFORMED, UNAUTHORIZED, NO_SUCH, TOO_LARGE, INVALID, STORAGE,
]);
outcomes!(DeleteConnection(ConnectError): "", [UNAUTHORIZED, NO_SUCH, STORAGE]);
outcomes!(TestConnection(ConnectError): "The remote took the test message", [
    UNAUTHORIZED,
    NO_SUCH,
    (Code::Upstream, "The remote refused the test message, or could not be reached: the message says what it answered"),
]);

/// A connection to make, or what a connection becomes.
#[derive(Debug, Object)]
pub struct ConnectionBody {
    /// 1 to 100 characters.
    pub name: String,
    /// `webhook`, `ntfy`, `discord`, `apprise`, `telegram`, `gotify`, `jellyfin`, `emby` or
    /// `plex`.
    pub kind: String,
    /// On by default.
    pub enabled: Option<bool>,
    /// What it is told of: `grab`, `download`, `failure`, `health`, `new_episodes`, `test`.
    #[oai(default)]
    pub events: Vec<String>,
    /// The kind's settings (INTEGRATIONS.md section 5), e.g. `{"url": "..."}` for a webhook.
    /// A secret sent as `********` keeps the one set before.
    pub settings: BTreeMap<String, Value>,
}

impl From<ConnectionBody> for ConnectionRequest {
    fn from(b: ConnectionBody) -> Self {
        Self {
            name: b.name,
            kind: b.kind,
            enabled: b.enabled.unwrap_or(true),
            events: b.events,
            settings: b.settings.into_iter().collect(),
        }
    }
}

/// A connection as answered: its secrets shown as `********`.
#[derive(Debug, Object)]
pub struct ConnectionInfo {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub enabled: bool,
    pub events: Vec<String>,
    pub settings: BTreeMap<String, Value>,
    /// The last message it took.
    #[oai(nullable)]
    pub last_sent_at: Option<DateTime<Utc>>,
    /// What it answered the last time it refused (cleared by the next success).
    #[oai(nullable)]
    pub last_error: Option<String>,
}

impl From<&Connection> for ConnectionInfo {
    fn from(c: &Connection) -> Self {
        Self {
            id: c.id.clone(),
            name: c.name.clone(),
            kind: c.kind.name().to_owned(),
            enabled: c.enabled,
            events: c.events.iter().map(|e| e.name().to_owned()).collect(),
            settings: c.shown_settings().into_iter().collect(),
            last_sent_at: c.last_sent_at,
            last_error: c.last_error.clone(),
        }
    }
}

/// What the Test came to.
#[derive(Debug, Object)]
pub struct TestOutcome {
    /// The remote's answer (`200 OK`).
    pub answer: String,
}

#[derive(ApiResponse)]
enum Created {
    /// The connection, secrets hidden.
    #[oai(status = 201)]
    Connection(Json<ConnectionInfo>),
}

#[derive(ApiResponse)]
enum Deleted {
    /// The connection and its waiting messages are gone.
    #[oai(status = 204)]
    Gone,
}

#[OpenApi(tag = "ApiTags::Connections")]
impl ConnectionsApi {
    /// List the connections
    #[oai(path = "/api/connections", method = "get")]
    async fn list(
        &self,
        app: Data<&Arc<App>>,
        _auth: AdminAuth,
    ) -> Reply<Json<Vec<ConnectionInfo>>, ListConnections> {
        reply(Json(
            app.connect
                .list()
                .iter()
                .map(ConnectionInfo::from)
                .collect(),
        ))
    }

    /// Make a connection
    #[oai(path = "/api/connections", method = "post")]
    async fn create(
        &self,
        app: Data<&Arc<App>>,
        _auth: AdminAuth,
        body: Json<ConnectionBody>,
    ) -> Reply<Created, CreateConnection> {
        let made = app.connect.create(body.0.into()).await?;
        tracing::info!(connection = %made.name, kind = made.kind.name(), "connection made");
        reply(Created::Connection(Json(ConnectionInfo::from(&made))))
    }

    /// One connection
    #[oai(path = "/api/connections/:id", method = "get")]
    async fn get(
        &self,
        app: Data<&Arc<App>>,
        _auth: AdminAuth,
        id: Path<String>,
    ) -> Reply<Json<ConnectionInfo>, GetConnection> {
        reply(Json(ConnectionInfo::from(&app.connect.get(&id.0)?)))
    }

    /// Change a connection
    ///
    /// Every field; a secret sent as `********` keeps the one set before.
    #[oai(path = "/api/connections/:id", method = "put")]
    async fn update(
        &self,
        app: Data<&Arc<App>>,
        _auth: AdminAuth,
        id: Path<String>,
        body: Json<ConnectionBody>,
    ) -> Reply<Json<ConnectionInfo>, UpdateConnection> {
        let changed = app.connect.update(&id.0, body.0.into()).await?;
        reply(Json(ConnectionInfo::from(&changed)))
    }

    /// Delete a connection
    #[oai(path = "/api/connections/:id", method = "delete")]
    async fn delete(
        &self,
        app: Data<&Arc<App>>,
        _auth: AdminAuth,
        id: Path<String>,
    ) -> Reply<Deleted, DeleteConnection> {
        app.connect.delete(&id.0).await?;
        reply(Deleted::Gone)
    }

    /// Test a connection
    ///
    /// Sends a test message now, whatever the connection's events; answers the remote's
    /// answer, or 502 naming why it failed.
    #[oai(path = "/api/connections/:id/test", method = "post")]
    async fn test(
        &self,
        app: Data<&Arc<App>>,
        _auth: AdminAuth,
        id: Path<String>,
    ) -> Reply<Json<TestOutcome>, TestConnection> {
        let answer = app.connect.test(&id.0).await?;
        reply(Json(TestOutcome { answer }))
    }
}
