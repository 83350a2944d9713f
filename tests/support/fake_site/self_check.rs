//! Checks of the fake site's own generated media, so a failing download test points at the
//! downloader and not at the fixture.

use aes::cipher::{BlockModeDecrypt, KeyIvInit, block_padding::Pkcs7};

use super::media::{
    BEST_VARIANT, expected_download, hls_iv, hls_key, mp4_bytes, mp4_file, parse_range,
    segment_plain, segment_served,
};
use super::model::FakeMedia;

const HLS: FakeMedia = FakeMedia::Hls {
    segments: 3,
    segment_bytes: 188 * 3,
    encrypted: true,
};

#[test]
fn a_byte_range_of_an_mp4_equals_the_same_slice_of_the_whole_file() {
    let whole = mp4_file(7, 10_000);
    assert_eq!(&whole[4..8], b"ftyp");
    assert_eq!(mp4_bytes(7, 3..9_999), whole[3..9_999].to_vec());
    assert_ne!(mp4_file(8, 100), whole[..100].to_vec());
}

#[test]
fn range_headers_are_read_as_http_defines_them() {
    assert_eq!(parse_range("bytes=100-", 1000), Some(100..1000));
    assert_eq!(parse_range("bytes=0-99", 1000), Some(0..100));
    assert_eq!(parse_range("bytes=900-5000", 1000), Some(900..1000));
    assert_eq!(parse_range("bytes=1000-", 1000), None);
    assert_eq!(parse_range("items=1-2", 1000), None);
}

#[test]
fn an_encrypted_segment_decrypts_with_the_key_and_the_sequence_number_iv() {
    let served = segment_served(9, BEST_VARIANT, 2, HLS).unwrap();
    let plain = segment_plain(9, BEST_VARIANT, 2, 188 * 3);
    assert_ne!(served, plain);
    let mut buf = vec![0u8; served.len()];
    let decrypted = cbc::Decryptor::<aes::Aes128>::new(&hls_key(9).into(), &hls_iv(2).into())
        .decrypt_padded_b2b::<Pkcs7>(&served, &mut buf)
        .expect("valid padding");
    assert_eq!(decrypted, plain.as_slice());
}

#[test]
fn only_the_best_variant_is_encrypted() {
    let plain = segment_plain(9, "low", 0, 188 * 3);
    assert_eq!(segment_served(9, "low", 0, HLS), Some(plain));
    assert_eq!(segment_served(9, BEST_VARIANT, 3, HLS), None);
}

#[test]
fn the_expected_hls_download_is_the_plain_best_segments_in_order() {
    let expected = expected_download(9, HLS);
    assert_eq!(expected.len(), 3 * 188 * 3);
    assert_eq!(
        expected[188 * 3..188 * 6],
        segment_plain(9, BEST_VARIANT, 1, 188 * 3)
    );
    assert!(expected.chunks(188).all(|packet| packet[0] == 0x47));
}
