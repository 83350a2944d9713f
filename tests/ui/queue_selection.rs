//! Select all on the queue page, one box unticked, then the bulk buttons: "Retry selected"
//! retries the ticked failed items only, "Remove selected" removes every ticked item.

use std::time::Instant;

use reqwest::Method;
use serde_json::json;

use crate::browser::Browser;
use crate::queue_controls::{api_ids, in_row, scene, sorted, until_shown};

/// Waits until the ticked row boxes are exactly `ids` and the toolbar says so.
async fn until_ticked(b: &Browser, ids: &[String], all: &str) {
    let count = if ids.is_empty() {
        String::new()
    } else {
        format!("{} selected", ids.len())
    };
    let script = format!(
        "const ticked = [...document.querySelectorAll('li[data-id] .select')].filter((b) => b.checked)
           .map((b) => b.closest('li').dataset.id).sort();
         const box = document.getElementById('select-all');
         const state = box.checked ? 'checked' : box.indeterminate ? 'indeterminate' : 'clear';
         return JSON.stringify(ticked) === {want:?} && state === {all:?}
           && document.getElementById('selection-count').textContent === {count:?}",
        want = json!(sorted(ids)).to_string(),
    );
    b.until(&format!("{ids:?} ticked, select all {all}"), &script)
        .await;
}

#[tokio::test]
async fn select_all_with_one_unticked_retries_and_removes_only_the_ticked_items() {
    if !crate::browser::available() {
        return;
    }
    let s = scene().await;
    let broken = s.enqueue("kaguya-sama", &[1, 2, 3], "NORMAL").await;
    s.api(Method::POST, "/api/queue/start", json!({})).await;
    s.api_until("3 failed items", |st| {
        api_ids(st, "failed_downloads").len() == 3
    })
    .await;
    s.api(Method::POST, "/api/queue/stop", json!({})).await;
    let waiting = s.enqueue("dr-stone", &[1, 2], "NORMAL").await;
    let started = Instant::now();
    s.open_queue().await;
    until_shown(&s.b, "failed", &broken, false).await;
    until_shown(&s.b, "pending", &waiting, true).await;
    until_ticked(&s.b, &[], "clear").await;

    let every: Vec<String> = broken.iter().chain(&waiting).cloned().collect();
    s.b.click("#select-all").await;
    until_ticked(&s.b, &every, "checked").await;
    // one failed item stays out
    let (kept, retried) = (&broken[0], &broken[1..]);
    s.b.click(&in_row(kept, ".select")).await;
    let ticked: Vec<String> = every.iter().filter(|id| *id != kept).cloned().collect();
    until_ticked(&s.b, &ticked, "indeterminate").await;
    s.b.screenshot_full("queue-controls-selected-1280x800", 1280, 800)
        .await;

    // only the ticked failed items are retried; the ticks stay on them
    s.b.click("#retry-selected").await;
    s.b.until_text("#notices", "Retrying 2 failed item(s)")
        .await;
    until_shown(&s.b, "failed", std::slice::from_ref(kept), true).await;
    let pending: Vec<String> = waiting.iter().chain(retried).cloned().collect();
    until_shown(&s.b, "pending", &pending, false).await;
    until_ticked(&s.b, &ticked, "indeterminate").await;
    s.api_until("the two retried items pending", |st| {
        api_ids(st, "failed_downloads") == [kept.clone()]
            && sorted(&api_ids(st, "pending_queue")) == sorted(&pending)
    })
    .await;

    // every ticked item is removed, whatever its section
    s.b.click("#remove-selected").await;
    s.b.until_text("#notices", "Removed 4 item(s).").await;
    until_shown(&s.b, "pending", &[], true).await;
    s.b.until_text("#list-pending", "No pending items.").await;
    until_shown(&s.b, "failed", std::slice::from_ref(kept), true).await;
    until_ticked(&s.b, &[], "clear").await;
    s.b.until(
        "the count of one item",
        "return document.getElementById('stats').textContent === '1 item'",
    )
    .await;
    s.api_until("only the unticked item left", |st| {
        st["statistics"]["total_items"] == 1 && api_ids(st, "failed_downloads") == [kept.clone()]
    })
    .await;
    s.assert_no_reload().await;
    s.b.screenshot("queue-controls-bulk-removed-1280x800").await;
    println!(
        "figure: select all, untick, retry selected and remove selected on /queue: {} ms",
        started.elapsed().as_millis()
    );
}
