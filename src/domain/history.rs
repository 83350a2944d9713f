//! The activity history (INTEGRATIONS.md section 6): what happened to the library's downloads
//! and to the sites' health, one entry per event worth keeping, numbered by the event's
//! sequence number (so newest first is highest first). Pure: which events make an entry, and
//! what a query keeps.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::event::{DownloadRef, Event, EventKind};

/// What an entry records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HistoryEvent {
    /// An episode was queued (by the user, automatic downloads, an upgrade or Sonarr).
    Grab,
    /// An episode was downloaded.
    Download,
    /// A download failed for good (no retry left).
    Failure,
    /// A better language of an episode on disk replaced it.
    Upgrade,
    /// An item left the queue before it finished (removed or cancelled).
    Removal,
    /// The catalogue site or a hoster changed health.
    Health,
}

impl HistoryEvent {
    pub const ALL: [Self; 6] = [
        Self::Grab,
        Self::Download,
        Self::Failure,
        Self::Upgrade,
        Self::Removal,
        Self::Health,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Self::Grab => "grab",
            Self::Download => "download",
            Self::Failure => "failure",
            Self::Upgrade => "upgrade",
            Self::Removal => "removal",
            Self::Health => "health",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.name() == name.trim())
    }
}

/// One entry. Episode fields are set for the download events, `source` for health.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HistoryEntry {
    /// The event's sequence number: unique, increasing.
    pub id: u64,
    pub at: DateTime<Utc>,
    pub event: HistoryEvent,
    /// The series key.
    pub series: Option<String>,
    pub series_name: Option<String>,
    pub season: Option<u32>,
    pub episode: Option<u32>,
    /// The queue item.
    pub download_id: Option<String>,
    /// Who queued it: `user`, `auto`, `upgrade` or `arr`.
    pub origin: Option<String>,
    pub hoster: Option<String>,
    pub language: Option<String>,
    /// For an upgrade: the language it replaced.
    pub upgraded_from: Option<String>,
    /// The file, relative to the library (or to the `arr` folder).
    pub file: Option<String>,
    pub size_bytes: Option<u64>,
    /// How long the download took.
    pub duration_ms: Option<u64>,
    /// Why it failed, or why a source is not healthy.
    pub error: Option<String>,
    /// For health: `catalogue`, `catalogue:s.to` or `hoster:<name>`.
    pub source: Option<String>,
    /// For health: the new state (`healthy`, `failing`); for a removal, the item's status.
    pub status: Option<String>,
    /// For health: the state before.
    pub previous: Option<String>,
}

impl HistoryEntry {
    fn new(event: &Event, kind: HistoryEvent) -> Self {
        Self {
            id: event.seq,
            at: event.at,
            event: kind,
            series: None,
            series_name: None,
            season: None,
            episode: None,
            download_id: None,
            origin: None,
            hoster: None,
            language: None,
            upgraded_from: None,
            file: None,
            size_bytes: None,
            duration_ms: None,
            error: None,
            source: None,
            status: None,
            previous: None,
        }
    }

    fn about(mut self, item: &DownloadRef) -> Self {
        self.series = Some(item.key.clone());
        self.series_name = Some(item.series_name.clone());
        self.season = Some(item.season);
        self.episode = Some(item.episode);
        self.download_id = Some(item.download_id.clone());
        self
    }

