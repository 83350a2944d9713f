//! HLS: the best variant's segments in playlist order, AES-128 decrypted, the source's headers
//! on every request, bounded concurrency, retried segments, checkpoints and expiry.

use super::*;
use crate::support::fake_site::Expiry;

#[tokio::test]
async fn a_plain_stream_is_the_best_variants_segments_in_playlist_order() {
    let (site, links) = site_with(vec![hls(12, 188 * 40, false)]).await;
    let (_dir, part) = part_file();
    let reports = Reports::default();
    let done = fetcher()
        .fetch(
            transfer(source(&links[0]), &part, None),
            reports.sink(),
            std::sync::Arc::new(CancellationToken::new()),
        )
        .await
        .unwrap();
    let expected = links[0].expected_bytes();
    assert_eq!(
        done,
        Transferred {
            bytes: expected.len() as u64,
            kind: MediaKind::Hls
        }
    );
    assert_file(&part, &expected);
    let id = links[0].link.id;
    assert_eq!(site.requests_under(&format!("/media/{id}/high/seg-")), 12);
    assert_eq!(site.requests_under(&format!("/media/{id}/mid/")), 0);
    assert_eq!(site.requests_under(&format!("/media/{id}/low/")), 0);
    let last = reports.all().last().copied().unwrap();
    assert_eq!(last.fraction, 1.0);
    assert_eq!(last.total_bytes, Some(expected.len() as u64));
    assert_eq!(
        last.checkpoint,
        Some(Partial::Hls {
            segments: 12,
            total: 12,
            bytes: expected.len() as u64
        })
    );
}

#[tokio::test]
async fn an_aes_128_stream_is_decrypted_with_one_key_request_and_the_sources_headers() {
    let (site, links) = site_with(vec![hls(6, 188 * 33, true)]).await;
    let (_dir, part) = part_file();
    run(&fetcher(), transfer(source(&links[0]), &part, None))
        .await
        .unwrap();
    assert_file(&part, &links[0].expected_bytes());
    let id = links[0].link.id;
    let key = format!("/media/{id}/high/key.bin");
    assert_eq!(site.requests(&key), 1);
    let master = format!("/media/{id}/master.m3u8");
    for path in [
        master,
        key,
        segment_path(&links[0], 0),
        segment_path(&links[0], 5),
    ] {
        assert_eq!(
            header(&site, &path, "user-agent").as_deref(),
            Some(AGENT),
            "{path}"
        );
        assert_eq!(
            header(&site, &path, "referer"),
            Some(links[0].embed_url()),
            "{path}"
        );
    }
}

#[tokio::test]
async fn segments_are_fetched_several_at_once_but_never_more_than_asked() {
    let builder = FakeSite::builder().latency(Duration::from_millis(40));
    let (site, links) = site_from(builder, vec![hls(16, 188 * 10, true)]).await;
    let fetcher = fetcher();
    for concurrency in [1, 4] {
        let (_dir, part) = part_file();
        site.reset_counts();
        let mut job = transfer(source(&links[0]), &part, None);
        job.segment_concurrency = concurrency;
        run(&fetcher, job).await.unwrap();
        assert_file(&part, &links[0].expected_bytes());
        let most = site.max_in_flight();
        assert!(
            most <= concurrency,
            "{most} in flight with {concurrency} allowed"
        );
        if concurrency > 1 {
            assert!(most > 1, "only {most} in flight with {concurrency} allowed");
        }
    }
}

#[tokio::test]
async fn a_segment_that_fails_transiently_is_fetched_again() {
    let (site, links) = site_with(vec![hls(5, 188 * 8, true)]).await;
    let flaky = segment_path(&links[0], 2);
    site.fail_times(&flaky, 2, 503);
    let (_dir, part) = part_file();
    run(&fetcher(), transfer(source(&links[0]), &part, None))
        .await
        .unwrap();
    assert_file(&part, &links[0].expected_bytes());
    assert_eq!(site.requests(&flaky), 3);
}

#[tokio::test]
async fn a_checkpoint_skips_the_segments_already_in_the_part_file() {
    let segment = 188 * 20;
    let (site, links) = site_with(vec![hls(8, segment, true)]).await;
    let expected = links[0].expected_bytes();
    let (_dir, part) = part_file();
    let mut on_disk = expected[..3 * segment].to_vec();
    on_disk.extend_from_slice(&[0u8; 999]);
    std::fs::write(&part, &on_disk).unwrap();
    let resume = Partial::Hls {
        segments: 3,
        total: 8,
        bytes: 3 * segment as u64,
    };
    run(&fetcher(), transfer(source(&links[0]), &part, Some(resume)))
        .await
        .unwrap();
    assert_file(&part, &expected);
    for index in 0..3 {
        assert_eq!(
            site.requests(&segment_path(&links[0], index)),
            0,
            "segment {index}"
        );
    }
    assert_eq!(site.requests(&segment_path(&links[0], 3)), 1);
}

#[tokio::test]
async fn an_expired_signed_stream_stops_with_the_segments_written_and_a_fresh_url_goes_on() {
    let segment = 188 * 12;
    let (site, links) = site_with(vec![hls(10, segment, true).signed()]).await;
    let id = links[0].link.id;
    site.expire_after(id, Expiry::Segments(4));
    let (_dir, part) = part_file();
    let fetcher = fetcher();

    let mut job = transfer(source(&links[0]), &part, None);
    job.segment_concurrency = 2;
    let err = run(&fetcher, job).await.unwrap_err();
    let FetchError::Expired {
        status: 403,
        at:
            Some(
                at @ Partial::Hls {
                    segments,
                    total: 10,
                    bytes,
                },
            ),
    } = err
    else {
        panic!("{err:?}");
    };
    // Four segment requests were served; with two racing, the fourth in playlist order may
    // be the one refused.
    assert!((3..=4).contains(&segments), "{segments} segments written");
    assert_eq!(bytes, u64::from(segments) * segment as u64);
    let expected = links[0].expected_bytes();
    assert_eq!(std::fs::read(&part).unwrap(), expected[..bytes as usize]);

    site.reset_counts();
    let fresh = site.link(id).unwrap();
    assert_eq!(fresh.generation, 2);
    run(&fetcher, transfer(source(&fresh), &part, Some(at)))
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
async fn a_page_that_is_not_a_playlist_is_unusable() {
    let (site, links) = site_with(vec![hls(3, 188, false)]).await;
    site.serve_html(
        &format!("/media/{}/master.m3u8", links[0].link.id),
        "<html>hi</html>",
    );
    let (_dir, part) = part_file();
    let err = run(&fetcher(), transfer(source(&links[0]), &part, None))
        .await
        .unwrap_err();
    assert!(matches!(err, FetchError::Unusable(_)), "{err:?}");
}
