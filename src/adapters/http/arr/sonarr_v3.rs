//! INTEGRATIONS.md section 4: the part of Sonarr's v3 API that dashboards (Homepage, Homarr)
//! and pyarr read, as a translation of the product's own use cases: the library's series, its
//! missing episodes and the episodes found lately (`library`), the download queue (`queue`),
//! the version, start time and health problems (`system`), with the query parameters read as
//! Sonarr reads them (`params`). JSON in Sonarr's camelCase shapes, numbers from
//! `domain::arr_id`. A `read` API key as `X-Api-Key` or `?apikey=` (or a session token)
//! opens it; parameters it does not know (`includeSeries`, `sortKey`, ...) are ignored.

mod library;
mod params;
mod queue;
mod system;

use std::sync::Arc;

use poem::web::Data;
use poem_openapi::param::Query;
use poem_openapi::payload::Json;
use poem_openapi::{Object, OpenApi};

use self::library::{Episode, Series};
use self::params::{Paging, calendar_range, flag};
use self::queue::QueueRecord;
use self::system::{ApiInfo, HealthIssue, SystemStatus};
use crate::adapters::http::ApiTags;
use crate::adapters::http::error::Code;
use crate::adapters::http::outcomes::{INVALID, Reply, UNAUTHORIZED, outcomes, reply};
use crate::adapters::http::security::ReadAuth;
use crate::app::App;
use crate::domain::library_view::by_name;

/// Sonarr's v3 read API.
pub struct SonarrApi;

/// One page of the queue.
#[derive(Debug, Object)]
#[oai(rename = "SonarrQueuePage", rename_all = "camelCase")]
pub struct QueuePage {
    pub page: u64,
    pub page_size: u64,
    pub total_records: u64,
    pub records: Vec<QueueRecord>,
}

/// One page of the missing episodes.
#[derive(Debug, Object)]
#[oai(rename = "SonarrMissingPage", rename_all = "camelCase")]
pub struct MissingPage {
    pub page: u64,
    pub page_size: u64,
    pub total_records: u64,
    pub records: Vec<Episode>,
}

outcomes!(Versions: "The API versions: `{\"current\": \"v3\"}`", [UNAUTHORIZED]);
outcomes!(Status: "The product, its version and when it started", [UNAUTHORIZED]);
outcomes!(Problems: "The problems of the detailed health report, worst first; empty when there are none", [UNAUTHORIZED]);
outcomes!(SeriesList: "Every series of the library, by name", [UNAUTHORIZED]);
outcomes!(Paged: "One page of the records and how many there are", [
    UNAUTHORIZED,
    INVALID,
]);
outcomes!(QueueAll: "Every record of the queue", [UNAUTHORIZED]);
outcomes!(Calendar: "The episodes found in the range, by date", [
    (Code::BadRequest, "`start` or `end` is neither an ISO date nor a date-time"),
    UNAUTHORIZED,
]);

#[OpenApi(tag = "ApiTags::SonarrV3")]
impl SonarrApi {
    /// API versions
    ///
    /// Sonarr's version probe: `{"current": "v3"}`.
    #[oai(path = "/api", method = "get")]
    async fn versions(&self, _auth: ReadAuth) -> Reply<Json<ApiInfo>, Versions> {
        reply(Json(ApiInfo {
            current: "v3".into(),
            deprecated: Vec::new(),
        }))
    }

    /// System status
    ///
    /// `appName` `aniworld`, the version and when the server started.
    #[oai(path = "/api/v3/system/status", method = "get")]
    async fn system_status(
        &self,
        app: Data<&Arc<App>>,
        _auth: ReadAuth,
    ) -> Reply<Json<SystemStatus>, Status> {
        reply(Json(SystemStatus {
            app_name: "aniworld".into(),
            instance_name: app.config.current().name.clone(),
            version: app.health.version().into(),
            start_time: app.health.started(),
        }))
    }

    /// Health problems
    ///
    /// What `/health/detailed` finds wrong, as Sonarr's health checks: the database or the
    /// data folder failing (`error`), the logs folder (`warning`), a catalogue site that
    /// failed on every recent request (`error`), a hoster that did (`warning`), a source
    /// resting after a browser challenge (`notice`). Only problems are listed, as Sonarr
    /// does: a healthy product answers `[]`.
    #[oai(path = "/api/v3/health", method = "get")]
    async fn health(
        &self,
        app: Data<&Arc<App>>,
        _auth: ReadAuth,
    ) -> Reply<Json<Vec<HealthIssue>>, Problems> {
        reply(Json(system::issues(&app.health.report().await)))
    }

