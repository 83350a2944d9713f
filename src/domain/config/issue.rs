//! One rule a configuration document breaks, by field, with the API's message (API.md
//! section 5: `details.errors` of a 422).

use serde::Serialize;

/// One reason a configuration is invalid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConfigIssue {
    /// Dotted path of the field, e.g. `scheduler.interval_minutes`.
    pub field: String,
    pub message: String,
}

impl ConfigIssue {
    /// A problem of the whole document (it is not JSON, a field is unknown): no field named.
    pub fn whole(message: impl Into<String>) -> Self {
        Self {
            field: String::new(),
            message: message.into(),
        }
    }
}

impl std::fmt::Display for ConfigIssue {
    /// `field: message`, or the message alone for the whole document.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.field.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.field, self.message)
        }
    }
}
