//! Series covers and the metadata files (INTEGRATIONS.md section 7). Each series' cover is
//! fetched once from its catalogue site through the browser identity (again only when the
//! series page names another image), kept in the data dir and served by the product to its
//! own pages, so no page loads an image from another host. With `metadata.nfo` on, each
//! series folder gets `tvshow.nfo` and `poster.jpg` (the library's `metadata` use case).
//!
//! A background task follows the library and the configuration: after each change it looks
//! at every series, fetching what is missing one at a time, and writing what is out of date.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio_util::sync::CancellationToken;

use crate::app::config::ConfigService;
use crate::app::library::LibraryService;
use crate::domain::cover::{CachedCover, MAX_COVER_BYTES};
use crate::domain::library::metadata_files::TvShowNfo;
use crate::domain::library_view::ListedSeries;
use crate::domain::series::SeriesKey;
use crate::lock::{MutexRecover, RwLockRecover};
use crate::ports::{Clock, CoverCache, CoverSource};

/// The pause between two covers fetched by the background task: the site is a guest.
const FETCH_PAUSE: Duration = Duration::from_millis(250);
/// How long a cover that could not be fetched is left before the next try.
const RETRY_AFTER_HOURS: i64 = 6;
/// How long after a change the task looks, so a burst of changes makes one look.
const SETTLE: Duration = Duration::from_millis(300);

/// The task and the token that stops it.
type Task = (CancellationToken, tokio::task::JoinHandle<()>);

/// What was last written for a series: the NFO and the cover's digest.
type Written = (TvShowNfo, Option<String>);

/// The covers' use cases; a cheap-to-clone handle.
#[derive(Clone)]
pub struct CoverService {
    inner: Arc<Inner>,
}

struct Inner {
    source: Arc<dyn CoverSource>,
    cache: Arc<dyn CoverCache>,
    library: LibraryService,
    config: Arc<ConfigService>,
    clock: Arc<dyn Clock>,
    /// The covers kept, by series key.
    kept: RwLock<HashMap<String, CachedCover>>,
    /// Covers that could not be fetched: the URL tried and when to try it again.
    failed: Mutex<HashMap<String, (String, DateTime<Utc>)>>,
    /// One fetch at a time (the task and an add asking for the same cover fetch it once).
    fetching: tokio::sync::Mutex<()>,
    /// What the metadata files of each series were last written from, this run.
    written: Mutex<HashMap<String, Written>>,
    task: Mutex<Option<Task>>,
}

impl CoverService {
    /// The covers kept in `cache`.
    pub async fn open(
        source: Arc<dyn CoverSource>,
        cache: Arc<dyn CoverCache>,
        library: LibraryService,
        config: Arc<ConfigService>,
        clock: Arc<dyn Clock>,
    ) -> Self {
        let kept = match cache.load().await {
            Ok(kept) => kept
                .into_iter()
                .map(|(key, cover)| (key.to_string(), cover))
                .collect(),
            Err(e) => {
                tracing::warn!(error = %e, "covers could not be read; they are fetched again");
                HashMap::new()
            }
        };
        Self {
            inner: Arc::new(Inner {
                source,
                cache,
                library,
                config,
                clock,
                kept: RwLock::new(kept),
                failed: Mutex::default(),
                fetching: tokio::sync::Mutex::new(()),
                written: Mutex::default(),
                task: Mutex::default(),
            }),
        }
    }

    /// The cover kept for `key`, if any.
    pub fn cover_of(&self, key: &str) -> Option<CachedCover> {
        self.inner.kept.read_or_recover().get(key).cloned()
    }

    /// The cover of a series with its bytes; `None` when none is kept.
    pub async fn image(&self, key: &SeriesKey) -> Option<(CachedCover, Vec<u8>)> {
        let cover = self.cover_of(key.as_str())?;
        match self.inner.cache.read(key.clone()).await {
            Ok(Some(bytes)) if bytes.len() as u64 == cover.size => Some((cover, bytes)),
            Ok(_) => None,
            Err(e) => {
                tracing::warn!(key = %key, error = %e, "a kept cover could not be read");
                None
            }
        }
    }

    /// The cover of a library series, fetched now where it is missing or out of date (and
    /// did not fail lately); the one kept otherwise.
    pub async fn ensure(&self, key: &SeriesKey) -> Option<CachedCover> {
        let listed = self.inner.library.view().get(key).cloned()?;
        self.ensure_for(&listed).await.0
    }

