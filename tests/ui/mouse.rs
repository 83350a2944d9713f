//! A mouse drag through WebDriver's actions API: press, moves in steps as a hand makes them,
//! release. Chromium starts an HTML drag from them (it needs a move over the target after
//! arriving there to deliver a `dragover`, hence the last small step of each move).

use std::time::Duration;

use fantoccini::Locator;
use fantoccini::actions::{InputSource, MOUSE_BUTTON_LEFT, MouseActions, PointerAction};
use serde_json::json;

use crate::browser::Browser;

impl Browser {
    /// Presses the mouse on the element matching `from` and moves it in steps, as a hand
    /// does, over the one matching `to` at `fraction` of its height (0.25: its upper quarter),
    /// the button held: Chromium starts an HTML drag. [`Browser::mouse_over`] moves on,
    /// [`Browser::mouse_release`] drops.
    pub async fn mouse_drag_to(&self, from: &str, to: &str, fraction: f64) {
        let source = self
            .client
            .find(Locator::Css(from))
            .await
            .expect("drag source");
        let step = |x, y, ms| PointerAction::MoveToElement {
            element: source.clone(),
            duration: Some(Duration::from_millis(ms)),
            x,
            y,
        };
        let press = MouseActions::new("mouse".into())
            .then(step(0.0, 0.0, 0))
            .then(PointerAction::Down {
                button: MOUSE_BUTTON_LEFT,
            })
            .then(step(0.0, 5.0, 100))
            .then(step(0.0, 15.0, 100));
        self.client
            .perform_actions(press)
            .await
            .expect("mouse down");
        self.mouse_over(to, fraction).await;
    }

    /// Moves the (pressed) mouse over the element matching `to` at `fraction` of its height,
    /// and a little further, so that Chromium delivers a `dragover` there.
    pub async fn mouse_over(&self, to: &str, fraction: f64) {
        let target = self
            .client
            .find(Locator::Css(to))
            .await
            .expect("drop target");
        let height = self
            .js_with(
                "return document.querySelector(arguments[0]).getBoundingClientRect().height",
                vec![json!(to)],
            )
            .await
            .as_f64()
            .expect("a height");
        let y = (fraction - 0.5) * height;
        let at = |y, ms| PointerAction::MoveToElement {
            element: target.clone(),
            duration: Some(Duration::from_millis(ms)),
            x: 0.0,
            y,
        };
        let moves = MouseActions::new("mouse".into())
            .then(at(y, 200))
            .then(at(y + 2.0, 50));
        self.client
            .perform_actions(moves)
            .await
            .expect("mouse move");
    }

    /// Lets the mouse button go (the drop of a drag).
    pub async fn mouse_release(&self) {
        let up = MouseActions::new("mouse".into()).then(PointerAction::Up {
            button: MOUSE_BUTTON_LEFT,
        });
        self.client.perform_actions(up).await.expect("mouse up");
        self.client.release_actions().await.expect("release");
    }
}
