//! Direct files: byte-exact, resumed with `Range` after a cut and from a checkpoint, an
//! expired signature stopping with a checkpoint a fresh URL goes on from.

use super::*;
use crate::support::fake_site::Expiry;

#[tokio::test]
async fn an_mp4_is_written_byte_exact_with_few_reports_and_a_final_checkpoint() {
    let size = 3 * 1024 * 1024 + 17;
    let (site, links) = site_with(vec![mp4(size)]).await;
    let (_dir, part) = part_file();
    let reports = Reports::default();
    let started = tokio::time::Instant::now();
    let done = fetcher()
        .fetch(
            transfer(source(&links[0]), &part, None),
            reports.sink(),
            std::sync::Arc::new(CancellationToken::new()),
        )
        .await
        .unwrap();
    let took = started.elapsed().as_secs_f64();
    assert_eq!(
        done,
        Transferred {
            bytes: size,
            kind: MediaKind::Direct
        }
    );
    assert_file(&part, &links[0].expected_bytes());
    assert_eq!(
        header(&site, &mp4_path(&links[0]), "user-agent").as_deref(),
        Some(AGENT)
    );
    let all = reports.all();
    // Four reports a second, one per fsync (at most one a second here) and the last one:
    // not one per chunk.
    let most = 5.0 * took + 3.0;
    assert!(
        !all.is_empty() && all.len() as f64 <= most,
        "{} reports in {took} s",
        all.len()
    );
    let last = all.last().unwrap();
    assert_eq!(last.fraction, 1.0);
    assert_eq!(last.total_bytes, Some(size));
    assert_eq!(
        last.checkpoint,
        Some(Partial::Direct {
            bytes: size,
            total: Some(size)
        })
    );
}

#[tokio::test]
async fn a_body_cut_short_is_resumed_with_range_on_the_same_url_and_stays_byte_exact() {
    let size = 512 * 1024;
    let (site, links) = site_with(vec![mp4(size)]).await;
    let path = mp4_path(&links[0]);
    site.truncate(&path, 100_000, 1);
    let (_dir, part) = part_file();
    let done = run(&fetcher(), transfer(source(&links[0]), &part, None))
        .await
        .unwrap();
    assert_eq!(done.bytes, size);
    assert_file(&part, &links[0].expected_bytes());
    assert_eq!(site.requests(&path), 2);
    assert_eq!(
        header(&site, &path, "range").as_deref(),
        Some("bytes=100000-")
    );
    assert_eq!(header(&site, &path, "referer"), Some(links[0].embed_url()));
}

#[tokio::test]
async fn a_server_that_keeps_cutting_the_body_ends_in_truncated() {
    let (site, links) = site_with(vec![mp4(256 * 1024)]).await;
    let path = mp4_path(&links[0]);
    // Every answer breaks off after the same first bytes: resuming brings nothing new.
    site.truncate(&path, 0, 100);
    let (_dir, part) = part_file();
    let source = source(&links[0]);
    let resume = Partial::Direct {
        bytes: 1000,
        total: Some(256 * 1024),
    };
    std::fs::write(&part, &links[0].expected_bytes()[..1000]).unwrap();
    let err = run(&fetcher(), transfer(source, &part, Some(resume)))
        .await
        .unwrap_err();
    assert_eq!(
        err,
        FetchError::Truncated {
            expected: 256 * 1024,
            got: 1000
        }
    );
    assert_eq!(site.requests(&path), 4, "one request and three retries");
}

#[tokio::test]
async fn a_checkpoint_resumes_the_part_file_without_fetching_its_bytes_again() {
    let size = 1024 * 1024;
    let (site, links) = site_with(vec![mp4(size)]).await;
    let expected = links[0].expected_bytes();
    let (_dir, part) = part_file();
    // Bytes past the checkpoint were never confirmed flushed: they must not count.
    let mut on_disk = expected[..300_000].to_vec();
    on_disk.extend_from_slice(&[0xEE; 5_000]);
    std::fs::write(&part, &on_disk).unwrap();
    let resume = Partial::Direct {
        bytes: 300_000,
        total: Some(size),
    };
    let done = run(&fetcher(), transfer(source(&links[0]), &part, Some(resume)))
        .await
        .unwrap();
    assert_eq!(done.bytes, size);
    assert_file(&part, &expected);
    assert_eq!(site.media_bytes_served(links[0].link.id), size - 300_000);
    let range = header(&site, &mp4_path(&links[0]), "range");
    assert_eq!(range.as_deref(), Some("bytes=300000-"));
}

#[tokio::test]
async fn a_checkpoint_of_a_file_of_another_size_starts_over() {
    let size = 200 * 1024;
    let (site, links) = site_with(vec![mp4(size)]).await;
    let (_dir, part) = part_file();
    std::fs::write(&part, vec![0xAA; 50_000]).unwrap();
    let resume = Partial::Direct {
        bytes: 50_000,
        total: Some(size + 1),
    };
    run(&fetcher(), transfer(source(&links[0]), &part, Some(resume)))
        .await
        .unwrap();
    assert_file(&part, &links[0].expected_bytes());
    assert_eq!(site.requests(&mp4_path(&links[0])), 2, "ranged, then whole");
}

#[tokio::test]
async fn an_expired_signed_url_stops_with_a_checkpoint_and_a_fresh_url_goes_on_from_it() {
    let size = 1024 * 1024;
    let (site, links) = site_with(vec![mp4(size).signed()]).await;
    let id = links[0].link.id;
    site.expire_after(id, Expiry::Bytes(300_000));
    let (_dir, part) = part_file();
    let fetcher = fetcher();

    let err = run(&fetcher, transfer(source(&links[0]), &part, None))
        .await
        .unwrap_err();
    let checkpoint = Partial::Direct {
        bytes: 300_000,
        total: Some(size),
    };
    assert_eq!(
        err,
        FetchError::Expired {
            status: 403,
            at: Some(checkpoint)
        }
    );
    assert_eq!(site.generation(id), 2);

    let fresh = site.link(id).unwrap();
    assert!(
        fresh.media_url().ends_with("?sig=2"),
        "{}",
        fresh.media_url()
    );
    let done = run(&fetcher, transfer(source(&fresh), &part, Some(checkpoint)))
        .await
        .unwrap();
    assert_eq!(done.bytes, size);
    assert_file(&part, &links[0].expected_bytes());
    assert_eq!(
        site.media_bytes_served(id),
        size,
        "no byte was fetched twice"
    );
}

#[tokio::test]
async fn a_stale_signature_on_the_first_request_is_a_plain_403() {
    let (site, links) = site_with(vec![mp4(4096).signed()]).await;
    let mut stale = source(&links[0]);
    stale.url = stale.url.replace("sig=1", "sig=0");
    let (_dir, part) = part_file();
    let err = run(&fetcher(), transfer(stale, &part, None))
        .await
        .unwrap_err();
    assert_eq!(err, FetchError::Status(403));
    assert_eq!(site.media_bytes_served(links[0].link.id), 0);
}

#[tokio::test]
async fn a_missing_file_is_not_found() {
    let (site, links) = site_with(vec![mp4(4096)]).await;
    let mut gone = source(&links[0]);
    gone.url = site.url("/media/999/video.mp4");
    let (_dir, part) = part_file();
    let err = run(&fetcher(), transfer(gone, &part, None))
        .await
        .unwrap_err();
    assert_eq!(err, FetchError::NotFound);
}
