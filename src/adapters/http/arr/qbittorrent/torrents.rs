//! The torrents: the releases Sonarr grabbed, one queue item each (origin `arr`), seen as
//! qBittorrent shows torrents. Completed is `pausedUP`, so Sonarr imports the file at
//! `content_path` (which differs from `save_path`) and may remove it afterwards.

use poem::http::StatusCode;
use poem::{Body, Request, Response, handler};
use serde::Serialize;
use serde_json::{Value, json};

use super::{Params, forbidden, json, session, text};
use crate::app::App;
use crate::domain::queue::{ItemState, QueueItem};
use crate::domain::release::{EPISODE_SIZE_ESTIMATE, FILM_SIZE_ESTIMATE, InfoHash};

/// qBittorrent's "unknown" ETA: 100 days.
const ETA_UNKNOWN: u64 = 8_640_000;

/// The hashes a `hashes` parameter names (`|`-separated); `None` for all.
fn hashes(params: &Params) -> Option<Vec<InfoHash>> {
    let raw = params.get("hashes").or_else(|| params.get("hash"))?;
    if raw.trim().eq_ignore_ascii_case("all") {
        return None;
    }
    Some(raw.split('|').filter_map(InfoHash::parse).collect())
}

/// Sonarr's items the parameters name.
fn chosen(app: &App, params: &Params) -> Vec<QueueItem> {
    let wanted = hashes(params);
    let category = params.get("category");
    app.queue
        .grabs()
        .into_iter()
        .filter(|i| {
            let grab = i.grab().expect("grabs hold grabs");
            wanted.as_ref().is_none_or(|w| w.contains(&grab.hash))
                && category.is_none_or(|c| c == grab.category)
        })
        .collect()
}

/// One torrent as `torrents/info` shows it: what Sonarr and the clients read, then what
/// qBittorrent also writes, with its values for a torrent that seeds nothing. Borrowed from
/// the item and written straight to JSON (a thousand of them are one answer).
#[derive(Serialize)]
struct Torrent<'a> {
    hash: &'a str,
    infohash_v1: &'a str,
    infohash_v2: &'static str,
    name: &'a str,
    size: u64,
    total_size: u64,
    progress: f64,
    downloaded: u64,
    completed: u64,
    amount_left: u64,
    dlspeed: u64,
    upspeed: u8,
    eta: u64,
    state: &'static str,
    category: &'a str,
    tags: &'static str,
    save_path: &'a str,
    download_path: &'static str,
    content_path: String,
    root_path: String,
    magnet_uri: String,
    added_on: i64,
    completion_on: i64,
    last_activity: i64,
    ratio: u8,
    ratio_limit: i8,
    seeding_time: u8,
    seeding_time_limit: i8,
    inactive_seeding_time_limit: i8,
    max_ratio: i8,
    max_seeding_time: i8,
    num_seeds: u8,
    num_leechs: u8,
    num_complete: u8,
    num_incomplete: u8,
    priority: u8,
    force_start: bool,
    auto_tmm: bool,
    seq_dl: bool,
    super_seeding: bool,
    tracker: &'static str,
    trackers_count: u8,
    error: Option<&'a str>,
}

/// The size, fraction done, speed, ETA and state of an item.
fn progress_of(item: &QueueItem, running: bool) -> (u64, f64, f64, u64, &'static str) {
    let estimate = if item.episode().season == 0 {
        FILM_SIZE_ESTIMATE
    } else {
        EPISODE_SIZE_ESTIMATE
    };
    let size = item
        .progress()
        .and_then(|p| p.total_bytes.or(Some(p.downloaded_bytes)))
        .filter(|s| *s > 0)
        .unwrap_or(estimate);
    let (state, fraction, speed, eta) = match item.state() {
        ItemState::Completed { .. } => ("pausedUP", 1.0, 0.0, 0),
        ItemState::Downloading { progress, .. } => {
            let p = progress.as_ref();
            (
                "downloading",
                p.map_or(0.0, |p| p.percent / 100.0),
                p.map_or(0.0, |p| p.bytes_per_second),
                p.and_then(|p| p.eta_seconds).unwrap_or(ETA_UNKNOWN),
            )
        }
        ItemState::Failed { .. } => ("error", 0.0, 0.0, ETA_UNKNOWN),
        ItemState::Pending { not_before, .. } => {
            let state = if !running {
                "pausedDL"
            } else if not_before.is_some() {
                "stalledDL"
            } else {
                "queuedDL"
            };
            (state, 0.0, 0.0, ETA_UNKNOWN)
        }
        ItemState::Cancelled => ("pausedDL", 0.0, 0.0, ETA_UNKNOWN),
    };
    (size, fraction, speed, eta, state)
}

