//! API.md section 3: the library (status, missing-episode list, add, rescan, one series) and
//! the catalogue search. The list answers from the library's in-memory view.
//!
//! `dto.rs` holds the series bodies, `policy.rs` one series in detail with its settings.

mod cover;
pub(super) mod dto;
mod policy;

use std::sync::Arc;

use poem::web::Data;
use poem_openapi::OpenApi;
use poem_openapi::param::{Header, Path, Query};
use poem_openapi::payload::Json;
use serde_json::json;

use self::cover::{CoverImage, cover_url};
use self::dto::{
    AddSeriesRequest, LibraryStatusDto, RescanStarted, SearchAnswer, SearchRequest, SeriesAdded,
    SeriesSummary, SeriesSummaryRef, SiteName, episode_map,
};
use self::policy::{SeriesDetail, SeriesPolicyPatch};
use crate::adapters::http::ApiTags;
use crate::adapters::http::error::{ApiError, Code};
use crate::adapters::http::json_body::JsonBytes;
use crate::adapters::http::outcomes::{
    INVALID, MALFORMED, Reply, STORAGE, TOO_LARGE, UNAUTHORIZED, UPSTREAM, UPSTREAM_TIMEOUT,
    outcomes, reply,
};
use crate::adapters::http::security::{AdminAuth, ReadAuth};
use crate::app::App;
use crate::app::library::LibraryError;
use crate::domain::catalogue::Language;
use crate::domain::library::{LibraryInputError, ListQuery};
use crate::domain::library_view::ListedSeries;
use crate::domain::site::Site;

/// Anime endpoints.
pub struct AnimeApi;

outcomes!(LibraryStatus: "The library directory and its number of series", [UNAUTHORIZED]);
outcomes!(ListSeries(LibraryInputError): "One page of series, each with its missing episodes by season", [
    UNAUTHORIZED,
    (Code::Validation, "A parameter out of range or ill-typed (`details.field` names it)"),
]);
outcomes!(SearchQuery(LibraryError): "The catalogue's series matching the query", [
    (Code::Validation, "The query is missing, empty or over 200 characters, or `site` names a site that is switched off"),
    UPSTREAM,
    UPSTREAM_TIMEOUT,
]);
outcomes!(SearchBody(LibraryError): "The catalogue's series matching the query", [
    MALFORMED,
    TOO_LARGE,
    (Code::Validation, "The query is missing, empty or over 200 characters, or `site` names a site that is switched off"),
    UPSTREAM,
    UPSTREAM_TIMEOUT,
]);
outcomes!(AddSeries(LibraryError): "The series as added, with its missing episodes", [
    (Code::BadRequest, "Malformed JSON, or no library directory is set"),
    UNAUTHORIZED,
    (Code::NotFound, "The catalogue has no series at that link"),
    (Code::Conflict, "The series, or a series with that folder, is in the library already"),
    TOO_LARGE,
    (Code::Validation, "The link is not a catalogue series link, its site is switched off, or the name is unusable"),
    UPSTREAM,
    UPSTREAM_TIMEOUT,
    STORAGE,
]);
outcomes!(Rescan(LibraryError): "The rescan started (or one was running already)", [
    (Code::BadRequest, "No library directory is set"),
    UNAUTHORIZED,
]);
outcomes!(SeriesFound(LibraryError): "The series", [(Code::NotFound, "No series with that key or folder")]);
outcomes!(CoverFound(LibraryError): "The series' cover", [(
    Code::NotFound,
    "No series with that key or folder, or no cover kept for it (yet)"
)]);
outcomes!(PolicyChanged(LibraryError): "The series with its settings as changed", [
    MALFORMED,
    UNAUTHORIZED,
    (Code::NotFound, "No series with that key or folder"),
    TOO_LARGE,
    INVALID,
    STORAGE,
]);

#[OpenApi(tag = "ApiTags::Anime")]
impl AnimeApi {
    /// Library status
    ///
    /// The library directory (null while none is set) and how many series it holds.
    #[oai(path = "/api/anime/status", method = "get")]
    async fn status(
        &self,
        app: Data<&Arc<App>>,
        _auth: ReadAuth,
    ) -> Reply<Json<LibraryStatusDto>, LibraryStatus> {
        reply(Json(app.library.status().into()))
    }

