//! First-time setup as one use case: the anime directory is checked, the password checked
//! and hashed, the directory written to the configuration, and only then the password set.
//! A configuration that cannot be written leaves the password unset, so the user can fix the
//! disk and run setup again.

use super::{AuthError, AuthService};
use crate::app::config::{ConfigError, ConfigService};
use crate::domain::config::AbsoluteDir;

/// Why first-time setup failed; nothing was set.
#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    /// The anime directory given is not an absolute path.
    #[error("anime_directory must be an absolute path")]
    RelativeDirectory,
    /// The password step refused (already configured, policy, storage).
    #[error(transparent)]
    Auth(#[from] AuthError),
    /// The configuration could not be written.
    #[error(transparent)]
    Config(#[from] ConfigError),
}

/// Sets the master password, once, and the anime directory if one is given (blank is none).
///
/// # Errors
/// See [`SetupError`]; on any of them the password stays unset.
pub async fn first_setup(
    auth: &AuthService,
    config: &ConfigService,
    password: &str,
    anime_directory: Option<&str>,
) -> Result<(), SetupError> {
    if auth.is_configured() {
        return Err(AuthError::AlreadyConfigured.into());
    }
    let directory = anime_directory
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .map(AbsoluteDir::try_from)
        .transpose()
        .map_err(|_| SetupError::RelativeDirectory)?;
    let phc = auth.hash_for_setup(password).await?;
    if let Some(dir) = directory {
        config.set_anime_directory(dir.path().to_path_buf()).await?;
    }
    auth.set_password(phc).await?;
    Ok(())
}
