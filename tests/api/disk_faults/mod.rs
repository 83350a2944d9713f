//! The disk failing under the real server (issue 11): the library's disk fills up during a
//! download (`full`), the data dir's file system turns read-only while the server runs
//! (`read_only`). Both mount real file systems (`tests/support/mounts.rs`: a small tmpfs, an
//! ext4 image in a loop device), so the server meets the kernel's own errors (ENOSPC,
//! EROFS), not injected ones.

mod full;
mod read_only;

/// Whether this process may mount file systems (is root); if not, says so in one line and
/// the test returns (see `support::needs`; `CI=true` fails instead). Each test starts with it.
pub fn root() -> bool {
    use std::os::unix::fs::MetadataExt;
    // /proc/self belongs to the process's effective user.
    let root = std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0);
    crate::support::needs::needs(
        root,
        "root, to mount a tmpfs and an ext4 loop device",
        "run as root: sudo -E cargo test --test api disk_faults",
    )
}
