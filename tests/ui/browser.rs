//! Headless Chromium through chromedriver (Debian's `chromium` and `chromium-driver`), one
//! browser per test with a fresh profile, and the waits the tests use: each polls the page
//! until a condition holds or a deadline passes, never a fixed sleep.

use std::path::PathBuf;
use std::time::Duration;

use crate::support::eventually::poll_within;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};
use tempfile::TempDir;
use tokio::process::Child;

/// Chromium and chromedriver, where `open` starts them.
pub use crate::support::chromium::available;
use crate::support::chromium::{CHROMIUM, FLAGS, chromedriver};

/// How long a wait may take before the test fails.
pub const PATIENCE: Duration = Duration::from_secs(30);

/// A browser session; chromedriver and Chromium end when it drops.
pub struct Browser {
    pub client: Client,
    _driver: Child,
    _profile: TempDir,
}

/// Where the screenshots go: `<target>/ui-screenshots`, printed once by the tests.
pub fn screenshot_dir() -> PathBuf {
    let debug = PathBuf::from(env!("CARGO_BIN_EXE_aniworld"));
    let target = debug.parent().and_then(|p| p.parent()).expect("target dir");
    let dir = target.join("ui-screenshots");
    std::fs::create_dir_all(&dir).expect("screenshot dir");
    dir
}

/// Starts chromedriver and a headless Chromium whose viewport is `width` × `height`.
pub async fn open(width: u32, height: u32) -> Browser {
    open_with(width, height, &[]).await
}

/// [`open`] with more Chromium flags, e.g. `--blink-settings=preferredColorScheme=0` for a
/// system in dark mode.
pub async fn open_with(width: u32, height: u32, extra: &[&str]) -> Browser {
    let (driver, port) = chromedriver(PATIENCE).await;
    let profile = tempfile::tempdir().expect("browser profile dir");
    let mut args = json!(FLAGS);
    if let Some(list) = args.as_array_mut() {
        list.push(json!(format!(
            "--user-data-dir={}",
            profile.path().display()
        )));
        list.push(json!(format!("--window-size={width},{height}")));
        list.extend(extra.iter().map(|a| json!(a)));
    }
    let mut caps = serde_json::Map::new();
    caps.insert("browserName".into(), json!("chrome"));
    caps.insert(
        "goog:chromeOptions".into(),
        json!({ "binary": CHROMIUM, "args": args }),
    );
    let client = ClientBuilder::rustls()
        .expect("rustls client")
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .expect("a WebDriver session");
    let browser = Browser {
        client,
        _driver: driver,
        _profile: profile,
    };
    browser.viewport(width, height).await;
    browser
}

impl Browser {
    /// Sizes the window so that the page's viewport is `width` × `height`.
    pub async fn viewport(&self, width: u32, height: u32) {
        self.client.set_window_size(width, height).await.ok();
        let inner = self.js("return [innerWidth, innerHeight]").await;
        let (w, h) = (
            inner[0].as_i64().unwrap_or(0),
            inner[1].as_i64().unwrap_or(0),
        );
        let (dw, dh) = (width as i64 - w, height as i64 - h);
        if dw != 0 || dh != 0 {
            let (ow, oh) = ((width as i64 + dw) as u32, (height as i64 + dh) as u32);
            self.client.set_window_size(ow, oh).await.ok();
        }
    }

    pub async fn goto(&self, url: &str) {
        self.client.goto(url).await.expect("navigation");
    }

    /// Runs a script in the page and returns its value.
    pub async fn js(&self, script: &str) -> Value {
        self.client
            .execute(script, vec![])
            .await
            .expect("script runs")
    }

    /// Runs a script with arguments.
    pub async fn js_with(&self, script: &str, args: Vec<Value>) -> Value {
        self.client
            .execute(script, args)
            .await
            .expect("script runs")
    }