    /// List series with missing episodes
    ///
    /// The library's series that have missing episodes, one page at a time, each with its
    /// missing episodes by season. With `awaiting_upgrade=true`, the series with episodes on
    /// disk waiting for a better language instead.
    #[oai(path = "/api/anime", method = "get")]
    // poem-openapi takes each query parameter as an argument.
    #[allow(clippy::too_many_arguments)]
    async fn list(
        &self,
        app: Data<&Arc<App>>,
        _auth: ReadAuth,
        /// Page number, 1 or more.
        page: Query<Option<i64>>,
        /// Items per page, 1 to 1000 (default 20).
        per_page: Query<Option<i64>>,
        /// `title`, `id`, `name` or `missing_episodes` (most missing first).
        sort_by: Query<Option<String>>,
        /// Case-insensitive substring of the name, key or folder.
        filter: Query<Option<String>>,
        /// `true` lists the series with episodes on disk waiting for a better language
        /// (series with `upgrade` on), each with its `awaiting_upgrade` episodes, instead.
        awaiting_upgrade: Query<Option<bool>>,
    ) -> Reply<JsonBytes<Vec<SeriesSummary>>, ListSeries> {
        let query = ListQuery::parse(
            page.0,
            per_page.0,
            sort_by.0.as_deref(),
            filter.0.as_deref(),
        )?;
        if awaiting_upgrade.0 == Some(true) {
            let global = app.config.current().languages();
            let listed = app.library.awaiting_upgrade(&query, &global);
            let page: Vec<SeriesSummaryRef> = listed
                .iter()
                .map(|(s, waiting)| SeriesSummaryRef {
                    awaiting_upgrade: Some(episode_map(waiting.iter().copied())),
                    cover: cover_link(&app, s.record.series.key.as_str()),
                    ..SeriesSummaryRef::from(&**s)
                })
                .collect();
            return reply(JsonBytes::of(&page)?);
        }
        let listed = app.library.list(&query);
        let page: Vec<SeriesSummaryRef> = listed
            .iter()
            .map(|s| SeriesSummaryRef {
                cover: cover_link(&app, s.record.series.key.as_str()),
                ..SeriesSummaryRef::from(&**s)
            })
            .collect();
        reply(JsonBytes::of(&page)?)
    }

    /// Search the catalogue
    ///
    /// Asks the catalogue sites for series matching the query: aniworld.to, and s.to too
    /// when `provider.sto_enabled` is on, at once and within one deadline; `site` says where
    /// each result is from. A site that fails while another answers is named in the
    /// `X-Search-Warnings` header. Series already in the library answer with their folder
    /// and missing episodes; others with the folder they would get. Public: no token needed.
    #[oai(path = "/api/anime/search", method = "get")]
    async fn search_get(
        &self,
        app: Data<&Arc<App>>,
        /// Search term, 1 to 200 characters after trimming.
        query: Query<String>,
        /// Search only this site (`aniworld.to` or `s.to`); every enabled site when left out.
        site: Query<Option<SiteName>>,
    ) -> Reply<SearchAnswer, SearchQuery> {
        reply(search(&app, &query.0, site.0).await?)
    }

    /// Search the catalogue (body)
    ///
    /// As `GET /api/anime/search`, with the query in the body.
    #[oai(path = "/api/anime/search", method = "post")]
    async fn search_post(
        &self,
        app: Data<&Arc<App>>,
        body: Json<SearchRequest>,
    ) -> Reply<SearchAnswer, SearchBody> {
        reply(search(&app, &body.0.query, body.0.site).await?)
    }

    /// Add a series
    ///
    /// Adds a series by its catalogue link: the catalogue's pages are read, the series is
    /// stored, its folder (the sanitised name) and `aniworld.json` sidecar are created, and
    /// the folder is scanned for the episodes on disk. Answers the missing episodes.
    #[oai(path = "/api/anime/add", method = "post")]
    async fn add(
        &self,
        app: Data<&Arc<App>>,
        _auth: AdminAuth,
        body: Json<AddSeriesRequest>,
    ) -> Reply<Json<SeriesAdded>, AddSeries> {
        let added = app
            .library
            .add(&body.0.link, body.0.name.as_deref())
            .await?;
        // The cover comes along where the site sends it in time; else the background task
        // fetches it.
        let key = &added.record.series.key;
        let cover = tokio::time::timeout(ADD_COVER_WAIT, app.covers.ensure(key))
            .await
            .ok()
            .flatten();
        reply(Json(SeriesAdded {
            cover: cover.map(|c| cover_url(key.as_str(), &c)),
            ..SeriesAdded::from(&*added)
        }))
    }

