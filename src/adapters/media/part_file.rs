//! The partial file a transfer writes: opened without truncating (an earlier transfer may
//! have left bytes worth keeping), buffered, cut back to a checkpoint, flushed with fsync.
//!
//! Every failure is a [`DiskError`] naming the path and the system's reason; it becomes
//! [`FetchError::Disk`], since another hoster would not help with a full disk.

use std::io::SeekFrom;
use std::path::{Path, PathBuf};

use tokio::io::{AsyncSeekExt, AsyncWriteExt, BufWriter};

use super::session::Failure;
use crate::ports::media::FetchError;

/// Writes are gathered into blocks this large before they go to the blocking pool.
const BUFFER: usize = 256 * 1024;

/// Why the partial file could not be written: the path and the system's reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiskError(pub String);

impl From<DiskError> for FetchError {
    fn from(e: DiskError) -> Self {
        Self::Disk(e.0)
    }
}

impl From<DiskError> for Failure {
    fn from(e: DiskError) -> Self {
        Self::Disk(e.0)
    }
}

/// An open partial file and how many bytes it holds (written or buffered).
#[derive(Debug)]
pub struct PartFile {
    path: PathBuf,
    file: BufWriter<tokio::fs::File>,
    len: u64,
}

impl PartFile {
    /// Opens (or creates) the file at `path`, keeping its bytes.
    pub async fn open(path: &Path) -> Result<Self, DiskError> {
        let file = tokio::fs::OpenOptions::new()
            .create(true)
            .write(true)
            .truncate(false)
            .open(path)
            .await
            .map_err(|e| disk(path, &e))?;
        let len = file.metadata().await.map_err(|e| disk(path, &e))?.len();
        Ok(Self {
            path: path.to_owned(),
            file: BufWriter::with_capacity(BUFFER, file),
            len,
        })
    }

    /// Bytes in the file, counting those still buffered.
    pub fn len(&self) -> u64 {
        self.len
    }

    /// Keeps the first `bytes` bytes (never grows the file) and writes on after them.
    pub async fn keep(&mut self, bytes: u64) -> Result<(), DiskError> {
        self.file.flush().await.map_err(|e| self.disk(&e))?;
        let keep = bytes.min(self.len);
        let inner = self.file.get_mut();
        inner
            .set_len(keep)
            .await
            .map_err(|e| disk(&self.path, &e))?;
        inner
            .seek(SeekFrom::Start(keep))
            .await
            .map_err(|e| disk(&self.path, &e))?;
        self.len = keep;
        Ok(())
    }

    /// Appends `bytes`.
    pub async fn write(&mut self, bytes: &[u8]) -> Result<(), DiskError> {
        self.file
            .write_all(bytes)
            .await
            .map_err(|e| self.disk(&e))?;
        self.len += bytes.len() as u64;
        Ok(())
    }

    /// Flushes the buffer and the file's data to the disk.
    pub async fn sync(&mut self) -> Result<(), DiskError> {
        self.file.flush().await.map_err(|e| self.disk(&e))?;
        self.file
            .get_mut()
            .sync_data()
            .await
            .map_err(|e| disk(&self.path, &e))
    }

    /// The size of the file on disk, after a [`PartFile::sync`].
    pub async fn size_on_disk(&mut self) -> Result<u64, DiskError> {
        let meta = self.file.get_ref().metadata().await;
        Ok(meta.map_err(|e| disk(&self.path, &e))?.len())
    }

    fn disk(&self, e: &std::io::Error) -> DiskError {
        disk(&self.path, e)
    }
}

fn disk(path: &Path, e: &std::io::Error) -> DiskError {
    DiskError(format!("{}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn an_existing_file_keeps_its_bytes_until_cut_back_to_a_checkpoint() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.mp4.part");
        std::fs::write(&path, b"0123456789").unwrap();
        let mut file = PartFile::open(&path).await.unwrap();
        assert_eq!(file.len(), 10);
        file.keep(4).await.unwrap();
        file.write(b"abc").await.unwrap();
        file.sync().await.unwrap();
        assert_eq!(file.size_on_disk().await.unwrap(), 7);
        assert_eq!(std::fs::read(&path).unwrap(), b"0123abc");
    }

    #[tokio::test]
    async fn a_checkpoint_past_the_end_does_not_grow_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.part");
        let mut file = PartFile::open(&path).await.unwrap();
        file.write(b"xy").await.unwrap();
        file.keep(100).await.unwrap();
        assert_eq!(file.len(), 2);
    }

    #[tokio::test]
    async fn a_part_file_under_a_regular_file_is_a_disk_error_naming_the_path() {
        let dir = tempfile::tempdir().unwrap();
        let blocker = dir.path().join("not-a-folder");
        std::fs::write(&blocker, b"x").unwrap();
        let path = blocker.join("a.part");
        let DiskError(reason) = PartFile::open(&path).await.unwrap_err();
        assert!(reason.contains("not-a-folder"), "{reason}");
    }
}
