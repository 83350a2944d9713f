//! HLS: the playlist (a master playlist leads to its highest-bandwidth variant), then the
//! segments, several at once but written in playlist order into one MPEG-TS file, AES-128
//! segments decrypted with their key (fetched once per key URI) and the IV from the tag or
//! the sequence number.
//!
//! A transfer resumes from a checkpoint when the new playlist has as many segments as the
//! old one; a segment that fails transiently is tried again; a 403 or 410 once the transfer
//! is under way means the signed URLs expired, and the error carries the segments written.

use std::collections::HashMap;

use aes::cipher::{BlockModeDecrypt, KeyIvInit, block_padding::Pkcs7};
use futures_util::{StreamExt, stream};

use super::part_file::PartFile;
use super::progress::{self, Progress};
use super::session::{Failure, RETRIES, Session, backoff};
use crate::domain::catalogue::MediaKind;
use crate::domain::hls::{self, MediaPlaylist, Playlist, Segment};
use crate::domain::queue::Partial;
use crate::ports::media::{FetchError, Transfer, Transferred};

/// The largest playlist read (a long series episode lists a few thousand segments).
const PLAYLIST_CAP: usize = 16 * 1024 * 1024;
/// The largest segment read; segments are held in memory until their turn to be written.
const SEGMENT_CAP: usize = 256 * 1024 * 1024;

/// The AES-128 keys of a playlist, by key URI.
type Keys = HashMap<String, [u8; 16]>;

/// Fetches `transfer` as an HLS stream.
pub async fn fetch(
    session: Session<'_>,
    transfer: &Transfer,
    mut progress: Progress,
) -> Result<Transferred, FetchError> {
    let resumed = transfer.resume;
    let mut began = resumed.is_some();
    let playlist = media_playlist(session, &transfer.source.url, &mut began)
        .await
        .map_err(|f| f.into_fetch_error(began, resumed))?;
    let total = u32::try_from(playlist.segments.len())
        .map_err(|_| FetchError::Unusable("a playlist of too many segments".into()))?;
    if total == 0 {
        return Err(FetchError::Unusable(
            "the playlist lists no segments".into(),
        ));
    }

    let mut file = PartFile::open(&transfer.part_path).await?;
    let (done, bytes) = match resumed {
        Some(Partial::Hls {
            segments,
            total: t,
            bytes,
        }) if t == total && (1..=total).contains(&segments) && file.len() >= bytes => {
            (segments, bytes)
        }
        _ => (0, 0),
    };
    file.keep(bytes).await?;
    let mut written = Written { done, total };
    let todo = Todo {
        segments: &playlist.segments,
        concurrency: transfer.segment_concurrency.max(1),
    };
    let outcome = written
        .append(session, todo, &mut file, &mut progress)
        .await;
    file.sync().await?;
    let at = Partial::Hls {
        segments: written.done,
        total,
        bytes: file.len(),
    };
    // The playlist answered, so a 403 from here on is an expired signature.
    outcome.map_err(|f| f.into_fetch_error(true, Some(at)))?;
    if written.done != total {
        return Err(FetchError::Truncated {
            expected: u64::from(total),
            got: u64::from(written.done),
        });
    }
    let bytes = file.size_on_disk().await?;
    progress.synced(progress::hls(bytes, total, total), at);
    Ok(Transferred {
        bytes,
        kind: MediaKind::Hls,
    })
}

/// The segments of a playlist and how many to fetch at once.
#[derive(Clone, Copy)]
struct Todo<'a> {
    segments: &'a [Segment],
    concurrency: usize,
}

/// How many segments of the playlist are in the file.
struct Written {
    done: u32,
    total: u32,
}

