//! Inbound HTTP: poem-openapi operations, one `#[OpenApi]` impl per API.md section, each in
//! its folder with its request and answer bodies: `auth/` (section 2), `anime/` (3),
//! `queue/` (4), `config/` (5), `scheduler/` (6), `health/` (7) and `ws/` (8, the WebSocket);
//! `arr/` speaks Sonarr's protocols (INTEGRATIONS.md). `pages/` serves the browser UI. What
//! every section shares stays here: the middleware that every request passes (`middleware`,
//! `cors`, `limits`), the bearer scheme (`security`), the one error mapping and its codes
//! ([`error`]), what each operation documents (`outcomes`) and JSON written straight from
//! borrowed data (`json_body`).
//!
//! Paths are declared in full (`/api/...`, `/health`), so the OpenAPI document lists the
//! real paths. The browser UI's pages and files (`pages`, from `web/`) stay out of the
//! document. Swagger UI is at `/api/docs`, ReDoc at `/api/redoc`, the document at
//! `/api/openapi.json`.

mod anime;
mod arr;
mod auth;
mod config;
mod connections;
mod cors;
mod docs;
pub mod error;
mod health;
mod history;
mod json_body;
mod keys;
pub mod limits;
pub mod middleware;
mod outcomes;
mod pages;
mod queue;
mod scheduler;
mod security;
mod ws;

use std::sync::Arc;

use poem::{Endpoint, EndpointExt, Route};
use poem_openapi::{OpenApiService, Tags};

use crate::app::App;

/// The tags of the OpenAPI document, one per API.md section.
#[derive(Tags)]
pub enum ApiTags {
    /// Set the master password once, log in for a bearer token, log out, and ask whether
    /// setup happened and whether a token is valid.
    Authentication,
    /// The library: its series with their missing episodes, adding a series from the
    /// catalogue, rescanning the folders, one series' detail and settings; and searching
    /// the catalogue site.
    Anime,
    /// The persistent download queue: its items and statistics, adding episodes, removing,
    /// clearing, reordering and retrying items, and starting or stopping the workers.
    Queue,
    /// The configuration document: read it, change part of it, validate one, back it up
    /// and restore backups, and switch the library directory.
    Configuration,
    /// The periodic rescan: its settings, and a rescan on demand.
    Scheduler,
    /// Liveness and detailed checks (database, folders, machine, catalogue site, hosters).
    Health,
    /// Connections: notification services (webhook, ntfy, Discord, Apprise, Telegram,
    /// Gotify) and media servers (Jellyfin, Emby, Plex) told of what happened.
    Connections,
    /// The activity history: every grab, download, failure, upgrade, removal and change of
    /// health, newest first.
    History,
    /// API keys for programs (Sonarr, Prowlarr, dashboards): make, list, revoke.
    Keys,
    /// The part of Sonarr's v3 API that dashboards (Homepage, Homarr) and pyarr read:
    /// series, queue, missing episodes, calendar, status and health, in Sonarr's shapes.
    #[oai(rename = "Sonarr v3")]
    SonarrV3,
    /// The WebSocket at `/ws/connect` (see the document's description for its protocol)
    /// and its status.
    WebSocket,
}

type Apis = (
    auth::AuthApi,
    anime::AnimeApi,
    queue::QueueApi,
    config::ConfigApi,
    scheduler::SchedulerApi,
    health::HealthApi,
    history::HistoryApi,
    connections::ConnectionsApi,
    keys::KeysApi,
    ws::WsApi,
    arr::sonarr_v3::SonarrApi,
);

fn service() -> OpenApiService<Apis, ()> {
    OpenApiService::new(
        (
            auth::AuthApi,
            anime::AnimeApi,
            queue::QueueApi,
            config::ConfigApi,
            scheduler::SchedulerApi,
            health::HealthApi,
            history::HistoryApi,
            connections::ConnectionsApi,
            keys::KeysApi,
            ws::WsApi,
            arr::sonarr_v3::SonarrApi,
        ),
        "aniworld",
        env!("CARGO_PKG_VERSION"),
    )
    .description(include_str!("openapi_description.md"))
}

/// The OpenAPI document the server serves, as pretty JSON.
pub fn openapi_json() -> String {
    service().spec()
}

/// What the HTTP layer needs besides the app.
#[derive(Debug, Clone)]
pub struct HttpSettings {
    /// Requests per minute per client address and per origin; 0 turns the limit off.
    pub rate_limit_per_minute: u32,
    /// Cancelled when the server stops: WebSockets close, so shutdown need not wait.
    pub shutdown: tokio_util::sync::CancellationToken,
}

/// Every route with its middleware, ready to serve.
pub fn routes(app: Arc<App>, settings: &HttpSettings) -> impl Endpoint + 'static {
    let api = service();
    let spec = api.spec_endpoint();
    let mut route = Route::new().at(
        "/static/*path",
        poem::get(pages::asset).with(pages::UiHeaders),
    );
    // `/` itself is answered by `pages::RootPage`: the API nested at `/` owns that path.
    for (path, _) in pages::PAGES.iter().filter(|(path, _)| *path != "/") {
        route = route.at(path, poem::get(pages::page).with(pages::UiHeaders));
    }
    route
        .nest("/api/docs", docs::swagger_ui())
        .nest("/api/redoc", docs::redoc())
        .at("/api/openapi.json", spec)
        .at("/ws/connect", poem::get(ws::connect))
        .at("/torznab/api", poem::get(arr::torznab::api))
        .nest("/api/v2", arr::qbittorrent::routes())
        .nest("/", api)
        .with(pages::RootPage)
        .with(cors::Cors)
        .with(middleware::BodyGuard)
        .with(limits::RateLimits::new(settings.rate_limit_per_minute))
        .data(app)
        .data(Arc::new(ws::Connections::new(settings.shutdown.clone())))
        .data(Arc::new(arr::qbittorrent::Sessions::default()))
        .with(middleware::Frame)
}
