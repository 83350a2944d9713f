//! Time, so lockouts, token expiry and the scheduler are testable without sleeping.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

/// The wall clock.
#[cfg_attr(test, mockall::automock)]
#[async_trait]
pub trait Clock: Send + Sync {
    /// Now.
    fn now(&self) -> DateTime<Utc>;

    /// Returns once `now() >= deadline`.
    async fn sleep_until(&self, deadline: DateTime<Utc>);
}