fn torrent<'a>(item: &'a QueueItem, save_path: &'a str, running: bool) -> Torrent<'a> {
    let grab = item.grab().expect("grabs hold grabs");
    let (size, fraction, speed, eta, state) = progress_of(item, running);
    let root_path = format!("{save_path}/{}", grab.title);
    let content_path = match item.file() {
        Some(file) => format!("{save_path}/{file}"),
        None => root_path.clone(),
    };
    let done = (size as f64 * fraction) as u64;
    Torrent {
        hash: grab.hash.as_str(),
        infohash_v1: grab.hash.as_str(),
        infohash_v2: "",
        name: &grab.title,
        size,
        total_size: size,
        progress: fraction,
        downloaded: done,
        completed: done,
        amount_left: size - done,
        dlspeed: speed as u64,
        upspeed: 0,
        eta,
        state,
        category: &grab.category,
        tags: "",
        save_path,
        download_path: "",
        content_path,
        root_path,
        magnet_uri: format!("magnet:?xt=urn:btih:{}", grab.hash),
        added_on: item.added_at().timestamp(),
        completion_on: item.completed_at().map_or(-1, |t| t.timestamp()),
        last_activity: item
            .completed_at()
            .or(item.started_at())
            .unwrap_or(item.added_at())
            .timestamp(),
        ratio: 0,
        ratio_limit: -2,
        seeding_time: 0,
        seeding_time_limit: -2,
        inactive_seeding_time_limit: -2,
        max_ratio: -1,
        max_seeding_time: -1,
        num_seeds: 1,
        num_leechs: 0,
        num_complete: 1,
        num_incomplete: 0,
        priority: 0,
        force_start: false,
        auto_tmm: false,
        seq_dl: false,
        super_seeding: false,
        tracker: "",
        trackers_count: 0,
        error: item.error(),
    }
}

/// The `arr` folder as qBittorrent writes a save path (no trailing slash).
fn save_path_of(app: &App) -> String {
    app.arr
        .save_path()
        .to_string_lossy()
        .trim_end_matches('/')
        .to_owned()
}

/// A typed answer as JSON.
fn typed<T: Serialize>(value: &T) -> Response {
    match serde_json::to_string(value) {
        Ok(text) => Response::builder()
            .content_type("application/json")
            .body(text),
        Err(e) => text(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()),
    }
}

/// `torrents/info` (`category`, `hashes` filters).
#[handler]
pub(super) async fn info(req: &Request, body: Body) -> Response {
    let Some(app) = session(req) else {
        return forbidden();
    };
    let params = Params::read(req, body).await;
    let (save_path, running) = (save_path_of(app), app.queue.is_running());
    let items = chosen(app, &params);
    let list: Vec<Torrent> = items
        .iter()
        .map(|i| torrent(i, &save_path, running))
        .collect();
    typed(&list)
}

/// `torrents/add` (`urls`: magnets, one per line; `category`): `Ok.`, or `Fails.` when any
/// magnet is not one this server offered (then nothing is added).
#[handler]
pub(super) async fn add(req: &Request, body: Body) -> Response {
    let Some(app) = session(req) else {
        return forbidden();
    };
    let params = Params::read(req, body).await;
    let magnets: Vec<String> = params
        .get("urls")
        .unwrap_or_default()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect();
    if magnets.is_empty() {
        return text(StatusCode::OK, "Fails.");
    }
    let category = params.get("category").unwrap_or_default().trim();
    match app.arr.grab(&magnets, category).await {
        Ok(items) => {
            tracing::info!(count = items.len(), category, "Sonarr queued releases");
            text(StatusCode::OK, "Ok.")
        }
        Err(e) => {
            tracing::warn!(error = %e, "a torrent was not added");
            text(StatusCode::OK, "Fails.")
        }
    }
}

