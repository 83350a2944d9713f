//! A queue item as `queue_items_v1` keeps it: one flat JSON record, the shape every earlier
//! version wrote (so a database of any of them opens), turned into the domain's
//! [`QueueItem`] with its typed states and back.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::catalogue::Language;
use crate::domain::episode::EpisodeId;
use crate::domain::queue::{
    Grab, ItemId, ItemParts, ItemState, LastAttempt, NewItem, Origin, Partial, Priority, Progress,
    QueueItem, Source,
};
use crate::domain::series::SeriesKey;

/// The status names records carry; `paused` was never written but is read as pending.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum RecordStatus {
    Pending,
    Downloading,
    Paused,
    Completed,
    Failed,
    Cancelled,
}

/// The stored record of a queue item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(super) struct QueueRecord {
    id: ItemId,
    series: SeriesKey,
    folder: String,
    series_name: String,
    episode: EpisodeId,
    title: Option<String>,
    status: RecordStatus,
    priority: Priority,
    position: i64,
    origin: Origin,
    added_at: DateTime<Utc>,
    started_at: Option<DateTime<Utc>>,
    completed_at: Option<DateTime<Utc>>,
    progress: Option<Progress>,
    error: Option<String>,
    retry_count: u32,
    #[serde(default)]
    auto_retries: u32,
    #[serde(default)]
    not_before: Option<DateTime<Utc>>,
    source_url: Option<String>,
    #[serde(default)]
    hoster: Option<String>,
    #[serde(default)]
    language: Option<Language>,
    #[serde(default)]
    partial: Option<Partial>,
    #[serde(default)]
    file: Option<String>,
    #[serde(default)]
    transfer_ms: u64,
    #[serde(default)]
    upgrade_from: Option<Language>,
    #[serde(default)]
    upgrade_to: Vec<Language>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    grab: Option<Grab>,
}

impl From<&QueueItem> for QueueRecord {
    fn from(item: &QueueItem) -> Self {
        let status = match item.state() {
            ItemState::Pending { .. } => RecordStatus::Pending,
            ItemState::Downloading { .. } => RecordStatus::Downloading,
            ItemState::Completed { .. } => RecordStatus::Completed,
            ItemState::Failed { .. } => RecordStatus::Failed,
            ItemState::Cancelled => RecordStatus::Cancelled,
        };
        let source = item.source();
        Self {
            id: item.id(),
            series: item.series().clone(),
            folder: item.folder().to_owned(),
            series_name: item.series_name().to_owned(),
            episode: item.episode(),
            title: item.title().map(str::to_owned),
            status,
            priority: item.priority(),
            position: item.position(),
            origin: item.origin(),
            added_at: item.added_at(),
            started_at: item.started_at(),
            completed_at: item.completed_at(),
            progress: item.progress().copied(),
            error: item.error().map(str::to_owned),
            retry_count: item.retry_count(),
            auto_retries: item.auto_retries(),
            not_before: item.not_before(),
            source_url: source.url.clone(),
            hoster: source.hoster.clone(),
            language: source.language,
            partial: item.partial(),
            file: item.file().map(str::to_owned),
            transfer_ms: item.transfer_ms(),
            upgrade_from: item.upgrade_from(),
            upgrade_to: item.upgrade_to().to_vec(),
            grab: item.grab().cloned(),
        }
    }
}

impl From<QueueRecord> for QueueItem {
    /// Each state takes what it holds from the record; a record missing a state's data (which
    /// no version wrote) gets the nearest value rather than failing the whole queue.
    fn from(r: QueueRecord) -> Self {
        let (state, last_error) = match r.status {
            RecordStatus::Pending | RecordStatus::Paused => (
                ItemState::Pending {
                    not_before: r.not_before,
                    partial: r.partial,
                },
                r.error,
            ),
            RecordStatus::Downloading => (
                ItemState::Downloading {
                    started_at: r.started_at.unwrap_or(r.added_at),
                    progress: r.progress,
                    partial: r.partial,
                },
                r.error,
            ),
            RecordStatus::Completed => (
                ItemState::Completed {
                    file: r.file.unwrap_or_default(),
                    at: r.completed_at.unwrap_or(r.added_at),
                },
                r.error,
            ),
            RecordStatus::Failed => (
                ItemState::Failed {
                    error: r.error.unwrap_or_default(),
                    at: r.completed_at.unwrap_or(r.added_at),
                },
                None,
            ),
            RecordStatus::Cancelled => (ItemState::Cancelled, r.error),
        };
        let downloading = matches!(state, ItemState::Downloading { .. });
        QueueItem::restore(ItemParts {
            id: r.id,
            new: NewItem {
                series: r.series,
                folder: r.folder,
                series_name: r.series_name,
                episode: r.episode,
                title: r.title,
                priority: r.priority,
                origin: r.origin,
            },
            position: r.position,
            added_at: r.added_at,
            state,
            last: LastAttempt {
                started_at: r.started_at,
                progress: if downloading { None } else { r.progress },
                error: last_error,
            },
            retry_count: r.retry_count,
            auto_retries: r.auto_retries,
            source: Source {
                url: r.source_url,
                hoster: r.hoster,
                language: r.language,
            },
            transfer_ms: r.transfer_ms,
            upgrade_from: r.upgrade_from,
            upgrade_to: r.upgrade_to,
            grab: r.grab,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A record as issue 16's version wrote it: a failed upgrade with a partial file.
    const FAILED: &str = r#"{"id":"6f1c2b9e-4d2a-4c8e-9d61-0b7f3c2e5a10","series":"dr-stone",
        "folder":"Dr. Stone (2019)","series_name":"Dr. Stone","episode":{"season":1,"episode":3},
        "title":null,"status":"failed","priority":"HIGH","position":4,"origin":"upgrade",
        "added_at":"2026-12-01T10:00:00Z","started_at":"2026-12-01T10:01:00Z",
        "completed_at":"2026-12-01T10:02:00Z","progress":null,"error":"all hosters failed",
        "retry_count":3,"auto_retries":3,"not_before":null,"source_url":"https://voe.sx/e/x",
        "hoster":"VOE","language":"German Dub","partial":null,"file":null,"transfer_ms":1200,
        "upgrade_from":"German Sub","upgrade_to":["German Dub"]}"#;

    #[test]
    fn a_record_of_an_earlier_version_reads_into_its_state_and_back_unchanged() {
        let record: QueueRecord = serde_json::from_str(FAILED).unwrap();
        let item = QueueItem::from(record.clone());
        assert_eq!(
            item.state(),
            &ItemState::Failed {
                error: "all hosters failed".into(),
                at: "2026-12-01T10:02:00Z".parse().unwrap(),
            }
        );
        assert_eq!(item.started_at(), record.started_at);
        assert_eq!(item.upgrade_to(), [Language::GermanDub]);
        assert_eq!(QueueRecord::from(&item), record);
    }

    #[test]
    fn a_paused_record_is_read_as_pending_with_its_checkpoint() {
        let paused = FAILED
            .replace(r#""status":"failed""#, r#""status":"paused""#)
            .replace(
                r#""partial":null"#,
                r#""partial":{"kind":"direct","bytes":100,"total":1000}"#,
            );
        let item = QueueItem::from(serde_json::from_str::<QueueRecord>(&paused).unwrap());
        assert!(item.is_ready("2026-12-02T00:00:00Z".parse().unwrap()));
        assert_eq!(item.partial().map(|p| p.bytes()), Some(100));
        assert_eq!(item.error(), Some("all hosters failed"));
    }
}