    /// Rescan the library
    ///
    /// Rescans the library folders on disk in the background; progress and the result
    /// arrive on the WebSocket (`scan_progress`, `scan_complete`).
    #[oai(path = "/api/anime/rescan", method = "post")]
    async fn rescan(
        &self,
        app: Data<&Arc<App>>,
        _auth: AdminAuth,
    ) -> Reply<Json<RescanStarted>, Rescan> {
        let started = app.library.start_rescan()?;
        reply(Json(RescanStarted::new(started)))
    }

    /// Get a series
    ///
    /// One series of the library, by key (or, deprecated, by folder): its missing and
    /// available episodes, its settings (`monitored`, `languages`, `upgrade`) and the
    /// language of each file on disk. Public: no token needed.
    #[oai(path = "/api/anime/:anime_id", method = "get")]
    async fn detail(
        &self,
        app: Data<&Arc<App>>,
        /// The series key (`attack-on-titan`, `sto:breaking-bad`; or, deprecated, its folder).
        anime_id: Path<String>,
    ) -> Reply<Json<SeriesDetail>, SeriesFound> {
        let found = app.library.find(&anime_id.0)?;
        let global = app.config.current().languages();
        reply(Json(detail(&app, &found, &global)))
    }

    /// Get a series' cover
    ///
    /// The series' cover as its catalogue site shows it, fetched once through the browser
    /// identity and kept in the data dir (JPEG, PNG, WebP, GIF or AVIF, as the site has it),
    /// so the UI never loads an image from another host. Series answers give its URL as
    /// `cover` (null while none is kept), with the version as `v`: asked with the current
    /// version, the answer may be cached for a year. Answers 304 to a matching
    /// `If-None-Match`. Public, as the series is.
    #[oai(path = "/api/anime/:anime_id/cover", method = "get")]
    async fn cover(
        &self,
        app: Data<&Arc<App>>,
        /// The series key (`attack-on-titan`, `sto:breaking-bad`; or, deprecated, its folder).
        anime_id: Path<String>,
        /// The cover's version, as the `cover` URL names it.
        v: Query<Option<String>>,
        #[oai(name = "If-None-Match")] if_none_match: Header<Option<String>>,
    ) -> Reply<CoverImage, CoverFound> {
        let found = app.library.find(&anime_id.0)?;
        let key = &found.record.series.key;
        let Some((cover, bytes)) = app.covers.image(key).await else {
            return Err(ApiError::not_found(format!("No cover is kept for {key} (yet)")).into());
        };
        reply(CoverImage::of(
            &cover,
            bytes,
            v.0.as_deref(),
            if_none_match.0.as_deref(),
        ))
    }

    /// Change a series' settings
    ///
    /// Sets `monitored`, `languages` and `upgrade` of one series; fields left out keep their
    /// value, unknown fields and languages are refused (422, nothing changes). Stored in the
    /// database and the series' sidecar. Answers the series as changed.
    #[oai(path = "/api/anime/:anime_id", method = "patch")]
    async fn patch(
        &self,
        app: Data<&Arc<App>>,
        _auth: AdminAuth,
        /// The series key (`attack-on-titan`, `sto:breaking-bad`; or, deprecated, its folder).
        anime_id: Path<String>,
        body: Json<SeriesPolicyPatch>,
    ) -> Reply<Json<SeriesDetail>, PolicyChanged> {
        let patch = body.0.parse().map_err(|bad| {
            ApiError::validation(format!(
                "languages: {bad:?} is not one of German Dub, German Sub, English Sub, English Dub"
            ))
            .with_details(json!({ "field": "languages", "value": bad }))
        })?;
        let changed = app.library.set_policy(&anime_id.0, &patch).await?;
        let global = app.config.current().languages();
        reply(Json(detail(&app, &changed, &global)))
    }
}

async fn search(
    app: &App,
    query: &str,
    only: Option<SiteName>,
) -> Result<SearchAnswer, LibraryError> {
    let found = app.library.search(query, only.map(Site::from)).await?;
    let series = found
        .series
        .into_iter()
        .map(SeriesSummary::from)
        .map(|s| SeriesSummary {
            cover: cover_link(app, &s.key),
            ..s
        })
        .collect();
    Ok(SearchAnswer::new(series, &found.warnings))
}

/// How long adding a series waits for its cover.
const ADD_COVER_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

/// This server's URL of the cover kept for `key`, if any.
fn cover_link(app: &App, key: &str) -> Option<String> {
    app.covers.cover_of(key).map(|c| cover_url(key, &c))
}

/// A series in detail with its cover.
fn detail(app: &App, found: &ListedSeries, global: &[Language]) -> SeriesDetail {
    SeriesDetail {
        cover: cover_link(app, found.record.series.key.as_str()),
        ..SeriesDetail::of(found, global)
    }
}
