//! A torrent as qBittorrent shows it, made from a queue item Sonarr added. Completed is
//! `pausedUP`, so Sonarr imports the file at `content_path` (which differs from `save_path`)
//! and may remove it afterwards; a stopped queue is `pausedDL`, a waiting retry `stalledDL`.

use serde::Serialize;

use crate::domain::queue::{ItemState, QueueItem};
use crate::domain::release::{EPISODE_SIZE_ESTIMATE, FILM_SIZE_ESTIMATE};

/// qBittorrent's "unknown" ETA: 100 days.
const ETA_UNKNOWN: u64 = 8_640_000;

/// One torrent as `torrents/info` shows it: what Sonarr and the clients read, then what
/// qBittorrent also writes, with its values for a torrent that seeds nothing. Borrowed from
/// the item and written straight to JSON (a thousand of them are one answer).
#[derive(Serialize)]
pub(super) struct Torrent<'a> {
    pub(super) hash: &'a str,
    pub(super) infohash_v1: &'a str,
    pub(super) infohash_v2: &'static str,
    pub(super) name: &'a str,
    pub(super) size: u64,
    pub(super) total_size: u64,
    pub(super) progress: f64,
    pub(super) downloaded: u64,
    pub(super) completed: u64,
    pub(super) amount_left: u64,
    pub(super) dlspeed: u64,
    pub(super) upspeed: u8,
    pub(super) eta: u64,
    pub(super) state: &'static str,
    pub(super) category: &'a str,
    pub(super) tags: &'static str,
    pub(super) save_path: &'a str,
    pub(super) download_path: &'static str,
    pub(super) content_path: String,
    pub(super) root_path: String,
    pub(super) magnet_uri: String,
    pub(super) added_on: i64,
    pub(super) completion_on: i64,
    pub(super) last_activity: i64,
    pub(super) ratio: u8,
    pub(super) ratio_limit: i8,
    pub(super) seeding_time: u8,
    pub(super) seeding_time_limit: i8,
    pub(super) inactive_seeding_time_limit: i8,
    pub(super) max_ratio: i8,
    pub(super) max_seeding_time: i8,
    pub(super) num_seeds: u8,
    pub(super) num_leechs: u8,
    pub(super) num_complete: u8,
    pub(super) num_incomplete: u8,
    pub(super) priority: u8,
    pub(super) force_start: bool,
    pub(super) auto_tmm: bool,
    pub(super) seq_dl: bool,
    pub(super) super_seeding: bool,
    pub(super) tracker: &'static str,
    pub(super) trackers_count: u8,
    pub(super) error: Option<&'a str>,
}

/// The size, fraction done, speed, ETA and state of an item.
fn progress_of(item: &QueueItem, running: bool) -> (u64, f64, f64, u64, &'static str) {
    let estimate = if item.episode().season == 0 {
        FILM_SIZE_ESTIMATE
    } else {
        EPISODE_SIZE_ESTIMATE
    };
    let size = item
        .progress()
        .and_then(|p| p.total_bytes.or(Some(p.downloaded_bytes)))
        .filter(|s| *s > 0)
        .unwrap_or(estimate);
    let (state, fraction, speed, eta) = match item.state() {
        ItemState::Completed { .. } => ("pausedUP", 1.0, 0.0, 0),
        ItemState::Downloading { progress, .. } => {
            let p = progress.as_ref();
            (
                "downloading",
                p.map_or(0.0, |p| p.percent / 100.0),
                p.map_or(0.0, |p| p.bytes_per_second),
                p.and_then(|p| p.eta_seconds).unwrap_or(ETA_UNKNOWN),
            )
        }
        ItemState::Failed { .. } => ("error", 0.0, 0.0, ETA_UNKNOWN),
        ItemState::Pending { not_before, .. } => {
            let state = if !running {
                "pausedDL"
            } else if not_before.is_some() {
                "stalledDL"
            } else {
                "queuedDL"
            };
            (state, 0.0, 0.0, ETA_UNKNOWN)
        }
        ItemState::Cancelled => ("pausedDL", 0.0, 0.0, ETA_UNKNOWN),
    };
    (size, fraction, speed, eta, state)
}

pub(super) fn torrent<'a>(item: &'a QueueItem, save_path: &'a str, running: bool) -> Torrent<'a> {
    let grab = item.grab().expect("grabs hold grabs");
    let (size, fraction, speed, eta, state) = progress_of(item, running);
    let root_path = format!("{save_path}/{}", grab.title);
    let content_path = match item.file() {
        Some(file) => format!("{save_path}/{file}"),
        None => root_path.clone(),
    };
    let done = (size as f64 * fraction) as u64;
    Torrent {
        hash: grab.hash.as_str(),
        infohash_v1: grab.hash.as_str(),
        infohash_v2: "",
        name: &grab.title,
        size,
        total_size: size,
        progress: fraction,
        downloaded: done,
        completed: done,
        amount_left: size - done,
        dlspeed: speed as u64,
        upspeed: 0,
        eta,
        state,
        category: &grab.category,
        tags: "",
        save_path,
        download_path: "",
        content_path,
        root_path,
        magnet_uri: format!("magnet:?xt=urn:btih:{}", grab.hash),
        added_on: item.added_at().timestamp(),
        completion_on: item.completed_at().map_or(-1, |t| t.timestamp()),
        last_activity: item
            .completed_at()
            .or(item.started_at())
            .unwrap_or(item.added_at())
            .timestamp(),
        ratio: 0,
        ratio_limit: -2,
        seeding_time: 0,
        seeding_time_limit: -2,
        inactive_seeding_time_limit: -2,
        max_ratio: -1,
        max_seeding_time: -1,
        num_seeds: 1,
        num_leechs: 0,
        num_complete: 1,
        num_incomplete: 0,
        priority: 0,
        force_start: false,
        auto_tmm: false,
        seq_dl: false,
        super_seeding: false,
        tracker: "",
        trackers_count: 0,
        error: item.error(),
    }
}
