//! What holds for every kind of transfer: cancelling stops promptly with a checkpoint a later
//! transfer resumes from, the bandwidth limit is shared and changeable, disk errors say so.

use tokio::time::Instant;

use super::*;

/// Starts a transfer in its own task; the reports and the cancel token stay with the test.
fn spawn_fetch(
    fetcher: &HttpMediaFetcher,
    transfer: Transfer,
) -> (
    tokio::task::JoinHandle<Result<Transferred, FetchError>>,
    Reports,
    CancellationToken,
) {
    let reports = Reports::default();
    let cancel = CancellationToken::new();
    let task = tokio::spawn({
        let (fetcher, sink, cancel) = (fetcher.clone(), reports.sink(), cancel.clone());
        async move {
            fetcher
                .fetch(transfer, sink, std::sync::Arc::new(cancel))
                .await
        }
    });
    (task, reports, cancel)
}

#[tokio::test]
async fn cancelling_a_slow_mp4_stops_promptly_and_a_later_transfer_resumes_it() {
    let size = 1024 * 1024;
    let (site, links) = site_with(vec![mp4(size)]).await;
    let id = links[0].link.id;
    site.throttle_media(id, 64 * 1024);
    let (_dir, part) = part_file();
    let fetcher = fetcher();
    let (task, reports, cancel) = spawn_fetch(&fetcher, transfer(source(&links[0]), &part, None));
    assert!(reports.wait_for_bytes(1, Duration::from_secs(10)).await);

    let asked = Instant::now();
    cancel.cancel();
    let err = task.await.unwrap().unwrap_err();
    assert!(
        asked.elapsed() < Duration::from_millis(500),
        "{:?}",
        asked.elapsed()
    );
    let FetchError::Cancelled {
        at: Some(at @ Partial::Direct { bytes, total }),
    } = err
    else {
        panic!("{err:?}");
    };
    assert_eq!(total, Some(size));
    assert!(bytes > 0 && bytes < size, "{bytes}");
    let expected = links[0].expected_bytes();
    assert_eq!(std::fs::read(&part).unwrap(), expected[..bytes as usize]);

    site.unthrottle_media(id);
    run(&fetcher, transfer(source(&links[0]), &part, Some(at)))
        .await
        .unwrap();
    assert_file(&part, &expected);
    let range = header(&site, &mp4_path(&links[0]), "range");
    assert_eq!(range, Some(format!("bytes={bytes}-")));
}

#[tokio::test]
async fn cancelling_a_slow_stream_stops_between_segments_and_a_later_transfer_resumes_it() {
    let segment = 188 * 100;
    let (site, links) = site_with(vec![hls(8, segment, true)]).await;
    let id = links[0].link.id;
    // About a second per segment: a cancel arrives while segments are on their way.
    site.throttle_media(id, segment as u64);
    let (_dir, part) = part_file();
    let fetcher = fetcher();
    let (task, reports, cancel) = spawn_fetch(&fetcher, transfer(source(&links[0]), &part, None));
    assert!(reports.wait_for_bytes(1, Duration::from_secs(10)).await);

    let asked = Instant::now();
    cancel.cancel();
    let err = task.await.unwrap().unwrap_err();
    assert!(
        asked.elapsed() < Duration::from_millis(500),
        "{:?}",
        asked.elapsed()
    );
    let FetchError::Cancelled {
        at:
            Some(
                at @ Partial::Hls {
                    segments,
                    total: 8,
                    bytes,
                },
            ),
    } = err
    else {
        panic!("{err:?}");
    };
    assert!((1..8).contains(&segments), "{segments}");
    let expected = links[0].expected_bytes();
    assert_eq!(std::fs::read(&part).unwrap(), expected[..bytes as usize]);

    site.unthrottle_media(id);
    site.reset_counts();
    run(&fetcher, transfer(source(&links[0]), &part, Some(at)))
        .await
        .unwrap();
    assert_file(&part, &expected);
    for index in 0..segments {
        assert_eq!(
            site.requests(&segment_path(&links[0], index)),
            0,
            "segment {index}"
        );
    }
}

#[tokio::test]
async fn the_bandwidth_limit_is_shared_by_concurrent_transfers_and_their_segments() {
    let (_site, links) = site_with(vec![mp4(192 * 1024), hls(12, 188 * 88, false)]).await;
    let fetcher = fetcher();
    fetcher.set_bandwidth_limit(Some(256));
    let ((_a, file), (_b, stream)) = (part_file(), part_file());
    let started = Instant::now();
    let (a, b) = tokio::join!(
        run(&fetcher, transfer(source(&links[0]), &file, None)),
        run(&fetcher, transfer(source(&links[1]), &stream, None)),
    );
    let took = started.elapsed();
    let (a, b) = (a.unwrap().bytes, b.unwrap().bytes);
    assert_file(&file, &links[0].expected_bytes());
    assert_file(&stream, &links[1].expected_bytes());
    // Either alone would pass in half a second; together, less the quarter second's burst
    // the bucket starts with, they need (a + b - 64 KiB) / 256 KiB/s.
    let floor = (a + b - 64 * 1024) as f64 / (256.0 * 1024.0);
    assert!(floor > 1.2);
    assert!(
        took.as_secs_f64() >= floor * 0.95,
        "{took:?} for {} bytes",
        a + b
    );
}

#[tokio::test]
async fn lifting_the_bandwidth_limit_applies_to_a_running_transfer() {
    let size = 1024 * 1024;
    let (_site, links) = site_with(vec![mp4(size)]).await;
    let fetcher = fetcher();
    // At 16 KiB/s the file would take a minute.
    fetcher.set_bandwidth_limit(Some(16));
    let (_dir, part) = part_file();
    let (task, reports, _cancel) = spawn_fetch(&fetcher, transfer(source(&links[0]), &part, None));
    assert!(reports.wait_for_bytes(1, Duration::from_secs(10)).await);
    fetcher.set_bandwidth_limit(None);
    let done = tokio::time::timeout(Duration::from_secs(30), task)
        .await
        .expect("the lifted limit lets the transfer finish")
        .unwrap()
        .unwrap();
    assert_eq!(done.bytes, size);
    assert_file(&part, &links[0].expected_bytes());
}

#[tokio::test]
async fn a_part_file_whose_folder_is_a_regular_file_is_a_disk_error_for_both_kinds() {
    let (_site, links) = site_with(vec![mp4(4096), hls(2, 188, true)]).await;
    let dir = tempfile::tempdir().unwrap();
    let blocker = dir.path().join("Season 01");
    std::fs::write(&blocker, b"a file, not a folder").unwrap();
    let part = blocker.join("Transfer Test - S01E01.part");
    for link in &links {
        let err = run(&fetcher(), transfer(source(link), &part, None))
            .await
            .unwrap_err();
        let FetchError::Disk(reason) = &err else {
            panic!("{err:?}");
        };
        assert!(reason.contains("Season 01"), "{reason}");
    }
    assert!(blocker.is_file());
}
