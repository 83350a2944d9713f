//! The request bodies of API.md section 4 and the answers that are not the queue's status:
//! adding episodes, lists of item ids, and the short confirmations.

use poem_openapi::Object;
use poem_openapi::types::Example;

use super::queue_dto::{EpisodeDto, PriorityDto};
use crate::app::queue::FailedEpisode;

/// `POST /api/queue/add`.
#[derive(Debug, Object)]
#[oai(example)]
pub struct AddToQueueRequest {
    /// The series key (as in `GET /api/anime/{id}`).
    pub serie_id: String,
    /// The series folder; used only for a series that is not in the library.
    pub serie_folder: Option<String>,
    pub serie_name: Option<String>,
    /// 1 to 20,000 episodes.
    pub episodes: Vec<EpisodeDto>,
    /// NORMAL when left out.
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
pub struct ClearedResponse {
    pub status: String,
    pub message: String,
    pub count: u64,
}

/// A retry: which items went back in the queue.
#[derive(Debug, Object)]
pub struct RetriedResponse {
    pub status: String,
    pub message: String,
    pub retried_count: u64,
    pub retried_ids: Vec<String>,
}
