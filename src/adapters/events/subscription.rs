//! A subscription to the bus: a tokio broadcast receiver behind the port's [`Subscription`],
//! its errors turned into the port's [`Next`].

use std::sync::Arc;

use async_trait::async_trait;
use tokio::sync::broadcast::Receiver;
use tokio::sync::broadcast::error::{RecvError, TryRecvError};

use crate::domain::event::Event;
use crate::ports::events::{Next, Subscription};

/// One subscriber's receiver on the bus's channel.
pub(super) struct Live(pub(super) Receiver<Arc<Event>>);

#[async_trait]
impl Subscription for Live {
    async fn next(&mut self) -> Next {
        // Cancel safe because `recv` is (tokio documents it so: the receiver's position moves
        // only when `recv` completes) and nothing else here awaits: the mapping below runs
        // after the event is taken, in the same poll, so a dropped `next()` has taken nothing.
        match self.0.recv().await {
            Ok(event) => Next::Event(Arc::unwrap_or_clone(event)),
            Err(RecvError::Lagged(missed)) => Next::Missed(missed),
            Err(RecvError::Closed) => Next::Closed,
        }
    }

    fn try_next(&mut self) -> Option<Next> {
        match self.0.try_recv() {
            Ok(event) => Some(Next::Event(Arc::unwrap_or_clone(event))),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Lagged(missed)) => Some(Next::Missed(missed)),
            Err(TryRecvError::Closed) => Some(Next::Closed),
        }
    }
}
