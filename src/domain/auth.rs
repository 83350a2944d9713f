//! Master-password policy, login lockout arithmetic and the claims a session token carries.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// Why a proposed master password was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("password policy: {}", .0.join("; "))]
pub struct PasswordPolicyError(pub Vec<&'static str>);

/// A master password that meets the policy: at least 8 characters (at most 256) with an
/// upper-case letter, a lower-case letter, a digit and a special character.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl Password {
    pub const MIN_CHARS: usize = 8;
    pub const MAX_CHARS: usize = 256;

    /// Checks the policy and lists every rule the candidate breaks.
    pub fn check_policy(candidate: &str) -> Result<Self, PasswordPolicyError> {
        let mut broken = Vec::new();
        let n = candidate.chars().count();
        if n < Self::MIN_CHARS {
            broken.push("must be at least 8 characters long");
        }
        if n > Self::MAX_CHARS {
            broken.push("must be at most 256 characters long");
        }
        if !candidate.chars().any(char::is_uppercase) {
            broken.push("must contain an upper-case letter");
        }
        if !candidate.chars().any(char::is_lowercase) {
            broken.push("must contain a lower-case letter");
        }
        if !candidate.chars().any(|c| c.is_ascii_digit()) {
            broken.push("must contain a digit");
        }
        if !candidate
            .chars()
            .any(|c| !c.is_alphanumeric() && !c.is_whitespace())
        {
            broken.push("must contain a special character");
        }
        if broken.is_empty() {
            Ok(Self(candidate.to_owned()))
        } else {
            Err(PasswordPolicyError(broken))
        }
    }

    /// The password text, for hashing only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(***)")
    }
}

/// Failed logins of one client, kept in the store so a restart does not reset them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginFailures {
    /// Failures since the last success, within [`Lockout::WINDOW`].
    pub count: u32,
    pub first_at: Option<DateTime<Utc>>,
    /// While set and in the future, every login of this client is refused.
    pub locked_until: Option<DateTime<Utc>>,
}

/// The lockout rules: five failures within fifteen minutes lock login for five minutes.
pub struct Lockout;

impl Lockout {
    pub const MAX_FAILURES: u32 = 5;
    pub const WINDOW: Duration = Duration::minutes(15);
    pub const COOLDOWN: Duration = Duration::minutes(5);

    /// Seconds until the lock ends, or `None` when login is allowed now.
    pub fn locked_for(state: &LoginFailures, now: DateTime<Utc>) -> Option<u64> {
        let until = state.locked_until?;
        (until > now).then(|| (until - now).num_seconds().max(1) as u64)
    }

    /// The state after one more failure at `now`.
    pub fn record_failure(state: &LoginFailures, now: DateTime<Utc>) -> LoginFailures {
        let fresh = match state.first_at {
            Some(first) => {
                now - first > Self::WINDOW || state.locked_until.is_some_and(|u| u <= now)
            }
            None => true,
        };
        let (count, first_at) = if fresh {
            (1, now)
        } else {
            (state.count + 1, state.first_at.unwrap_or(now))
        };
        let locked_until = (count >= Self::MAX_FAILURES).then(|| now + Self::COOLDOWN);
        LoginFailures {
            count,
            first_at: Some(first_at),
            locked_until,
        }
    }
}

/// Who a session token belongs to and when it ends. Serialised into the JWT as `sub`, `iat`,
/// `exp` (seconds since the epoch) and `jti`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    pub sub: String,
    pub iat: i64,
    pub exp: i64,
    pub jti: String,
}

/// How long a session lasts: 30 days with "remember me", else 24 hours.
pub fn session_lifetime(remember: bool) -> Duration {
    if remember {
        Duration::days(30)
    } else {
        Duration::hours(24)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_meeting_every_rule_is_accepted() {
        assert!(Password::check_policy("Secr3t!pass").is_ok());
    }

    #[test]
    fn each_broken_rule_is_named() {
        let err = Password::check_policy("short").unwrap_err();
        assert!(err.0.contains(&"must be at least 8 characters long"));
        assert!(err.0.contains(&"must contain an upper-case letter"));
        assert!(err.0.contains(&"must contain a digit"));
        assert!(err.0.contains(&"must contain a special character"));
        assert!(!err.0.contains(&"must contain a lower-case letter"));
    }

    #[test]
    fn a_password_without_a_special_character_is_rejected() {
        let err = Password::check_policy("Password123").unwrap_err();
        assert_eq!(err.0, vec!["must contain a special character"]);
    }

    #[test]
    fn the_password_never_shows_in_debug_output() {
        let p = Password::check_policy("Secr3t!pass").unwrap();
        assert!(!format!("{p:?}").contains("Secr3t"));
    }

    fn at(secs: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_700_000_000 + secs, 0).unwrap()
    }

    #[test]
    fn the_fifth_failure_locks_for_the_cooldown() {
        let mut s = LoginFailures::default();
        for i in 0..4 {
            s = Lockout::record_failure(&s, at(i));
            assert_eq!(Lockout::locked_for(&s, at(i)), None);
        }
        s = Lockout::record_failure(&s, at(10));
        assert_eq!(Lockout::locked_for(&s, at(10)), Some(300));
        assert_eq!(Lockout::locked_for(&s, at(309)), Some(1));
        assert_eq!(Lockout::locked_for(&s, at(310)), None);
    }

    #[test]
    fn failures_outside_the_window_start_a_new_count() {
        let mut s = LoginFailures::default();
        for i in 0..4 {
            s = Lockout::record_failure(&s, at(i));
        }
        s = Lockout::record_failure(&s, at(16 * 60));
        assert_eq!(s.count, 1);
        assert_eq!(Lockout::locked_for(&s, at(16 * 60)), None);
    }

    #[test]
    fn a_failure_after_the_lock_ended_starts_a_new_count() {
        let mut s = LoginFailures::default();
        for i in 0..5 {
            s = Lockout::record_failure(&s, at(i));
        }
        s = Lockout::record_failure(&s, at(400));
        assert_eq!(s.count, 1);
        assert_eq!(Lockout::locked_for(&s, at(400)), None);
    }

    #[test]
    fn remember_me_lasts_thirty_days() {
        assert_eq!(session_lifetime(true), Duration::days(30));
        assert_eq!(session_lifetime(false), Duration::hours(24));
    }
}