    /// Series
    ///
    /// Every series of the library with its seasons and counts: `episodeCount` is the
    /// episodes with a file plus the missing ones.
    #[oai(path = "/api/v3/series", method = "get")]
    async fn series(
        &self,
        app: Data<&Arc<App>>,
        _auth: ReadAuth,
    ) -> Reply<Json<Vec<Series>>, SeriesList> {
        let view = app.library.view();
        let root = app.library.status().directory;
        let mut all: Vec<_> = view.all().collect();
        all.sort_by(|a, b| by_name(a, b));
        reply(Json(
            all.iter()
                .map(|s| library::series(&s.record, root.as_deref()))
                .collect(),
        ))
    }

    /// Queue
    ///
    /// One page of the download queue (every item not cancelled, downloading first, then
    /// pending in the order workers take them, failed and completed).
    #[oai(path = "/api/v3/queue", method = "get")]
    async fn queue(
        &self,
        app: Data<&Arc<App>>,
        _auth: ReadAuth,
        /// Page number, from 1 (default 1).
        page: Query<Option<i64>>,
        /// Records per page, 1 or more (default 10).
        #[oai(name = "pageSize")]
        page_size: Query<Option<i64>>,
    ) -> Reply<Json<QueuePage>, Paged> {
        let paging = Paging::parse(page.0, page_size.0)?;
        let all = queue::records(&app.queue.status(), app.health.now());
        reply(Json(QueuePage {
            page: paging.page as u64,
            page_size: paging.page_size as u64,
            total_records: all.len() as u64,
            records: all
                .into_iter()
                .skip(paging.skip())
                .take(paging.page_size)
                .collect(),
        }))
    }

    /// Queue details
    ///
    /// The records of `/api/v3/queue`, all of them, as an array.
    #[oai(path = "/api/v3/queue/details", method = "get")]
    async fn queue_details(
        &self,
        app: Data<&Arc<App>>,
        _auth: ReadAuth,
    ) -> Reply<Json<Vec<QueueRecord>>, QueueAll> {
        reply(Json(queue::records(&app.queue.status(), app.health.now())))
    }

    /// Missing episodes
    ///
    /// One page of the library's missing episodes, by series name, season and episode.
    #[oai(path = "/api/v3/wanted/missing", method = "get")]
    async fn missing(
        &self,
        app: Data<&Arc<App>>,
        _auth: ReadAuth,
        /// Page number, from 1 (default 1).
        page: Query<Option<i64>>,
        /// Records per page, 1 or more (default 10).
        #[oai(name = "pageSize")]
        page_size: Query<Option<i64>>,
        /// `true` (default): the series automatic downloads apply to; `false`: the others.
        monitored: Query<Option<String>>,
    ) -> Reply<Json<MissingPage>, Paged> {
        let paging = Paging::parse(page.0, page_size.0)?;
        let monitored = flag(monitored.0.as_deref(), true);
        let view = app.library.view();
        let mut wanted: Vec<_> = view
            .all()
            .filter(|s| !s.missing.is_empty() && s.record.policy.monitored == monitored)
            .collect();
        wanted.sort_by(|a, b| by_name(a, b));
        let total: usize = wanted.iter().map(|s| s.missing.count()).sum();
        let records = wanted
            .iter()
            .flat_map(|s| s.missing.ids().map(move |id| (s, id)))
            .skip(paging.skip())
            .take(paging.page_size)
            .map(|(s, id)| library::episode(&s.record, id, s.record.found.of(id)))
            .collect();
        reply(Json(MissingPage {
            page: paging.page as u64,
            page_size: paging.page_size as u64,
            total_records: total as u64,
            records,
        }))
    }

    /// Calendar
    ///
    /// The library's episodes dated from `start` to `end`, by date. The catalogue's pages
    /// give no air dates, so an episode's `airDateUtc` is when the library learnt of it: when
    /// the series was added for the episodes listed then, when a later refresh found it for
    /// the others (series stored before dates were kept have dates only for what is found
    /// from then on).
    #[oai(path = "/api/v3/calendar", method = "get")]
    async fn calendar(
        &self,
        app: Data<&Arc<App>>,
        _auth: ReadAuth,
        /// From (included): an ISO date (its first instant) or date-time; default today
        /// (UTC).
        start: Query<Option<String>>,
        /// To (included): an ISO date (the whole day) or date-time; default two days after
        /// `start`.
        end: Query<Option<String>>,
        /// `true` includes the series automatic downloads do not apply to (default `false`).
        unmonitored: Query<Option<String>>,
    ) -> Reply<Json<Vec<Episode>>, Calendar> {
        let (from, to) = calendar_range(start.0.as_deref(), end.0.as_deref(), app.health.now())?;
        let unmonitored = flag(unmonitored.0.as_deref(), false);
        let view = app.library.view();
        let mut found: Vec<Episode> = view
            .all()
            .filter(|s| unmonitored || s.record.policy.monitored)
            .flat_map(|s| library::found_between(&s.record, from, to))
            .collect();
        found.sort_by(|a, b| library::by_date(a).cmp(&library::by_date(b)));
        reply(Json(found))
    }
}
