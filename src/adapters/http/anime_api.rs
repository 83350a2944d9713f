//! API.md section 3: the library (status, missing-episode list, add, rescan, one series) and
//! the catalogue search. The list answers from the library's in-memory view.

use std::sync::Arc;

use poem::web::Data;
use poem_openapi::OpenApi;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use serde_json::json;

use super::ApiTags;
use super::anime_dto::{
    AddSeriesRequest, LibraryStatusDto, RescanStarted, SearchRequest, SeriesAdded, SeriesDetail,
    SeriesSummary, SeriesSummaryRef, episode_map,
};
use super::error::ApiError;
use super::json_body::JsonBytes;
use super::security::BearerAuth;
use super::series_policy_dto::SeriesPolicyPatch;
use crate::app::App;
use crate::app::library::LibraryError;
use crate::domain::library::{LibraryInputError, ListQuery};

/// Anime endpoints.
pub struct AnimeApi;

/// Maps library failures to API errors.
pub fn library_error(e: LibraryError) -> ApiError {
    let message = e.to_string();
    match e {
        LibraryError::NoDirectory => ApiError::bad_request(message),
        LibraryError::Input(input) => {
            ApiError::validation(message).with_details(json!({ "field": input_field(&input) }))
        }
        LibraryError::InvalidLink(_) => {
            ApiError::validation(message).with_details(json!({ "field": "link" }))
        }
        LibraryError::InvalidName(_) => {
            ApiError::validation(message).with_details(json!({ "field": "name" }))
        }
        LibraryError::AlreadyInLibrary(key) => {
            ApiError::conflict(message).with_details(json!({ "key": key.as_str() }))
        }
        LibraryError::FolderTaken { folder, owner } => {
            ApiError::conflict(message).with_details(json!({ "folder": folder, "key": owner }))
        }
        LibraryError::NotFound(_) => ApiError::not_found(message),
        LibraryError::DirectoryUnusable(_) => {
            ApiError::bad_request(message).with_details(json!({ "field": "directory" }))
        }
        LibraryError::Provider(p) => ApiError::upstream(&p),
        LibraryError::Store(_) | LibraryError::Disk(_) | LibraryError::Config(_) => {
            ApiError::internal(message)
        }
    }
}

fn input_field(e: &LibraryInputError) -> &'static str {
    match e {
        LibraryInputError::Page(_) => "page",
        LibraryInputError::PerPage(_) => "per_page",
        LibraryInputError::SortBy(_) => "sort_by",
        LibraryInputError::SearchQuery => "query",
        LibraryInputError::RelativeDirectory(_) => "directory",
    }
}

#[OpenApi(tag = "ApiTags::Anime")]
impl AnimeApi {
    /// The library directory and how many series it holds.
    #[oai(path = "/api/anime/status", method = "get")]
    async fn status(&self, app: Data<&Arc<App>>, _auth: BearerAuth) -> Json<LibraryStatusDto> {
        Json(app.library.status().into())
    }

    /// The library's series that have missing episodes, one page at a time.
    #[oai(path = "/api/anime", method = "get")]
    // poem-openapi takes each query parameter as an argument.
    #[allow(clippy::too_many_arguments)]
    async fn list(
        &self,
        app: Data<&Arc<App>>,
        _auth: BearerAuth,
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
    ) -> Result<JsonBytes<Vec<SeriesSummary>>, ApiError> {
        let query = ListQuery::parse(
            page.0,
            per_page.0,
            sort_by.0.as_deref(),
            filter.0.as_deref(),
        )
        .map_err(|e| library_error(e.into()))?;
        if awaiting_upgrade.0 == Some(true) {
            let global = app.config.current().languages();
            let listed = app.library.awaiting_upgrade(&query, &global);
            let page: Vec<SeriesSummaryRef> = listed
                .iter()
                .map(|(s, waiting)| SeriesSummaryRef {
                    awaiting_upgrade: Some(episode_map(waiting.iter().copied())),
                    ..SeriesSummaryRef::from(&**s)
                })
                .collect();
            return JsonBytes::of(&page);
        }
        let listed = app.library.list(&query);
        let page: Vec<SeriesSummaryRef> = listed
            .iter()
            .map(|s| SeriesSummaryRef::from(&**s))
            .collect();
        JsonBytes::of(&page)
    }

