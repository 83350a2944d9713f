//! API.md section 4: the download queue — its status, adding episodes, removing and
//! clearing items, reordering, retrying, and starting or stopping the workers.
//!
//! `dto.rs` holds the queue's status and items, `bodies.rs` the requests, the short answers
//! and what each operation can answer.

mod bodies;
pub(super) mod dto;

use std::sync::Arc;

use poem::web::Data;
use poem_openapi::param::Path;
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, OpenApi};
use serde_json::json;

use self::bodies::{
    AddToQueueRequest, AddToQueueResponse, ClearedResponse, FailedItemDto, ItemIdsRequest,
    QueueAdd, QueueClear, QueueControl, QueueMessage, QueueRemoveMany, QueueRemoveOne,
    QueueReorder, QueueRetry, QueueStart, QueueStatus, RetriedResponse,
};
use self::dto::QueueStatusResponse;
use crate::adapters::http::ApiTags;
use crate::adapters::http::error::ApiError;
use crate::adapters::http::json_body::JsonBytes;
use crate::adapters::http::outcomes::{Reply, reply};
use crate::adapters::http::security::{AdminAuth, ReadAuth};
use crate::app::App;
use crate::app::queue::{AddEpisode, AddRequest, QueueError};
use crate::domain::episode::EpisodeId;
use crate::domain::queue::{ItemId, Priority, Status};

/// Queue endpoints.
pub struct QueueApi;

#[derive(ApiResponse)]
enum AddResponse {
    /// The episodes were considered: `added_items` were queued, `failed_items` were not.
    #[oai(status = 201)]
    Created(Json<AddToQueueResponse>),
}

#[derive(ApiResponse)]
enum Removed {
    /// Removed.
    #[oai(status = 204)]
    NoContent,
}

/// Ids from a request body; a text that is not a UUID is a validation error.
fn parse_ids(ids: &[String]) -> Result<Vec<ItemId>, ApiError> {
    ids.iter()
        .map(|raw| {
            ItemId::parse(raw).ok_or_else(|| {
                ApiError::validation(format!("item_ids: {:?} is not a UUID", cut(raw)))
                    .with_details(json!({ "field": "item_ids" }))
            })
        })
        .collect()
}

fn cut(raw: &str) -> String {
    raw.chars().take(64).collect()
}

fn ok(message: impl Into<String>) -> Json<QueueMessage> {
    Json(QueueMessage::success(message))
}

#[OpenApi(tag = "ApiTags::Queue")]
impl QueueApi {
    /// Queue status
    ///
    /// The items by section (active, pending in the order workers take them, completed,
    /// failed) and statistics: counts, MiB downloaded, speed and estimated time left.
    #[oai(path = "/api/queue/status", method = "get")]
    async fn status(
        &self,
        app: Data<&Arc<App>>,
        _auth: ReadAuth,
    ) -> Reply<JsonBytes<QueueStatusResponse>, QueueStatus> {
        // Straight with serde: poem-openapi's Json tree was 10 MiB for 10,000 items a call.
        reply(JsonBytes::of(&QueueStatusResponse::from(
            &app.queue.status(),
        ))?)
    }

    /// Add episodes
    ///
    /// Queues episodes of one series (1 to 20,000), each once: an episode already queued,
    /// on disk, or not listed by the catalogue is answered in `failed_items` with the
    /// reason. A series not in the library needs `serie_folder`.
    #[oai(path = "/api/queue/add", method = "post")]
    async fn add(
        &self,
        app: Data<&Arc<App>>,
        _auth: AdminAuth,
        body: Json<AddToQueueRequest>,
    ) -> Reply<AddResponse, QueueAdd> {
        let body = body.0;
        let request = AddRequest {
            series: body.serie_id,
            folder: body.serie_folder,
            name: body.serie_name,
            episodes: body
                .episodes
                .into_iter()
                .map(|e| AddEpisode {
                    episode: EpisodeId::new(e.season, e.episode),
                    title: e.title,
                })
                .collect(),
            priority: body.priority.map(Priority::from).unwrap_or_default(),
        };
        let outcome = app.queue.add(request).await?;
        let ids: Vec<String> = outcome.added.iter().map(ToString::to_string).collect();
        reply(AddResponse::Created(Json(AddToQueueResponse {
            status: "success".into(),
            message: format!("Added {} episode(s) to download queue", ids.len()),
            added_items: ids.clone(),
            item_ids: ids,
            failed_items: outcome
                .failed
                .into_iter()
                .map(FailedItemDto::from)
                .collect(),
        })))
    }

    /// Start the queue
    ///
    /// Workers take pending items, `downloads.parallel_downloads` at a time.
    #[oai(path = "/api/queue/start", method = "post")]
    async fn start(
        &self,
        app: Data<&Arc<App>>,
        _auth: AdminAuth,
    ) -> Reply<Json<QueueMessage>, QueueStart> {
        app.queue.start().await?;
        reply(ok("Queue processing started"))
    }

