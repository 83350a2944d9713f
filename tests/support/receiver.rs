//! A fake receiver for connections (notification services, media servers): an HTTP server on
//! 127.0.0.1 that records every request and answers the statuses it is told to, in turn
//! (200 once they run out). Plex's `GET /library/sections` is answered with one `show`
//! section, key `2`.

use std::sync::{Arc, Mutex};

use poem::http::StatusCode;
use poem::listener::{Acceptor, Listener, TcpListener};
use poem::{Body, Request, Response, Route, handler};

/// One request as it arrived.
#[derive(Debug, Clone)]
pub struct Received {
    pub method: String,
    /// Path and query.
    pub uri: String,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Received {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }
}

#[derive(Default)]
struct State {
    received: Mutex<Vec<Received>>,
    statuses: Mutex<Vec<u16>>,
}

/// A running receiver.
pub struct Receiver {
    pub url: String,
    state: Arc<State>,
}

#[handler]
async fn record(req: &Request, body: Body) -> Response {
    let state = req.data::<Arc<State>>().expect("state").clone();
    let received = Received {
        method: req.method().to_string(),
        uri: req.uri().to_string(),
        headers: req
            .headers()
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_str().unwrap_or_default().to_owned()))
            .collect(),
        body: body.into_string().await.unwrap_or_default(),
    };
    let plex_sections = received.uri.starts_with("/library/sections?");
    state.received.lock().unwrap().push(received);
    let status = {
        let mut statuses = state.statuses.lock().unwrap();
        if statuses.is_empty() {
            200
        } else {
            statuses.remove(0)
        }
    };
    let status = StatusCode::from_u16(status).unwrap();
    if plex_sections && status.is_success() {
        let sections = r#"{"MediaContainer":{"Directory":[{"key":"1","type":"movie"},{"key":"2","type":"show"}]}}"#;
        return Response::builder()
            .status(status)
            .content_type("application/json")
            .body(sections);
    }
    Response::builder().status(status).body("{}")
}

impl Receiver {
    pub async fn spawn() -> Self {
        let state = Arc::new(State::default());
        let acceptor = TcpListener::bind("127.0.0.1:0")
            .into_acceptor()
            .await
            .expect("bind a receiver");
        let addr = acceptor.local_addr()[0]
            .as_socket_addr()
            .copied()
            .expect("an address");
        let app = poem::EndpointExt::data(Route::new().at("/*path", record), state.clone());
        tokio::spawn(poem::Server::new_with_acceptor(acceptor).run(app));
        Self {
            url: format!("http://{addr}"),
            state,
        }
    }

    /// The next requests get these statuses, in turn.
    pub fn answer(&self, statuses: &[u16]) {
        self.state
            .statuses
            .lock()
            .unwrap()
            .extend_from_slice(statuses);
    }

    pub fn received(&self) -> Vec<Received> {
        self.state.received.lock().unwrap().clone()
    }
}