    /// The entry an event makes, if it makes one: queued, downloaded (an upgrade where it
    /// replaced a file), failed for good, removed before finishing, a change of health.
    pub fn of(event: &Event) -> Option<Self> {
        let entry = match &event.kind {
            EventKind::DownloadAdded { item, origin, .. } => {
                let mut e = Self::new(event, HistoryEvent::Grab).about(item);
                e.origin = Some(origin.clone());
                e
            }
            EventKind::DownloadComplete {
                item,
                file,
                hoster,
                language,
                size_bytes,
                duration_ms,
                upgraded_from,
                origin,
                ..
            } => {
                let kind = if upgraded_from.is_some() {
                    HistoryEvent::Upgrade
                } else {
                    HistoryEvent::Download
                };
                let mut e = Self::new(event, kind).about(item);
                e.file = Some(file.clone());
                e.hoster.clone_from(hoster);
                e.language.clone_from(language);
                e.size_bytes = Some(*size_bytes);
                e.duration_ms = Some(*duration_ms);
                e.upgraded_from.clone_from(upgraded_from);
                e.origin = Some(origin.clone());
                e
            }
            EventKind::DownloadFailed {
                item,
                error,
                will_retry: false,
                ..
            } => {
                let mut e = Self::new(event, HistoryEvent::Failure).about(item);
                e.error = Some(error.clone());
                e
            }
            EventKind::DownloadRemoved { item, status } if status != "completed" => {
                let mut e = Self::new(event, HistoryEvent::Removal).about(item);
                e.status = Some(status.clone());
                e
            }
            EventKind::HealthChanged {
                source,
                status,
                previous,
                reason,
            } => {
                let mut e = Self::new(event, HistoryEvent::Health);
                e.source = Some(source.clone());
                e.status = Some(status.clone());
                e.previous = Some(previous.clone());
                e.error.clone_from(reason);
                e
            }
            _ => return None,
        };
        Some(entry)
    }
}

/// Which entries a query wants.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HistoryFilter {
    pub event: Option<HistoryEvent>,
    /// A series key.
    pub series: Option<String>,
}

impl HistoryFilter {
    pub fn keeps(&self, entry: &HistoryEntry) -> bool {
        self.event.is_none_or(|e| e == entry.event)
            && self
                .series
                .as_deref()
                .is_none_or(|s| entry.series.as_deref() == Some(s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item() -> DownloadRef {
        DownloadRef {
            download_id: "d1".into(),
            key: "dr-stone".into(),
            folder: "Dr. Stone (2019)".into(),
            series_name: "Dr. Stone".into(),
            season: 1,
            episode: 2,
        }
    }

    fn event(seq: u64, kind: EventKind) -> Event {
        Event {
            seq,
            at: DateTime::<Utc>::UNIX_EPOCH,
            kind,
        }
    }

    #[test]
    fn a_retried_failure_progress_and_a_cleared_completed_item_make_no_entry() {
        let retried = EventKind::DownloadFailed {
            item: item(),
            error: "x".into(),
            retry_count: 1,
            will_retry: true,
        };
        assert_eq!(HistoryEntry::of(&event(1, retried)), None);
        let cleared = EventKind::DownloadRemoved {
            item: item(),
            status: "completed".into(),
        };
        assert_eq!(HistoryEntry::of(&event(2, cleared)), None);
        let info = EventKind::SystemInfo {
            message: "hi".into(),
        };
        assert_eq!(HistoryEntry::of(&event(3, info)), None);
    }

    #[test]
    fn a_download_that_replaced_a_file_is_an_upgrade_with_what_it_took() {
        let done = EventKind::DownloadComplete {
            item: item(),
            file: "Dr. Stone (2019)/Season 01/x.mp4".into(),
            size_mb: 1.0,
            hoster: Some("VOE".into()),
            language: Some("German Dub".into()),
            size_bytes: 1_048_576,
            duration_ms: 5_000,
            upgraded_from: Some("German Sub".into()),
            origin: "upgrade".into(),
        };
        let entry = HistoryEntry::of(&event(7, done)).unwrap();
        assert_eq!(entry.event, HistoryEvent::Upgrade);
        assert_eq!(entry.id, 7);
        assert_eq!(
            (entry.series.as_deref(), entry.season, entry.episode),
            (Some("dr-stone"), Some(1), Some(2))
        );
        assert_eq!(entry.size_bytes, Some(1_048_576));
        assert_eq!(entry.upgraded_from.as_deref(), Some("German Sub"));
        let filter = HistoryFilter {
            event: Some(HistoryEvent::Upgrade),
            series: Some("dr-stone".into()),
        };
        assert!(filter.keeps(&entry));
        let other = HistoryFilter {
            series: Some("one-piece".into()),
            ..HistoryFilter::default()
        };
        assert!(!other.keeps(&entry));
    }

    #[test]
    fn event_names_round_trip() {
        for e in HistoryEvent::ALL {
            assert_eq!(HistoryEvent::parse(e.name()), Some(e));
        }
        assert_eq!(HistoryEvent::parse("grabbed"), None);
    }
}