/// The one item a `hash` parameter names, or the answer refusing the request.
async fn one(req: &Request, body: Body) -> Result<(std::sync::Arc<App>, QueueItem), Response> {
    let Some(app) = session(req) else {
        return Err(forbidden());
    };
    let params = Params::read(req, body).await;
    let Some(hash) = params.get("hash").and_then(InfoHash::parse) else {
        return Err(text(StatusCode::BAD_REQUEST, "Missing or bad hash"));
    };
    let found = app
        .queue
        .grabs()
        .into_iter()
        .find(|i| i.grab().is_some_and(|g| g.hash == hash));
    match found {
        Some(item) => Ok((app.clone(), item)),
        None => Err(text(StatusCode::NOT_FOUND, "Not Found")),
    }
}

/// `torrents/properties?hash=`.
#[handler]
pub(super) async fn properties(req: &Request, body: Body) -> Response {
    let (app, item) = match one(req, body).await {
        Ok(found) => found,
        Err(answer) => return answer,
    };
    let save_path = save_path_of(&app);
    let t = torrent(&item, &save_path, app.queue.is_running());
    json(&json!({
        "hash": t.hash, "name": t.name, "save_path": t.save_path,
        "content_path": t.content_path, "total_size": t.size, "eta": t.eta,
        "addition_date": t.added_on, "completion_date": t.completion_on,
        "creation_date": t.added_on, "last_seen": t.last_activity,
        "dl_speed": t.dlspeed, "dl_speed_avg": t.dlspeed, "up_speed": 0,
        "total_downloaded": t.downloaded, "total_uploaded": 0, "total_wasted": 0,
        "share_ratio": 0, "seeding_time": 0, "time_elapsed": 0, "nb_connections": 0,
        "peers": 0, "seeds": 1, "pieces_have": 0, "pieces_num": 1, "piece_size": 0,
        "comment": "", "created_by": "aniworld", "up_limit": -1, "dl_limit": -1,
        "reannounce": 0, "is_private": false,
    }))
}

/// `torrents/files?hash=`: the one file, under the release's folder.
#[handler]
pub(super) async fn files(req: &Request, body: Body) -> Response {
    let (app, item) = match one(req, body).await {
        Ok(found) => found,
        Err(answer) => return answer,
    };
    let save_path = save_path_of(&app);
    let t = torrent(&item, &save_path, app.queue.is_running());
    let grab = item.grab().expect("grabs hold grabs");
    let name = item
        .file()
        .map_or_else(|| format!("{0}/{0}.mp4", grab.title), str::to_owned);
    json(&json!([{
        "index": 0, "name": name, "size": t.size, "progress": t.progress,
        "priority": 1, "is_seed": t.state == "pausedUP", "piece_range": [0, 0],
        "availability": 1,
    }]))
}

/// `torrents/categories`: `{name: {name, savePath}}`.
#[handler]
pub(super) async fn categories(req: &Request) -> Response {
    let Some(app) = session(req) else {
        return forbidden();
    };
    match app.arr.categories().await {
        Ok(found) => {
            let map: serde_json::Map<String, Value> = found
                .into_iter()
                .map(|(name, path)| (name.clone(), json!({ "name": name, "savePath": path })))
                .collect();
            json(&Value::Object(map))
        }
        Err(e) => text(StatusCode::SERVICE_UNAVAILABLE, &e.to_string()),
    }
}

/// `torrents/createCategory` (`category`, `savePath`); also `editCategory`.
#[handler]
pub(super) async fn create_category(req: &Request, body: Body) -> Response {
    let Some(app) = session(req) else {
        return forbidden();
    };
    let params = Params::read(req, body).await;
    let name = params.get("category").unwrap_or_default().trim();
    if name.is_empty() || name.len() > 200 {
        return text(
            StatusCode::BAD_REQUEST,
            "Category name is empty or too long",
        );
    }
    let save_path = params.get("savePath").unwrap_or_default();
    match app.arr.put_category(name, save_path).await {
        Ok(()) => text(StatusCode::OK, ""),
        Err(e) => text(StatusCode::SERVICE_UNAVAILABLE, &e.to_string()),
    }
}

