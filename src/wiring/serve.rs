//! Serving: bind the listener, start the download workers, and on shutdown stop accepting,
//! close WebSockets and stop the workers at a safe point, all within the contract's 10 s.

use std::future::Future;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use poem::listener::{Acceptor, Listener, TcpListener};
use tokio_util::sync::CancellationToken;

use super::{LoggingHook, ServeOptions, StartupError, build_app, watch_logging};
use crate::adapters::http::{self, HttpSettings};
use crate::app::App;
use crate::ports::Clock;

/// How long the queue's workers get to reach a safe point on shutdown.
const QUEUE_STOP_WAIT: Duration = Duration::from_secs(6);

/// A server that is accepting requests.
pub struct RunningServer {
    /// The address it listens on (the real port when 0 was asked for).
    pub addr: SocketAddr,
    pub app: Arc<App>,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl RunningServer {
    /// Waits until the server has stopped (after the shutdown future completed): requests
    /// answered, WebSockets closed, downloads stopped at a safe point with their place
    /// recorded.
    pub async fn stopped(self) -> std::io::Result<()> {
        let served = self.task.await.map_err(std::io::Error::other)?;
        self.app.queue.shutdown(QUEUE_STOP_WAIT).await;
        // No scheduled rescan may start once the server has stopped.
        self.app.scheduler.stop().await;
        self.app.library.stop_jobs(QUEUE_STOP_WAIT).await;
        self.app.history.stop().await;
        self.app.covers.stop().await;
        self.app.connect.stop().await;
        served
    }
}

/// Builds the app, binds the listener and serves until `shutdown` completes; then stops
/// accepting, closes WebSockets, lets requests in flight finish (8 s at most) while the
/// download workers stop at a safe point, and closes the database.
pub async fn start(
    opts: ServeOptions,
    clock: Arc<dyn Clock>,
    logging: Option<LoggingHook>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<RunningServer, StartupError> {
    tracing::info!("{}", crate::adapters::roots::Roots::current().describe());
    let app = build_app(&opts, clock).await?;
    if let Some(hook) = logging {
        let data_dir = PathBuf::from(&app.config.current().data_dir);
        watch_logging(app.config.subscribe(), data_dir, hook);
    }
    let bind = format!("{}:{}", opts.host, opts.port);
    let acceptor = TcpListener::bind(bind.clone())
        .into_acceptor()
        .await
        .map_err(|source| StartupError::Bind { addr: bind, source })?;
    let addr = acceptor
        .local_addr()
        .first()
        .and_then(|a| a.as_socket_addr().copied())
        .ok_or_else(|| StartupError::Bind {
            addr: opts.host.clone(),
            source: std::io::Error::other("no local address"),
        })?;
    let stopping = CancellationToken::new();
    let endpoint = http::routes(
        app.clone(),
        &HttpSettings {
            rate_limit_per_minute: opts.rate_limit,
            shutdown: stopping.clone(),
        },
    );
    app.history.start();
    app.covers.start();
    app.connect.start();
    app.queue.start_workers();
    // On shutdown the workers are told at once, in parallel with the HTTP side winding down.
    let queue = app.queue.clone();
    let signal = stopping.clone();
    tokio::spawn(async move {
        shutdown.await;
        signal.cancel();
        queue.shutdown(QUEUE_STOP_WAIT).await;
    });
    let server = poem::Server::new_with_acceptor(acceptor);
    let task = tokio::spawn(async move {
        server
            .run_with_graceful_shutdown(
                endpoint,
                stopping.cancelled_owned(),
                Some(Duration::from_secs(8)),
            )
            .await
    });
    Ok(RunningServer { addr, app, task })
}
