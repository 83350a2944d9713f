//! Serves the tests' fake catalogue site (aniworld.to look-alike with hosters and media) on
//! 127.0.0.1, for trying the release binary by hand and for whole-process benchmarks:
//!
//! ```sh
//! cargo run --example fake_site -- 2000 50   # standard catalogue + series-1..series-2000, 50 episodes each
//! ```
//!
//! Prints the base URL (pass it as `--provider-url`) and serves until Ctrl-C.

#[path = "../tests/support/mod.rs"]
mod support;

use support::fake_site::{FakeSeries, FakeSite};

#[tokio::main]
async fn main() {
    let mut args = std::env::args()
        .skip(1)
        .map(|a| a.parse::<u32>().expect("numbers: SERIES EPISODES"));
    let series = args.next().unwrap_or(0);
    let episodes: Vec<u32> = (1..=args.next().unwrap_or(12)).collect();
    let mut builder = FakeSite::builder().standard_catalogue();
    for i in 1..=series {
        builder = builder.series(
            FakeSeries::new(&format!("series-{i}"), &format!("Series {i}"))
                .year(2020)
                .season(1, &episodes),
        );
    }
    let site = builder.spawn().await;
    println!("{}", site.base_url());
    let _ = tokio::signal::ctrl_c().await;
}
