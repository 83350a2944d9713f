//! The certificate authorities outgoing TLS trusts: the system's, as every client does, or,
//! where the system has none (a `FROM scratch` image, a bare chroot), the Mozilla roots
//! compiled into the binary (`webpki-root-certs`, the set browsers ship).
//!
//! The system's roots are where `SSL_CERT_FILE` and `SSL_CERT_DIR` point when either is set
//! (as OpenSSL reads them), else the bundle of Debian, Ubuntu, Alpine or Fedora, else the
//! folder `/etc/ssl/certs`. A place that holds no certificate counts as none. The choice is
//! made once per process and logged once at start-up.
//!
//! Both TLS stacks follow it: BoringSSL for the sites, hosters and media (the browser
//! identity), and reqwest's rustls for FlareSolverr, the notifications and `aniworld health`.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use boring::error::ErrorStack;
use boring::ssl::SslConnectorBuilder;
use boring::x509::X509;

/// Where Debian, Ubuntu, Alpine and Fedora keep the system's roots in one file.
const CA_BUNDLES: [&str; 3] = [
    "/etc/ssl/certs/ca-certificates.crt",
    "/etc/pki/tls/certs/ca-bundle.crt",
    "/etc/ssl/cert.pem",
];

/// The folder of single certificates most systems have beside (or instead of) a bundle.
const CA_DIR: &str = "/etc/ssl/certs";

const PEM_MARK: &[u8] = b"-----BEGIN CERTIFICATE-----";

/// Where the trusted roots come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Roots {
    /// A PEM bundle of the system's.
    File(PathBuf),
    /// A folder of the system's PEM files.
    Dir(PathBuf),
    /// The Mozilla roots compiled into the binary; `why` says what the system lacked.
    BuiltIn { why: String },
}

impl Roots {
    /// The roots of this process, decided on first use.
    pub fn current() -> &'static Roots {
        static ROOTS: OnceLock<Roots> = OnceLock::new();
        ROOTS.get_or_init(|| {
            Self::find(
                std::env::var_os("SSL_CERT_FILE").map(PathBuf::from),
                std::env::var_os("SSL_CERT_DIR").map(PathBuf::from),
            )
        })
    }

    /// The roots given the two variables' values: the places they name when either is set,
    /// else the usual places.
    pub fn find(cert_file: Option<PathBuf>, cert_dir: Option<PathBuf>) -> Roots {
        let cert_file = cert_file.filter(|p| !p.as_os_str().is_empty());
        let cert_dir = cert_dir.filter(|p| !p.as_os_str().is_empty());
        if cert_file.is_some() || cert_dir.is_some() {
            if let Some(file) = cert_file.as_deref().filter(|f| holds_certificate(f)) {
                return Roots::File(file.to_owned());
            }
            if let Some(dir) = cert_dir
                .as_deref()
                .filter(|d| pem_files(d).next().is_some())
            {
                return Roots::Dir(dir.to_owned());
            }
            let named = [("SSL_CERT_FILE", &cert_file), ("SSL_CERT_DIR", &cert_dir)]
                .into_iter()
                .filter_map(|(var, p)| p.as_ref().map(|p| format!("{var}={}", p.display())))
                .collect::<Vec<_>>()
                .join(" and ");
            return Roots::BuiltIn {
                why: format!("no certificate in {named}"),
            };
        }
        if let Some(file) = CA_BUNDLES
            .iter()
            .map(Path::new)
            .find(|f| holds_certificate(f))
        {
            return Roots::File(file.to_owned());
        }
        if pem_files(Path::new(CA_DIR)).next().is_some() {
            return Roots::Dir(PathBuf::from(CA_DIR));
        }
        Roots::BuiltIn {
            why: format!(
                "no system CA certificates ({} nor {CA_DIR})",
                CA_BUNDLES.join(", ")
            ),
        }
    }

    /// One line for the start-up log.
    pub fn describe(&self) -> String {
        match self {
            Roots::File(f) => format!("TLS roots: the system's, {}", f.display()),
            Roots::Dir(d) => format!("TLS roots: the system's, in {}", d.display()),
            Roots::BuiltIn { why } => format!(
                "TLS roots: the {} Mozilla roots built into the binary ({why}; install \
                 ca-certificates or set SSL_CERT_FILE to use the system's)",
                webpki_root_certs::TLS_SERVER_ROOT_CERTS.len()
            ),
        }
    }

    /// Makes BoringSSL trust these roots.
    pub fn apply_to_boring(&self, b: &mut SslConnectorBuilder) -> Result<(), ErrorStack> {
        match self {
            Roots::File(f) => b.set_ca_file(f),
            Roots::Dir(d) => {
                let store = b.cert_store_mut();
                for file in pem_files(d) {
                    let Ok(pem) = std::fs::read(&file) else {
                        continue;
                    };
                    for cert in X509::stack_from_pem(&pem).unwrap_or_default() {
                        // The same root under two names (a hash link and its file) is refused
                        // the second time; it is trusted either way.
                        let _ = store.add_cert(cert);
                    }
                }
                Ok(())
            }
            Roots::BuiltIn { .. } => {
                let store = b.cert_store_mut();
                for der in webpki_root_certs::TLS_SERVER_ROOT_CERTS {
                    store.add_cert(X509::from_der(der.as_ref())?)?;
                }
                Ok(())
            }
        }
    }

    /// A reqwest client builder that trusts these roots: the platform verifier with the
    /// system's, or only the built-in ones where the system has none (the platform verifier
    /// refuses to start with an empty store).
    pub fn reqwest_builder(&self) -> reqwest::ClientBuilder {
        let builder = reqwest::Client::builder();
        match self {
            Roots::BuiltIn { .. } => builder.tls_certs_only(built_in_for_reqwest()),
            Roots::File(_) | Roots::Dir(_) => builder,
        }
    }
}

