//! The torrents: the releases Sonarr grabbed, one queue item each (origin `arr`), seen as
//! qBittorrent shows torrents. Completed is `pausedUP`, so Sonarr imports the file at
//! `content_path` (which differs from `save_path`) and may remove it afterwards.

use poem::http::StatusCode;
use poem::{Body, Request, Response, handler};
use serde::Serialize;
use serde_json::{Value, json};

use super::view::{Torrent, torrent};
use super::{Params, forbidden, json, session, text};
use crate::app::App;
use crate::domain::queue::{ItemState, QueueItem};
use crate::domain::release::InfoHash;

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
    let filter = params.get("filter").unwrap_or("all").to_ascii_lowercase();
    let list: Vec<Torrent> = items
        .iter()
        .map(|i| torrent(i, &save_path, running))
        .filter(|t| in_filter(&filter, t.state))
        .collect();
    typed(&list)
}

/// Whether a torrent in `state` passes `torrents/info`'s `filter` as qBittorrent reads it
/// (an unknown filter passes everything, as `all`).
fn in_filter(filter: &str, state: &str) -> bool {
    match filter {
        "downloading" => state.ends_with("DL") || state == "downloading",
        "completed" => state == "pausedUP",
        "seeding" | "stalled_uploading" => false,
        "paused" | "stopped" => state.starts_with("paused"),
        "resumed" | "running" => !state.starts_with("paused"),
        "active" => state == "downloading",
        "inactive" => state != "downloading",
        "stalled" | "stalled_downloading" => state == "stalledDL",
        "errored" => state == "error",
        _ => true,
    }
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