    /// The cover of `listed`, and whether it was fetched now.
    async fn ensure_for(&self, listed: &ListedSeries) -> (Option<CachedCover>, bool) {
        let key = listed.record.series.key.as_str();
        let kept = self.cover_of(key);
        // A page that lost its cover keeps the one known.
        let Some(url) = listed.record.metadata.cover.as_ref().map(|u| u.as_str()) else {
            return (kept, false);
        };
        if kept.as_ref().is_some_and(|c| c.source == url) {
            return (kept, false);
        }
        let _one = self.inner.fetching.lock().await;
        // Another fetch may have brought it while this one waited.
        let kept = self.cover_of(key);
        if kept.as_ref().is_some_and(|c| c.source == url) {
            return (kept, false);
        }
        let now = self.inner.clock.now();
        if let Some((tried, until)) = self.inner.failed.lock_or_recover().get(key)
            && tried == url
            && now < *until
        {
            return (kept, false);
        }
        match self.fetch(&listed.record.series.key, url).await {
            Ok(cover) => {
                self.inner.failed.lock_or_recover().remove(key);
                (Some(cover), true)
            }
            Err(reason) => {
                tracing::warn!(key, url, reason = %reason, "cover not fetched");
                let until = now + chrono::Duration::hours(RETRY_AFTER_HOURS);
                self.inner
                    .failed
                    .lock_or_recover()
                    .insert(key.to_owned(), (url.to_owned(), until));
                (kept, true)
            }
        }
    }

    async fn fetch(&self, key: &SeriesKey, url: &str) -> Result<CachedCover, String> {
        let bytes = self
            .inner
            .source
            .fetch_cover(url, MAX_COVER_BYTES)
            .await
            .map_err(|e| e.to_string())?;
        let cover = CachedCover::of(url, &bytes).map_err(|e| e.to_string())?;
        self.inner
            .cache
            .put(key.clone(), cover.clone(), bytes)
            .await
            .map_err(|e| e.to_string())?;
        self.inner
            .kept
            .write_or_recover()
            .insert(key.to_string(), cover.clone());
        tracing::info!(key = %key, bytes = cover.size, "cover kept");
        Ok(cover)
    }

    /// Writes the metadata files of `listed` where what they hold changed since the last
    /// write of this run (the first look of a run compares with the files on disk).
    async fn write_files(&self, listed: &ListedSeries, cover: Option<&CachedCover>) {
        let key = &listed.record.series.key;
        let nfo = TvShowNfo::of(&listed.record);
        let digest = cover.map(|c| c.sha256.clone());
        let now = (nfo, digest);
        if self.inner.written.lock_or_recover().get(key.as_str()) == Some(&now) {
            return;
        }
        let poster = match cover {
            Some(_) => self.image(key).await.map(|(_, bytes)| bytes),
            None => None,
        };
        match self.inner.library.write_metadata_files(key, poster).await {
            Ok(()) => {
                self.inner
                    .written
                    .lock_or_recover()
                    .insert(key.to_string(), now);
            }
            Err(e) => tracing::warn!(key = %key, error = %e, "metadata files not written"),
        }
    }

    /// One look at every series: covers fetched where missing, metadata files written where
    /// out of date (with `metadata.nfo` on). Ends early when `stop` is cancelled.
    async fn look(&self, stop: &CancellationToken) {
        let nfo = self.inner.config.current().metadata_nfo;
        if !nfo {
            self.inner.written.lock_or_recover().clear();
        }
        let series: Vec<Arc<ListedSeries>> = self.inner.library.view().all().cloned().collect();
        for listed in series {
            if stop.is_cancelled() {
                return;
            }
            let (cover, fetched) = self.ensure_for(&listed).await;
            if nfo {
                self.write_files(&listed, cover.as_ref()).await;
            }
            if fetched {
                tokio::select! {
                    () = stop.cancelled() => return,
                    () = tokio::time::sleep(FETCH_PAUSE) => {}
                }
            }
        }
    }

    /// Follows the library and the configuration until [`CoverService::stop`]: a look at
    /// start, after every change, and every hour (for covers whose fetch failed).
    pub fn start(&self) {
        let this = self.clone();
        let stop = CancellationToken::new();
        let stopped = stop.clone();
        let mut library = self.inner.library.changes();
        let mut config = self.inner.config.subscribe();
        let task = tokio::spawn(async move {
            let stop = stopped;
            loop {
                this.look(&stop).await;
                tokio::select! {
                    () = stop.cancelled() => return,
                    changed = library.changed() => if changed.is_err() { return },
                    changed = config.changed() => if changed.is_err() { return },
                    () = tokio::time::sleep(Duration::from_secs(3600)) => {}
                }
                tokio::select! {
                    () = stop.cancelled() => return,
                    () = tokio::time::sleep(SETTLE) => {}
                }
                library.borrow_and_update();
                config.borrow_and_update();
            }
        });
        *self.inner.task.lock_or_recover() = Some((stop, task));
    }

    /// Stops following and waits for the file being written.
    pub async fn stop(&self) {
        let task = self.inner.task.lock_or_recover().take();
        if let Some((stop, task)) = task {
            stop.cancel();
            let _ = task.await;
        }
    }
}
