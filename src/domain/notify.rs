//! What the connections are told (INTEGRATIONS.md section 5): a message made from an event,
//! and the outbox entry that holds it until its connection took it. Pure: which events make a
//! message, what it says, how long a failed send waits before the next try.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use super::connection::ConnEvent;
use super::event::{Event, EventKind};

/// How long a message is tried before it is given up.
pub fn give_up_after() -> Duration {
    Duration::hours(24)
}

/// The wait before try `attempt` + 1: 10 s, doubling, at most an hour.
pub fn retry_delay(attempt: u32) -> Duration {
    Duration::seconds(10 * 2_i64.pow(attempt.min(9))).min(Duration::hours(1))
}

/// The series a message is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageSeries {
    pub key: String,
    pub title: String,
    /// The series folder, absolute (where the library is known).
    pub path: String,
}

/// The downloaded file a message tells of.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageFile {
    /// Absolute.
    pub path: String,
    /// Relative to the series folder.
    pub relative_path: String,
    pub language: Option<String>,
}

/// One thing to tell.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    pub event: ConnEvent,
    pub at: DateTime<Utc>,
    /// One line: "Downloaded: Dr. Stone S01E05".
    pub title: String,
    /// What else there is to say.
    pub body: String,
    pub series: Option<MessageSeries>,
    /// `(season, episode)`.
    pub episodes: Vec<(u32, u32)>,
    pub file: Option<MessageFile>,
    pub is_upgrade: bool,
    pub download_id: Option<String>,
    /// For health: the source is healthy again.
    pub restored: bool,
    /// Downloaded into the library (not Sonarr's folder): what media servers refresh.
    pub in_library: bool,
    /// Other files of the same series folder sent with this one (a media server is told of
    /// a season's downloads at once).
    #[serde(default)]
    pub also: Vec<MessageFile>,
}

/// A message waiting for its connection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxEntry {
    /// Increasing: the order messages were made in.
    pub id: u64,
    pub connection_id: String,
    pub message: Message,
    pub attempts: u32,
    pub next_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
}

fn tag(season: u32, episode: u32) -> String {
    format!("S{season:02}E{episode:02}")
}

impl Message {
    fn new(event: ConnEvent, at: DateTime<Utc>, title: String, body: String) -> Self {
        Self {
            event,
            at,
            title,
            body,
            series: None,
            episodes: Vec::new(),
            file: None,
            is_upgrade: false,
            download_id: None,
            restored: false,
            in_library: false,
            also: Vec::new(),
        }
    }

    /// The Test button's message.
    pub fn test(at: DateTime<Utc>) -> Self {
        Self::new(
            ConnEvent::Test,
            at,
            "Test from aniworld".into(),
            "This connection works.".into(),
        )
    }

