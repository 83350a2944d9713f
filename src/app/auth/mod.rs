//! Authentication use cases: set the master password once, log in (with lockout), check a
//! session token, log out (revoke), and the API keys programs use (`keys.rs`).
//!
//! Token checks run on every protected request, so they never touch the store: the signing
//! key and the revoked token ids live in memory, written through to the store on change.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use argon2::{Argon2, PasswordHasher, PasswordVerifier};
use chrono::{DateTime, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};

use crate::domain::auth::{Claims, Lockout, Password, PasswordPolicyError, session_lifetime};
use crate::lock::RwLockRecover;
use crate::ports::{AuthStore, Clock, StoreError};

pub mod keys;
pub mod setup;

/// Why an authentication use case failed.
#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    /// Setup was called after the master password was set.
    #[error("master password is already configured")]
    AlreadyConfigured,
    /// Login was called before setup.
    #[error("master password is not configured yet: call POST /api/auth/setup first")]
    NotConfigured,
    /// The proposed password breaks the policy.
    #[error(transparent)]
    Policy(#[from] PasswordPolicyError),
    /// Wrong password.
    #[error("invalid credentials")]
    InvalidCredentials,
    /// Too many failed logins; try again after this many seconds.
    #[error("too many failed login attempts")]
    LockedOut { retry_after_secs: u64 },
    /// The disk refused a write of the database: the file and the system's reason.
    #[error("the database cannot be written: {0}")]
    Storage(String),
    /// The store or the hasher failed.
    #[error("authentication backend failed: {0}")]
    Backend(String),
}

impl From<StoreError> for AuthError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Io(reason) => Self::Storage(reason),
            other => Self::Backend(other.to_string()),
        }
    }
}

/// A signed session token and when it ends.
#[derive(Debug, Clone)]
pub struct Session {
    pub token: String,
    pub expires_at: DateTime<Utc>,
}

/// Verified tokens remembered at most; the cache starts over when full.
const VERIFIED_CACHE_SIZE: usize = 1024;

/// The subject of every token: there is one user, the owner of the master password.
const SUBJECT: &str = "admin";

/// Authentication use cases.
pub struct AuthService {
    store: Arc<dyn AuthStore>,
    clock: Arc<dyn Clock>,
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    /// Revoked token id → expiry; a std lock because it is never held across an await.
    revoked: RwLock<HashMap<String, i64>>,
    /// Tokens whose signature checked out, with their claims.
    verified: RwLock<HashMap<String, Claims>>,
    configured: std::sync::atomic::AtomicBool,
    /// The API keys (`keys.rs`).
    keys: Arc<keys::Keys>,
}

impl AuthService {
    /// Loads the signing secret (made on first start) and the revoked tokens.
    pub async fn new(store: Arc<dyn AuthStore>, clock: Arc<dyn Clock>) -> Result<Self, AuthError> {
        let secret = store.jwt_secret().await?;
        let revoked = store.revoked().await?.into_iter().collect();
        let configured = store.password_hash().await?.is_some();
        let keys = Arc::new(keys::Keys::new(store.api_keys().await?));
        // Only HS256 is accepted: a token with `alg: none` or another algorithm fails. Expiry
        // is checked against the Clock port below, not the system time.
        let mut validation = Validation::new(Algorithm::HS256);
        validation.validate_exp = false;
        validation.set_required_spec_claims(&["exp", "iat", "sub"]);
        Ok(Self {
            store,
            clock,
            encoding: EncodingKey::from_secret(&secret),
            decoding: DecodingKey::from_secret(&secret),
            validation,
            revoked: RwLock::new(revoked),
            verified: RwLock::new(HashMap::new()),
            configured: configured.into(),
            keys,
        })
    }

    /// Whether the master password is set.
    pub fn is_configured(&self) -> bool {
        self.configured.load(std::sync::atomic::Ordering::Acquire)
    }

    /// Sets the master password; only once.
    pub async fn setup(&self, candidate: &str) -> Result<(), AuthError> {
        let phc = self.hash_for_setup(candidate).await?;
        self.set_password(phc).await
    }

    /// The stored form of a proposed first password, checked against the policy; sets
    /// nothing.
    pub(crate) async fn hash_for_setup(&self, candidate: &str) -> Result<String, AuthError> {
        if self.is_configured() {
            return Err(AuthError::AlreadyConfigured);
        }
        let password = Password::check_policy(candidate)?;
        in_current_span(move || {
            Argon2::default()
                .hash_password(password.expose().as_bytes())
                .map(|h| h.to_string())
                .map_err(|e| AuthError::Backend(format!("hashing failed: {e}")))
        })
        .await
    }