/// `torrents/setCategory` (`hashes`, `category`): 409 for a category that does not exist.
#[handler]
pub(super) async fn set_category(req: &Request, body: Body) -> Response {
    let Some(app) = session(req) else {
        return forbidden();
    };
    let params = Params::read(req, body).await;
    let category = params.get("category").unwrap_or_default().trim().to_owned();
    match app.arr.categories().await {
        Ok(known) if category.is_empty() || known.contains_key(&category) => {}
        Ok(_) => return text(StatusCode::CONFLICT, "Category does not exist"),
        Err(e) => return text(StatusCode::SERVICE_UNAVAILABLE, &e.to_string()),
    }
    let hashes: Vec<InfoHash> = chosen(app, &Params(vec![]))
        .iter()
        .filter_map(|i| i.grab().map(|g| g.hash.clone()))
        .filter(|h| self::hashes(&params).is_none_or(|w| w.contains(h)))
        .collect();
    match app.queue.set_grab_category(&hashes, &category).await {
        Ok(_) => text(StatusCode::OK, ""),
        Err(e) => text(StatusCode::SERVICE_UNAVAILABLE, &e.to_string()),
    }
}

/// `torrents/delete` (`hashes`, `deleteFiles`).
#[handler]
pub(super) async fn delete(req: &Request, body: Body) -> Response {
    let Some(app) = session(req) else {
        return forbidden();
    };
    let params = Params::read(req, body).await;
    if params.get("hashes").is_none() {
        return text(StatusCode::BAD_REQUEST, "Missing hashes");
    }
    let hashes: Vec<InfoHash> = chosen(app, &params)
        .iter()
        .filter_map(|i| i.grab().map(|g| g.hash.clone()))
        .collect();
    match app
        .queue
        .remove_grabs(&hashes, params.flag("deleteFiles"))
        .await
    {
        Ok(count) => {
            tracing::info!(count, "Sonarr removed downloads");
            text(StatusCode::OK, "")
        }
        Err(e) => text(StatusCode::SERVICE_UNAVAILABLE, &e.to_string()),
    }
}

/// Calls the product has nothing to do for (pause, resume, priorities, share limits): the
/// queue runs every item in its order.
#[handler]
pub(super) fn accepted(req: &Request) -> Response {
    match session(req) {
        Some(_) => text(StatusCode::OK, ""),
        None => forbidden(),
    }
}

/// `transfer/info`: the download speed of Sonarr's items now.
#[handler]
pub(super) fn transfer_info(req: &Request) -> Response {
    let Some(app) = session(req) else {
        return forbidden();
    };
    json(&totals(app))
}

fn totals(app: &App) -> Value {
    let (mut speed, mut data) = (0.0, 0u64);
    for item in app.queue.grabs() {
        if let Some(p) = item.progress() {
            data += p.downloaded_bytes;
            if matches!(item.state(), ItemState::Downloading { .. }) {
                speed += p.bytes_per_second;
            }
        }
    }
    json!({
        "dl_info_speed": speed as u64, "dl_info_data": data, "up_info_speed": 0,
        "up_info_data": 0, "dl_rate_limit": 0, "up_rate_limit": 0, "dht_nodes": 0,
        "connection_status": "connected",
    })
}

/// `sync/maindata`: always a full update.
#[handler]
pub(super) async fn maindata(req: &Request) -> Response {
    let Some(app) = session(req) else {
        return forbidden();
    };
    let (save_path, running) = (save_path_of(app), app.queue.is_running());
    let items = app.queue.grabs();
    let torrents: std::collections::BTreeMap<&str, Torrent> = items
        .iter()
        .map(|i| {
            let t = torrent(i, &save_path, running);
            (t.hash, t)
        })
        .collect();
    let kept: serde_json::Map<String, Value> = app
        .arr
        .categories()
        .await
        .unwrap_or_default()
        .into_iter()
        .map(|(name, path)| (name.clone(), json!({ "name": name, "savePath": path })))
        .collect();
    json(&json!({
        "rid": 1, "full_update": true, "torrents": torrents, "categories": kept,
        "tags": [], "server_state": totals(app),
    }))
}
