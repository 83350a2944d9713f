//! The bodies of API.md section 4 and the Download Item model of section 9, with their
//! conversions from the queue's domain values. Sizes are in MiB ("MB") and speeds in MiB/s
//! ("mbps"), as the Python original reports them.

use chrono::{DateTime, Utc};
use poem_openapi::types::Example;
use poem_openapi::{Enum, Object};
use serde::Serialize;

use crate::app::queue::QueueView;
use crate::domain::queue::{self, Priority, Progress, QueueItem, QueueStatistics};

/// Bytes (or bytes per second) as MiB, to two decimals.
fn mib(bytes: f64) -> f64 {
    (queue::mib(bytes) * 100.0).round() / 100.0
}

/// HIGH before NORMAL before LOW.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "UPPERCASE")]
pub enum PriorityDto {
    Low,
    Normal,
    High,
}

impl From<PriorityDto> for Priority {
    fn from(p: PriorityDto) -> Self {
        match p {
            PriorityDto::Low => Self::Low,
            PriorityDto::Normal => Self::Normal,
            PriorityDto::High => Self::High,
        }
    }
}

/// An episode of a series (API.md section 9, "Episode Identifier").
#[derive(Debug, Clone, Object, Serialize)]
pub struct EpisodeDto {
    /// Season number; 0 holds the films.
    pub season: u32,
    pub episode: u32,
    #[oai(nullable)]
    pub title: Option<String>,
}

/// How far a download is (API.md section 9, "Download Progress").
#[derive(Debug, Clone, Object, Serialize)]
pub struct ProgressDto {
    /// 0 to 100.
    pub percent: f64,
    pub downloaded_mb: f64,
    /// The file's size where known (HLS: estimated from the segments so far).
    #[oai(nullable)]
    pub total_mb: Option<f64>,
    pub speed_mbps: f64,
    #[oai(nullable)]
    pub eta_seconds: Option<u64>,
}

impl From<&Progress> for ProgressDto {
    fn from(p: &Progress) -> Self {
        Self {
            percent: p.percent,
            downloaded_mb: mib(p.downloaded_bytes as f64),
            total_mb: p.total_bytes.map(|b| mib(b as f64)),
            speed_mbps: mib(p.bytes_per_second),
            eta_seconds: p.eta_seconds,
        }
    }
}

/// One queue item (API.md section 9, "Download Item").
#[derive(Debug, Clone, Object, Serialize)]
#[oai(example)]
pub struct DownloadItemDto {
    /// UUID.
    pub id: String,
    /// The series key.
    pub serie_id: String,
    pub serie_folder: String,
    pub serie_name: String,
    pub episode: EpisodeDto,
    /// pending, downloading, paused, completed, failed or cancelled.
    pub status: String,
    /// LOW, NORMAL or HIGH.
    pub priority: String,
    #[serde(serialize_with = "crate::adapters::http::json_body::rfc3339")]
    pub added_at: DateTime<Utc>,
    #[oai(nullable)]
    #[serde(serialize_with = "crate::adapters::http::json_body::rfc3339_or_null")]
    pub started_at: Option<DateTime<Utc>>,
    #[oai(nullable)]
    #[serde(serialize_with = "crate::adapters::http::json_body::rfc3339_or_null")]
    pub completed_at: Option<DateTime<Utc>>,
    #[oai(nullable)]
    pub progress: Option<ProgressDto>,
    /// Why the last attempt failed: each hoster tried, its language and the reason.
    #[oai(nullable)]
    pub error: Option<String>,
    pub retry_count: u32,
    /// The hoster embed page the episode is downloaded from.
    #[oai(nullable)]
    pub source_url: Option<String>,
    /// The hoster used (or being tried).
    #[oai(nullable)]
    pub hoster: Option<String>,
    /// The language downloaded: German Dub, German Sub, English Sub or English Dub.
    #[oai(nullable)]
    pub language: Option<String>,
    /// The file once completed, relative to the anime directory (for an `arr` item, to the
    /// `arr` folder, `downloads.arr_path`).
    #[oai(nullable)]
    pub file: Option<String>,
    /// `user` (added through the API), `auto` (automatic downloads), `upgrade` (a better
    /// language of a file on disk, replacing it once downloaded) or `arr` (Sonarr, through
    /// the qBittorrent API: downloaded for Sonarr to import, not into the library).
    pub origin: String,
    /// For an `arr` item: the release title Sonarr grabbed (its folder's and file's name).
    #[oai(nullable)]
    pub release: Option<String>,
    /// For an upgrade: the language of the file it replaces.
    #[oai(nullable)]
    pub upgrade_from: Option<String>,
    /// When a waiting retry is due.
    #[oai(nullable)]
    #[serde(serialize_with = "crate::adapters::http::json_body::rfc3339_or_null")]
    pub retry_at: Option<DateTime<Utc>>,
}

