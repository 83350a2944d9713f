//! The download queue as Sonarr's queue resource: `/api/v3/queue` and
//! `/api/v3/queue/details`. Every item that is not cancelled, whatever put it there (the
//! user, automatic downloads, upgrades): downloading first, then pending in the order workers
//! take them, then failed and completed. States map onto Sonarr's: pending is `queued`
//! (`paused` while the queue is paused) and still to download; a completed item is in the
//! library already, so Sonarr's "imported"; a failed one failed for good (an `error`), while
//! a pending one whose last attempt failed waits for its retry (a `warning`).

use chrono::{DateTime, Duration, Utc};
use poem_openapi::Object;

use super::library::episode_title;
use crate::app::queue::QueueView;
use crate::domain::arr_id;
use crate::domain::queue::{QueueItem, Status};

/// One queue item.
#[derive(Debug, Object)]
#[oai(rename = "SonarrQueueRecord", rename_all = "camelCase")]
pub struct QueueRecord {
    /// The item's number, from its UUID (`downloadId`).
    pub id: i32,
    pub series_id: i32,
    pub episode_id: i32,
    pub season_number: u32,
    /// `<series> - S01E05`.
    pub title: String,
    /// Bytes of the file where known (so far), else 0.
    pub size: f64,
    /// Bytes still to download.
    pub sizeleft: f64,
    /// Time left as `hh:mm:ss` (`d.hh:mm:ss` beyond a day), while a download's is known.
    #[oai(skip_serializing_if_is_none)]
    pub timeleft: Option<String>,
    #[oai(skip_serializing_if_is_none)]
    pub estimated_completion_time: Option<DateTime<Utc>>,
    pub added: DateTime<Utc>,
    /// `queued`, `paused`, `downloading`, `completed` or `failed`.
    pub status: String,
    /// `ok`, `warning` (the last attempt failed, a retry waits) or `error` (failed).
    pub tracked_download_status: String,
    /// `downloading` (also while queued), `imported` or `failed`.
    pub tracked_download_state: String,
    /// Why the item (or its last attempt) failed.
    #[oai(skip_serializing_if_is_none)]
    pub error_message: Option<String>,
    /// The item's UUID in the product's own queue API.
    pub download_id: String,
    pub episode: QueueEpisode,
}

/// The episode of a queue item.
#[derive(Debug, Object)]
#[oai(rename = "SonarrQueueEpisode", rename_all = "camelCase")]
pub struct QueueEpisode {
    pub id: i32,
    pub series_id: i32,
    pub season_number: u32,
    pub episode_number: u32,
    pub title: String,
}

/// Every item of the queue that is not cancelled, in the queue's order.
pub fn records(view: &QueueView, now: DateTime<Utc>) -> Vec<QueueRecord> {
    [&view.active, &view.pending, &view.failed, &view.completed]
        .into_iter()
        .flatten()
        .filter(|item| item.status() != Status::Cancelled)
        .map(|item| record(item, view.is_paused, now))
        .collect()
}

/// Sonarr's `status`, `trackedDownloadStatus` and `trackedDownloadState` of an item.
fn states(item: &QueueItem, paused: bool) -> (&'static str, &'static str, &'static str) {
    match item.status() {
        Status::Pending => {
            let status = if paused { "paused" } else { "queued" };
            let health = if item.error().is_some() {
                "warning"
            } else {
                "ok"
            };
            (status, health, "downloading")
        }
        Status::Downloading => ("downloading", "ok", "downloading"),
        // A release Sonarr grabbed waits for Sonarr to import it; the library's own are in
        // place.
        Status::Completed if item.grab().is_some() => ("completed", "ok", "importPending"),
        Status::Completed => ("completed", "ok", "imported"),
        Status::Failed | Status::Cancelled => ("failed", "error", "failed"),
    }
}

fn record(item: &QueueItem, paused: bool, now: DateTime<Utc>) -> QueueRecord {
    let (key, episode) = (item.series(), item.episode());
    let (status, health, state) = states(item, paused);
    let progress = item.progress();
    let done = progress.map_or(0, |p| p.downloaded_bytes);
    let size = progress.and_then(|p| p.total_bytes).unwrap_or(done);
    let eta = progress
        .and_then(|p| p.eta_seconds)
        .filter(|_| item.status() == Status::Downloading);
    let title = item
        .title()
        .map_or_else(|| episode_title(episode), str::to_owned);
    QueueRecord {
        id: arr_id::queue_item_id(item.id()),
        series_id: arr_id::series_id(key),
        episode_id: arr_id::episode_id(key, episode),
        season_number: episode.season,
        title: format!("{} - {}", item.series_name(), episode.tag()),
        size: size as f64,
        sizeleft: size.saturating_sub(done) as f64,
        timeleft: eta.map(timeleft),
        estimated_completion_time: eta
            .and_then(|s| i64::try_from(s).ok())
            .and_then(|s| now.checked_add_signed(Duration::seconds(s))),
        added: item.added_at(),
        status: status.into(),
        tracked_download_status: health.into(),
        tracked_download_state: state.into(),
        error_message: item.error().filter(|_| health != "ok").map(str::to_owned),
        download_id: item.id().to_string(),
        episode: QueueEpisode {
            id: arr_id::episode_id(key, episode),
            series_id: arr_id::series_id(key),
            season_number: episode.season,
            episode_number: episode.episode,
            title,
        },
    }
}

