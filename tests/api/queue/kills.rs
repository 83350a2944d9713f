//! Issue 11's crash fault: the server is killed with SIGKILL at random points of a download,
//! 20 times in a row. After every start the queue is intact (the item is there, not failed,
//! and no partial file but its own), and in the end the file is byte-exact. The kill points
//! come from a seed the test prints; `KILL_SEED=<seed>` replays them.

use std::time::Duration;

use super::restart::{completed, item_status, login, queue_one, slow_site, spawn};

/// A small deterministic generator: the kill points of a run follow from its seed alone.
struct Lcg(u64);

/// `KILL_SEED` when set (to replay a run whose seed it printed), else one from the clock.
fn seed() -> u64 {
    match std::env::var("KILL_SEED") {
        Ok(given) => given
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("KILL_SEED must be a whole number, got {given:?}")),
        Err(_) => std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos() as u64,
    }
}

impl Lcg {
    fn next(&mut self, below: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % below
    }
}

#[tokio::test]
async fn twenty_kills_at_random_points_leave_the_queue_intact_and_the_file_byte_exact() {
    let size = 6 * 1024 * 1024;
    let (site, link_id) = slow_site(size).await;
    site.throttle_media(link_id, 384 * 1024);
    let (data, anime) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let client = reqwest::Client::new();
    let seed = seed();
    // Printed (shown with --nocapture, and on failure): KILL_SEED=<seed> replays the run.
    println!("kill points seeded with {seed}; replay with KILL_SEED={seed}");
    let mut random = Lcg(seed);
    let mut id = None;
    for round in 0..20 {
        let mut server = spawn(data.path(), anime.path(), site.base_url());
        let token = if round == 0 {
            queue_one(&client, &server.base, &site).await
        } else {
            login(&client, &server.base).await
        };
        let item = item_status(&client, &server.base, &token).await;
        assert!(
            ["pending", "downloading"].contains(&item["status"].as_str().unwrap_or("")),
            "round {round}: the item is queued: {item}"
        );
        match &id {
            None => id = Some(item["id"].clone()),
            Some(first) => assert_eq!(&item["id"], first, "round {round}: the same item"),
        }
        let parts: Vec<_> = super::walk(anime.path())
            .into_iter()
            .filter(|p| p.extension().is_some_and(|e| e == "part"))
            .collect();
        assert!(
            parts.len() <= 1,
            "round {round}: one partial file at most: {parts:?}"
        );
        // Anywhere from at once (while starting or resolving) to well into the transfer.
        tokio::time::sleep(Duration::from_millis(random.next(600))).await;
        server.child.kill().unwrap();
        server.child.wait().unwrap();
    }
    site.unthrottle_media(link_id);
    let mut server = spawn(data.path(), anime.path(), site.base_url());
    let token = login(&client, &server.base).await;
    let done = completed(&client, &server.base, &token, "not completed").await;
    assert_eq!(Some(&done["id"]), id.as_ref());
    let file = anime.path().join(done["file"].as_str().unwrap());
    let link = site.links("dr-stone", 1, 1).remove(0);
    assert!(
        std::fs::read(file).unwrap() == link.expected_bytes(),
        "byte-exact after 20 kills"
    );
    let served = site.media_bytes_served(link_id);
    assert!(
        served < 3 * size,
        "resumed rather than started over each time: {served} bytes served for {size}"
    );
    server.child.kill().unwrap();
    let _ = server.child.wait();
}