    /// Stores the password hashed by [`Self::hash_for_setup`]; only once.
    pub(crate) async fn set_password(&self, phc: String) -> Result<(), AuthError> {
        if !self.store.set_password_hash_once(phc).await? {
            return Err(AuthError::AlreadyConfigured);
        }
        self.configured
            .store(true, std::sync::atomic::Ordering::Release);
        Ok(())
    }

    /// Checks the password of `client` (an IP address) and issues a session token.
    pub async fn login(
        &self,
        client: &str,
        candidate: &str,
        remember: bool,
    ) -> Result<Session, AuthError> {
        let now = self.clock.now();
        let failures = self.store.login_failures(client.to_owned()).await?;
        if let Some(retry_after_secs) = Lockout::locked_for(&failures, now) {
            return Err(AuthError::LockedOut { retry_after_secs });
        }
        let phc = self
            .store
            .password_hash()
            .await?
            .ok_or(AuthError::NotConfigured)?;
        // A candidate longer than any valid password cannot match: refuse it without spending
        // argon2 time on it (bodies may be up to 1 MiB).
        let plausible = candidate.chars().count() <= Password::MAX_CHARS;
        let candidate = candidate.to_owned();
        let matches = plausible
            && in_current_span(move || {
                Ok::<_, AuthError>(
                    Argon2::default()
                        .verify_password(candidate.as_bytes(), phc.as_str())
                        .is_ok(),
                )
            })
            .await?;
        if !matches {
            let next = Lockout::record_failure(&failures, now);
            let locked = Lockout::locked_for(&next, now);
            self.store
                .set_login_failures(client.to_owned(), next)
                .await?;
            tracing::warn!(client, "failed login");
            return Err(match locked {
                Some(retry_after_secs) => AuthError::LockedOut { retry_after_secs },
                None => AuthError::InvalidCredentials,
            });
        }
        if failures.count > 0 {
            self.store
                .set_login_failures(client.to_owned(), Default::default())
                .await?;
        }
        self.issue(now, remember)
    }

    fn issue(&self, now: DateTime<Utc>, remember: bool) -> Result<Session, AuthError> {
        let expires_at = now + session_lifetime(remember);
        let claims = Claims {
            sub: SUBJECT.into(),
            iat: now.timestamp(),
            exp: expires_at.timestamp(),
            jti: uuid::Uuid::new_v4().to_string(),
        };
        let token = jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(|e| AuthError::Backend(format!("signing failed: {e}")))?;
        Ok(Session { token, expires_at })
    }

    /// The claims of a valid, unexpired, unrevoked token; `None` for anything else.
    ///
    /// A token whose signature was checked once is remembered (keyed by the whole token
    /// text, so a forged token can never hit the cache), which keeps the HMAC off the hot
    /// path; expiry and revocation are checked on every call.
    pub fn verify(&self, token: &str) -> Option<Claims> {
        let known = self.verified.read_or_recover().get(token).cloned();
        let claims = match known {
            Some(claims) => claims,
            None => {
                let claims =
                    jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation)
                        .ok()?
                        .claims;
                if claims.sub != SUBJECT {
                    return None;
                }
                let mut cache = self.verified.write_or_recover();
                if cache.len() >= VERIFIED_CACHE_SIZE {
                    cache.clear();
                }
                cache.insert(token.to_owned(), claims.clone());
                claims
            }
        };
        if claims.exp <= self.clock.now().timestamp() {
            return None;
        }
        let revoked = self.revoked.read_or_recover();
        (!revoked.contains_key(&claims.jti)).then_some(claims)
    }

    /// Revokes a token until it would have expired anyway; survives restarts.
    pub async fn logout(&self, claims: &Claims) -> Result<(), AuthError> {
        let now = self.clock.now().timestamp();
        self.store
            .revoke(claims.jti.clone(), claims.exp, now)
            .await?;
        let mut revoked = self.revoked.write_or_recover();
        revoked.retain(|_, exp| *exp > now);
        revoked.insert(claims.jti.clone(), claims.exp);
        Ok(())
    }
}

/// Runs CPU-heavy work (argon2) off the async workers, inside the caller's tracing span.
async fn in_current_span<T, F>(work: F) -> Result<T, AuthError>
where
    T: Send + 'static,
    F: FnOnce() -> Result<T, AuthError> + Send + 'static,
{
    let span = tracing::Span::current();
    tokio::task::spawn_blocking(move || span.in_scope(work))
        .await
        .map_err(|e| AuthError::Backend(format!("hashing task failed: {e}")))?
}

#[cfg(test)]
mod tests;
