//! INTEGRATIONS.md section 1: API keys for programs (Sonarr, Prowlarr, dashboards): make one
//! (its secret shown this once), list them without secrets, revoke one. Managing keys needs a
//! session token or an `admin` key.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use poem::web::Data;
use poem_openapi::param::Path;
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, Object, OpenApi};
use serde_json::json;

use crate::adapters::http::ApiTags;
use crate::adapters::http::error::{ApiError, Code};
use crate::adapters::http::outcomes::{
    INVALID, MALFORMED, Reply, STORAGE, TOO_LARGE, UNAUTHORIZED, outcomes, reply,
};
use crate::adapters::http::security::AdminAuth;
use crate::app::App;
use crate::app::auth::keys::{KeyError, NewKey};
use crate::domain::api_key::ApiKey;

/// The API-key endpoints.
pub struct KeysApi;

impl From<KeyError> for ApiError {
    fn from(e: KeyError) -> Self {
        match e {
            KeyError::Invalid(invalid) => Self::new(Code::Validation, invalid.to_string())
                .with_details(json!({ "field": invalid.field() })),
            KeyError::NotFound(_) => Self::new(Code::NotFound, e.to_string()),
            KeyError::Auth(e) => e.into(),
        }
    }
}

outcomes!(CreateKey(KeyError): "", [MALFORMED, UNAUTHORIZED, TOO_LARGE, INVALID, STORAGE]);
outcomes!(ListKeys: "Every key, oldest first, without its secret", [UNAUTHORIZED]);
outcomes!(RevokeKey(KeyError): "", [
    UNAUTHORIZED,
    (Code::NotFound, "No key with that id"),
    STORAGE,
]);

/// A key to make.
#[derive(Debug, Object)]
pub struct NewKeyRequest {
    /// What the key is for, 1 to 100 characters (`Sonarr`).
    pub name: String,
    /// One or more of `read` (GETs of the library, queue, history, health), `download` (the
    /// Torznab and qBittorrent APIs) and `admin` (everything a session token may do).
    pub scopes: Vec<String>,
    /// When the key stops working; never when left out.
    pub expires_at: Option<DateTime<Utc>>,
}

/// A key as listed: everything but its secret.
#[derive(Debug, Object)]
pub struct KeyInfo {
    pub id: String,
    pub name: String,
    pub scopes: Vec<String>,
    pub created_at: DateTime<Utc>,
    #[oai(nullable)]
    pub expires_at: Option<DateTime<Utc>>,
    /// The last request made with it (noted at most once a minute).
    #[oai(nullable)]
    pub last_used_at: Option<DateTime<Utc>>,
}

impl From<&ApiKey> for KeyInfo {
    fn from(k: &ApiKey) -> Self {
        Self {
            id: k.id.clone(),
            name: k.name.clone(),
            scopes: k.scopes.iter().map(|s| s.name().to_owned()).collect(),
            created_at: k.created_at,
            expires_at: k.expires_at,
            last_used_at: k.last_used_at,
        }
    }
}

/// A key just made, with its secret: shown this once.
#[derive(Debug, Object)]
pub struct CreatedKey {
    pub id: String,
    pub name: String,
    pub scopes: Vec<String>,
    /// The secret: send it as `X-Api-Key`, `?apikey=` or `Authorization: Bearer`. It is not
    /// kept and cannot be shown again.
    pub key: String,
    pub created_at: DateTime<Utc>,
    #[oai(nullable)]
    pub expires_at: Option<DateTime<Utc>>,
}

#[derive(ApiResponse)]
enum Created {
    /// The key, with its secret shown this once.
    #[oai(status = 201)]
    Key(Json<CreatedKey>),
}

#[derive(ApiResponse)]
enum Revoked {
    /// The key stopped working.
    #[oai(status = 204)]
    Gone,
}

#[OpenApi(tag = "ApiTags::Keys")]
impl KeysApi {
    /// Make an API key
    ///
    /// Makes a key with a name, scopes and an optional expiry. The answer holds the key's
    /// secret, shown this once: only its digest is kept.
    #[oai(path = "/api/keys", method = "post")]
    async fn create(
        &self,
        app: Data<&Arc<App>>,
        auth: AdminAuth,
        body: Json<NewKeyRequest>,
    ) -> Reply<Created, CreateKey> {
        let NewKey { key, secret } = app
            .auth
            .create_key(&body.0.name, &body.0.scopes, body.0.expires_at)
            .await?;
        tracing::info!(key = %key.id, name = %key.name, by = %auth.0.describe(), "API key made");
        let info = KeyInfo::from(&key);
        reply(Created::Key(Json(CreatedKey {
            id: info.id,
            name: info.name,
            scopes: info.scopes,
            key: secret,
            created_at: info.created_at,
            expires_at: info.expires_at,
        })))
    }

    /// List the API keys
    ///
    /// Every key, oldest first, without its secret.
    #[oai(path = "/api/keys", method = "get")]
    async fn list(
        &self,
        app: Data<&Arc<App>>,
        _auth: AdminAuth,
    ) -> Reply<Json<Vec<KeyInfo>>, ListKeys> {
        reply(Json(
            app.auth.list_keys().iter().map(KeyInfo::from).collect(),
        ))
    }

    /// Revoke an API key
    ///
    /// The key stops working at once.
    #[oai(path = "/api/keys/:id", method = "delete")]
    async fn revoke(
        &self,
        app: Data<&Arc<App>>,
        auth: AdminAuth,
        /// The key's id.
        id: Path<String>,
    ) -> Reply<Revoked, RevokeKey> {
        app.auth.revoke_key(&id.0).await?;
        tracing::info!(key = %id.0, by = %auth.0.describe(), "API key revoked");
        reply(Revoked::Gone)
    }
}
