//! What the browser tests share: the master password, the fake site with Dr. Stone, and
//! scripts run in the page (the token it keeps, a drag and drop, the progress-delay probe).

use serde_json::json;

use crate::browser::Browser;
use crate::support::fake_site::{FakeHoster, FakeLink, FakeMedia, FakeSeries, FakeSite};

pub const PASSWORD: &str = "Secr3t!pass";

/// Dr. Stone, two episodes: S01E01 a 1.5 MiB MP4 on Vidoza, S01E02 a small one on Streamtape.
pub async fn dr_stone_site() -> FakeSite {
    let mut series = FakeSeries::new("dr-stone", "Dr. Stone")
        .year(2019)
        .description("Senku rebuilds civilisation from the stone world.")
        .season(1, &[1, 2]);
    if let Some(e) = series.episode_mut(1, 1) {
        e.links =
            vec![FakeLink::new(FakeHoster::Vidoza, 1).media(FakeMedia::Mp4 { size: 1536 * 1024 })];
    }
    if let Some(e) = series.episode_mut(1, 2) {
        e.links = vec![FakeLink::new(FakeHoster::Streamtape, 1)];
    }
    FakeSite::builder().series(series).spawn().await
}

/// The token the page keeps (sessionStorage, or localStorage with "remember me").
pub async fn page_token(b: &Browser) -> String {
    let v = b
        .js("const raw = sessionStorage.getItem('aniworld.token') || localStorage.getItem('aniworld.token'); return raw ? JSON.parse(raw).access_token : null")
        .await;
    v.as_str()
        .expect("a token in the page's storage")
        .to_owned()
}

/// `GET` of an API path with the page's token, as JSON.
pub async fn api_get(server: &crate::server::Server, b: &Browser, path: &str) -> serde_json::Value {
    let token = page_token(b).await;
    reqwest::Client::new()
        .get(server.url(path))
        .bearer_auth(&token)
        .send()
        .await
        .expect("the server answers")
        .json()
        .await
        .expect("a JSON answer")
}

/// Records, in the page, when `download_progress` events arrive (on a second socket of its
/// own) and when the page's bar for that item shows the event's percent; answers nothing,
/// the samples collect in `window.__progressDelays`.
pub const MEASURE_PROGRESS: &str = r#"
const raw = sessionStorage.getItem('aniworld.token') || localStorage.getItem('aniworld.token');
const token = JSON.parse(raw).access_token;
window.__progressDelays = [];
const waiting = new Map();
const ws = new WebSocket(`ws://${location.host}/ws/connect?token=${encodeURIComponent(token)}`);
ws.onmessage = (m) => {
  const msg = JSON.parse(m.data);
  if (msg.type === 'connected') ws.send(JSON.stringify({ action: 'join', data: { room: 'downloads' } }));
  if (msg.type === 'download_progress') waiting.set(msg.data.download_id, { percent: msg.data.percent, at: performance.now() });
};
const seen = () => {
  for (const bar of document.querySelectorAll('#list-active progress')) {
    const id = bar.closest('[data-id]').dataset.id;
    const w = waiting.get(id);
    if (w && Math.abs(bar.value - w.percent) < 0.05) {
      window.__progressDelays.push(performance.now() - w.at);
      waiting.delete(id);
    }
  }
};
new MutationObserver(seen).observe(document.getElementById('list-active'), { subtree: true, attributes: true, childList: true });
return true;
"#;

/// Drags `from` onto the upper half of `to` with the HTML drag-and-drop events a mouse drag
/// fires (WebDriver's pointer actions do not start HTML drags in Chromium).
pub async fn drag(b: &Browser, from: &str, to: &str) {
    let script = r#"
const [from, to] = [document.querySelector(arguments[0]), document.querySelector(arguments[1])];
const dt = new DataTransfer();
const box = to.getBoundingClientRect();
const at = { bubbles: true, cancelable: true, dataTransfer: dt, clientX: box.left + 5, clientY: box.top + 2 };
from.dispatchEvent(new DragEvent('dragstart', at));
to.dispatchEvent(new DragEvent('dragover', at));
to.dispatchEvent(new DragEvent('drop', at));
from.dispatchEvent(new DragEvent('dragend', at));
return true;
"#;
    b.js_with(script, vec![json!(from), json!(to)]).await;
}