    /// Stop the queue
    ///
    /// Workers take no new items; running downloads finish.
    #[oai(path = "/api/queue/stop", method = "post")]
    async fn stop(
        &self,
        app: Data<&Arc<App>>,
        _auth: AdminAuth,
    ) -> Reply<Json<QueueMessage>, QueueControl> {
        app.queue.stop().await?;
        reply(ok(
            "Queue processing stopped (current download will continue)",
        ))
    }

    /// Pause the queue
    ///
    /// As stop; the queue shows `is_paused` until started again.
    #[oai(path = "/api/queue/pause", method = "post")]
    async fn pause(
        &self,
        app: Data<&Arc<App>>,
        _auth: AdminAuth,
    ) -> Reply<Json<QueueMessage>, QueueControl> {
        app.queue.pause().await?;
        reply(ok("Queue processing paused"))
    }

    /// Clear completed
    ///
    /// Removes the completed items from the history (the files stay).
    #[oai(path = "/api/queue/completed", method = "delete")]
    async fn clear_completed(
        &self,
        app: Data<&Arc<App>>,
        _auth: AdminAuth,
    ) -> Reply<Json<ClearedResponse>, QueueClear> {
        reply(clear(&app, Status::Completed, "Cleared {} completed item(s)").await?)
    }

    /// Clear failed
    ///
    /// Removes the failed items from the history.
    #[oai(path = "/api/queue/failed", method = "delete")]
    async fn clear_failed(
        &self,
        app: Data<&Arc<App>>,
        _auth: AdminAuth,
    ) -> Reply<Json<ClearedResponse>, QueueClear> {
        reply(clear(&app, Status::Failed, "Cleared {} failed item(s)").await?)
    }

    /// Clear pending
    ///
    /// Removes every pending item.
    #[oai(path = "/api/queue/pending", method = "delete")]
    async fn clear_pending(
        &self,
        app: Data<&Arc<App>>,
        _auth: AdminAuth,
    ) -> Reply<Json<ClearedResponse>, QueueClear> {
        reply(clear(&app, Status::Pending, "Removed {} pending item(s)").await?)
    }

    /// Remove an item
    ///
    /// Removes one item; a running download is cancelled and its partial file deleted.
    #[oai(path = "/api/queue/:item_id", method = "delete")]
    async fn remove_one(
        &self,
        app: Data<&Arc<App>>,
        _auth: AdminAuth,
        /// The item's UUID.
        item_id: Path<String>,
    ) -> Reply<Removed, QueueRemoveOne> {
        let id = ItemId::parse(&item_id.0).ok_or_else(|| QueueError::NotFound(cut(&item_id.0)))?;
        app.queue.remove(&[id]).await?;
        reply(Removed::NoContent)
    }

    /// Remove items
    ///
    /// Removes the listed items (all or none: an unknown id removes nothing); running
    /// downloads are cancelled.
    #[oai(path = "/api/queue", method = "delete")]
    async fn remove_many(
        &self,
        app: Data<&Arc<App>>,
        _auth: AdminAuth,
        body: Json<ItemIdsRequest>,
    ) -> Reply<Removed, QueueRemoveMany> {
        let ids = parse_ids(&body.0.item_ids)?;
        app.queue.remove(&ids).await?;
        reply(Removed::NoContent)
    }

    /// Reorder pending items
    ///
    /// Puts the listed pending items first, in that order; the others follow in their
    /// order.
    #[oai(path = "/api/queue/reorder", method = "post")]
    async fn reorder(
        &self,
        app: Data<&Arc<App>>,
        _auth: AdminAuth,
        body: Json<ItemIdsRequest>,
    ) -> Reply<Json<QueueMessage>, QueueReorder> {
        let ids = parse_ids(&body.0.item_ids)?;
        let count = app.queue.reorder(&ids).await?;
        reply(ok(format!("Queue reordered with {count} items")))
    }

    /// Retry failed items
    ///
    /// Puts failed items back in the queue, all of them when `item_ids` is empty.
    #[oai(path = "/api/queue/retry", method = "post")]
    async fn retry(
        &self,
        app: Data<&Arc<App>>,
        _auth: AdminAuth,
        body: Json<ItemIdsRequest>,
    ) -> Reply<Json<RetriedResponse>, QueueRetry> {
        let ids = parse_ids(&body.0.item_ids)?;
        let retried = app.queue.retry(&ids).await?;
        reply(Json(RetriedResponse {
            status: "success".into(),
            message: format!("Retrying {} failed item(s)", retried.len()),
            retried_count: retried.len() as u64,
            retried_ids: retried.iter().map(ToString::to_string).collect(),
        }))
    }
}

async fn clear(
    app: &App,
    status: Status,
    message: &str,
) -> Result<Json<ClearedResponse>, QueueError> {
    let count = app.queue.clear(status).await?;
    Ok(Json(ClearedResponse {
        status: "success".into(),
        message: message.replace("{}", &count.to_string()),
        count: count as u64,
    }))
}
