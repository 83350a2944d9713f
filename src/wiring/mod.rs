//! The wiring diagram: builds every adapter, hands them to the use cases, and serves. Both
//! `main.rs` and the integration tests start the server through [`start`], so tests run the
//! very same server as users do.

use std::path::PathBuf;
use std::sync::Arc;

use crate::adapters::catalogue::FetchedCovers;
use crate::adapters::connect::HttpNotifier;
use crate::adapters::events::BroadcastBus;
use crate::adapters::fetch::Fetcher;
use crate::adapters::fs::{DiskCovers, LocalLibrary};
use crate::adapters::host::SysinfoProbe;
use crate::adapters::hosters;
use crate::adapters::logging::LogSettings;
use crate::adapters::media::{FfmpegRemuxer, HttpMediaFetcher};
use crate::adapters::store::Store;
use crate::adapters::store::config_file::ConfigFile;
use crate::app::App;
use crate::app::arr::ArrService;
use crate::app::auth::AuthService;
use crate::app::config::ConfigService;
use crate::app::connect::ConnectService;
use crate::app::covers::CoverService;
use crate::app::health::HealthService;
use crate::app::history::HistoryService;
use crate::app::library::LibraryService;
use crate::app::media::MediaResolver;
use crate::app::provider_health::{ProviderHealth, WatchedCatalogue};
use crate::app::queue::{QueueDeps, QueueService};
use crate::app::scheduler::Scheduler;
use crate::app::sites::Sites;
use crate::domain::config::Settings;
use crate::domain::site::Site;
use crate::ports::{Catalogue, Clock, EventBus};

mod catalogues;
mod data_dir;
mod serve;

pub use serve::{RunningServer, start};

/// What `aniworld serve` is told on the command line.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub host: String,
    pub port: u16,
    pub data_dir: PathBuf,
    pub anime_dir: Option<PathBuf>,
    pub provider_url: String,
    /// `--sto-url`: s.to's base URL, winning over `provider.sto_url`.
    pub sto_url: Option<String>,
    /// Requests per minute per client address and per origin; 0 = off.
    pub rate_limit: u32,
    /// `--flaresolverr-url`: written to `provider.flaresolverr_url` at start ("" clears it).
    pub flaresolverr_url: Option<String>,
}

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error("data directory {path}: {source}{hint}")]
    DataDir {
        path: PathBuf,
        source: std::io::Error,
        /// What to do about it, when known (a folder this user may not write).
        hint: String,
    },
    #[error("database: {0}")]
    Store(#[from] crate::ports::StoreError),
    #[error("configuration: {0}")]
    Config(String),
    #[error("authentication: {0}")]
    Auth(#[from] crate::app::auth::AuthError),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: String,
        source: std::io::Error,
    },
}

/// Called with the logging settings whenever the configuration changes, so `PUT /api/config`
/// applies level and log file live.
pub type LoggingHook = Arc<dyn Fn(&LogSettings) + Send + Sync>;

/// Builds the app from its adapters.
pub async fn build_app(
    opts: &ServeOptions,
    clock: Arc<dyn Clock>,
) -> Result<Arc<App>, StartupError> {
    let data_dir = data_dir::prepare(&opts.data_dir)?;
    let store = Store::open(&data_dir.join("aniworld.redb"))?;
    let store = Arc::new(store);
    let config = ConfigService::load(
        Arc::new(ConfigFile::new(&data_dir)),
        clock.clone(),
        data_dir.to_string_lossy().into_owned(),
        opts.anime_dir.clone(),
    )
    .await
    .map_err(|e| StartupError::Config(format!("{e:?}")))?;
    let events: Arc<dyn EventBus> =
        Arc::new(BroadcastBus::open(clock.clone(), store.clone()).await?);
    if let Some(recovery) = config.recovery() {
        events.publish(crate::domain::event::EventKind::SystemInfo {
            message: recovery.message(),
        });
    }
    if let Some(url) = &opts.flaresolverr_url {
        catalogues::set_flaresolverr(&config, url).await?;
    }
    let auth = AuthService::new(store.clone(), clock.clone()).await?;
    let config = Arc::new(config);
    let provider_health = Arc::new(ProviderHealth::open(store.clone(), clock.clone()).await?);
    provider_health.announce_on(events.clone());
    let (aniworld, sto, fetcher) = catalogues::build(opts, &config)?;
    let watched = |catalogue, site| -> Arc<dyn Catalogue> {
        Arc::new(WatchedCatalogue::new(
            catalogue,
            site,
            provider_health.clone(),
        ))
    };
    let sites = Arc::new(Sites::new(
        watched(aniworld, Site::Aniworld),
        watched(sto, Site::Sto),
        config.subscribe(),
    ));
    let catalogue: Arc<dyn Catalogue> = sites.clone();
    let media = Arc::new(MediaResolver::new(
        catalogue.clone(),
        hosters::all(fetcher.clone()),
        provider_health,
    ));
    let library = LibraryService::open(
        catalogue,
        store.clone(),
        Arc::new(LocalLibrary),
        events.clone(),
        config.clone(),
        clock.clone(),
    )
    .await?;
    let queue = build_queue(
        &library,
        &media,
        fetcher.clone(),
        &config,
        &store,
        &events,
        &clock,
    )
    .await?;
    let connect = ConnectService::open(
        store.clone(),
        Arc::new(
            HttpNotifier::new(std::time::Duration::from_secs(15))
                .map_err(|e| StartupError::Config(format!("HTTP client: {e}")))?,
        ),
        events.clone(),
        clock.clone(),
        config.clone(),
    )
    .await?;
    let history = HistoryService::new(store.clone(), events.clone(), clock.clone(), config.clone());
    let arr = ArrService::new(
        sites.clone(),
        store.clone(),
        queue.clone(),
        clock.clone(),
        config.clone(),
    );
    let covers = CoverService::open(
        Arc::new(FetchedCovers::new(fetcher.clone())),
        Arc::new(DiskCovers::new(data_dir.join("covers"))),
        library.clone(),
        config.clone(),
        clock.clone(),
    )
    .await;
    let scheduler = start_library_jobs(&library, &config, clock.clone());
    let health = HealthService::new(
        store.clone(),
        Arc::new(SysinfoProbe::new()),
        clock.clone(),
        data_dir.clone(),
        media.clone(),
    )
    .with_identity(Fetcher::identity())
    .with_sites(sites);
    Ok(Arc::new(App {
        auth: Arc::new(auth),
        config,
        health: Arc::new(health),
        library,
        scheduler,
        media,
        queue,
        arr,
        history,
        covers,
        connect,
        events,
    }))
}

