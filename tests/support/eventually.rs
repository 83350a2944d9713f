//! `eventually`: a condition awaited with a deadline, the one way tests wait (STYLE.md habit
//! 8: no fixed sleeps where a condition can be awaited).

use std::fmt::Display;
use std::time::Duration;

/// How often a condition is asked again.
pub const POLL: Duration = Duration::from_millis(20);

/// What a check answers: whether the condition holds, with the value wanted, or what was
/// seen instead (shown when the deadline passes).
pub trait Outcome {
    /// What `eventually` returns once the condition holds.
    type Value;
    /// The value, or what was seen instead.
    fn ready(self) -> Result<Self::Value, String>;
}

impl Outcome for bool {
    type Value = ();
    fn ready(self) -> Result<(), String> {
        if self { Ok(()) } else { Err("not yet".into()) }
    }
}

impl<T> Outcome for Option<T> {
    type Value = T;
    fn ready(self) -> Result<T, String> {
        self.ok_or_else(|| "not yet".into())
    }
}

impl<T, E: Display> Outcome for Result<T, E> {
    type Value = T;
    fn ready(self) -> Result<T, String> {
        self.map_err(|seen| seen.to_string())
    }
}

/// Asks `check` every [`POLL`] until its answer is ready and returns the value; fails the
/// test with `what` and the last thing seen when `within` has passed. A check may assert
/// too, for states that must never occur on the way.
pub async fn eventually<O: Outcome>(
    within: Duration,
    what: &str,
    check: impl AsyncFnMut() -> O,
) -> O::Value {
    match poll_within(within, check).await {
        Ok(value) => value,
        Err(seen) => panic!("{what} (not within {within:?}; last seen: {seen})"),
    }
}

/// Asks `check` every [`POLL`] until its answer is ready or `within` has passed: the value,
/// or the last thing seen. For tests that expect a condition *not* to come about in time.
pub async fn poll_within<O: Outcome>(
    within: Duration,
    mut check: impl AsyncFnMut() -> O,
) -> Result<O::Value, String> {
    let deadline = tokio::time::Instant::now() + within;
    loop {
        match check().await.ready() {
            Ok(value) => return Ok(value),
            Err(seen) if tokio::time::Instant::now() >= deadline => return Err(seen),
            Err(_) => tokio::time::sleep(POLL).await,
        }
    }
}
