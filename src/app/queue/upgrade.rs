//! Sub→Dub upgrades (issue 10): for a monitored series with `upgrade` on, an episode on disk
//! in a language below the series' first choice is looked up on the catalogue after each
//! library job; when its page offers a better language not tried before, an upgrade item is
//! queued (origin `upgrade`). It downloads to `.part` like any item, and only the finished,
//! verified file replaces the old one (`worker.rs`), so there is never a moment without a
//! playable file. Each language is tried once per episode: a failed upgrade keeps the old
//! file and is not tried again.

use std::sync::Arc;

use super::QueueService;
use crate::domain::catalogue::Language;
use crate::domain::event::EventKind;
use crate::domain::library_view::ListedSeries;
use crate::domain::queue::{NewItem, Origin, Priority, QueueItem, Status};

/// Episode pages looked at per library job, at most: the catalogue is a guest.
const MAX_CHECKS_PER_JOB: usize = 50;

/// An upgrade found on the catalogue.
struct Found {
    new: NewItem,
    from: Language,
    to: Vec<Language>,
}

impl QueueService {
    /// Looks for better languages of the files of `series` and queues an upgrade for each.
    pub(super) async fn queue_upgrades(&self, series: Vec<Arc<ListedSeries>>) {
        let deps = &self.inner.deps;
        let config = deps.config.current();
        let global = config.languages();
        let busy = self
            .state()
            .episodes_in(&[Status::Pending, Status::Downloading]);
        let mut found = Vec::new();
        let mut checks = 0;
        'series: for s in &series {
            let record = &s.record;
            for waiting in record.awaiting_upgrade(&global) {
                let (episode, from) = (waiting.episode, waiting.held);
                let key = crate::domain::queue::EpisodeKey::new(record.series.key.clone(), episode);
                let untried: Vec<Language> = waiting
                    .better
                    .into_iter()
                    .filter(|l| !record.upgrades_tried.tried(episode, *l))
                    .collect();
                if untried.is_empty() || busy.contains(&key) {
                    continue;
                }
                if checks == MAX_CHECKS_PER_JOB {
                    break 'series;
                }
                checks += 1;
                let hosters = &config.downloads.preferred_hosters;
                let links = match deps
                    .media
                    .links(&record.series.key, episode, &untried, hosters)
                    .await
                {
                    Ok(links) => links,
                    Err(e) => {
                        tracing::info!(key = %record.series.key, %episode, error = %e, "upgrade check failed");
                        continue;
                    }
                };
                let to: Vec<Language> = untried
                    .into_iter()
                    .filter(|l| links.iter().any(|link| link.language == *l))
                    .collect();
                if to.is_empty() {
                    continue;
                }
                found.push(Found {
                    new: NewItem {
                        series: record.series.key.clone(),
                        folder: record.series.folder.to_string(),
                        series_name: record.series.name.clone(),
                        episode,
                        title: None,
                        priority: Priority::Normal,
                        origin: Origin::Upgrade,
                    },
                    from,
                    to,
                });
            }
        }
        if !found.is_empty() {
            self.queue_found(found).await;
        }
    }

    async fn queue_found(&self, found: Vec<Found>) {
        let deps = &self.inner.deps;
        for f in &found {
            // Tried once, whatever comes of it: an upgrade never loops.
            if let Err(e) = deps
                .library
                .upgrade_tried(&f.new.series, f.new.episode, f.to[0])
                .await
            {
                tracing::error!(error = %e, "could not record an upgrade as tried");
                return;
            }
        }
        let now = deps.clock.now();
        let ops = self.ops().await;
        let (mut position, run_state, was_running) = {
            let state = self.state();
            (state.next_position(), state.run_state, state.running)
        };
        let mut items = Vec::new();
        for f in found {
            items.push(QueueItem::new(f.new, position, now).upgrading(f.from, f.to));
            position += 1;
        }
        let notices: Vec<String> = items
            .iter()
            .map(|i| {
                format!(
                    "Upgrade queued: {} {} from {} to {}",
                    i.series_name(),
                    i.episode().tag(),
                    i.upgrade_from().map_or("?", |l| l.name()),
                    i.upgrade_to()[0].name()
                )
            })
            .collect();
        let queued = self
            .queue_by_itself(items, Vec::new(), run_state, was_running, ops)
            .await;
        if queued > 0 {
            tracing::info!(count = queued, "queued upgrades to better languages");
            for message in notices {
                deps.events.publish(EventKind::SystemInfo { message });
            }
        }
    }
}

impl QueueService {
    /// After an upgrade's new file took its name: the old copy, where it had another name
    /// (another container), goes; the new one is in place first.
    pub(super) async fn replaced(
        &self,
        item: &QueueItem,
        root: &std::path::Path,
        new: &std::path::Path,
    ) {
        let series_dir = root.join(item.folder());
        let removed = self
            .inner
            .deps
            .files
            .remove_other_copies(series_dir, item.episode(), new.to_path_buf())
            .await;
        match removed {
            Ok(removed) if !removed.is_empty() => {
                tracing::info!(?removed, "upgrade replaced the old copy");
            }
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "upgrade: the old copy could not be deleted"),
        }
    }
}
