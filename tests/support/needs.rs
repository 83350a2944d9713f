//! Tests that need something beyond Rust (Chromium, root): where it is missing they are
//! skipped with one plain line on the terminal saying what they need and how to get it, and
//! pass; with `CI=true` nothing is skipped, so a missing tool fails the test.

use std::io::Write;

/// What a test does about a missing prerequisite.
#[derive(Debug, PartialEq, Eq)]
pub enum Decision {
    Run,
    Skip,
    Fail,
}

/// Whether to run, skip or fail: run when present; else skip, unless in CI (`ci`).
pub fn decide(present: bool, ci: bool) -> Decision {
    match (present, ci) {
        (true, _) => Decision::Run,
        (false, false) => Decision::Skip,
        (false, true) => Decision::Fail,
    }
}

/// Whether the calling test should go on: `present` says whether it has what it `needs`
/// (`how` gets it). A skip prints `skipped: <test>: needs <needs> (<how>)` past the test
/// harness's capture; under `CI=true` a missing prerequisite panics.
pub fn needs(present: bool, needs: &str, how: &str) -> bool {
    let ci = std::env::var("CI").is_ok_and(|v| v == "true");
    let test = std::thread::current().name().unwrap_or("a test").to_owned();
    match decide(present, ci) {
        Decision::Run => true,
        Decision::Skip => {
            // Straight to stderr: the harness would swallow eprintln! of a passing test.
            let line = format!("skipped: {test}: needs {needs} ({how})\n");
            let _ = std::io::stderr().write_all(line.as_bytes());
            false
        }
        Decision::Fail => panic!("{test} needs {needs} ({how}); CI=true skips nothing"),
    }
}

#[test]
fn a_missing_prerequisite_skips_except_in_ci() {
    assert_eq!(decide(true, false), Decision::Run);
    assert_eq!(decide(true, true), Decision::Run);
    assert_eq!(decide(false, false), Decision::Skip);
    assert_eq!(decide(false, true), Decision::Fail);
}
