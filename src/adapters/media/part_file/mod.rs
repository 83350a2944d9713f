//! The partial file a transfer writes: opened without truncating (an earlier transfer may
//! have left bytes worth keeping), written by a thread of its own, cut back to a checkpoint,
//! flushed with fsync.
//!
//! The network and the disk work side by side: [`PartFile::write`] hands the received
//! buffers (no copy) to the file's writer thread through a bounded queue and returns at once,
//! while the thread writes them with vectored writes, many buffers per system call. A flush
//! runs behind the transfer too: [`PartFile::sync_behind`] asks for one with the checkpoint
//! it will make true, and [`PartFile::flushed`] hands that checkpoint back once the fsync is
//! done, so a checkpoint never counts bytes that did not reach the disk, and the network does
//! not wait for the disk. [`PartFile::sync`] (and [`PartFile::keep`],
//! [`PartFile::size_on_disk`]) waits for the thread; a write that failed is reported by the
//! next flush.
//!
//! Every failure is a [`DiskError`] naming the path and the system's reason; it becomes
//! [`FetchError::Disk`], since another hoster would not help with a full disk.

use std::io::{Seek, SeekFrom};
use std::path::{Path, PathBuf};

use bytes::Bytes;
use tokio::sync::{mpsc, oneshot};

mod writer;

use super::session::Failure;
use crate::domain::queue::Partial;
use crate::ports::media::FetchError;
use writer::{Answer, Job, Writer};

/// Buffers queued for the writer thread at most (backpressure on the network beyond).
const QUEUED: usize = 64;

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

/// A flush under way, and the checkpoint it makes true.
#[derive(Debug)]
struct Flushing {
    done: oneshot::Receiver<std::io::Result<()>>,
    checkpoint: Partial,
}

/// An open partial file and how many bytes it holds (written or queued).
#[derive(Debug)]
pub struct PartFile {
    path: PathBuf,
    jobs: mpsc::Sender<Job>,
    len: u64,
    flushing: Option<Flushing>,
}

impl PartFile {
    /// Opens (or creates) the file at `path`, keeping its bytes.
    pub async fn open(path: &Path) -> Result<Self, DiskError> {
        let owned = path.to_owned();
        let opened = tokio::task::spawn_blocking(move || {
            let file = std::fs::OpenOptions::new()
                .create(true)
                .write(true)
                .truncate(false)
                .open(&owned)?;
            let len = file.metadata()?.len();
            Ok::<_, std::io::Error>((file, len))
        })
        .await
        .map_err(|e| DiskError(format!("{}: {e}", path.display())))?;
        let (mut file, len) = opened.map_err(|e| disk(path, &e))?;
        file.seek(SeekFrom::Start(len))
            .map_err(|e| disk(path, &e))?;
        let flusher = file.try_clone().map_err(|e| disk(path, &e))?;
        let (flushes, flush_queue) = std::sync::mpsc::channel::<Answer<()>>();
        std::thread::Builder::new()
            .name("part-file-sync".into())
            .spawn(move || {
                for answer in flush_queue {
                    let _ = answer.send(flusher.sync_data());
                }
            })
            .map_err(|e| disk(path, &e))?;
        let (jobs, queue) = mpsc::channel(QUEUED);
        let writer = Writer {
            file,
            failed: None,
            flushes,
        };
        std::thread::Builder::new()
            .name("part-file".into())
            .spawn(move || writer.run(queue))
            .map_err(|e| disk(path, &e))?;
        Ok(Self {
            path: path.to_owned(),
            jobs,
            len,
            flushing: None,
        })
    }

    /// Bytes in the file, counting those still queued.
    pub fn len(&self) -> u64 {
        self.len
    }

    /// Keeps the first `bytes` bytes (never grows the file) and writes on after them.
    pub async fn keep(&mut self, bytes: u64) -> Result<(), DiskError> {
        self.settle().await?;
        let keep = bytes.min(self.len);
        self.ask(|answer| Job::Keep(keep, answer)).await?;
        self.len = keep;
        Ok(())
    }

    /// Appends `bytes` (written by the writer thread; a failure shows at the next sync).
    pub async fn write(&mut self, bytes: impl Into<Bytes>) -> Result<(), DiskError> {
        let bytes = bytes.into();
        let n = bytes.len() as u64;
        if n == 0 {
            return Ok(());
        }
        self.jobs
            .send(Job::Write(bytes))
            .await
            .map_err(|_| self.gone())?;
        self.len += n;
        Ok(())
    }

    /// Writes everything queued and flushes the file's data to the disk.
    pub async fn sync(&mut self) -> Result<(), DiskError> {
        self.settle().await?;
        self.ask(Job::Sync).await
    }

