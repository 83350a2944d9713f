//! The request bodies of API.md section 4 and the answers that are not the queue's status:
//! adding episodes, lists of item ids, and the short confirmations; and what each queue
//! operation can answer.

use poem_openapi::Object;
use poem_openapi::types::Example;

use super::dto::{EpisodeDto, PriorityDto};
use crate::adapters::http::error::Code;
use crate::adapters::http::outcomes::{
    INVALID, MALFORMED, STORAGE, Status, TOO_LARGE, UNAUTHORIZED, outcomes,
};
use crate::app::queue::{FailedEpisode, QueueError};

/// `POST /api/queue/add`.
#[derive(Debug, Object)]
#[oai(example)]
pub struct AddToQueueRequest {
    /// The series key (as in `GET /api/anime/{id}`).
    pub serie_id: String,
    /// The series folder; used only for a series that is not in the library.
    #[oai(nullable)]
    pub serie_folder: Option<String>,
    #[oai(nullable)]
    pub serie_name: Option<String>,
    /// 1 to 20,000 episodes.
    pub episodes: Vec<EpisodeDto>,
    /// NORMAL when left out.
    #[oai(nullable)]
    pub priority: Option<PriorityDto>,
}

impl Example for AddToQueueRequest {
    fn example() -> Self {
        Self {
            serie_id: "attack-on-titan".into(),
            serie_folder: Some("Attack on Titan (2013)".into()),
            serie_name: Some("Attack on Titan".into()),
            episodes: vec![
                EpisodeDto {
                    season: 1,
                    episode: 1,
                    title: Some("Episode 1".into()),
                },
                EpisodeDto {
                    season: 1,
                    episode: 2,
                    title: Some("Episode 2".into()),
                },
            ],
            priority: Some(PriorityDto::Normal),
        }
    }
}

/// An episode that was not added, and why.
#[derive(Debug, Object)]
pub struct FailedItemDto {
    pub season: u32,
    pub episode: u32,
    #[oai(nullable)]
    pub title: Option<String>,
    pub reason: String,
}

impl From<FailedEpisode> for FailedItemDto {
    fn from(f: FailedEpisode) -> Self {
        Self {
            season: f.episode.season,
            episode: f.episode.episode,
            title: f.title,
            reason: f.reason,
        }
    }
}

/// What an add did.
#[derive(Debug, Object)]
#[oai(example)]
pub struct AddToQueueResponse {
    /// `success`.
    pub status: String,
    pub message: String,
    /// The ids of the items added.
    pub added_items: Vec<String>,
    /// The same ids (both names are in use).
    pub item_ids: Vec<String>,
    /// Episodes not added, each with the reason.
    pub failed_items: Vec<FailedItemDto>,
}

/// A list of queue item ids.
#[derive(Debug, Object)]
#[oai(example)]
pub struct ItemIdsRequest {
    pub item_ids: Vec<String>,
}

impl Example for ItemIdsRequest {
    fn example() -> Self {
        Self {
            item_ids: vec![
                "0b9c5c3e-6f1d-4c57-9d2a-3e1f0e7c2b11".into(),
                "5f0c6f5e-8d0b-4a53-9a43-9a5f3c2b1d7e".into(),
            ],
        }
    }
}

/// `{"status": "success", "message": ...}`.
#[derive(Debug, Object)]
#[oai(example)]
pub struct QueueMessage {
    pub status: String,
    pub message: String,
}

impl QueueMessage {
    pub fn success(message: impl Into<String>) -> Self {
        Self {
            status: "success".into(),
            message: message.into(),
        }
    }
}

/// A clear: how many items went.
#[derive(Debug, Object)]
#[oai(example)]
pub struct ClearedResponse {
    pub status: String,
    pub message: String,
    pub count: u64,
}

/// A retry: which items went back in the queue.
#[derive(Debug, Object)]
#[oai(example)]
pub struct RetriedResponse {
    pub status: String,
    pub message: String,
    pub retried_count: u64,
    pub retried_ids: Vec<String>,
}

const NO_ITEM: Status = (
    Code::NotFound,
    "An id names no item in the queue (nothing changed)",
);

outcomes!(QueueStatus: "The queue's sections and statistics", [UNAUTHORIZED]);
outcomes!(QueueAdd(QueueError): "", [
    (Code::BadRequest, "Malformed JSON, or no library directory is set"),
    UNAUTHORIZED,
    TOO_LARGE,
    INVALID,
    STORAGE,
]);
outcomes!(QueueStart(QueueError): "The queue takes items", [
    (Code::BadRequest, "No library directory is set"),
    UNAUTHORIZED,
    STORAGE,
]);
outcomes!(QueueControl(QueueError): "Done", [UNAUTHORIZED, STORAGE]);
outcomes!(QueueClear(QueueError): "How many items went", [UNAUTHORIZED, STORAGE]);
outcomes!(QueueRemoveOne(QueueError): "", [UNAUTHORIZED, (Code::NotFound, "No item with that id"), STORAGE]);
outcomes!(QueueRemoveMany(QueueError): "", [MALFORMED, UNAUTHORIZED, NO_ITEM, TOO_LARGE, INVALID, STORAGE]);
outcomes!(QueueReorder(QueueError): "The new order was applied", [
    MALFORMED,
    UNAUTHORIZED,
    (Code::NotFound, "An id names no pending item (nothing changed)"),
    TOO_LARGE,
    INVALID,
    STORAGE,
]);
outcomes!(QueueRetry(QueueError): "The items put back in the queue", [
    MALFORMED,
    UNAUTHORIZED,
    (Code::NotFound, "An id names no failed item"),
    TOO_LARGE,
    INVALID,
    STORAGE,
]);

impl Example for AddToQueueResponse {
    fn example() -> Self {
        Self {
            status: "success".into(),
            message: "Added 1 episode(s) to download queue".into(),
            added_items: vec!["0b9c5c3e-6f1d-4c57-9d2a-3e1f0e7c2b11".into()],
            item_ids: vec!["0b9c5c3e-6f1d-4c57-9d2a-3e1f0e7c2b11".into()],
            failed_items: vec![FailedItemDto {
                season: 1,
                episode: 2,
                title: Some("Episode 2".into()),
                reason: "already in the queue".into(),
            }],
        }
    }
}

impl Example for QueueMessage {
    fn example() -> Self {
        Self::success("Queue processing started")
    }
}

impl Example for ClearedResponse {
    fn example() -> Self {
        Self {
            status: "success".into(),
            message: "Cleared 5 completed item(s)".into(),
            count: 5,
        }
    }
}

impl Example for RetriedResponse {
    fn example() -> Self {
        Self {
            status: "success".into(),
            message: "Retrying 1 failed item(s)".into(),
            retried_count: 1,
            retried_ids: vec!["0b9c5c3e-6f1d-4c57-9d2a-3e1f0e7c2b11".into()],
        }
    }
}
