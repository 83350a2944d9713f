//! A fake FlareSolverr on 127.0.0.1: `POST /v1` with `{"cmd": "request.get", "url"}` fetches
//! the page as a browser that got through the challenge would (the fake site's clearance
//! cookie and the solver's User-Agent) and answers in FlareSolverr's JSON shape, cookie and
//! `userAgent` included. It counts what it was asked.

use std::sync::{Arc, Mutex};

use poem::listener::{Acceptor, Listener, TcpListener};
use poem::web::Json;
use poem::{EndpointExt, Route, handler, post};
use serde_json::{Value, json};

use super::fake_site::guard::{CLEARANCE_COOKIE, SOLVER_USER_AGENT};

/// The running fake solver; stops when dropped.
pub struct FakeSolver {
    pub url: String,
    asked: Arc<Mutex<Vec<String>>>,
    _server: tokio::task::JoinHandle<()>,
}

#[derive(Clone)]
struct Asked(Arc<Mutex<Vec<String>>>);

#[handler]
async fn solve(Json(body): Json<Value>, asked: poem::web::Data<&Asked>) -> Json<Value> {
    let url = body["url"].as_str().unwrap_or_default().to_owned();
    asked.0.0.lock().expect("asked poisoned").push(url.clone());
    if body["cmd"] != "request.get" {
        return Json(
            json!({ "status": "error", "message": "Request parameter 'cmd' is mandatory" }),
        );
    }
    let client = reqwest::Client::new();
    // A real solver is a real Chrome: its navigation headers go with its User-Agent.
    let answer = client
        .get(&url)
        .header("sec-ch-ua", r#""Chromium";v="142", "Not_A Brand";v="8""#)
        .header("sec-ch-ua-mobile", "?0")
        .header("sec-ch-ua-platform", "\"Linux\"")
        .header("User-Agent", SOLVER_USER_AGENT)
        .header("Sec-Fetch-Site", "none")
        .header("Sec-Fetch-Mode", "navigate")
        .header("Sec-Fetch-Dest", "document")
        .header("Accept-Language", "de-DE,de;q=0.9")
        .header("Cookie", CLEARANCE_COOKIE)
        .send()
        .await;
    let Ok(answer) = answer else {
        return Json(json!({ "status": "error", "message": "Error: net::ERR_CONNECTION_REFUSED" }));
    };
    let final_url = answer.url().to_string();
    let host = answer.url().host_str().unwrap_or_default().to_owned();
    let status = answer.status().as_u16();
    let page = answer.text().await.unwrap_or_default();
    let (name, value) = CLEARANCE_COOKIE.split_once('=').expect("cookie shape");
    Json(json!({
        "status": "ok",
        "message": "Challenge solved!",
        "solution": {
            "url": final_url,
            "status": status,
            "headers": {},
            "response": page,
            "cookies": [
                { "name": name, "value": value, "domain": host, "path": "/", "expires": 1_900_000_000,
                  "size": 60, "httpOnly": true, "secure": false, "session": false, "sameSite": "None" }
            ],
            "userAgent": SOLVER_USER_AGENT
        },
        "startTimestamp": 1_764_000_000_000_u64,
        "endTimestamp": 1_764_000_004_000_u64,
        "version": "3.3.21"
    }))
}

impl FakeSolver {
    pub async fn spawn() -> Self {
        let asked = Arc::new(Mutex::new(Vec::new()));
        let acceptor = TcpListener::bind("127.0.0.1:0")
            .into_acceptor()
            .await
            .expect("bind the fake solver");
        let port = acceptor.local_addr()[0]
            .as_socket_addr()
            .expect("socket address")
            .port();
        let app = Route::new()
            .at("/v1", post(solve))
            .data(Asked(asked.clone()));
        let server = tokio::spawn(async move {
            let _ = poem::Server::new_with_acceptor(acceptor).run(app).await;
        });
        Self {
            url: format!("http://127.0.0.1:{port}"),
            asked,
            _server: server,
        }
    }

    /// The page URLs the solver was asked for, in order.
    pub fn asked(&self) -> Vec<String> {
        self.asked.lock().expect("asked poisoned").clone()
    }
}

impl Drop for FakeSolver {
    fn drop(&mut self) {
        self._server.abort();
    }
}
