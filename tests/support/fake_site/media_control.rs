//! What a test controls of a link's media while the site runs: the generation its signed URLs
//! carry and when it moves on (an expiry after some bytes or segments), a throttle on the
//! rate media is served at, and the count of media bytes served.

use std::collections::HashMap;
use std::sync::Mutex;

/// When a link's signed media URLs stop working, counted from when it is set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expiry {
    /// The next MP4 answer of the current generation breaks off after this many body bytes,
    /// and the generation moves on.
    Bytes(usize),
    /// After this many segment requests of the current generation the generation moves on.
    Segments(usize),
}

/// What kind of media request is asking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Asking {
    Mp4,
    Segment,
    /// A playlist or a key.
    Other,
}

/// Whether a media request is served.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Admission {
    /// A stale (or missing) signature: 403.
    Refused,
    /// Served; an MP4 body breaks off after `cut` bytes when given.
    Served { cut: Option<usize> },
}

#[derive(Debug, Default)]
struct LinkMedia {
    /// How often the generation moved on (the generation is one more).
    moves: u64,
    expiry: Option<Expiry>,
    segments_seen: usize,
    throttle: Option<u64>,
    bytes_served: u64,
}

/// The media controls of every link, by link id.
#[derive(Debug, Default)]
pub struct MediaControl {
    links: Mutex<HashMap<u64, LinkMedia>>,
}

impl MediaControl {
    fn with<T>(&self, id: u64, f: impl FnOnce(&mut LinkMedia) -> T) -> T {
        let mut links = self.links.lock().expect("media control poisoned");
        f(links.entry(id).or_default())
    }

    /// The generation a link's signed URLs carry now, from 1.
    pub fn generation(&self, id: u64) -> u64 {
        self.with(id, |l| l.moves + 1)
    }

    /// Arms an expiry (replacing one not yet used up).
    pub fn expire_after(&self, id: u64, expiry: Expiry) {
        self.with(id, |l| {
            l.expiry = Some(expiry);
            l.segments_seen = 0;
        });
    }

    /// Decides on one media request whose query carried `sig` (checked only when `signed`)
    /// and counts it toward an armed expiry. One lock for both, so requests racing an expiry
    /// are served or refused consistently.
    pub fn admit(&self, id: u64, signed: bool, sig: Option<u64>, asking: Asking) -> Admission {
        self.with(id, |l| {
            if signed && sig != Some(l.moves + 1) {
                return Admission::Refused;
            }
            let mut cut = None;
            match (asking, l.expiry) {
                (Asking::Mp4, Some(Expiry::Bytes(n))) => {
                    cut = Some(n);
                    l.expiry = None;
                    l.moves += 1;
                }
                (Asking::Segment, Some(Expiry::Segments(n))) => {
                    l.segments_seen += 1;
                    if l.segments_seen >= n {
                        l.expiry = None;
                        l.moves += 1;
                    }
                }
                _ => {}
            }
            Admission::Served { cut }
        })
    }

    /// Serves the link's media at about `bytes_per_second` (`None`: at full speed).
    pub fn throttle(&self, id: u64, bytes_per_second: Option<u64>) {
        self.with(id, |l| l.throttle = bytes_per_second.map(|r| r.max(1)));
    }

    /// The rate the link's media is served at, if throttled.
    pub fn rate(&self, id: u64) -> Option<u64> {
        self.with(id, |l| l.throttle)
    }

    /// Counts media body bytes handed out for a link.
    pub fn count_served(&self, id: u64, bytes: u64) {
        self.with(id, |l| l.bytes_served += bytes);
    }

    /// Media body bytes (MP4 and segments) handed out for a link so far.
    pub fn bytes_served(&self, id: u64) -> u64 {
        self.with(id, |l| l.bytes_served)
    }
}

/// The `sig` parameter of a query string.
pub fn sig_of(query: Option<&str>) -> Option<u64> {
    query?
        .split('&')
        .find_map(|pair| pair.strip_prefix("sig="))
        .and_then(|v| v.parse().ok())
}

/// What signed media URLs of a link append: `?sig=<generation>`, or nothing.
pub fn sig_query(signed: bool, generation: u64) -> String {
    if signed {
        format!("?sig={generation}")
    } else {
        String::new()
    }
}
