//! The library as Sonarr's series and episode resources: `/api/v3/series`,
//! `/api/v3/wanted/missing` and `/api/v3/calendar`. A series' episodes are the catalogue's
//! list (or, while it is unknown, the files on disk); `episodeCount` is its files plus its
//! missing episodes, so `episodeCount - episodeFileCount` is the library's missing count.
//! The library keeps no episode titles, so an episode is called `Episode 5` (`Film 2`).

use std::collections::BTreeMap;
use std::path::Path;

use chrono::{DateTime, Utc};
use poem_openapi::Object;

use crate::domain::arr_id;
use crate::domain::episode::{EpisodeId, FILM_SEASON};
use crate::domain::episode_set::EpisodeSet;
use crate::domain::library::LibrarySeries;

/// A series of the library.
#[derive(Debug, Object)]
#[oai(rename = "SonarrSeries", rename_all = "camelCase")]
pub struct Series {
    /// The series' number, the same in every answer (`seriesId` elsewhere).
    pub id: i32,
    pub title: String,
    pub sort_title: String,
    /// The series key: `one-piece`, `sto:greys-anatomy`.
    pub title_slug: String,
    /// The series folder, absolute.
    pub path: String,
    /// Whether automatic downloads apply to the series.
    pub monitored: bool,
    /// The year it first aired; 0 where the catalogue does not say.
    pub year: i32,
    #[oai(skip_serializing_if_is_none)]
    pub overview: Option<String>,
    pub seasons: Vec<Season>,
    pub statistics: SeriesStatistics,
    /// Always empty: the product serves no cover images.
    pub images: Vec<serde_json::Value>,
}

/// One season (0 holds the films).
#[derive(Debug, Object)]
#[oai(rename = "SonarrSeason", rename_all = "camelCase")]
pub struct Season {
    pub season_number: u32,
    pub monitored: bool,
    pub statistics: Counts,
}

/// A season's episode counts.
#[derive(Debug, Default, Object)]
#[oai(rename = "SonarrCounts", rename_all = "camelCase")]
pub struct Counts {
    /// Episodes with a file on disk.
    pub episode_file_count: u32,
    /// Episodes with a file plus missing episodes.
    pub episode_count: u32,
    /// Every episode (the same as `episodeCount`: the catalogue lists no unaired ones).
    pub total_episode_count: u32,
    /// `episodeFileCount` of `episodeCount`, in percent.
    pub percent_of_episodes: f64,
}

/// A series' episode counts.
#[derive(Debug, Object)]
#[oai(rename = "SonarrSeriesStatistics", rename_all = "camelCase")]
pub struct SeriesStatistics {
    pub season_count: u32,
    pub episode_file_count: u32,
    pub episode_count: u32,
    pub total_episode_count: u32,
    pub percent_of_episodes: f64,
}

/// An episode, missing or found in the calendar's range.
#[derive(Debug, Object)]
#[oai(rename = "SonarrEpisode", rename_all = "camelCase")]
pub struct Episode {
    /// The episode's number (`episodeId` of the queue).
    pub id: i32,
    pub series_id: i32,
    pub season_number: u32,
    pub episode_number: u32,
    pub title: String,
    /// The day of `airDateUtc`.
    #[oai(skip_serializing_if_is_none)]
    pub air_date: Option<String>,
    /// When the library learnt of the episode (the catalogue's pages give no air date);
    /// left out where that is not known.
    #[oai(skip_serializing_if_is_none)]
    pub air_date_utc: Option<DateTime<Utc>>,
    pub has_file: bool,
    pub monitored: bool,
    pub series: SeriesRef,
}

/// The series of an episode.
#[derive(Debug, Object)]
#[oai(rename = "SonarrSeriesRef", rename_all = "camelCase")]
pub struct SeriesRef {
    pub id: i32,
    pub title: String,
    pub title_slug: String,
}

/// What an episode is called where its title is unknown.
pub fn episode_title(episode: EpisodeId) -> String {
    if episode.season == FILM_SEASON {
        format!("Film {}", episode.episode)
    } else {
        format!("Episode {}", episode.episode)
    }
}

/// The episodes counted for a series: the catalogue's, else (unknown yet) those on disk.
fn listed(record: &LibrarySeries) -> &EpisodeSet {
    record.available.as_ref().unwrap_or(&record.present)
}

fn counts(files: u32, count: u32) -> Counts {
    let percent = if count == 0 {
        0.0
    } else {
        f64::from(files) * 100.0 / f64::from(count)
    };
    Counts {
        episode_file_count: files,
        episode_count: count,
        total_episode_count: count,
        percent_of_episodes: percent,
    }
}

/// A series of the library living in `root` (where one is set).
pub fn series(record: &LibrarySeries, root: Option<&Path>) -> Series {
    let mut by_season: BTreeMap<u32, (u32, u32)> = BTreeMap::new();
    for episode in listed(record).iter() {
        let (files, count) = by_season.entry(episode.season).or_default();
        *count += 1;
        *files += u32::from(record.present.contains(&episode));
    }
    let (files, count) = by_season
        .values()
        .fold((0, 0), |(f, c), (files, count)| (f + files, c + count));
    let all = counts(files, count);
    let monitored = record.policy.monitored;
    let folder = record.series.folder.as_str();
    Series {
        id: arr_id::series_id(&record.series.key),
        title: record.series.name.clone(),
        sort_title: record.series.name.to_lowercase(),
        title_slug: record.series.key.to_string(),
        path: root.map_or_else(
            || folder.to_owned(),
            |root| root.join(folder).to_string_lossy().into_owned(),
        ),
        monitored,
        year: record.year.unwrap_or(0),
        overview: record.description.clone(),
        statistics: SeriesStatistics {
            season_count: by_season.keys().filter(|s| **s != FILM_SEASON).count() as u32,
            episode_file_count: all.episode_file_count,
            episode_count: all.episode_count,
            total_episode_count: all.total_episode_count,
            percent_of_episodes: all.percent_of_episodes,
        },
        seasons: by_season
            .into_iter()
            .map(|(season_number, (files, count))| Season {
                season_number,
                monitored,
                statistics: counts(files, count),
            })
            .collect(),
        images: Vec::new(),
    }
}

/// One episode of a series, dated where the library knows when it learnt of it.
pub fn episode(record: &LibrarySeries, id: EpisodeId, at: Option<DateTime<Utc>>) -> Episode {
    let key = &record.series.key;
    Episode {
        id: arr_id::episode_id(key, id),
        series_id: arr_id::series_id(key),
        season_number: id.season,
        episode_number: id.episode,
        title: episode_title(id),
        air_date: at.map(|t| t.format("%Y-%m-%d").to_string()),
        air_date_utc: at,
        has_file: record.present.contains(&id),
        monitored: record.policy.monitored,
        series: SeriesRef {
            id: arr_id::series_id(key),
            title: record.series.name.clone(),
            title_slug: key.to_string(),
        },
    }
}

/// The calendar's order: by date, then series title, season and episode.
pub fn by_date(e: &Episode) -> (Option<DateTime<Utc>>, &str, u32, u32) {
    (
        e.air_date_utc,
        &e.series.title,
        e.season_number,
        e.episode_number,
    )
}

/// The episodes of a series the library learnt of from `from` to `to`.
pub fn found_between(
    record: &LibrarySeries,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> impl Iterator<Item = Episode> + '_ {
    let listed = record.available.as_ref();
    listed
        .map(|l| record.found.between(l, from, to))
        .unwrap_or_default()
        .into_iter()
        .map(move |(id, at)| episode(record, id, Some(at)))
}
