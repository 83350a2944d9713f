//! API keys (INTEGRATIONS.md section 1): how programs (Sonarr, Prowlarr, dashboards)
//! authenticate, never with the master password. A key has a name, scopes and an optional
//! expiry; only a digest of its secret is kept, so the secret is shown once, when it is made.
//!
//! Scopes: `read` (GETs of the library, queue, history and health), `download` (the Torznab
//! and qBittorrent APIs), `admin` (everything a session token may do, keys included).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// What a key may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    Read,
    Download,
    Admin,
}

impl Scope {
    /// Every scope.
    pub const ALL: [Self; 3] = [Self::Read, Self::Download, Self::Admin];

    /// The scope's name in the API.
    pub fn name(self) -> &'static str {
        match self {
            Self::Read => "read",
            Self::Download => "download",
            Self::Admin => "admin",
        }
    }

    /// The scope of a name as [`Scope::name`] writes it.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.name() == name.trim())
    }
}

/// Why a key could not be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApiKeyError {
    #[error("name: must be 1 to 100 characters")]
    Name,
    #[error("scopes: name one or more of read, download, admin")]
    Scopes,
    #[error("scopes: {0:?} is not one of read, download, admin")]
    UnknownScope(String),
    #[error("expires_at: must lie in the future")]
    Expiry,
}

impl ApiKeyError {
    /// The field of the request at fault.
    pub fn field(&self) -> &'static str {
        match self {
            Self::Name => "name",
            Self::Scopes | Self::UnknownScope(_) => "scopes",
            Self::Expiry => "expires_at",
        }
    }
}

/// A key as kept: everything but its secret, and the digest of the secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiKey {
    pub id: String,
    pub name: String,
    pub scopes: Vec<Scope>,
    /// SHA-256 of the secret, lower-case hex.
    pub digest: String,
    pub created_at: DateTime<Utc>,
    #[serde(default)]
    pub expires_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub last_used_at: Option<DateTime<Utc>>,
}

impl ApiKey {
    /// Whether the key may do what `needed` covers: its own scopes, or anything with `admin`.
    pub fn allows(&self, needed: Scope) -> bool {
        self.scopes.contains(&Scope::Admin) || self.scopes.contains(&needed)
    }

    /// Whether the key has expired at `now`.
    pub fn expired(&self, now: DateTime<Utc>) -> bool {
        self.expires_at.is_some_and(|at| at <= now)
    }
}

/// A new key's name and scopes, checked: the name trimmed, 1 to 100 characters; one or more
/// known scopes, each once, in the order of [`Scope::ALL`]; an expiry after `now`.
pub fn check_new_key(
    name: &str,
    scopes: &[String],
    expires_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<(String, Vec<Scope>), ApiKeyError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(ApiKeyError::Name);
    }
    let mut parsed = Vec::new();
    for given in scopes {
        let scope = Scope::parse(given).ok_or_else(|| ApiKeyError::UnknownScope(given.clone()))?;
        if !parsed.contains(&scope) {
            parsed.push(scope);
        }
    }
    if parsed.is_empty() {
        return Err(ApiKeyError::Scopes);
    }
    parsed.sort();
    if expires_at.is_some_and(|at| at <= now) {
        return Err(ApiKeyError::Expiry);
    }
    Ok((name.to_owned(), parsed))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(scopes: &[Scope]) -> ApiKey {
        ApiKey {
            id: "k".into(),
            name: "Sonarr".into(),
            scopes: scopes.to_vec(),
            digest: String::new(),
            created_at: Utc::now(),
            expires_at: None,
            last_used_at: None,
        }
    }

    #[test]
    fn admin_allows_everything_and_the_others_only_themselves() {
        assert!(key(&[Scope::Admin]).allows(Scope::Read));
        assert!(key(&[Scope::Admin]).allows(Scope::Download));
        assert!(key(&[Scope::Read]).allows(Scope::Read));
        assert!(!key(&[Scope::Read]).allows(Scope::Download));
        assert!(!key(&[Scope::Download]).allows(Scope::Admin));
    }

    #[test]
    fn a_new_key_needs_a_name_known_scopes_and_a_future_expiry() {
        let now = Utc::now();
        let scopes = |s: &[&str]| s.iter().map(|x| (*x).to_owned()).collect::<Vec<_>>();
        assert_eq!(
            check_new_key(
                " Sonarr ",
                &scopes(&["download", "read", "read"]),
                None,
                now
            ),
            Ok(("Sonarr".into(), vec![Scope::Read, Scope::Download]))
        );
        assert_eq!(
            check_new_key("", &scopes(&["read"]), None, now),
            Err(ApiKeyError::Name)
        );
        assert_eq!(check_new_key("x", &[], None, now), Err(ApiKeyError::Scopes));
        assert_eq!(
            check_new_key("x", &scopes(&["write"]), None, now),
            Err(ApiKeyError::UnknownScope("write".into()))
        );
        assert_eq!(
            check_new_key("x", &scopes(&["read"]), Some(now), now),
            Err(ApiKeyError::Expiry)
        );
    }
}