    /// Starts flushing everything written so far, unless a flush is under way; `checkpoint`
    /// (what the file then holds) comes back from [`PartFile::flushed`] once it is on disk.
    pub async fn sync_behind(&mut self, checkpoint: Partial) -> Result<(), DiskError> {
        if self.flushing.is_some() {
            return Ok(());
        }
        let (answer, done) = oneshot::channel();
        self.jobs
            .send(Job::Sync(answer))
            .await
            .map_err(|_| self.gone())?;
        self.flushing = Some(Flushing { done, checkpoint });
        Ok(())
    }

    /// The checkpoint of a flush begun by [`PartFile::sync_behind`], once it is done.
    ///
    /// # Errors
    /// The flush's (or an earlier write's) failure.
    pub fn flushed(&mut self) -> Result<Option<Partial>, DiskError> {
        let Some(flushing) = &mut self.flushing else {
            return Ok(None);
        };
        let answer = flushing.done.try_recv();
        let checkpoint = flushing.checkpoint;
        if let Err(oneshot::error::TryRecvError::Empty) = answer {
            return Ok(None);
        }
        self.flushing = None;
        match answer {
            Ok(Ok(())) => Ok(Some(checkpoint)),
            Ok(Err(e)) => Err(disk(&self.path, &e)),
            Err(_) => Err(self.gone()),
        }
    }

    /// Waits for a flush under way, so that its failure is not lost.
    async fn settle(&mut self) -> Result<(), DiskError> {
        if let Some(flushing) = self.flushing.take() {
            let done = flushing.done.await.map_err(|_| self.gone())?;
            done.map_err(|e| disk(&self.path, &e))?;
        }
        Ok(())
    }

    /// The size of the file on disk, after a [`PartFile::sync`].
    pub async fn size_on_disk(&mut self) -> Result<u64, DiskError> {
        self.settle().await?;
        self.ask(Job::Size).await
    }

    /// Sends a job and waits for its answer.
    async fn ask<T>(
        &self,
        job: impl FnOnce(oneshot::Sender<std::io::Result<T>>) -> Job,
    ) -> Result<T, DiskError> {
        let (answer, answered) = oneshot::channel();
        self.jobs.send(job(answer)).await.map_err(|_| self.gone())?;
        answered
            .await
            .map_err(|_| self.gone())?
            .map_err(|e| disk(&self.path, &e))
    }

    fn gone(&self) -> DiskError {
        DiskError(format!(
            "{}: the file's writer stopped",
            self.path.display()
        ))
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
        file.write(&b"abc"[..]).await.unwrap();
        file.sync().await.unwrap();
        assert_eq!(file.size_on_disk().await.unwrap(), 7);
        assert_eq!(std::fs::read(&path).unwrap(), b"0123abc");
    }

    #[tokio::test]
    async fn a_checkpoint_past_the_end_does_not_grow_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.part");
        let mut file = PartFile::open(&path).await.unwrap();
        file.write(&b"xy"[..]).await.unwrap();
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

    #[tokio::test]
    async fn many_buffers_reach_the_file_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("many.part");
        let mut file = PartFile::open(&path).await.unwrap();
        let mut expected = Vec::new();
        for i in 0..1000u32 {
            let piece: Vec<u8> = (0..(i % 97 + 1)).map(|k| (i + k) as u8).collect();
            expected.extend_from_slice(&piece);
            file.write(piece).await.unwrap();
        }
        file.sync().await.unwrap();
        assert_eq!(file.len(), expected.len() as u64);
        assert_eq!(std::fs::read(&path).unwrap(), expected);
    }

    #[tokio::test]
    async fn a_flush_behind_hands_its_checkpoint_back_once_the_bytes_are_on_disk() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("behind.part");
        let mut file = PartFile::open(&path).await.unwrap();
        file.write(vec![7u8; 1000]).await.unwrap();
        let at = Partial::Direct {
            bytes: 1000,
            total: None,
        };
        file.sync_behind(at).await.unwrap();
        // A second request while one is under way is not queued.
        file.sync_behind(Partial::Direct {
            bytes: 1,
            total: None,
        })
        .await
        .unwrap();
        file.write(vec![8u8; 24]).await.unwrap();
        let flushed = loop {
            if let Some(done) = file.flushed().unwrap() {
                break done;
            }
            tokio::task::yield_now().await;
        };
        assert_eq!(flushed, at);
        assert!(std::fs::metadata(&path).unwrap().len() >= 1000);
        assert_eq!(file.flushed().unwrap(), None, "handed back once");
        file.sync().await.unwrap();
        assert_eq!(file.size_on_disk().await.unwrap(), 1024);
    }
}