impl Written {
    /// Fetches the segments not yet written, at most `segment_concurrency` at once, and
    /// appends them in order, flushing every few segments.
    async fn append(
        &mut self,
        session: Session<'_>,
        todo: Todo<'_>,
        file: &mut PartFile,
        progress: &mut Progress,
    ) -> Result<(), Failure> {
        let missing = &todo.segments[self.done as usize..];
        let keys = keys(session, missing).await?;
        let keys = &keys;
        // By index: a closure over `&Segment` would have to be general over its lifetime,
        // which the `Send` check of the boxed future cannot prove.
        let mut arriving = stream::iter(0..missing.len())
            .map(|i| fetch_segment(session, &missing[i], keys))
            .buffered(todo.concurrency);
        while let Some(segment) = arriving.next().await {
            let segment = segment?;
            let n = segment.len() as u64;
            file.write(segment).await?;
            self.done += 1;
            let now = progress::hls(file.len(), self.done, self.total);
            if let Some(at) = file.flushed()? {
                progress.synced(now, at);
            } else if progress.wrote(n, 1) {
                let at = Partial::Hls {
                    segments: self.done,
                    total: self.total,
                    bytes: file.len(),
                };
                file.sync_behind(at).await?;
                progress.flushing();
            } else {
                progress.report(now);
            }
            if self.done < self.total && session.cancel.is_cancelled() {
                return Err(Failure::Cancelled);
            }
        }
        Ok(())
    }
}

/// The media playlist at `url`, following a master playlist to its best variant; `began`
/// turns true once a playlist answered.
async fn media_playlist(
    session: Session<'_>,
    url: &str,
    began: &mut bool,
) -> Result<MediaPlaylist, Failure> {
    let mut url = url.to_owned();
    // A master playlist may point to one more playlist, and that one must hold segments.
    for _ in 0..2 {
        let (final_url, body) = session.body_with_retries(&url, PLAYLIST_CAP).await?;
        *began = true;
        let text = String::from_utf8_lossy(&body);
        match hls::parse(&text, &final_url).map_err(|e| Failure::Unusable(e.to_string()))? {
            Playlist::Media(media) => return Ok(media),
            Playlist::Master(variants) => {
                let best = hls::best_variant(&variants).ok_or_else(|| {
                    Failure::Unusable("a master playlist without variants".into())
                })?;
                url.clone_from(&best.uri);
            }
        }
    }
    Err(Failure::Unusable(
        "a master playlist points to another master playlist".into(),
    ))
}

/// Fetches each key the segments use, once per key URI.
async fn keys(session: Session<'_>, segments: &[Segment]) -> Result<Keys, Failure> {
    let mut keys = Keys::new();
    for key in segments.iter().filter_map(|s| s.key.as_ref()) {
        if keys.contains_key(&key.uri) {
            continue;
        }
        let (_, body) = session.body_with_retries(&key.uri, 1024).await?;
        let key_bytes: [u8; 16] = body.as_slice().try_into().map_err(|_| {
            Failure::Unusable(format!("an AES-128 key of {} bytes, not 16", body.len()))
        })?;
        keys.insert(key.uri.clone(), key_bytes);
    }
    Ok(keys)
}

/// One segment as it goes into the file: fetched (tried again when that fails transiently)
/// and decrypted.
async fn fetch_segment(
    session: Session<'_>,
    segment: &Segment,
    keys: &Keys,
) -> Result<Vec<u8>, Failure> {
    let mut attempt = 0;
    let mut body = loop {
        let answer = session
            .body(&segment.uri, SEGMENT_CAP)
            .await
            .and_then(|(_, body)| {
                // A segment holds at least one MPEG-TS packet; an empty answer is a broken one.
                if body.is_empty() {
                    Err(Failure::Transport(format!(
                        "segment {} arrived empty",
                        segment.sequence
                    )))
                } else {
                    Ok(body)
                }
            });
        match answer {
            Err(failure) if failure.is_transient() && attempt < RETRIES => {
                session.pause(backoff(attempt)).await?;
                attempt += 1;
            }
            answer => break answer?,
        }
    };
    let (Some(key), Some(iv)) = (segment.key.as_ref(), hls::iv_for(segment)) else {
        return Ok(body);
    };
    let key = keys
        .get(&key.uri)
        .ok_or_else(|| Failure::Unusable("a segment whose key was not fetched".into()))?;
    let plain = cbc::Decryptor::<aes::Aes128>::new(key.into(), &iv.into())
        .decrypt_padded::<Pkcs7>(&mut body)
        .map_err(|_| {
            Failure::Unusable(format!(
                "segment {} does not decrypt with its AES-128 key",
                segment.sequence
            ))
        })?
        .len();
    body.truncate(plain);
    Ok(body)
}