impl From<&QueueItem> for DownloadItemDto {
    fn from(i: &QueueItem) -> Self {
        Self {
            id: i.id().to_string(),
            serie_id: i.series().to_string(),
            serie_folder: i.folder().to_owned(),
            serie_name: i.series_name().to_owned(),
            episode: EpisodeDto {
                season: i.episode().season,
                episode: i.episode().episode,
                title: i.title().map(str::to_owned),
            },
            status: i.status().name().to_owned(),
            priority: i.priority().name().to_owned(),
            added_at: i.added_at(),
            started_at: i.started_at(),
            completed_at: i.completed_at(),
            progress: i.progress().map(ProgressDto::from),
            error: i.error().map(str::to_owned),
            retry_count: i.retry_count(),
            source_url: i.source().url.clone(),
            hoster: i.source().hoster.clone(),
            language: i.source().language.map(|l| l.name().to_owned()),
            file: i.file().map(str::to_owned),
            origin: crate::app::queue::origin_name(i.origin()).into(),
            release: i.grab().map(|g| g.title.clone()),
            upgrade_from: i.upgrade_from().map(|l| l.name().to_owned()),
            retry_at: i.not_before(),
        }
    }
}

impl Example for DownloadItemDto {
    fn example() -> Self {
        let at = DateTime::parse_from_rfc3339("2025-12-13T10:00:00Z")
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_default();
        Self {
            id: "0b9c5c3e-6f1d-4c57-9d2a-3e1f0e7c2b11".into(),
            serie_id: "attack-on-titan".into(),
            serie_folder: "Attack on Titan (2013)".into(),
            serie_name: "Attack on Titan".into(),
            episode: EpisodeDto {
                season: 1,
                episode: 1,
                title: Some("To You, in 2000 Years".into()),
            },
            status: "downloading".into(),
            priority: "NORMAL".into(),
            added_at: at,
            started_at: Some(at),
            completed_at: None,
            progress: Some(ProgressDto {
                percent: 45.2,
                downloaded_mb: 256.0,
                total_mb: Some(512.0),
                speed_mbps: 2.5,
                eta_seconds: Some(180),
            }),
            error: None,
            retry_count: 0,
            source_url: Some("https://voe.sx/e/abc123".into()),
            hoster: Some("VOE".into()),
            language: Some("German Dub".into()),
            file: None,
            origin: "user".into(),
            release: None,
            upgrade_from: None,
            retry_at: None,
        }
    }
}

/// The queue's sections.
#[derive(Debug, Object, Serialize)]
pub struct QueueStatusDto {
    /// Whether workers take new items.
    pub is_running: bool,
    /// Whether the user paused the queue.
    pub is_paused: bool,
    pub active_downloads: Vec<DownloadItemDto>,
    /// In the order workers will take them.
    pub pending_queue: Vec<DownloadItemDto>,
    pub completed_downloads: Vec<DownloadItemDto>,
    pub failed_downloads: Vec<DownloadItemDto>,
}

/// Numbers computed from the queue's items.
#[derive(Debug, Object, Serialize)]
pub struct QueueStatisticsDto {
    pub total_items: u64,
    pub pending_count: u64,
    pub active_count: u64,
    pub completed_count: u64,
    pub failed_count: u64,
    /// Completed files and the parts of unfinished ones, in MiB.
    pub total_downloaded_mb: f64,
    /// MiB/s: the running transfers together, else the average of past ones.
    pub average_speed_mbps: f64,
    /// Seconds until the remaining work is done; null when it cannot be estimated yet.
    #[oai(nullable)]
    pub estimated_time_remaining: Option<u64>,
}

impl From<&QueueStatistics> for QueueStatisticsDto {
    fn from(s: &QueueStatistics) -> Self {
        Self {
            total_items: s.total_items as u64,
            pending_count: s.pending_count as u64,
            active_count: s.active_count as u64,
            completed_count: s.completed_count as u64,
            failed_count: s.failed_count as u64,
            total_downloaded_mb: mib(s.downloaded_bytes as f64),
            average_speed_mbps: mib(s.bytes_per_second),
            estimated_time_remaining: s.eta_seconds,
        }
    }
}

/// `GET /api/queue/status`.
#[derive(Debug, Object, Serialize)]
#[oai(example)]
pub struct QueueStatusResponse {
    pub status: QueueStatusDto,
    pub statistics: QueueStatisticsDto,
}

impl From<&QueueView> for QueueStatusResponse {
    fn from(v: &QueueView) -> Self {
        let items = |list: &[QueueItem]| list.iter().map(DownloadItemDto::from).collect();
        Self {
            status: QueueStatusDto {
                is_running: v.is_running,
                is_paused: v.is_paused,
                active_downloads: items(&v.active),
                pending_queue: items(&v.pending),
                completed_downloads: items(&v.completed),
                failed_downloads: items(&v.failed),
            },
            statistics: QueueStatisticsDto::from(&v.statistics),
        }
    }
}

impl Example for QueueStatusResponse {
    fn example() -> Self {
        let item = DownloadItemDto::example();
        Self {
            status: QueueStatusDto {
                is_running: true,
                is_paused: false,
                active_downloads: vec![item],
                pending_queue: vec![],
                completed_downloads: vec![],
                failed_downloads: vec![],
            },
            statistics: QueueStatisticsDto {
                total_items: 1,
                pending_count: 0,
                active_count: 1,
                completed_count: 0,
                failed_count: 0,
                total_downloaded_mb: 256.0,
                average_speed_mbps: 2.5,
                estimated_time_remaining: Some(102),
            },
        }
    }
}
