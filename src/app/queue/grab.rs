//! Releases Sonarr grabbed through the qBittorrent API (INTEGRATIONS.md section 3): queued
//! like any episode (origin `arr`), downloaded in the release's one language into the `arr`
//! folder, never marked present in the library, and found again by their info hash.

use std::path::PathBuf;

use super::{QueueError, QueueService};
use crate::domain::queue::{Grab, ItemId, NewItem, Origin, Priority, QueueItem};
use crate::domain::release::{InfoHash, Release};
use crate::ports::queue::QueueChange;

impl QueueService {
    /// Queues a release Sonarr grabbed, filed under `category`. A release already in the
    /// queue (in any state) is left as it is: its item is the answer.
    ///
    /// # Errors
    /// [`QueueError::Store`].
    pub async fn add_grab(&self, release: &Release, category: &str) -> Result<ItemId, QueueError> {
        let hash = release.hash();
        let ops = self.ops().await;
        let (held, position) = {
            let state = self.state();
            let held = state
                .items
                .values()
                .find(|i| i.grab().is_some_and(|g| g.hash == hash))
                .map(QueueItem::id);
            (held, state.next_position())
        };
        if let Some(id) = held {
            return Ok(id);
        }
        let title = release.title();
        let new = NewItem {
            series: release.key.clone(),
            folder: title.clone(),
            series_name: release.series_title.clone(),
            episode: release.episode,
            title: None,
            priority: Priority::Normal,
            origin: Origin::Arr,
        };
        let item = QueueItem::new(new, position, self.inner.deps.clock.now()).grabbing(Grab {
            hash,
            title,
            language: release.language,
            category: category.to_owned(),
        });
        let change = QueueChange {
            put: vec![item.clone()],
            ..QueueChange::default()
        };
        self.commit(&ops, change, |_| {}).await?;
        drop(ops);
        self.announce_added(std::slice::from_ref(&item));
        Ok(item.id())
    }

    /// Whether the queue's workers run (started, not stopped or paused).
    pub fn is_running(&self) -> bool {
        self.state().running
    }

    /// The items Sonarr added, oldest first.
    pub fn grabs(&self) -> Vec<QueueItem> {
        let mut grabs: Vec<QueueItem> = self
            .state()
            .items
            .values()
            .filter(|i| i.grab().is_some())
            .cloned()
            .collect();
        grabs.sort_by_key(|i| (i.added_at(), i.position()));
        grabs
    }

    /// Files Sonarr's items of these hashes under `category`; answers how many there were.
    ///
    /// # Errors
    /// [`QueueError::Store`].
    pub async fn set_grab_category(
        &self,
        hashes: &[InfoHash],
        category: &str,
    ) -> Result<usize, QueueError> {
        let ops = self.ops().await;
        let changed: Vec<QueueItem> = self
            .state()
            .items
            .values()
            .filter(|i| i.grab().is_some_and(|g| hashes.contains(&g.hash)))
            .cloned()
            .map(|mut i| {
                i.set_category(category.to_owned());
                i
            })
            .collect();
        let count = changed.len();
        if count > 0 {
            self.commit(&ops, QueueChange::put(changed), |_| {}).await?;
        }
        Ok(count)
    }

    /// Removes Sonarr's items of these hashes (a running one is cancelled, its partial file
    /// deleted); with `delete_files`, their downloaded files and folders too. Answers how
    /// many items there were.
    ///
    /// # Errors
    /// [`QueueError::Store`].
    pub async fn remove_grabs(
        &self,
        hashes: &[InfoHash],
        delete_files: bool,
    ) -> Result<usize, QueueError> {
        let ops = self.ops().await;
        let items: Vec<QueueItem> = self
            .state()
            .items
            .values()
            .filter(|i| i.grab().is_some_and(|g| hashes.contains(&g.hash)))
            .cloned()
            .collect();
        let removed = self.remove_items(&ops, items.clone()).await?;
        drop(ops);
        if delete_files {
            let root = self.inner.deps.config.current().arr_dir();
            for item in &items {
                self.delete_grab_files(&root, item).await;
            }
        }
        Ok(removed)
    }

    /// Deletes a grabbed item's file (and its folder, once empty).
    async fn delete_grab_files(&self, root: &std::path::Path, item: &QueueItem) {
        let Some(grab) = item.grab() else {
            return;
        };
        let files = &self.inner.deps.files;
        let folder = root.join(&grab.title);
        let mut doomed: Vec<PathBuf> = item.file().map(|f| root.join(f)).into_iter().collect();
        doomed.extend(super::worker::part_paths(root, item));
        for path in doomed.into_iter().filter(|p| p.starts_with(&folder)) {
            if let Err(e) = files.discard(path).await {
                tracing::warn!(error = %e, "could not delete a download Sonarr removed");
            }
        }
        if let Err(e) = files.discard_folder(folder).await {
            tracing::warn!(error = %e, "could not delete the folder of a download Sonarr removed");
        }
    }
}
