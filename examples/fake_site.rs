//! Serves the tests' fake catalogue site (aniworld.to look-alike with hosters and media) on
//! 127.0.0.1, for trying the release binary by hand and for whole-process benchmarks:
//!
//! ```sh
//! cargo run --example fake_site -- 2000 50   # standard catalogue + series-1..series-2000, 50 episodes each
//! ```
//!
//! Prints the base URL (pass it as `--provider-url`) and serves until Ctrl-C. With
//! `FAKE_SITE_REFUSE=1` the catalogue refuses (plain 403) everyone without a solver's cookie,
//! and a fake FlareSolverr is served beside it: its URL is the second line printed (set it as
//! `provider.flaresolverr_url`). Like aniworld.to, the catalogue always refuses clients that
//! do not send Chrome's headers. Besides the
//! tests' standard catalogue it serves `dr-stone`, whose episodes 1 to 6 are each on one
//! hoster: VOE, Filemoon, Vidmoly, Doodstream, Vidoza, Streamtape; the new-episodes page
//! lists them (German Dub), newest first.
//!
//! A fake s.to (serienstream.to) with the tests' standard s.to catalogue (Grey's Anatomy,
//! Station 19, Dark) runs beside it on a port of its own; its base URL goes to standard error
//! as `s.to: <url>` (pass it as `--sto-url`). Standard error also names the media URL of each
//! of Dr. Stone's MP4 episodes (`media: dr-stone S01E05 <url>`), to compare a download with;
//! with `FAKE_SITE_SLOW_MEDIA=<bytes/s>` Dr. Stone S01E06 is served at that rate.

#[path = "../tests/support/mod.rs"]
mod support;

use support::fake_site::{FakeHoster, FakeLink, FakeSeries, FakeSite, FeedEntry};
use support::flaresolverr::FakeSolver;

#[tokio::main]
async fn main() {
    let mut args = std::env::args()
        .skip(1)
        .map(|a| a.parse::<u32>().expect("numbers: SERIES EPISODES"));
    let series = args.next().unwrap_or(0);
    let episodes: Vec<u32> = (1..=args.next().unwrap_or(12)).collect();
    // Dr. Stone has one episode per hoster, for trying each by hand.
    let hosters = [
        FakeHoster::Voe,
        FakeHoster::Filemoon,
        FakeHoster::Vidmoly,
        FakeHoster::Doodstream,
        FakeHoster::Vidoza,
        FakeHoster::Streamtape,
    ];
    let mut dr_stone = FakeSeries::new("dr-stone", "Dr. Stone")
        .year(2019)
        .season(1, &[1, 2, 3, 4, 5, 6]);
    for (n, hoster) in (1..).zip(hosters) {
        if let Some(episode) = dr_stone.episode_mut(1, n) {
            episode.links = vec![FakeLink::new(hoster, 1)];
        }
    }
    let mut builder = FakeSite::builder()
        .standard_catalogue()
        .sto_standard_catalogue()
        .series(dr_stone);
    for i in 1..=series {
        builder = builder.series(
            FakeSeries::new(&format!("series-{i}"), &format!("Series {i}"))
                .year(2020)
                .season(1, &episodes),
        );
    }
    let site = builder.spawn().await;
    // The new-episodes page lists Dr. Stone's episodes, newest first (Torznab's feed).
    site.publish_new_episodes(
        (1..=6)
            .rev()
            .map(|e| FeedEntry::new("dr-stone", "Dr. Stone", 1, e, 1))
            .collect(),
    );
    println!("{}", site.base_url());
    eprintln!("s.to: {}", site.sto_base_url());
    // Where the MP4 episodes of Dr. Stone are served, to compare a download with.
    for e in 1..=6 {
        for link in site.links("dr-stone", 1, e) {
            if matches!(link.link.media, support::fake_site::FakeMedia::Mp4 { .. }) {
                eprintln!(
                    "media: dr-stone S01E0{e} {}/media/{}/video.mp4",
                    link.base_url, link.link.id
                );
            }
        }
    }
    // A slow episode, for stopping the server mid-download.
    if let Some(rate) = std::env::var("FAKE_SITE_SLOW_MEDIA")
        .ok()
        .and_then(|r| r.parse().ok())
    {
        for link in site.links("dr-stone", 1, 6) {
            site.throttle_media(link.link.id, rate);
        }
    }
    let mut _solver = None;
    if std::env::var("FAKE_SITE_REFUSE").is_ok_and(|v| v == "1") {
        site.refuse_uncleared();
        let solver = FakeSolver::spawn().await;
        println!("{}", solver.url);
        _solver = Some(solver);
    }
    let _ = tokio::signal::ctrl_c().await;
}
