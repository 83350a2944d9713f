//! Reordering pending items on the queue page: an arrow button clicked, the same button
//! pressed with Enter, a drag with the mouse (its drop line on the side the item will land),
//! a drag past an item of higher priority (the server keeps priority first, the page says
//! so), and "Clear pending".

use std::time::Instant;

use fantoccini::key::Key;
use serde_json::json;

use crate::queue_controls::{Scene, api_ids, in_row, scene, until_shown};

/// Waits until `GET /api/queue/status` lists the pending items as `ids`, in order.
async fn api_pending(s: &Scene, ids: &[&String]) {
    let want: Vec<String> = ids.iter().map(|id| (*id).clone()).collect();
    s.api_until(&format!("the pending order {want:?}"), |st| {
        api_ids(st, "pending_queue") == want
    })
    .await;
}

/// Waits until the page lists the pending items as `ids`, in order, and the API agrees.
async fn shown_and_stored(s: &Scene, ids: &[&String]) {
    let want: Vec<String> = ids.iter().map(|id| (*id).clone()).collect();
    until_shown(&s.b, "pending", &want, true).await;
    api_pending(s, ids).await;
}

/// The drop-line classes of item `id`'s row.
async fn drop_line(s: &Scene, id: &str) -> serde_json::Value {
    let script = format!(
        "const l = document.querySelector('#list-pending li[data-id=\"{id}\"]').classList; return [l.contains('drop-before'), l.contains('drop-after')]"
    );
    s.b.js(&script).await
}

#[tokio::test]
async fn pending_items_move_with_the_arrows_the_keyboard_and_the_mouse_within_their_priority() {
    if !crate::browser::available() {
        return;
    }
    let s = scene().await;
    let stone = s.enqueue("dr-stone", &[1, 2], "NORMAL").await;
    let kaguya = s.enqueue("kaguya-sama", &[1, 2], "NORMAL").await;
    let (a, b, c, d) = (&stone[0], &stone[1], &kaguya[0], &kaguya[1]);
    let started = Instant::now();
    s.open_queue().await;
    shown_and_stored(&s, &[a, b, c, d]).await;

    // the up arrow of the third item; the focus stays on that button
    s.b.click(&format!("#list-pending {}", in_row(c, "[data-move='-1']")))
        .await;
    shown_and_stored(&s, &[a, c, b, d]).await;
    let focused = format!(
        "const f = document.activeElement; return f.dataset.move === '-1' && f.closest('li').dataset.id === {}",
        json!(c)
    );
    s.b.until("the focus on the moved item's up button", &focused)
        .await;
    // the keyboard: Enter on the focused button moves it once more
    let button =
        s.b.client
            .active_element()
            .await
            .expect("a focused element");
    button
        .send_keys(&Key::Enter.to_string())
        .await
        .expect("Enter");
    shown_and_stored(&s, &[c, a, b, d]).await;

    // the mouse drags the last item over the first: the line shows where it will land
    let row = |id: &str| format!("#list-pending li[data-id=\"{id}\"]");
    s.b.mouse_drag_to(&row(d), &row(c), 0.25).await;
    s.b.until(
        "the drop line above the first item",
        &format!(
            "return document.querySelector('{}').classList.contains('drop-before')",
            row(c).replace('\'', "\\'")
        ),
    )
    .await;
    assert_eq!(drop_line(&s, c).await, json!([true, false]));
    s.b.mouse_over(&row(c), 0.75).await;
    s.b.until(
        "the drop line below the first item",
        &format!(
            "return document.querySelector('{}').classList.contains('drop-after')",
            row(c).replace('\'', "\\'")
        ),
    )
    .await;
    assert_eq!(
        drop_line(&s, c).await,
        json!([false, true]),
        "one line, below"
    );
    s.b.screenshot("queue-controls-dragging-1280x800").await;
    s.b.mouse_release().await;
    shown_and_stored(&s, &[c, d, a, b]).await;
    assert_eq!(
        drop_line(&s, c).await,
        json!([false, false]),
        "no line left"
    );

    // a HIGH item arrives through the socket, first; a NORMAL one dragged above it stops
    // below it, and the page says why
    let high = s.enqueue("kaguya-sama", &[3], "HIGH").await.remove(0);
    until_shown(
        &s.b,
        "pending",
        &[&high, c, d, a, b].map(|id| id.clone()),
        true,
    )
    .await;
    s.b.mouse_drag_to(&row(b), &row(&high), 0.25).await;
    s.b.mouse_release().await;
    s.b.until_text("#notices", "Higher-priority items stay first")
        .await;
    shown_and_stored(&s, &[&high, b, c, d, a]).await;
    s.b.screenshot("queue-controls-reordered-1280x800").await;

    s.b.click("#clear-pending").await;
    s.b.until_text("#notices", "Removed 5 pending item(s)")
        .await;
    s.b.until_text("#list-pending", "No pending items.").await;
    shown_and_stored(&s, &[]).await;
    s.assert_no_reload().await;
    println!(
        "figure: arrows, Enter, two drags and clear pending on /queue: {} ms",
        started.elapsed().as_millis()
    );
}
