//! A start where the system has no CA certificates (a scratch image, here `SSL_CERT_FILE` and
//! `SSL_CERT_DIR` pointing at an empty file and an empty folder): the server starts with the
//! roots built into the binary and serves; a catalogue site over HTTPS with a self-signed
//! certificate is then refused with a certificate error, not a start-up error. And `aniworld
//! health`, the container's HEALTHCHECK, exits 0 against it and 1 where nothing listens.

use std::net::TcpListener;
use std::process::Command;
use std::sync::Arc;

use boring::asn1::Asn1Time;
use boring::ec::{EcGroup, EcKey};
use boring::hash::MessageDigest;
use boring::nid::Nid;
use boring::pkey::PKey;
use boring::ssl::{SslAcceptor, SslMethod};
use boring::x509::{X509, X509NameBuilder};
use serde_json::Value;

use crate::helpers::PASSWORD;
use crate::support::process::{server_command, spawn_command};

/// An HTTPS server on loopback whose certificate nobody trusts (its own issuer); answers the
/// handshakes it is offered and nothing else. Its port.
fn self_signed_https() -> u16 {
    let key = PKey::from_ec_key(
        EcKey::generate(&EcGroup::from_curve_name(Nid::X9_62_PRIME256V1).unwrap()).unwrap(),
    )
    .unwrap();
    let mut name = X509NameBuilder::new().unwrap();
    name.append_entry_by_text("CN", "127.0.0.1").unwrap();
    let name = name.build();
    let mut cert = X509::builder().unwrap();
    cert.set_version(2).unwrap();
    cert.set_subject_name(&name).unwrap();
    cert.set_issuer_name(&name).unwrap();
    cert.set_pubkey(&key).unwrap();
    cert.set_not_before(&Asn1Time::days_from_now(0).unwrap())
        .unwrap();
    cert.set_not_after(&Asn1Time::days_from_now(30).unwrap())
        .unwrap();
    cert.sign(&key, MessageDigest::sha256()).unwrap();
    let cert = cert.build();
    let mut acceptor = SslAcceptor::mozilla_intermediate_v5(SslMethod::tls()).unwrap();
    acceptor.set_private_key(&key).unwrap();
    acceptor.set_certificate(&cert).unwrap();
    let acceptor = Arc::new(acceptor.build());
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming().map_while(Result::ok) {
            let acceptor = acceptor.clone();
            // the client gives up on the certificate: the handshake fails, which is the point
            std::thread::spawn(move || drop(acceptor.accept(stream)));
        }
    });
    port
}

fn health(port: &str) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_aniworld"))
        .args(["health", "--port", port])
        .output()
        .expect("aniworld health runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

#[tokio::test]
async fn without_system_roots_the_server_starts_serves_and_refuses_a_self_signed_site() {
    let https = self_signed_https();
    let (data, anime, empty) = (
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
    );
    let no_file = empty.path().join("empty.pem");
    std::fs::write(&no_file, b"").unwrap();
    let mut command = server_command(
        env!("CARGO_BIN_EXE_aniworld"),
        data.path(),
        anime.path(),
        &format!("https://127.0.0.1:{https}"),
        &[],
    );
    command
        .env("SSL_CERT_FILE", &no_file)
        .env("SSL_CERT_DIR", empty.path());
    let mut server = spawn_command(command, "info");
    let base = server.base.clone();
    let log = server.log.lock().unwrap().join("\n");
    assert!(
        log.contains("Mozilla roots built into the binary")
            && log.contains(&format!("SSL_CERT_FILE={}", no_file.display())),
        "{log}"
    );

    let client = reqwest::Client::new();
    let health_body: Value = client
        .get(format!("{base}/health"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(health_body["status"], "healthy");
    server.setup(PASSWORD).await;

    // the site answers the handshake with a certificate no root vouches for
    let search = client
        .get(format!("{base}/api/anime/search?query=naruto"))
        .send()
        .await
        .unwrap();
    let status = search.status().as_u16();
    let body: Value = search.json().await.unwrap();
    assert!(
        (500..600).contains(&status) && status != 500,
        "{status} {body}"
    );
    let said = body.to_string().to_lowercase();
    assert!(said.contains("certificate"), "{status} {body}");

    // the container's health check: 0 against the running server, 1 where nothing listens
    let port = base.rsplit(':').next().unwrap().to_owned();
    let (ok, said) = health(&port);
    assert!(ok && said.contains("\"healthy\""), "{said}");
    let _ = server.child.kill();
    let _ = server.child.wait();
    let (ok, said) = health(&port);
    assert!(!ok && said.contains("/health"), "{said}");
}
