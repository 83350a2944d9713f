//! File systems a test mounts over one of its folders, to fail the disk under the real
//! server: a small tmpfs (a disk that fills up) and an ext4 file system in a loop device that
//! the kernel can be told to abort (a disk that turns read-only). Both need root (CI runs as
//! root on a machine like this one); each is unmounted when dropped, so a failing test
//! leaves nothing mounted behind it.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Runs a command and panics with its output when it fails.
fn run(program: &str, args: &[&str]) {
    let out = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{program} cannot be run: {e}"));
    assert!(
        out.status.success(),
        "{program} {args:?} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn text(path: &Path) -> &str {
    path.to_str().expect("a UTF-8 temp path")
}

/// A tmpfs of a fixed size mounted over a folder.
pub struct Tmpfs {
    at: PathBuf,
}

impl Tmpfs {
    /// Mounts `bytes` of tmpfs over `at` (what was in the folder is hidden until unmounted).
    pub fn mount(at: &Path, bytes: u64) -> Self {
        let size = format!("size={bytes},mode=0755");
        run("mount", &["-t", "tmpfs", "-o", &size, "tmpfs", text(at)]);
        Self { at: at.to_owned() }
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.at).status();
    }
}

/// An ext4 file system in an image file, mounted through a loop device over a folder.
pub struct Ext4 {
    image: PathBuf,
    at: PathBuf,
    mounted: bool,
}

impl Ext4 {
    /// Makes an ext4 file system of `megabytes` in `image` and mounts it over `at`.
    pub fn mount(image: &Path, at: &Path, megabytes: u64) -> Self {
        let file = std::fs::File::create(image).expect("image file");
        file.set_len(megabytes * 1024 * 1024).expect("image size");
        run("mkfs.ext4", &["-q", "-F", text(image)]);
        let mut fs = Self {
            image: image.to_owned(),
            at: at.to_owned(),
            mounted: false,
        };
        fs.mount_again();
        fs
    }

    /// What the kernel does when ext4 meets an error with `errors=remount-ro`: the journal is
    /// aborted and the file system turns read-only at once, for files already open for
    /// writing too ("Read-only file system"); reads go on.
    pub fn turn_read_only(&self) {
        run("mount", &["-o", "remount,abort", text(&self.at)]);
    }

    /// Unmounts (which fails while any file on it is open: the server must have let go of
    /// everything) and mounts the image again, writable, as an administrator's repair would.
    pub fn repair(&mut self) {
        run("umount", &[text(&self.at)]);
        self.mounted = false;
        // 1 and 2 say errors were corrected (the aborted journal); 4 and up that some remain.
        let checked = Command::new("e2fsck")
            .args(["-f", "-y"])
            .arg(&self.image)
            .output()
            .expect("e2fsck runs");
        assert!(
            checked.status.code().is_some_and(|c| c < 4),
            "e2fsck left errors ({}): {}{}",
            checked.status,
            String::from_utf8_lossy(&checked.stdout),
            String::from_utf8_lossy(&checked.stderr)
        );
        self.mount_again();
    }

    fn mount_again(&mut self) {
        // `-o loop` sets the loop device up and lets it go at the unmount (autoclear).
        run("mount", &["-o", "loop", text(&self.image), text(&self.at)]);
        self.mounted = true;
    }
}

impl Drop for Ext4 {
    fn drop(&mut self) {
        if self.mounted {
            let _ = Command::new("umount").arg("-l").arg(&self.at).status();
        }
    }
}
