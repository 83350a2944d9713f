//! What the queue remembers about episodes beyond its items (CONTRACT.md section 5): that an
//! episode was queued automatically once (so it is not queued again), or that the user
//! removed it from the queue (so automatic downloads leave it alone).

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::domain::episode::EpisodeId;
use crate::domain::series::SeriesKey;

/// One episode of one series.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct EpisodeKey {
    pub series: SeriesKey,
    pub episode: EpisodeId,
}

impl EpisodeKey {
    /// The key of an episode.
    pub fn new(series: SeriesKey, episode: EpisodeId) -> Self {
        Self { series, episode }
    }

    /// `<series>/<season>-<episode>`, the store's key.
    pub fn to_key(&self) -> String {
        self.to_string()
    }

    /// Parses [`EpisodeKey::to_key`]'s form.
    pub fn parse(text: &str) -> Option<Self> {
        let (series, episode) = text.rsplit_once('/')?;
        Some(Self::new(
            SeriesKey::parse(series).ok()?,
            EpisodeId::parse_api(episode)?,
        ))
    }
}

impl fmt::Display for EpisodeKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.series, self.episode)
    }
}

/// Why automatic downloads skip an episode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Remembered {
    /// Automatic downloads queued it once already.
    AutoQueued,
    /// The user removed it from the queue: their "no" stands until they queue it themselves.
    RemovedByUser,
}
