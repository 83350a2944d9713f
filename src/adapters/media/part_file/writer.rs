//! The writer thread of a partial file: it serves the jobs the
//! async side queues, gathers queued buffers into vectored writes, and hands each flush to
//! the flushing thread beside it.

use std::fs::File;
use std::io::{IoSlice, Seek, SeekFrom, Write};

use bytes::Bytes;
use tokio::sync::{mpsc, oneshot};

/// Buffers gathered into one vectored write at most (the system's `IOV_MAX` is 1024).
const GATHER: usize = 64;

/// Where a job's outcome goes.
pub(super) type Answer<T> = oneshot::Sender<std::io::Result<T>>;

/// What the writer thread is asked.
pub(super) enum Job {
    Write(Bytes),
    /// Flush everything written before it, answer once it is on disk.
    Sync(Answer<()>),
    /// Cut the file to this many bytes and write on after them.
    Keep(u64, Answer<()>),
    /// The size on disk.
    Size(Answer<u64>),
}

/// The writer thread's side: the file, the first write error (kept until a sync or keep
/// reports it), and the thread that flushes. An fsync runs there, beside the writes that
/// come after it: `fdatasync` covers every byte written before it was called (on any handle
/// of the file), so the bytes a sync was asked for are on disk when it answers, and the
/// writes (and the network behind them) do not wait for the disk.
pub(super) struct Writer {
    pub(super) file: File,
    pub(super) failed: Option<std::io::Error>,
    pub(super) flushes: std::sync::mpsc::Sender<Answer<()>>,
}

impl Writer {
    /// Serves jobs until the [`PartFile`] is dropped (the queue closes).
    pub(super) fn run(mut self, mut queue: mpsc::Receiver<Job>) {
        let mut batch: Vec<Bytes> = Vec::with_capacity(GATHER);
        let mut next = queue.blocking_recv();
        while let Some(job) = next.take() {
            match job {
                Job::Write(bytes) => {
                    batch.push(bytes);
                    // Gather what else is queued already into the same system call.
                    while batch.len() < GATHER {
                        match queue.try_recv() {
                            Ok(Job::Write(more)) => batch.push(more),
                            Ok(other) => {
                                next = Some(other);
                                break;
                            }
                            Err(_) => break,
                        }
                    }
                    self.write(&mut batch);
                }
                Job::Sync(answer) => match self.take_failure() {
                    Ok(()) => {
                        if let Err(std::sync::mpsc::SendError(answer)) = self.flushes.send(answer) {
                            let _ = answer.send(self.file.sync_data());
                        }
                    }
                    Err(e) => {
                        let _ = answer.send(Err(e));
                    }
                },
                Job::Keep(bytes, answer) => {
                    let done = self.take_failure().and_then(|()| {
                        self.file.set_len(bytes)?;
                        self.file.seek(SeekFrom::Start(bytes)).map(drop)
                    });
                    let _ = answer.send(done);
                }
                Job::Size(answer) => {
                    let size = self.file.metadata().map(|m| m.len());
                    let _ = answer.send(size);
                }
            }
            if next.is_none() {
                next = queue.blocking_recv();
            }
        }
    }

    /// Writes the batch whole (after a failure, drops it: the failure is reported instead).
    fn write(&mut self, batch: &mut Vec<Bytes>) {
        if self.failed.is_none()
            && let Err(e) = write_all(&mut self.file, batch)
        {
            self.failed = Some(e);
        }
        batch.clear();
    }

    fn take_failure(&mut self) -> std::io::Result<()> {
        self.failed.take().map_or(Ok(()), Err)
    }
}

/// Writes every buffer in order with as few vectored writes as the system allows.
fn write_all(out: &mut impl Write, buffers: &[Bytes]) -> std::io::Result<()> {
    let (mut first, mut skip) = (0, 0);
    while first < buffers.len() {
        let mut slices: Vec<IoSlice<'_>> = Vec::with_capacity(buffers.len() - first);
        slices.push(IoSlice::new(&buffers[first][skip..]));
        slices.extend(buffers[first + 1..].iter().map(|b| IoSlice::new(b)));
        let mut written = match out.write_vectored(&slices) {
            Ok(0) => return Err(std::io::ErrorKind::WriteZero.into()),
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        // Advance past what was written.
        while first < buffers.len() && written > 0 {
            let left = buffers[first].len() - skip;
            if written >= left {
                written -= left;
                first += 1;
                skip = 0;
            } else {
                skip += written;
                written = 0;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Takes at most 7,000 bytes per write, as a file near its quota or a signal may.
    struct Short(Vec<u8>);

    impl Write for Short {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            let n = buf.len().min(7000);
            self.0.extend_from_slice(&buf[..n]);
            Ok(n)
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn vectored_writes_go_on_after_short_writes() {
        let buffers: Vec<Bytes> = (0..200u8).map(|i| Bytes::from(vec![i; 5000])).collect();
        let mut out = Short(Vec::new());
        write_all(&mut out, &buffers).unwrap();
        assert_eq!(out.0.len(), 200 * 5000);
        assert!(
            out.0
                .chunks(5000)
                .enumerate()
                .all(|(i, c)| c.iter().all(|&b| b == i as u8))
        );
    }
}
