//! The disk failing under the real server (issue 11): the library's disk fills up during a
//! download (`full`), the data dir's file system turns read-only while the server runs
//! (`read_only`). Both mount real file systems (`tests/support/mounts.rs`: a small tmpfs, an
//! ext4 image in a loop device), so the server meets the kernel's own errors (ENOSPC,
//! EROFS), not injected ones.

mod full;
mod read_only;