/// Builds a reqwest client from `configure(builder)` with the process's roots. Should the
/// system's roots be refused anyway (a bundle rustls cannot read), the built-in ones are
/// used; when neither works, the error names the cause and the fix.
pub fn reqwest_client(
    configure: impl Fn(reqwest::ClientBuilder) -> reqwest::ClientBuilder,
) -> Result<reqwest::Client, String> {
    let roots = Roots::current();
    let first = configure(roots.reqwest_builder()).build();
    match (first, roots) {
        (Ok(client), _) => Ok(client),
        (Err(e), Roots::BuiltIn { why }) => Err(no_roots(why, &e)),
        (Err(system), Roots::File(_) | Roots::Dir(_)) => {
            tracing::warn!(
                "the system's CA certificates were refused ({}); using the built-in roots",
                crate::adapters::error_chain(&system)
            );
            configure(reqwest::Client::builder().tls_certs_only(built_in_for_reqwest()))
                .build()
                .map_err(|e| no_roots("the system's were refused", &e))
        }
    }
}

fn no_roots(why: &str, e: &reqwest::Error) -> String {
    format!(
        "no CA certificates could be loaded ({why}; the built-in roots: {}): install \
         ca-certificates, or set SSL_CERT_FILE to a PEM bundle",
        crate::adapters::error_chain(e)
    )
}

fn built_in_for_reqwest() -> Vec<reqwest::Certificate> {
    webpki_root_certs::TLS_SERVER_ROOT_CERTS
        .iter()
        .filter_map(|der| reqwest::Certificate::from_der(der.as_ref()).ok())
        .collect()
}

/// Whether `file` is a readable file holding at least one PEM certificate.
fn holds_certificate(file: &Path) -> bool {
    std::fs::read(file).is_ok_and(|bytes| bytes.windows(PEM_MARK.len()).any(|w| w == PEM_MARK))
}

/// The files of `dir` that hold a PEM certificate (the folder's own links included), read
/// as they are asked for: whether there is one needs only the first.
fn pem_files(dir: &Path) -> impl Iterator<Item = PathBuf> {
    std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && holds_certificate(p))
}

#[cfg(test)]
mod tests {
    use super::*;
    use boring::ssl::{SslConnector, SslMethod};

    fn temp() -> tempfile::TempDir {
        tempfile::tempdir().unwrap()
    }

    #[test]
    fn set_variables_pointing_at_nothing_choose_the_built_in_roots_and_say_why() {
        let dir = temp();
        let empty = dir.path().join("empty.pem");
        std::fs::write(&empty, b"").unwrap();
        let roots = Roots::find(Some(empty.clone()), Some(dir.path().join("nowhere")));
        let Roots::BuiltIn { why } = &roots else {
            panic!("{roots:?}")
        };
        assert!(
            why.contains(&format!("SSL_CERT_FILE={}", empty.display())),
            "{why}"
        );
        assert!(why.contains("SSL_CERT_DIR="), "{why}");
        assert!(
            roots
                .describe()
                .contains("Mozilla roots built into the binary")
        );
    }

    #[test]
    fn a_file_with_a_certificate_is_the_systems_roots() {
        let dir = temp();
        let bundle = dir.path().join("bundle.pem");
        let pem = X509::from_der(webpki_root_certs::TLS_SERVER_ROOT_CERTS[0].as_ref())
            .unwrap()
            .to_pem()
            .unwrap();
        std::fs::write(&bundle, &pem).unwrap();
        assert_eq!(
            Roots::find(Some(bundle.clone()), None),
            Roots::File(bundle.clone())
        );
        // a folder of PEM files counts when the file does not
        let certs = dir.path().join("certs");
        std::fs::create_dir(&certs).unwrap();
        std::fs::write(certs.join("a.pem"), &pem).unwrap();
        std::fs::write(certs.join("notes.txt"), b"not a certificate").unwrap();
        assert_eq!(
            Roots::find(Some(dir.path().join("none.pem")), Some(certs.clone())),
            Roots::Dir(certs.clone())
        );
        assert_eq!(
            pem_files(&certs).collect::<Vec<_>>(),
            vec![certs.join("a.pem")]
        );
    }

    #[test]
    fn every_kind_of_roots_loads_into_boringssl_and_reqwest() {
        let dir = temp();
        let pem = X509::from_der(webpki_root_certs::TLS_SERVER_ROOT_CERTS[1].as_ref())
            .unwrap()
            .to_pem()
            .unwrap();
        std::fs::write(dir.path().join("one.pem"), &pem).unwrap();
        let built_in = Roots::BuiltIn { why: "test".into() };
        for roots in [
            Roots::File(dir.path().join("one.pem")),
            Roots::Dir(dir.path().to_owned()),
            built_in.clone(),
        ] {
            let mut b = SslConnector::builder(SslMethod::tls()).unwrap();
            roots.apply_to_boring(&mut b).unwrap();
            assert!(roots.reqwest_builder().build().is_ok(), "{roots:?}");
        }
        assert!(built_in_for_reqwest().len() > 100);
    }
}
