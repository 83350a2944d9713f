//! The use cases' errors as API answers: one `From` per error type, so a handler hands any of
//! them on with `?`. Each failure says its [`Code`] here, once; the message is the error's own
//! unless the API's wording differs, and `details` names the field or resource at fault.

use serde_json::json;

use super::{AUTH_RATE_DETAIL, ApiError, Code};
use crate::app::auth::AuthError;
use crate::app::auth::setup::SetupError;
use crate::app::config::ConfigError;
use crate::app::library::LibraryError;
use crate::app::queue::QueueError;
use crate::domain::catalogue::ProviderError;
use crate::domain::config::ConfigIssue;
use crate::domain::library::LibraryInputError;
use crate::ports::StoreError;

impl From<AuthError> for ApiError {
    fn from(e: AuthError) -> Self {
        match e {
            AuthError::AlreadyConfigured => {
                Self::new(Code::BadRequest, "Master password is already configured")
            }
            AuthError::NotConfigured => Self::new(Code::BadRequest, e.to_string()),
            AuthError::Policy(p) => {
                Self::new(Code::BadRequest, "Password does not meet the policy")
                    .with_details(json!({ "master_password": p.0 }))
            }
            AuthError::InvalidCredentials => Self::new(Code::Authentication, "Invalid credentials"),
            AuthError::LockedOut { retry_after_secs } => {
                Self::rate_limited(retry_after_secs, AUTH_RATE_DETAIL)
            }
            AuthError::Storage(reason) => Self::storage(reason),
            AuthError::Backend(cause) => Self::internal(cause),
        }
    }
}

impl From<SetupError> for ApiError {
    fn from(e: SetupError) -> Self {
        match e {
            SetupError::RelativeDirectory => Self::new(Code::Validation, e.to_string())
                .with_details(json!({ "field": "anime_directory" })),
            SetupError::Auth(e) => e.into(),
            SetupError::Config(e) => e.into(),
        }
    }
}

impl From<ConfigError> for ApiError {
    fn from(e: ConfigError) -> Self {
        match e {
            ConfigError::Invalid(issues) => Self::new(Code::Validation, "Configuration is invalid")
                .with_details(json!({ "errors": issues, "messages": issue_lines(&issues) })),
            ConfigError::InvalidBackupName => Self::new(Code::BadRequest, e.to_string()),
            ConfigError::BackupNotFound(_) => Self::new(Code::NotFound, e.to_string()),
            ConfigError::BackupExists(_) => Self::new(Code::Conflict, e.to_string()),
            ConfigError::Io(reason) => Self::storage(reason),
            ConfigError::Storage(cause) => Self::internal(cause),
        }
    }
}

/// Configuration problems as lines of text: `field: message`, or the message alone.
pub fn issue_lines(issues: &[ConfigIssue]) -> Vec<String> {
    issues.iter().map(ToString::to_string).collect()
}

impl From<LibraryError> for ApiError {
    fn from(e: LibraryError) -> Self {
        let message = e.to_string();
        match e {
            LibraryError::NoDirectory => Self::new(Code::BadRequest, message),
            LibraryError::Input(input) => input.into(),
            LibraryError::InvalidLink(_) => {
                Self::new(Code::Validation, message).with_details(json!({ "field": "link" }))
            }
            LibraryError::InvalidName(_) => {
                Self::new(Code::Validation, message).with_details(json!({ "field": "name" }))
            }
            LibraryError::AlreadyInLibrary(key) => {
                Self::new(Code::Conflict, message).with_details(json!({ "key": key.as_str() }))
            }
            LibraryError::FolderTaken { folder, owner } => Self::new(Code::Conflict, message)
                .with_details(json!({ "folder": folder, "key": owner })),
            LibraryError::NotFound(_) => Self::new(Code::NotFound, message),
            LibraryError::DirectoryUnusable(_) => {
                Self::new(Code::BadRequest, message).with_details(json!({ "field": "directory" }))
            }
            LibraryError::Provider(p) => p.into(),
            // A refusal of the library's disk (read-only, full, no permission): the user's to fix.
            LibraryError::Disk(reason) => Self::storage(reason),
            LibraryError::Config(e) => e.into(),
            LibraryError::Store(e) => e.into(),
        }
    }
}

impl From<LibraryInputError> for ApiError {
    fn from(e: LibraryInputError) -> Self {
        let field = match e {
            LibraryInputError::Page(_) => "page",
            LibraryInputError::PerPage(_) => "per_page",
            LibraryInputError::SortBy(_) => "sort_by",
            LibraryInputError::SearchQuery => "query",
            LibraryInputError::RelativeDirectory(_) => "directory",
        };
        Self::new(Code::Validation, e.to_string()).with_details(json!({ "field": field }))
    }
}

impl From<QueueError> for ApiError {
    fn from(e: QueueError) -> Self {
        let message = e.to_string();
        match e {
            QueueError::NotFound(id) => {
                Self::new(Code::NotFound, message).with_details(json!({ "item_id": id }))
            }
            QueueError::Invalid { field, .. } => {
                Self::new(Code::Validation, message).with_details(json!({ "field": field }))
            }
            QueueError::NoDirectory => Self::new(Code::BadRequest, message),
            QueueError::Store(e) => e.into(),
        }
    }
}

impl From<StoreError> for ApiError {
    /// A refused write is the user's to fix (503); anything else is a logged 500.
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Io(reason) => Self::storage(reason),
            cause => Self::internal(cause),
        }
    }
}

impl From<ProviderError> for ApiError {
    /// The catalogue site failed: 504 when it did not answer, 404 when it has no such page,
    /// 422 when the site is switched off, 502 otherwise.
    fn from(e: ProviderError) -> Self {
        match e {
            ProviderError::Timeout => Self::new(
                Code::UpstreamTimeout,
                "The catalogue site did not answer in time",
            ),
            ProviderError::NotFound => Self::new(Code::NotFound, "Not found on the catalogue site"),
            // Asking a switched-off site (s.to) is the request's mistake, not the site's.
            off @ ProviderError::SiteOff(_) => Self::new(Code::Validation, off.to_string())
                .with_details(json!({ "field": "site" })),
            other => Self::new(
                Code::Upstream,
                format!("The catalogue site failed: {other}"),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refused_database_write_is_a_storage_error_and_other_store_failures_a_500() {
        let refused = ApiError::from(QueueError::Store(StoreError::Io("read-only".into())));
        assert_eq!(refused.code(), Code::Storage);
        let corrupt = ApiError::from(QueueError::Store(StoreError::Corrupt("bad".into())));
        assert_eq!(corrupt.code(), Code::Internal);
    }

    #[test]
    fn the_catalogue_site_failing_is_502_unless_it_timed_out_or_has_no_such_page() {
        let code = |e: ProviderError| ApiError::from(LibraryError::Provider(e)).code();
        assert_eq!(code(ProviderError::Timeout), Code::UpstreamTimeout);
        assert_eq!(code(ProviderError::NotFound), Code::NotFound);
        assert_eq!(code(ProviderError::Status(500)), Code::Upstream);
    }

    #[test]
    fn a_setup_whose_configuration_cannot_be_written_is_a_storage_error() {
        let e = ApiError::from(SetupError::Config(ConfigError::Io("full".into())));
        assert_eq!(e.code(), Code::Storage);
    }

    #[test]
    fn too_many_failed_logins_are_a_rate_limit_error() {
        let e = ApiError::from(AuthError::LockedOut {
            retry_after_secs: 30,
        });
        assert_eq!(e.code(), Code::RateLimit);
        assert_eq!(e.status().as_u16(), 429);
    }
}