/// Seconds as .NET writes a `TimeSpan`, as Sonarr's clients read it: `01:02:03`, and with
/// days `2.01:02:03`.
fn timeleft(seconds: u64) -> String {
    let (days, rest) = (seconds / 86_400, seconds % 86_400);
    let hms = format!(
        "{:02}:{:02}:{:02}",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    );
    if days == 0 {
        hms
    } else {
        format!("{days}.{hms}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::episode::EpisodeId;
    use crate::domain::queue::{NewItem, Origin, Priority};
    use crate::domain::series::SeriesKey;

    fn item() -> QueueItem {
        let new = NewItem {
            series: SeriesKey::parse("one-piece").unwrap(),
            folder: "One Piece (1999)".into(),
            series_name: "One Piece".into(),
            episode: EpisodeId::new(1, 5),
            title: None,
            priority: Priority::Normal,
            origin: Origin::Auto,
        };
        QueueItem::new(new, 0, Utc::now())
    }

    fn states_of(item: &QueueItem, paused: bool) -> (String, String, String, Option<String>) {
        let r = record(item, paused, Utc::now());
        let error = r.error_message;
        (
            r.status,
            r.tracked_download_status,
            r.tracked_download_state,
            error,
        )
    }

    fn strings(
        a: &str,
        b: &str,
        c: &str,
        e: Option<&str>,
    ) -> (String, String, String, Option<String>) {
        (a.into(), b.into(), c.into(), e.map(str::to_owned))
    }

    #[test]
    fn each_state_maps_onto_sonarrs() {
        let now = Utc::now();
        let mut it = item();
        assert_eq!(
            states_of(&it, false),
            strings("queued", "ok", "downloading", None)
        );
        assert_eq!(
            states_of(&it, true),
            strings("paused", "ok", "downloading", None)
        );
        it.start(now).unwrap();
        assert_eq!(
            states_of(&it, false),
            strings("downloading", "ok", "downloading", None)
        );
        it.retry_later("VOE: HTTP 503".into(), now).unwrap();
        let waiting = strings("queued", "warning", "downloading", Some("VOE: HTTP 503"));
        assert_eq!(states_of(&it, false), waiting);
        it.start(now).unwrap();
        it.fail("every hoster failed".into(), now).unwrap();
        let failed = strings("failed", "error", "failed", Some("every hoster failed"));
        assert_eq!(states_of(&it, false), failed);
        let mut done = item();
        done.start(now).unwrap();
        done.complete("One Piece (1999)/x.mp4".into(), now).unwrap();
        assert_eq!(
            states_of(&done, false),
            strings("completed", "ok", "imported", None)
        );
    }

    #[test]
    fn a_record_names_its_series_and_episode_by_the_numbers_used_everywhere() {
        let it = item();
        let r = record(&it, false, Utc::now());
        let key = SeriesKey::parse("one-piece").unwrap();
        assert_eq!(r.series_id, arr_id::series_id(&key));
        assert_eq!(r.episode_id, arr_id::episode_id(&key, EpisodeId::new(1, 5)));
        assert_eq!(
            (r.episode.id, r.episode.series_id),
            (r.episode_id, r.series_id)
        );
        assert_eq!(r.id, arr_id::queue_item_id(it.id()));
        assert_eq!(r.title, "One Piece - S01E05");
        assert_eq!(r.episode.title, "Episode 5");
        assert_eq!((r.size, r.sizeleft, r.timeleft), (0.0, 0.0, None));
    }

    #[test]
    fn time_left_is_written_as_a_dotnet_time_span() {
        assert_eq!(timeleft(0), "00:00:00");
        assert_eq!(timeleft(3723), "01:02:03");
        assert_eq!(timeleft(86_399), "23:59:59");
        assert_eq!(timeleft(2 * 86_400 + 61), "2.00:01:01");
    }
}
