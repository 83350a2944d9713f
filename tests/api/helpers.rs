//! `spawn_app()`: the real server on 127.0.0.1:0 with fresh temp dirs and a manual clock, and
//! request helpers on the returned [`TestApp`].

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use aniworld::adapters::clock::ManualClock;
use aniworld::wiring::{self, RunningServer, ServeOptions};
use chrono::Utc;
use reqwest::{Method, Response};
use serde_json::{Value, json};
use tempfile::TempDir;
use tokio::sync::oneshot;

/// A master password that meets the policy.
pub const PASSWORD: &str = "Secr3t!pass";

/// How a test wants its server.
#[derive(Clone)]
pub struct TestOptions {
    pub rate_limit: u32,
    pub provider_url: String,
    /// `--sto-url`: s.to's base (the fake s.to's), where a test has one.
    pub sto_url: Option<String>,
    /// Written to config.json before the first start (`provider.timeout_seconds`).
    pub provider_timeout_seconds: Option<u32>,
}

impl Default for TestOptions {
    fn default() -> Self {
        // Nothing listens on port 9: a test that forgets its fake site fails fast.
        Self {
            rate_limit: 0,
            provider_url: "http://127.0.0.1:9".into(),
            sto_url: None,
            provider_timeout_seconds: None,
        }
    }
}

/// A running server and what the test needs to drive it.
pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    pub data_dir: TempDir,
    pub anime_dir: TempDir,
    pub clock: Arc<ManualClock>,
    pub options: TestOptions,
    shutdown: Option<oneshot::Sender<()>>,
    server: Option<RunningServer>,
}

/// The server with default options.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(TestOptions::default()).await
}

/// The server with the given options.
pub async fn spawn_app_with(options: TestOptions) -> TestApp {
    let data_dir = tempfile::tempdir().expect("temp data dir");
    let anime_dir = tempfile::tempdir().expect("temp anime dir");
    let clock = Arc::new(ManualClock::new(Utc::now()));
    if let Some(secs) = options.provider_timeout_seconds {
        let config = json!({ "provider": { "timeout_seconds": secs } });
        std::fs::write(data_dir.path().join("config.json"), config.to_string()).unwrap();
    }
    start(data_dir, anime_dir, clock, options).await
}

async fn start(
    data_dir: TempDir,
    anime_dir: TempDir,
    clock: Arc<ManualClock>,
    options: TestOptions,
) -> TestApp {
    let opts = ServeOptions {
        host: "127.0.0.1".into(),
        port: 0,
        data_dir: data_dir.path().to_path_buf(),
        anime_dir: None,
        provider_url: options.provider_url.clone(),
        sto_url: options.sto_url.clone(),
        rate_limit: options.rate_limit,
        flaresolverr_url: None,
    };
    let (tx, rx) = oneshot::channel::<()>();
    let server = wiring::start(opts, clock.clone(), None, async move {
        let _ = rx.await;
    })
    .await
    .expect("server starts");
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap();
    TestApp {
        base: format!("http://{}", server.addr),
        client,
        data_dir,
        anime_dir,
        clock,
        options,
        shutdown: Some(tx),
        server: Some(server),
    }
}

impl TestApp {
    /// Stops the server and starts a new one on the same data dir (a restart).
    pub async fn restart(mut self) -> TestApp {
        self.stop().await;
        let data_dir = std::mem::replace(&mut self.data_dir, tempfile::tempdir().unwrap());
        let anime_dir = std::mem::replace(&mut self.anime_dir, tempfile::tempdir().unwrap());
        start(
            data_dir,
            anime_dir,
            self.clock.clone(),
            self.options.clone(),
        )
        .await
    }

    /// Stops the server and waits until it has closed the database.
    pub async fn stop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(server) = self.server.take() {
            server.stopped().await.expect("server stops cleanly");
        }
    }

    /// What the server said at start-up about its configuration (a recovered config.json).
    pub fn startup_notices(&self) -> Vec<String> {
        self.server
            .as_ref()
            .and_then(|s| s.app.config.recovery())
            .map(|r| vec![r.message()])
            .unwrap_or_default()
    }

    /// The test clock's time.
    pub fn clock_now(&self) -> chrono::DateTime<Utc> {
        use aniworld::ports::Clock;
        self.clock.now()
    }

    /// The anime dir as a path.
    pub fn anime_path(&self) -> PathBuf {
        self.anime_dir.path().to_path_buf()
    }

    /// A request with an optional bearer token and JSON body.
    pub async fn request(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Response {
        let mut req = self.client.request(method, format!("{}{path}", self.base));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        req.send().await.expect("request sent")
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Response {
        self.request(Method::GET, path, token, None).await
    }

    pub async fn post(&self, path: &str, token: Option<&str>, body: Value) -> Response {
        self.request(Method::POST, path, token, Some(body)).await
    }

    /// Sets the master password and returns a fresh token.
    pub async fn login(&self) -> String {
        let r = self
            .post(
                "/api/auth/setup",
                None,
                json!({ "master_password": PASSWORD }),
            )
            .await;
        assert_eq!(r.status(), 201, "setup: {}", r.text().await.unwrap());
        self.token().await
    }

    /// Logs in with the master password.
    pub async fn token(&self) -> String {
        let r = self
            .post("/api/auth/login", None, json!({ "password": PASSWORD }))
            .await;
        assert_eq!(r.status(), 200, "login");
        let body: Value = r.json().await.unwrap();
        body["access_token"]
            .as_str()
            .expect("access_token")
            .to_owned()
    }
}

/// Asserts the API.md error body and returns it.
pub async fn assert_error(response: Response, status: u16, code: &str) -> Value {
    assert_eq!(response.status().as_u16(), status, "status");
    let header_id = response
        .headers()
        .get("x-request-id")
        .map(|v| v.to_str().unwrap().to_owned())
        .expect("X-Request-Id header");
    let body: Value = response.json().await.expect("JSON error body");
    assert_eq!(body["success"], json!(false), "{body}");
    assert_eq!(body["error"], json!(code), "{body}");
    assert!(
        body["message"].as_str().is_some_and(|m| !m.is_empty()),
        "{body}"
    );
    assert!(body["details"].is_object(), "{body}");
    assert_eq!(
        body["request_id"],
        json!(header_id),
        "request_id matches the header"
    );
    body
}
