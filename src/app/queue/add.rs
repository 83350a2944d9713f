//! Adding episodes to the queue (`POST /api/queue/add`): the whole request checked first,
//! then each episode refused one by one (not on the catalogue, already queued, listed
//! twice) or added.

use std::collections::HashSet;

use chrono::{DateTime, Utc};

use super::{QueueError, QueueService, download_ref};
use crate::app::library::DownloadTarget;
use crate::domain::episode::EpisodeId;
use crate::domain::event::EventKind;
use crate::domain::queue::{EpisodeKey, ItemId, NewItem, Origin, Priority, QueueItem, Status};
use crate::ports::queue::QueueChange;

/// Most episodes one request may add.
pub const MAX_EPISODES_PER_ADD: usize = 20_000;

/// `POST /api/queue/add`.
#[derive(Debug, Clone)]
pub struct AddRequest {
    /// The series key (or, as for `GET /api/anime/{id}`, its folder).
    pub series: String,
    /// The folder for a series that is not in the library.
    pub folder: Option<String>,
    pub name: Option<String>,
    pub episodes: Vec<AddEpisode>,
    pub priority: Priority,
}

/// One episode to add.
#[derive(Debug, Clone)]
pub struct AddEpisode {
    pub episode: EpisodeId,
    pub title: Option<String>,
}

/// An episode that was not added, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FailedEpisode {
    pub episode: EpisodeId,
    pub title: Option<String>,
    pub reason: String,
}

/// What an add did.
#[derive(Debug, Clone)]
pub struct AddOutcome {
    pub added: Vec<ItemId>,
    pub failed: Vec<FailedEpisode>,
}

impl QueueService {
    /// Adds episodes of one series. Episodes the catalogue does not list, episodes already
    /// pending or downloading, and repeats within the request are refused one by one; the
    /// rest are added. A series unknown to both library and catalogue refuses every episode.
    ///
    /// # Errors
    /// [`QueueError::Invalid`] for an empty or over-long episode list or series id,
    /// [`QueueError::NoDirectory`], [`QueueError::Store`].
    pub async fn add(&self, request: AddRequest) -> Result<AddOutcome, QueueError> {
        check(&request)?;
        let library = &self.inner.deps.library;
        library.directory().map_err(|_| QueueError::NoDirectory)?;
        let target = match library
            .download_target(&request.series, request.folder.as_deref())
            .await
        {
            Ok(target) => target,
            Err(e) => {
                let reason = e.to_string();
                let failed = request
                    .episodes
                    .into_iter()
                    .map(|e| FailedEpisode {
                        episode: e.episode,
                        title: e.title,
                        reason: reason.clone(),
                    })
                    .collect();
                return Ok(AddOutcome {
                    added: vec![],
                    failed,
                });
            }
        };
        let now = self.inner.deps.clock.now();
        let ops = self.ops().await;
        let (next_position, queued) = {
            let state = self.state();
            let queued = [Status::Pending, Status::Downloading];
            (state.next_position(), state.episodes_in(&queued))
        };
        let (items, failed) = plan(request, &target, &queued, next_position, now);
        // The user's own add overrides an earlier "no" to automatic downloads.
        let forget = items.iter().map(QueueItem::episode_key).collect();
        let added = items.iter().map(QueueItem::id).collect();
        let change = QueueChange {
            put: items.clone(),
            forget,
            ..QueueChange::default()
        };
        self.commit(&ops, change, |_| {}).await?;
        drop(ops);
        self.announce_added(&items);
        Ok(AddOutcome { added, failed })
    }

    /// Publishes `download_added` for each item and the new status, and wakes the workers.
    pub(super) fn announce_added(&self, items: &[QueueItem]) {
        for item in items {
            self.publish(EventKind::DownloadAdded {
                item: download_ref(item),
                title: item.title().map(str::to_owned),
                priority: item.priority().name().to_owned(),
                status: item.status().name().to_owned(),
                origin: super::origin_name(item.origin()).to_owned(),
            });
        }
        if !items.is_empty() {
            self.publish_status();
            self.inner.wake.notify_one();
        }
    }
}

/// The request as a whole: a series named, 1 to [`MAX_EPISODES_PER_ADD`] episodes.
fn check(request: &AddRequest) -> Result<(), QueueError> {
    if request.series.trim().is_empty() {
        return Err(QueueError::invalid("serie_id", "must not be empty"));
    }
    if request.episodes.is_empty() || request.episodes.len() > MAX_EPISODES_PER_ADD {
        return Err(QueueError::invalid(
            "episodes",
            format!("must list 1 to {MAX_EPISODES_PER_ADD} episodes"),
        ));
    }
    Ok(())
}

/// Each episode added (at the next positions) or refused: not on the catalogue, already
/// queued, or listed twice.
fn plan(
    request: AddRequest,
    target: &DownloadTarget,
    queued: &HashSet<EpisodeKey>,
    mut position: i64,
    now: DateTime<Utc>,
) -> (Vec<QueueItem>, Vec<FailedEpisode>) {
    let series_name = request
        .name
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| target.name.clone());
    let mut seen = HashSet::new();
    let (mut items, mut failed) = (Vec::new(), Vec::new());
    for wanted in request.episodes {
        let key = EpisodeKey::new(target.key.clone(), wanted.episode);
        let refusal = if !target.available.contains(&wanted.episode) {
            Some(format!(
                "the catalogue does not list {} of {}",
                wanted.episode.tag(),
                target.key
            ))
        } else if queued.contains(&key) {
            Some(format!("{} is already in the queue", wanted.episode.tag()))
        } else if !seen.insert(wanted.episode) {
            Some(format!("{} is listed twice", wanted.episode.tag()))
        } else {
            None
        };
        if let Some(reason) = refusal {
            failed.push(FailedEpisode {
                episode: wanted.episode,
                title: wanted.title,
                reason,
            });
            continue;
        }
        let new = NewItem {
            series: target.key.clone(),
            folder: target.folder.to_string(),
            series_name: series_name.clone(),
            episode: wanted.episode,
            title: wanted.title.filter(|t| !t.trim().is_empty()),
            priority: request.priority,
            origin: Origin::User,
        };
        items.push(QueueItem::new(new, position, now));
        position += 1;
    }
    (items, failed)
}
