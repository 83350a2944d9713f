//! The `aniworld` binary: parses the command line, sets up logging and hands over to
//! [`aniworld::wiring`].

use std::path::PathBuf;
use std::sync::Arc;

use aniworld::adapters::clock::SystemClock;
use aniworld::wiring::{self, ServeOptions};
use clap::{Args, Parser, Subcommand};

/// Keeps an anime library complete: catalogue search, library scan, missing episodes.
#[derive(Parser)]
#[command(name = "aniworld", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    serve: ServeArgs,
}

#[derive(Subcommand)]
enum Command {
    /// Run the HTTP + WebSocket server (the default). Its flags may stand before or after
    /// `serve`.
    Serve,
    /// Print the OpenAPI document the server serves, and exit.
    Openapi,
    /// Ask the server at `--host` and `--port` for `/health`: exit 0 when it answers healthy,
    /// 1 otherwise (a container's HEALTHCHECK: a scratch image has no curl).
    Health,
}

#[derive(Args, Clone)]
struct ServeArgs {
    /// Listen address.
    #[arg(
        long,
        global = true,
        env = "ANIWORLD_HOST",
        default_value = "127.0.0.1"
    )]
    host: String,
    /// Listen port (0 = any free port; the chosen port is logged).
    #[arg(long, global = true, env = "ANIWORLD_PORT", default_value_t = 8000)]
    port: u16,
    /// Database, config.json, backups and logs; created if missing.
    #[arg(
        long,
        global = true,
        env = "ANIWORLD_DATA_DIR",
        default_value = "./data"
    )]
    data_dir: PathBuf,
    /// Anime library root; overrides the configured anime_directory.
    #[arg(long, global = true, env = "ANIWORLD_ANIME_DIR")]
    anime_dir: Option<PathBuf>,
    /// Base URL of the catalogue site.
    #[arg(
        long,
        global = true,
        env = "ANIWORLD_PROVIDER_URL",
        default_value = "https://aniworld.to"
    )]
    provider_url: String,
    /// Base URL of the second site, s.to; wins over `provider.sto_url` (s.to is off until
    /// `provider.sto_enabled` is set).
    #[arg(long, global = true, env = "ANIWORLD_STO_URL")]
    sto_url: Option<String>,
    /// Requests per minute per client address and per origin; 0 turns this limit off.
    #[arg(long, global = true, env = "ANIWORLD_RATE_LIMIT", default_value_t = 60)]
    rate_limit: u32,
    /// FlareSolverr's URL (e.g. http://flaresolverr:8191), written to
    /// `provider.flaresolverr_url` at start; an empty value clears it.
    #[arg(long, global = true, env = "ANIWORLD_FLARESOLVERR_URL")]
    flaresolverr_url: Option<String>,
}

/// With the `dhat-heap` feature every allocation is recorded with its stack, and the profile
/// is written when the server stops (to `$DHAT_FILE`, default `dhat-heap.json`).
#[cfg(feature = "dhat-heap")]
#[global_allocator]
static ALLOC: dhat::Alloc = dhat::Alloc;

fn main() -> std::process::ExitCode {
    #[cfg(feature = "dhat-heap")]
    let _profiler = dhat::Profiler::builder()
        .file_name(std::env::var_os("DHAT_FILE").unwrap_or_else(|| "dhat-heap.json".into()))
        .build();
    tune_allocator();
    let cli = Cli::parse();
    let args = match cli.command {
        Some(Command::Openapi) => {
            println!("{}", aniworld::adapters::http::openapi_json());
            return std::process::ExitCode::SUCCESS;
        }
        Some(Command::Health) => return health(&cli.serve),
        Some(Command::Serve) | None => cli.serve,
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    match runtime.block_on(serve(args)) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!("{e}");
            eprintln!("aniworld: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn serve(args: ServeArgs) -> Result<(), Box<dyn std::error::Error>> {
    let shutdown = shutdown_signal()?;
    let logging = aniworld::adapters::logging::install();
    let opts = ServeOptions {
        host: args.host,
        port: args.port,
        data_dir: args.data_dir,
        anime_dir: args.anime_dir,
        provider_url: args.provider_url,
        sto_url: args.sto_url,
        rate_limit: args.rate_limit,
        flaresolverr_url: args.flaresolverr_url,
    };
    let server = wiring::start(opts, Arc::new(SystemClock), Some(logging), shutdown).await?;
    tracing::info!(
        "aniworld {} listening on http://{}",
        env!("CARGO_PKG_VERSION"),
        server.addr
    );
    server.stopped().await?;
    tracing::info!("stopped");
    Ok(())
}

/// `aniworld health`: one `GET /health` on this machine's listener, 5 s at most. A server
/// listening on every address (`0.0.0.0`, `::`) is asked on loopback.
fn health(args: &ServeArgs) -> std::process::ExitCode {
    let host = match args.host.trim_matches(['[', ']']) {
        "0.0.0.0" | "" => "127.0.0.1".to_owned(),
        "::" => "[::1]".to_owned(),
        h if h.contains(':') => format!("[{h}]"),
        h => h.to_owned(),
    };
    let url = format!("http://{host}:{}/health", args.port);
    let asked = async {
        let client = aniworld::adapters::roots::reqwest_client(|b| {
            b.no_proxy().timeout(std::time::Duration::from_secs(5))
        })?;
        let response = client
            .get(&url)
            .send()
            .await
            .map_err(|e| aniworld::adapters::error_chain(&e))?;
        let status = response.status();
        let body: serde_json::Value = response.json().await.unwrap_or_default();
        match body.get("status").and_then(|s| s.as_str()) {
            Some("healthy") if status.is_success() => Ok(body),
            other => Err(format!("answered {status}, status {other:?}")),
        }
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    match runtime.block_on(asked) {
        Ok(body) => {
            println!("{url}: {body}");
            std::process::ExitCode::SUCCESS
        }
        Err(why) => {
            eprintln!("aniworld health: {url}: {why}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// glibc's allocator, left alone, keeps what a burst freed: a large buffer freed once (the
/// 19 MiB of an argon2 hash, a big request body) raises its threshold for handing memory
/// straight back to the system, and every thread may grow an arena of its own. For a
/// service that idles most of the day that is memory held for nothing, so: large blocks
/// always come from (and go back to) the system, and at most two arenas.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[allow(unsafe_code)] // the one unsafe call of the binary, see Cargo.toml's [lints]
fn tune_allocator() {
    // SAFETY: mallopt only changes allocator parameters; it is called before any thread
    // exists and its result (0 when a parameter is refused) needs no handling.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
        libc::mallopt(libc::M_MMAP_THRESHOLD, 256 * 1024);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn tune_allocator() {}

/// Completes on SIGINT or SIGTERM. The handlers are installed when this is called, not when
/// the future is first polled, so a signal during start-up is not lost.
fn shutdown_signal() -> std::io::Result<impl std::future::Future<Output = ()> + Send + 'static> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut interrupt = signal(SignalKind::interrupt())?;
        let mut terminate = signal(SignalKind::terminate())?;
        Ok(async move {
            tokio::select! {
                _ = interrupt.recv() => {},
                _ = terminate.recv() => {},
            }
            tracing::info!("shutting down");
        })
    }
    #[cfg(not(unix))]
    Ok(async {
        let _ = tokio::signal::ctrl_c().await;
        tracing::info!("shutting down");
    })
}
