//! The TLS side of the browser identity: BoringSSL, the library Chrome itself uses, set up to
//! send Chrome's ClientHello (PROVIDER.md, "Looking like a browser"; CONTRACT.md section 4):
//! - the cipher suites in Chrome's order (TLS 1.3's three, then TLS 1.2's twelve);
//! - the groups X25519MLKEM768, X25519, P-256, P-384 (BoringSSL then sends key shares for the
//!   hybrid and for X25519, as Chrome does);
//! - Chrome's signature algorithms, ALPN `h2` then `http/1.1`, GREASE, a new extension order
//!   for every connection, the OCSP and SCT requests, brotli certificate compression;
//! - per connection: an ECH GREASE extension, ALPS for `h2` on its new code point, and an
//!   empty trust_anchors extension (Trust Anchor IDs, which Chrome offers since 2026).
//!
//! Certificates are checked against the system's roots as every client does, or the built-in
//! ones where the system has none (`adapters/roots.rs`).

use std::io::Write;

use boring::error::ErrorStack;
use boring::ssl::{
    CertificateCompressionAlgorithm, CertificateCompressor, SslConnector, SslConnectorBuilder,
    SslMethod, SslRef, SslVersion,
};

/// Chrome's TLS 1.2 cipher suites in its order (the TLS 1.3 ones are always offered first).
const CIPHERS: &str = "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:\
ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:\
ECDHE-RSA-CHACHA20-POLY1305:ECDHE-RSA-AES128-SHA:ECDHE-RSA-AES256-SHA:AES128-GCM-SHA256:\
AES256-GCM-SHA384:AES128-SHA:AES256-SHA";

/// Chrome's supported groups, the post-quantum hybrid first.
const GROUPS: &str = "X25519MLKEM768:X25519:P-256:P-384";

/// Chrome's signature algorithms, in its order (ML-DSA first since Chrome 15x).
const SIGALGS: &str = "mldsa44:mldsa65:mldsa87:ecdsa_secp256r1_sha256:rsa_pss_rsae_sha256:rsa_pkcs1_sha256:\
ecdsa_secp384r1_sha384:rsa_pss_rsae_sha384:rsa_pkcs1_sha384:rsa_pss_rsae_sha512:\
rsa_pkcs1_sha512";

/// ALPN as Chrome offers it: HTTP/2 first.
const ALPN: &[u8] = b"\x02h2\x08http/1.1";

/// Brotli, the one certificate compression Chrome offers; only decompression is needed.
struct Brotli;

impl CertificateCompressor for Brotli {
    const ALGORITHM: CertificateCompressionAlgorithm = CertificateCompressionAlgorithm::BROTLI;
    const CAN_COMPRESS: bool = false;
    const CAN_DECOMPRESS: bool = true;

    fn decompress<W: Write>(&self, input: &[u8], output: &mut W) -> std::io::Result<()> {
        let mut reader = brotli_decompressor::Decompressor::new(input, 4096);
        std::io::copy(&mut reader, output).map(|_| ())
    }
}

/// The connector configuration shared by every connection.
pub fn chrome() -> Result<SslConnectorBuilder, ErrorStack> {
    let mut b = SslConnector::builder(SslMethod::tls())?;
    crate::adapters::roots::Roots::current().apply_to_boring(&mut b)?;
    b.set_min_proto_version(Some(SslVersion::TLS1_2))?;
    b.set_max_proto_version(Some(SslVersion::TLS1_3))?;
    b.set_cipher_list(CIPHERS)?;
    b.set_curves_list(GROUPS)?;
    b.set_sigalgs_list(SIGALGS)?;
    b.set_alpn_protos(ALPN)?;
    b.set_grease_enabled(true);
    b.set_permute_extensions(true);
    b.enable_ocsp_stapling();
    b.enable_signed_cert_timestamps();
    b.add_certificate_compression_algorithm(Brotli)?;
    Ok(b)
}

/// What Chrome adds per connection: ECH GREASE, ALPS (`application_settings`) for `h2`, and
/// the trust_anchors extension.
pub fn per_connection(ssl: &mut SslRef) -> Result<(), ErrorStack> {
    ssl.set_enable_ech_grease(true);
    // ALPS and Trust Anchor IDs have no safe method in `boring`: crates/boring-ext wraps them.
    boring_ext::offer_h2_settings(ssl)?;
    boring_ext::offer_trust_anchors(ssl)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chromes_configuration_is_accepted_by_boringssl() {
        let connector = chrome()
            .expect("Chrome's ciphers, groups and sigalgs")
            .build();
        let mut config = connector.configure().unwrap();
        per_connection(&mut config).expect("ECH GREASE and ALPS");
    }
}
