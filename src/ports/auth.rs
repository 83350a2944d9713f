//! What authentication needs to keep: the password hash, the token secret, revoked tokens,
//! failed-login counters and the API keys.

use async_trait::async_trait;

use super::StoreError;
use crate::domain::api_key::ApiKey;
use crate::domain::auth::LoginFailures;

/// Durable authentication state.
///
/// # Errors
/// [`StoreError`] when the database fails; nothing here is a user error.
#[cfg_attr(test, mockall::automock)]
#[async_trait]
pub trait AuthStore: Send + Sync {
    /// The argon2id PHC string of the master password, once set.
    async fn password_hash(&self) -> Result<Option<String>, StoreError>;

    /// Stores the hash unless one is stored already; returns whether it was stored.
    async fn set_password_hash_once(&self, phc: String) -> Result<bool, StoreError>;

    /// The token-signing secret, made (random, 64 bytes) and stored on first use.
    async fn jwt_secret(&self) -> Result<Vec<u8>, StoreError>;

    /// Records a revoked token id until its expiry (seconds since the epoch); expired entries
    /// older than `now` are dropped on the way.
    async fn revoke(&self, jti: String, exp: i64, now: i64) -> Result<(), StoreError>;

    /// Every revoked token id still on record, with its expiry.
    async fn revoked(&self) -> Result<Vec<(String, i64)>, StoreError>;

    /// Failed logins of one client.
    async fn login_failures(&self, client: String) -> Result<LoginFailures, StoreError>;

    /// Replaces the failed-login record of one client.
    async fn set_login_failures(
        &self,
        client: String,
        failures: LoginFailures,
    ) -> Result<(), StoreError>;

    /// Every API key kept (digests, not secrets).
    async fn api_keys(&self) -> Result<Vec<ApiKey>, StoreError>;

    /// Stores a key, or replaces the one with its id.
    async fn put_api_key(&self, key: ApiKey) -> Result<(), StoreError>;

    /// Deletes a key; answers whether it was there.
    async fn remove_api_key(&self, id: String) -> Result<bool, StoreError>;

    /// A read and a write round trip, for the health check.
    async fn ping(&self) -> Result<(), StoreError>;
}