    /// Search the catalogue site.
    #[oai(path = "/api/anime/search", method = "get")]
    async fn search_get(
        &self,
        app: Data<&Arc<App>>,
        /// Search term, 1 to 200 characters.
        query: Query<Option<String>>,
    ) -> Result<Json<Vec<SeriesSummary>>, ApiError> {
        search(&app, query.0.as_deref().unwrap_or_default()).await
    }

    /// Search the catalogue site (query in the body).
    #[oai(path = "/api/anime/search", method = "post")]
    async fn search_post(
        &self,
        app: Data<&Arc<App>>,
        body: Json<SearchRequest>,
    ) -> Result<Json<Vec<SeriesSummary>>, ApiError> {
        search(&app, &body.0.query).await
    }

    /// Add a series by its catalogue link: stored, folder and sidecar created, folder scanned.
    #[oai(path = "/api/anime/add", method = "post")]
    async fn add(
        &self,
        app: Data<&Arc<App>>,
        _auth: BearerAuth,
        body: Json<AddSeriesRequest>,
    ) -> Result<Json<SeriesAdded>, ApiError> {
        let added = app
            .library
            .add(&body.0.link, body.0.name.as_deref())
            .await
            .map_err(library_error)?;
        Ok(Json(SeriesAdded::from(&*added)))
    }

    /// Rescan the library on disk, in the background.
    #[oai(path = "/api/anime/rescan", method = "post")]
    async fn rescan(
        &self,
        app: Data<&Arc<App>>,
        _auth: BearerAuth,
    ) -> Result<Json<RescanStarted>, ApiError> {
        let started = app.library.start_rescan().map_err(library_error)?;
        Ok(Json(RescanStarted::new(started)))
    }

    /// One series, by key (or, deprecated, by folder): its episodes, settings and the
    /// language of each file.
    #[oai(path = "/api/anime/:anime_id", method = "get")]
    async fn detail(
        &self,
        app: Data<&Arc<App>>,
        anime_id: Path<String>,
    ) -> Result<Json<SeriesDetail>, ApiError> {
        let found = app.library.find(&anime_id.0).map_err(library_error)?;
        let global = app.config.current().languages();
        Ok(Json(SeriesDetail::of(&found, &global)))
    }

    /// Change a series' settings: `monitored`, `languages`, `upgrade`. Fields left out keep
    /// their value; the series is answered as changed.
    #[oai(path = "/api/anime/:anime_id", method = "patch")]
    async fn patch(
        &self,
        app: Data<&Arc<App>>,
        _auth: BearerAuth,
        anime_id: Path<String>,
        body: Json<SeriesPolicyPatch>,
    ) -> Result<Json<SeriesDetail>, ApiError> {
        let patch = body.0.parse().map_err(|bad| {
            ApiError::validation(format!(
                "languages: {bad:?} is not one of German Dub, German Sub, English Sub"
            ))
            .with_details(json!({ "field": "languages", "value": bad }))
        })?;
        let changed = app
            .library
            .set_policy(&anime_id.0, &patch)
            .await
            .map_err(library_error)?;
        let global = app.config.current().languages();
        Ok(Json(SeriesDetail::of(&changed, &global)))
    }
}

async fn search(app: &App, query: &str) -> Result<Json<Vec<SeriesSummary>>, ApiError> {
    let found = app.library.search(query).await.map_err(library_error)?;
    Ok(Json(found.into_iter().map(SeriesSummary::from).collect()))
}