/// The download queue, its media fetcher (bandwidth limit and hoster pause applied live) and the library's
/// hook for automatic downloads. Its workers start with the server.
async fn build_queue(
    library: &LibraryService,
    media: &Arc<MediaResolver>,
    fetcher: Fetcher,
    config: &Arc<ConfigService>,
    store: &Arc<Store>,
    events: &Arc<dyn EventBus>,
    clock: &Arc<dyn Clock>,
) -> Result<QueueService, StartupError> {
    let media_fetcher = Arc::new(HttpMediaFetcher::new(fetcher));
    // Weak: the follower may outlive the server by a moment, and the resolver's scoreboard
    // holds the database, which a restart must be able to open again at once.
    let (live, resolver) = (media_fetcher.clone(), Arc::downgrade(media));
    follow_config(config.subscribe(), move |c| {
        live.set_bandwidth_limit(c.downloads.bandwidth_limit_kbps);
        if let Some(resolver) = resolver.upgrade() {
            let pause = u64::from(c.downloads.hoster_pause_seconds);
            resolver.set_hoster_pause(std::time::Duration::from_secs(pause));
            let site_pause = u64::from(c.provider.sto_pause_seconds);
            resolver.set_site_pause(std::time::Duration::from_secs(site_pause));
            resolver.set_adaptive_order(c.downloads.adaptive_hoster_order);
        }
    });
    let queue = QueueService::open(QueueDeps {
        store: store.clone(),
        library: library.clone(),
        media: media.clone(),
        fetcher: media_fetcher,
        files: Arc::new(LocalLibrary),
        remuxer: Arc::new(FfmpegRemuxer::from_path()),
        events: events.clone(),
        clock: clock.clone(),
        config: config.clone(),
    })
    .await?;
    library.set_missing_hook(queue.missing_episodes_hook());
    Ok(queue)
}

/// The start-up scan and the scheduler.
fn start_library_jobs(
    library: &LibraryService,
    config: &Arc<ConfigService>,
    clock: Arc<dyn Clock>,
) -> Arc<Scheduler> {
    // Files may have come or gone while the server was down: look at the disk once now, in
    // the background (a scan of 100,000 files takes a fraction of a second).
    let status = library.status();
    if status.directory.is_some() && status.series_count > 0 {
        let _ = library.start_rescan();
    }
    Arc::new(Scheduler::start(library.clone(), clock, config.subscribe()))
}

/// Applies the logging settings now and whenever they change.
pub(crate) fn watch_logging(
    changes: tokio::sync::watch::Receiver<Arc<Settings>>,
    data_dir: PathBuf,
    hook: LoggingHook,
) {
    let apply = move |c: &Settings| {
        let l = &c.logging;
        hook(&LogSettings {
            level: l.level.filter().to_owned(),
            file: l.file.as_ref().map(|rel| data_dir.join(rel.path())),
            max_bytes: l.max_bytes,
            backup_count: l.backup_count,
        });
    };
    follow_config(changes, apply);
}

/// Calls `apply` with the configuration in force now and again after every change.
fn follow_config(
    mut changes: tokio::sync::watch::Receiver<Arc<Settings>>,
    apply: impl Fn(&Settings) + Send + 'static,
) {
    apply(&changes.borrow_and_update());
    tokio::spawn(async move {
        while changes.changed().await.is_ok() {
            let config = changes.borrow_and_update().clone();
            apply(&config);
        }
    });
}
