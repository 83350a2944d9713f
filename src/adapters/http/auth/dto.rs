//! The bodies of API.md section 2: setup, login and logout requests and their answers.

use chrono::{DateTime, Utc};
use poem_openapi::Object;
use poem_openapi::types::Example;

/// The master password, set once.
#[derive(Debug, Object)]
#[oai(example)]
pub struct SetupRequest {
    /// At least 8 characters with upper and lower case, a digit and a special character.
    pub master_password: String,
    /// Absolute path of the anime library.
    #[oai(nullable)]
    pub anime_directory: Option<String>,
}

/// A login.
#[derive(Debug, Object)]
#[oai(example)]
pub struct LoginRequest {
    pub password: String,
    /// A token for 30 days instead of 24 hours.
    #[oai(default)]
    pub remember: bool,
}

/// A plain status answer.
#[derive(Debug, Object)]
#[oai(example)]
pub struct StatusOk {
    #[oai(default = "ok_text")]
    pub status: String,
}

pub fn ok_text() -> String {
    "ok".into()
}

/// A session token.
#[derive(Debug, Object)]
#[oai(example)]
pub struct LoginResponse {
    pub access_token: String,
    /// Always `bearer`.
    pub token_type: String,
    pub expires_at: DateTime<Utc>,
}

/// The logout confirmation.
#[derive(Debug, Object)]
#[oai(example)]
pub struct LogoutResponse {
    pub status: String,
    pub message: String,
}

/// Whether setup happened and whether the caller's token is valid.
#[derive(Debug, Object)]
#[oai(example)]
pub struct AuthStatus {
    pub configured: bool,
    pub authenticated: bool,
}

impl Example for SetupRequest {
    fn example() -> Self {
        Self {
            master_password: "Secr3t!pass".into(),
            anime_directory: Some("/srv/anime".into()),
        }
    }
}

impl Example for LoginRequest {
    fn example() -> Self {
        Self {
            password: "Secr3t!pass".into(),
            remember: false,
        }
    }
}

impl Example for LoginResponse {
    fn example() -> Self {
        Self {
            access_token: "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZG1pbiJ9.signature".into(),
            token_type: "bearer".into(),
            expires_at: DateTime::from_timestamp(1_765_708_200, 0).unwrap_or_default(),
        }
    }
}

impl Example for AuthStatus {
    fn example() -> Self {
        Self {
            configured: true,
            authenticated: true,
        }
    }
}

impl Example for StatusOk {
    fn example() -> Self {
        Self { status: ok_text() }
    }
}

impl Example for LogoutResponse {
    fn example() -> Self {
        Self {
            status: "ok".into(),
            message: "Logged out successfully".into(),
        }
    }
}
