//! The data directory at start: made if missing (with its `logs` folder), and a refusal
//! that says which user this process is and how to let it write there.

use std::path::PathBuf;

use super::StartupError;

/// Makes `dir` and its `logs` folder if missing; its absolute path.
pub(super) fn prepare(dir: &std::path::Path) -> Result<PathBuf, StartupError> {
    let fail = |source: std::io::Error| StartupError::DataDir {
        path: dir.to_path_buf(),
        hint: denied_hint(&source),
        source,
    };
    std::fs::create_dir_all(dir.join("logs")).map_err(fail)?;
    dir.canonicalize().map_err(fail)
}

/// For a folder this process may not write: which user it runs as and what to do (a
/// container's bind mount made by Docker belongs to root).
fn denied_hint(e: &std::io::Error) -> String {
    #[cfg(unix)]
    if e.kind() == std::io::ErrorKind::PermissionDenied
        && let Ok(me) = std::fs::metadata("/proc/self")
    {
        use std::os::unix::fs::MetadataExt;
        let (uid, gid) = (me.uid(), me.gid());
        return format!(
            "; this process runs as {uid}:{gid}: make the folder writable by it \
             (chown {uid}:{gid} <folder>) or run as the folder's owner"
        );
    }
    let _ = e;
    String::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refused_folder_names_this_processs_user_and_the_fix() {
        let denied = std::io::Error::from(std::io::ErrorKind::PermissionDenied);
        let hint = denied_hint(&denied);
        #[cfg(target_os = "linux")]
        {
            use std::os::unix::fs::MetadataExt;
            let me = std::fs::metadata("/proc/self").unwrap();
            let who = format!("{}:{}", me.uid(), me.gid());
            assert!(hint.contains(&format!("runs as {who}")), "{hint}");
            assert!(hint.contains(&format!("chown {who} <folder>")), "{hint}");
        }
        let error = StartupError::DataDir {
            path: "/data".into(),
            hint,
            source: denied,
        };
        assert!(
            error
                .to_string()
                .starts_with("data directory /data: permission denied")
        );
        // other errors carry no hint
        assert_eq!(denied_hint(&std::io::Error::other("disk full")), "");
    }
}
