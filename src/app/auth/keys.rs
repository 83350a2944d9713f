//! API keys (INTEGRATIONS.md section 1): made, listed and revoked through the API, and checked
//! on every request that carries one. A key's secret is 32 random hex digits, shown once when
//! it is made; only its SHA-256 digest is kept (a key is random, so a fast digest is as safe as
//! a slow one), and digests are compared in constant time. The keys live in memory, so a
//! check costs a digest and a short scan; a revoked key stops working at once.

use std::sync::RwLock;

use chrono::{DateTime, Duration, Utc};
use rand::RngCore;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use super::{AuthError, AuthService};
use crate::domain::api_key::{ApiKey, ApiKeyError, Scope, check_new_key};
use crate::domain::auth::Lockout;
use crate::lock::RwLockRecover;

/// How often a key's `last_used_at` is written back, at most.
const LAST_USED_EVERY: i64 = 60;

/// A key just made, with its secret: the only time the secret is known.
#[derive(Debug, Clone)]
pub struct NewKey {
    pub key: ApiKey,
    pub secret: String,
}

/// Who a valid key is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyAccess {
    pub id: String,
    pub name: String,
    pub scopes: Vec<Scope>,
}

/// Why a presented key was not accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyRefusal {
    /// No such key (never made, revoked) or expired: 401.
    #[error("unknown, revoked or expired API key")]
    Unknown,
    /// A valid key whose scopes do not cover the request: 403.
    #[error("the API key's scopes ({0}) do not allow this")]
    Scope(String),
    /// Too many failed logins and unknown keys from this client: 429.
    #[error("too many failed attempts; try again in {retry_after_secs} s")]
    LockedOut { retry_after_secs: u64 },
}