    /// Waits until the script returns something truthy, and returns it.
    pub async fn until(&self, what: &str, script: &str) -> Value {
        let truthy = async || match self.client.execute(script, vec![]).await {
            Ok(v)
                if !matches!(v, Value::Null | Value::Bool(false))
                    && v != json!("")
                    && v != json!(0) =>
            {
                Ok(v)
            }
            other => Err(format!("{other:?}")),
        };
        match poll_within(PATIENCE, truthy).await {
            Ok(v) => v,
            Err(last) => {
                let url = self.client.current_url().await.map(|u| u.to_string());
                let text = self.text("body").await;
                panic!(
                    "timed out waiting for {what} (at {url:?}); last: {last}\npage text:\n{text}"
                );
            }
        }
    }

    /// Waits until the page's path is `path`.
    pub async fn until_path(&self, path: &str) {
        let script = format!("return location.pathname === {}", json!(path));
        self.until(&format!("the page {path}"), &script).await;
    }

    /// Waits until the element matching `css` holds `text`.
    pub async fn until_text(&self, css: &str, text: &str) {
        let script = format!(
            "const e = document.querySelector({}); return !!e && e.textContent.includes({})",
            json!(css),
            json!(text)
        );
        self.until(&format!("{css:?} to show {text:?}"), &script)
            .await;
    }

    /// The text of the first element matching `css` ("" when there is none).
    pub async fn text(&self, css: &str) -> String {
        let script = format!(
            "const e = document.querySelector({}); return e ? e.innerText : ''",
            json!(css)
        );
        self.client
            .execute(&script, vec![])
            .await
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default()
    }

    /// Clicks the element matching `css` (a real WebDriver click), waiting for it first.
    pub async fn click(&self, css: &str) {
        self.until(
            &format!("{css:?} to be clickable"),
            &format!(
                "const e = document.querySelector({}); return !!e && !e.disabled && e.offsetParent !== null",
                json!(css)
            ),
        )
        .await;
        // The page re-renders on live events: an element found a moment ago may be replaced
        // before the click lands (a stale reference). Then the click goes to the new one.
        for _ in 0..20 {
            let element = self.client.find(Locator::Css(css)).await.expect("element");
            match element.click().await {
                Ok(()) => return,
                Err(e) if is_stale(&e) => continue,
                Err(e) => panic!("click {css:?}: {e:?}"),
            }
        }
        panic!("click {css:?}: the element was replaced 20 times in a row");
    }

    /// Types into the input matching `css`, replacing what is there.
    pub async fn type_into(&self, css: &str, text: &str) {
        self.until(
            &format!("{css:?} to be there"),
            &format!("return !!document.querySelector({})", json!(css)),
        )
        .await;
        let element = self.client.find(Locator::Css(css)).await.expect("input");
        element.clear().await.expect("clear");
        element.send_keys(text).await.expect("type");
    }

    /// Saves a screenshot of the whole page (up to 4000 px tall) as `<dir>/<name>.png`, then
    /// brings the viewport back to `width` × `height`.
    pub async fn screenshot_full(&self, name: &str, width: u32, height: u32) -> PathBuf {
        let tall = self
            .js("return document.documentElement.scrollHeight")
            .await;
        let tall = tall
            .as_u64()
            .unwrap_or(height as u64)
            .clamp(height as u64, 4000) as u32;
        self.viewport(width, tall).await;
        let path = self.screenshot(name).await;
        self.viewport(width, height).await;
        path
    }

    /// Saves a screenshot of the viewport as `<dir>/<name>.png`.
    pub async fn screenshot(&self, name: &str) -> PathBuf {
        let png = self.client.screenshot().await.expect("screenshot");
        let path = screenshot_dir().join(format!("{name}.png"));
        std::fs::write(&path, png).expect("write screenshot");
        path
    }
}

/// Whether a WebDriver error says the element left the page (it was re-rendered).
fn is_stale(e: &fantoccini::error::CmdError) -> bool {
    matches!(
        e,
        fantoccini::error::CmdError::Standard(w)
            if w.error == fantoccini::error::ErrorStatus::StaleElementReference
    )
}