    /// The message an event makes, if any: grab, download, failure for good, health.
    /// `anime_dir` is the library's root, for absolute paths.
    pub fn of(event: &Event, anime_dir: Option<&str>) -> Option<Self> {
        let root = anime_dir.unwrap_or("").trim_end_matches('/');
        let (kind, item, title, body) = match &event.kind {
            EventKind::DownloadAdded { item, origin, .. } => {
                let who = if origin == "arr" {
                    "Sonarr"
                } else {
                    origin.as_str()
                };
                let name = format!("{} {}", item.series_name, tag(item.season, item.episode));
                (
                    ConnEvent::Grab,
                    item,
                    format!("Queued: {name}"),
                    format!("Queued by {who}."),
                )
            }
            EventKind::DownloadComplete {
                item,
                hoster,
                language,
                size_mb,
                upgraded_from,
                ..
            } => {
                let name = format!("{} {}", item.series_name, tag(item.season, item.episode));
                let mut body = format!(
                    "{} from {}, {size_mb:.1} MiB.",
                    language.as_deref().unwrap_or("?"),
                    hoster.as_deref().unwrap_or("?")
                );
                if let Some(from) = upgraded_from {
                    body = format!("Upgraded from {from}: {body}");
                }
                (
                    ConnEvent::Download,
                    item,
                    format!("Downloaded: {name}"),
                    body,
                )
            }
            EventKind::DownloadFailed {
                item,
                error,
                will_retry: false,
                ..
            } => {
                let name = format!("{} {}", item.series_name, tag(item.season, item.episode));
                (
                    ConnEvent::Failure,
                    item,
                    format!("Failed: {name}"),
                    error.clone(),
                )
            }
            EventKind::HealthChanged {
                source,
                status,
                reason,
                ..
            } => {
                let mut m = Self::new(
                    ConnEvent::Health,
                    event.at,
                    format!("{source} is {status}"),
                    reason.clone().unwrap_or_default(),
                );
                m.restored = status == "healthy";
                return Some(m);
            }
            EventKind::NewEpisodes {
                key,
                folder,
                series_name,
                episodes,
            } => {
                let tags: Vec<String> = episodes.iter().map(|&(s, e)| tag(s, e)).collect();
                let shown = tags.iter().take(10).cloned().collect::<Vec<_>>().join(", ");
                let more = tags.len().saturating_sub(10);
                let body = if more > 0 {
                    format!("{shown} and {more} more are on the site and not in the library.")
                } else {
                    format!("{shown} on the site and not in the library.")
                };
                let mut m = Self::new(
                    ConnEvent::NewEpisodes,
                    event.at,
                    format!("New episodes: {series_name}"),
                    body,
                );
                m.series = Some(MessageSeries {
                    key: key.clone(),
                    title: series_name.clone(),
                    path: format!("{root}/{folder}"),
                });
                m.episodes.clone_from(episodes);
                return Some(m);
            }
            _ => return None,
        };
        let mut m = Self::new(kind, event.at, title, body);
        let folder = format!("{root}/{}", item.folder);
        m.series = Some(MessageSeries {
            key: item.key.clone(),
            title: item.series_name.clone(),
            path: folder.clone(),
        });
        m.episodes = vec![(item.season, item.episode)];
        m.download_id = Some(item.download_id.clone());
        if let EventKind::DownloadComplete {
            file,
            language,
            upgraded_from,
            origin,
            ..
        } = &event.kind
        {
            m.is_upgrade = upgraded_from.is_some();
            m.in_library = origin != "arr" && !root.is_empty();
            let relative = file
                .strip_prefix(&format!("{}/", item.folder))
                .unwrap_or(file)
                .to_owned();
            m.file = Some(MessageFile {
                path: format!("{root}/{file}"),
                relative_path: relative,
                language: language.clone(),
            });
        }
        Some(m)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::event::DownloadRef;

    fn item() -> DownloadRef {
        DownloadRef {
            download_id: "d1".into(),
            key: "dr-stone".into(),
            folder: "Dr. Stone (2019)".into(),
            series_name: "Dr. Stone".into(),
            season: 1,
            episode: 5,
        }
    }

    #[test]
    fn new_episodes_name_the_series_and_each_episode() {
        let event = Event {
            seq: 9,
            at: DateTime::<Utc>::UNIX_EPOCH,
            kind: EventKind::NewEpisodes {
                key: "dr-stone".into(),
                folder: "Dr. Stone (2019)".into(),
                series_name: "Dr. Stone".into(),
                episodes: vec![(4, 1), (4, 2)],
            },
        };
        let m = Message::of(&event, Some("/srv/anime")).unwrap();
        assert_eq!(m.event, ConnEvent::NewEpisodes);
        assert_eq!(m.title, "New episodes: Dr. Stone");
        assert!(
            m.body.starts_with("S04E01, S04E02 on the site"),
            "{}",
            m.body
        );
        assert_eq!(m.episodes, vec![(4, 1), (4, 2)]);
        assert_eq!(m.series.unwrap().path, "/srv/anime/Dr. Stone (2019)");
        assert!(m.file.is_none() && !m.in_library);
    }

    #[test]
    fn a_download_tells_its_series_folder_and_file_as_absolute_paths() {
        let event = Event {
            seq: 3,
            at: DateTime::<Utc>::UNIX_EPOCH,
            kind: EventKind::DownloadComplete {
                item: item(),
                file: "Dr. Stone (2019)/Season 01/Dr. Stone (2019) - S01E05.mp4".into(),
                size_mb: 12.0,
                hoster: Some("VOE".into()),
                language: Some("German Dub".into()),
                size_bytes: 12 << 20,
                duration_ms: 1000,
                upgraded_from: None,
                origin: "user".into(),
            },
        };
        let m = Message::of(&event, Some("/srv/anime/")).unwrap();
        assert_eq!(m.event, ConnEvent::Download);
        assert_eq!(m.title, "Downloaded: Dr. Stone S01E05");
        assert_eq!(
            m.series.as_ref().unwrap().path,
            "/srv/anime/Dr. Stone (2019)"
        );
        let file = m.file.unwrap();
        assert_eq!(
            file.path,
            "/srv/anime/Dr. Stone (2019)/Season 01/Dr. Stone (2019) - S01E05.mp4"
        );
        assert_eq!(
            file.relative_path,
            "Season 01/Dr. Stone (2019) - S01E05.mp4"
        );
        assert!(m.in_library && !m.is_upgrade);
    }

    #[test]
    fn retries_wait_longer_each_time_up_to_an_hour() {
        assert_eq!(retry_delay(0), Duration::seconds(10));
        assert_eq!(retry_delay(1), Duration::seconds(20));
        assert_eq!(retry_delay(20), Duration::hours(1));
    }
}
