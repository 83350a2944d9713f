//! Remuxing HLS downloads (MPEG-TS) to MP4 with ffmpeg, when it is on the PATH: the streams
//! are copied, not re-encoded, so it takes seconds and changes no picture or sound.

use std::path::{Path, PathBuf};

use async_trait::async_trait;

use crate::ports::Remuxer;

/// ffmpeg found on the PATH at start-up, if it is there.
#[derive(Debug, Clone)]
pub struct FfmpegRemuxer {
    program: Option<PathBuf>,
}

impl FfmpegRemuxer {
    /// Looks for `ffmpeg` on the PATH.
    pub fn from_path() -> Self {
        let program = std::env::var_os("PATH").and_then(|paths| {
            std::env::split_paths(&paths)
                .map(|dir| dir.join("ffmpeg"))
                .find(|candidate| is_executable(candidate))
        });
        Self { program }
    }

    /// A remuxer with a given program (`None`: none available).
    pub fn with_program(program: Option<PathBuf>) -> Self {
        Self { program }
    }
}

fn is_executable(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        path.metadata()
            .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
    }
    #[cfg(not(unix))]
    {
        path.is_file()
    }
}

#[async_trait]
impl Remuxer for FfmpegRemuxer {
    fn available(&self) -> bool {
        self.program.is_some()
    }

    async fn remux(&self, from: PathBuf, to: PathBuf) -> Result<(), String> {
        let program = self.program.as_ref().ok_or("ffmpeg is not on the PATH")?;
        let output = tokio::process::Command::new(program)
            .args(["-nostdin", "-hide_banner", "-loglevel", "error", "-y", "-i"])
            .arg(&from)
            .args(["-map", "0", "-c", "copy", "-f", "mp4"])
            .arg(&to)
            .kill_on_drop(true)
            .output()
            .await
            .map_err(|e| format!("ffmpeg could not run: {e}"))?;
        if !output.status.success() {
            let said = String::from_utf8_lossy(&output.stderr);
            let last = said
                .lines()
                .rev()
                .find(|l| !l.trim().is_empty())
                .unwrap_or("");
            let _ = tokio::fs::remove_file(&to).await;
            return Err(format!(
                "ffmpeg failed ({}): {}",
                output.status,
                last.trim()
            ));
        }
        let flushed = tokio::task::spawn_blocking(move || std::fs::File::open(&to)?.sync_all())
            .await
            .map_err(|e| e.to_string())?;
        flushed.map_err(|e| format!("cannot flush the MP4 file: {e}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn without_ffmpeg_remuxing_is_unavailable_and_says_why() {
        let none = FfmpegRemuxer::with_program(None);
        assert!(!none.available());
        let dir = tempfile::tempdir().unwrap();
        let err = none
            .remux(dir.path().join("a.ts"), dir.path().join("a.mp4"))
            .await
            .unwrap_err();
        assert!(err.contains("not on the PATH"), "{err}");
    }

    #[tokio::test]
    async fn an_mpeg_ts_file_becomes_an_mp4_and_the_input_is_kept() {
        let remuxer = FfmpegRemuxer::from_path();
        if !remuxer.available() {
            // As tests/support/needs.rs does for the other binaries: one line, unless in CI.
            let how = "needs ffmpeg on the PATH (apt-get install -y ffmpeg)";
            assert!(
                !std::env::var("CI").is_ok_and(|v| v == "true"),
                "{how}; CI=true skips nothing"
            );
            let line = format!("skipped: remux test: {how}\n");
            let _ = std::io::Write::write_all(&mut std::io::stderr(), line.as_bytes());
            return;
        }
        let dir = tempfile::tempdir().unwrap();
        let (from, to) = (dir.path().join("in.ts"), dir.path().join("out.mp4.part"));
        // One second of ffmpeg's test picture as MPEG-TS, the form HLS downloads take.
        let made = std::process::Command::new("ffmpeg")
            .args(["-nostdin", "-loglevel", "error", "-f", "lavfi", "-i"])
            .args([
                "testsrc=duration=1:size=64x64:rate=10",
                "-c:v",
                "mpeg2video",
            ])
            .args(["-f", "mpegts"])
            .arg(&from)
            .status()
            .unwrap();
        assert!(made.success());
        remuxer.remux(from.clone(), to.clone()).await.unwrap();
        let mp4 = std::fs::read(&to).unwrap();
        assert_eq!(&mp4[4..8], b"ftyp", "an MP4 container");
        assert!(from.exists(), "the input is kept for the caller to delete");
    }

    #[tokio::test]
    async fn a_failing_program_leaves_no_output_and_reports_its_last_words() {
        let dir = tempfile::tempdir().unwrap();
        // `false` stands in for an ffmpeg that refuses the input.
        let remuxer = FfmpegRemuxer::with_program(Some(PathBuf::from("/bin/false")));
        let (from, to) = (dir.path().join("a.ts"), dir.path().join("a.mp4"));
        std::fs::write(&from, b"not a transport stream").unwrap();
        let err = remuxer.remux(from.clone(), to.clone()).await.unwrap_err();
        assert!(err.starts_with("ffmpeg failed"), "{err}");
        assert!(!to.exists());
        assert!(from.exists(), "the input is kept");
    }
}
