//! INTEGRATIONS.md section 6: the activity history, newest first: every grab, download,
//! failure, upgrade, removal and change of health, paged and filtered by event and series.
//! A `read` key may read it.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use poem::web::Data;
use poem_openapi::param::Query;
use poem_openapi::payload::Json;
use poem_openapi::{Object, OpenApi};
use serde_json::json;

use crate::adapters::http::ApiTags;
use crate::adapters::http::error::{ApiError, Code};
use crate::adapters::http::outcomes::{INVALID, Reply, STORAGE, UNAUTHORIZED, outcomes, reply};
use crate::adapters::http::security::ReadAuth;
use crate::app::App;
use crate::app::history::MAX_PER_PAGE;
use crate::domain::history::{HistoryEntry, HistoryEvent, HistoryFilter};

/// The history endpoint.
pub struct HistoryApi;

outcomes!(ListHistory: "", [UNAUTHORIZED, INVALID, STORAGE]);

/// One thing that happened.
#[derive(Debug, Object)]
pub struct HistoryItem {
    /// Unique and increasing (the event's sequence number).
    pub id: u64,
    pub at: DateTime<Utc>,
    /// `grab`, `download`, `failure`, `upgrade`, `removal` or `health`.
    pub event: String,
    /// The series key (download events).
    #[oai(nullable)]
    pub series: Option<String>,
    #[oai(nullable)]
    pub series_name: Option<String>,
    #[oai(nullable)]
    pub season: Option<u32>,
    #[oai(nullable)]
    pub episode: Option<u32>,
    /// The queue item.
    #[oai(nullable)]
    pub download_id: Option<String>,
    /// Who queued it: `user`, `auto`, `upgrade` or `arr` (Sonarr).
    #[oai(nullable)]
    pub origin: Option<String>,
    #[oai(nullable)]
    pub hoster: Option<String>,
    #[oai(nullable)]
    pub language: Option<String>,
    /// For an upgrade: the language of the file it replaced.
    #[oai(nullable)]
    pub upgraded_from: Option<String>,
    /// The file, relative to the anime directory (or, for Sonarr's, to the `arr` folder).
    #[oai(nullable)]
    pub file: Option<String>,
    #[oai(nullable)]
    pub size_bytes: Option<u64>,
    /// How long the download took, in milliseconds.
    #[oai(nullable)]
    pub duration_ms: Option<u64>,
    /// Why it failed, or why a source is not healthy.
    #[oai(nullable)]
    pub error: Option<String>,
    /// For health: `catalogue`, `catalogue:s.to` or `hoster:<name>`.
    #[oai(nullable)]
    pub source: Option<String>,
    /// For health: the new state (`healthy`, `failing`); for a removal, the item's status.
    #[oai(nullable)]
    pub status: Option<String>,
    /// For health: the state before.
    #[oai(nullable)]
    pub previous: Option<String>,
}

impl From<HistoryEntry> for HistoryItem {
    fn from(e: HistoryEntry) -> Self {
        Self {
            id: e.id,
            at: e.at,
            event: e.event.name().to_owned(),
            series: e.series,
            series_name: e.series_name,
            season: e.season,
            episode: e.episode,
            download_id: e.download_id,
            origin: e.origin,
            hoster: e.hoster,
            language: e.language,
            upgraded_from: e.upgraded_from,
            file: e.file,
            size_bytes: e.size_bytes,
            duration_ms: e.duration_ms,
            error: e.error,
            source: e.source,
            status: e.status,
            previous: e.previous,
        }
    }
}

/// One page of the history.
#[derive(Debug, Object)]
pub struct HistoryPageDto {
    /// Newest first.
    pub items: Vec<HistoryItem>,
    /// Entries the filter keeps, on every page.
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
}

fn invalid(field: &str, message: String) -> ApiError {
    ApiError::new(Code::Validation, message).with_details(json!({ "field": field }))
}

#[OpenApi(tag = "ApiTags::History")]
impl HistoryApi {
    /// The activity history
    ///
    /// Newest first: every grab, download (hoster, language, size, time taken), failure (its
    /// error), upgrade, removal and change of health, kept `history.keep_days` days.
    #[oai(path = "/api/history", method = "get")]
    async fn list(
        &self,
        app: Data<&Arc<App>>,
        _auth: ReadAuth,
        /// Page number, from 1 (default 1).
        page: Query<Option<i64>>,
        /// Entries per page, 1 to 500 (default 50).
        per_page: Query<Option<i64>>,
        /// Only this event: `grab`, `download`, `failure`, `upgrade`, `removal`, `health`.
        event: Query<Option<String>>,
        /// Only this series (its key).
        series: Query<Option<String>>,
    ) -> Reply<Json<HistoryPageDto>, ListHistory> {
        let page = page.0.unwrap_or(1);
        if page < 1 {
            return Err(invalid("page", "page must be 1 or more".into()).into());
        }
        let per_page = per_page.0.unwrap_or(50);
        if !(1..=MAX_PER_PAGE as i64).contains(&per_page) {
            let message = format!("per_page must be between 1 and {MAX_PER_PAGE}");
            return Err(invalid("per_page", message).into());
        }
        let event = match event.0.as_deref().map(str::trim).filter(|e| !e.is_empty()) {
            None => None,
            Some(name) => Some(HistoryEvent::parse(name).ok_or_else(|| {
                let names: Vec<&str> = HistoryEvent::ALL.iter().map(|e| e.name()).collect();
                invalid(
                    "event",
                    format!("event must be one of {}", names.join(", ")),
                )
            })?),
        };
        let series = series
            .0
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty());
        let (page, per_page) = (page as u64, per_page as u64);
        let found = app
            .history
            .page(HistoryFilter { event, series }, page, per_page)
            .await
            .map_err(ApiError::from)?;
        reply(Json(HistoryPageDto {
            items: found.entries.into_iter().map(HistoryItem::from).collect(),
            total: found.total,
            page,
            per_page,
        }))
    }
}