/// Why a key could not be made or revoked.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error(transparent)]
    Invalid(#[from] ApiKeyError),
    #[error("no API key with id {0}")]
    NotFound(String),
    #[error(transparent)]
    Auth(#[from] AuthError),
}

/// The keys in memory, beside the store.
#[derive(Debug, Default)]
pub(super) struct Keys {
    kept: RwLock<Vec<ApiKey>>,
    /// Held while a key is written to or removed from the store, so a late note of a key's
    /// use cannot write back a key revoked meanwhile.
    writing: tokio::sync::Mutex<()>,
}

impl Keys {
    pub(super) fn new(keys: Vec<ApiKey>) -> Self {
        Self {
            kept: RwLock::new(keys),
            writing: tokio::sync::Mutex::new(()),
        }
    }
}

/// Bytes as lower-case hex.
fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The digest a key is kept under: SHA-256, lower-case hex.
fn digest(secret: &str) -> String {
    hex(&Sha256::digest(secret.trim().as_bytes()))
}

impl AuthService {
    /// Makes a key; the answer holds its secret, which is not kept.
    ///
    /// # Errors
    /// [`KeyError::Invalid`] for a bad name, scopes or expiry; [`KeyError::Auth`] when the store
    /// refuses the write.
    pub async fn create_key(
        &self,
        name: &str,
        scopes: &[String],
        expires_at: Option<DateTime<Utc>>,
    ) -> Result<NewKey, KeyError> {
        let now = self.clock.now();
        let (name, scopes) = check_new_key(name, scopes, expires_at, now)?;
        let mut bytes = [0u8; 16];
        rand::rng().fill_bytes(&mut bytes);
        let secret = hex(&bytes);
        let key = ApiKey {
            id: uuid::Uuid::new_v4().to_string(),
            name,
            scopes,
            digest: digest(&secret),
            created_at: now,
            expires_at,
            last_used_at: None,
        };
        let _writing = self.keys.writing.lock().await;
        self.store
            .put_api_key(key.clone())
            .await
            .map_err(AuthError::from)?;
        self.keys.kept.write_or_recover().push(key.clone());
        Ok(NewKey { key, secret })
    }

    /// Every key, oldest first, without secrets.
    pub fn list_keys(&self) -> Vec<ApiKey> {
        let mut keys = self.keys.kept.read_or_recover().clone();
        // Stable: keys made in the same instant keep the order they were made in.
        keys.sort_by_key(|k| k.created_at);
        keys
    }

    /// Revokes a key: it stops working at once.
    ///
    /// # Errors
    /// [`KeyError::NotFound`]; [`KeyError::Auth`] when the store refuses the write.
    pub async fn revoke_key(&self, id: &str) -> Result<(), KeyError> {
        let _writing = self.keys.writing.lock().await;
        let known = self.keys.kept.read_or_recover().iter().any(|k| k.id == id);
        if !known {
            return Err(KeyError::NotFound(id.chars().take(64).collect()));
        }
        self.store
            .remove_api_key(id.to_owned())
            .await
            .map_err(AuthError::from)?;
        self.keys.kept.write_or_recover().retain(|k| k.id != id);
        Ok(())
    }

    /// Checks a presented key for `needed`: known, unexpired, and with a scope that covers it.
    /// Every kept digest is compared, each in constant time.
    ///
    /// # Errors
    /// [`KeyRefusal::Unknown`] or [`KeyRefusal::Scope`].
    pub fn check_key(&self, secret: &str, needed: Scope) -> Result<KeyAccess, KeyRefusal> {
        let presented = digest(secret);
        let now = self.clock.now();
        let found = {
            let keys = self.keys.kept.read_or_recover();
            let mut found = None;
            for key in keys.iter() {
                if bool::from(key.digest.as_bytes().ct_eq(presented.as_bytes())) {
                    found = Some(key.clone());
                }
            }
            found
        };
        let key = found
            .filter(|k| !k.expired(now))
            .ok_or(KeyRefusal::Unknown)?;
        if !key.allows(needed) {
            let names: Vec<&str> = key.scopes.iter().map(|s| s.name()).collect();
            return Err(KeyRefusal::Scope(names.join(", ")));
        }
        self.note_use(&key, now);
        Ok(KeyAccess {
            id: key.id,
            name: key.name,
            scopes: key.scopes,
        })
    }

    /// Counts a key [`Self::check_key`] did not know, presented by `client` (an IP address),
    /// toward the client's lockout as a failed login is counted; answers the refusal:
    /// [`KeyRefusal::LockedOut`] while (or once) the client is locked out, else
    /// [`KeyRefusal::Unknown`]. A valid key never comes here: it is 128 random bits, guessing
    /// one is not the risk, and a program that knows its key never waits on the store.
    pub async fn unknown_key(&self, client: &str) -> KeyRefusal {
        let now = self.clock.now();
        let Ok(failures) = self.store.login_failures(client.to_owned()).await else {
            return KeyRefusal::Unknown;
        };
        if let Some(retry_after_secs) = Lockout::locked_for(&failures, now) {
            return KeyRefusal::LockedOut { retry_after_secs };
        }
        let next = Lockout::record_failure(&failures, now);
        let locked = Lockout::locked_for(&next, now);
        if let Err(e) = self.store.set_login_failures(client.to_owned(), next).await {
            tracing::warn!(error = %e, "could not count a failed API key");
        }
        tracing::warn!(client, "unknown, revoked or expired API key");
        match locked {
            Some(retry_after_secs) => KeyRefusal::LockedOut { retry_after_secs },
            None => KeyRefusal::Unknown,
        }
    }

    /// Notes when a key was last used; written back at most once a minute per key, without
    /// holding up the request.
    fn note_use(&self, key: &ApiKey, now: DateTime<Utc>) {
        let due = key
            .last_used_at
            .is_none_or(|at| now - at >= Duration::seconds(LAST_USED_EVERY));
        if !due {
            return;
        }
        let updated = {
            let mut keys = self.keys.kept.write_or_recover();
            let Some(kept) = keys.iter_mut().find(|k| k.id == key.id) else {
                return;
            };
            kept.last_used_at = Some(now);
            kept.clone()
        };
        let (store, keys) = (self.store.clone(), self.keys.clone());
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            runtime.spawn(async move {
                let _writing = keys.writing.lock().await;
                let still_kept = keys
                    .kept
                    .read_or_recover()
                    .iter()
                    .any(|k| k.id == updated.id);
                if still_kept && let Err(e) = store.put_api_key(updated).await {
                    tracing::warn!(error = %e, "could not note an API key's last use");
                }
            });
        }
    }
}
