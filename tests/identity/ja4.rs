//! FoxIO's JA4 TLS client fingerprint (technical_details/JA4.md of FoxIO-LLC/ja4) and its raw
//! form JA4_r, from a parsed [`ClientHello`]:
//! `t` + version + `d`/`i` + cipher count + extension count + ALPN chars `_` cipher hash `_`
//! extension-and-sigalg hash. GREASE is left out everywhere, also from the signature
//! algorithms: Chromium 156 puts a GREASE value first there (a different one per connection),
//! and the spec ignores GREASE values; kept, JA4 would change with every handshake.

use sha2::{Digest, Sha256};

use crate::hello::{ALPN, ClientHello, SNI, is_grease};

/// The three parts of JA4 before hashing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ja4 {
    /// `t13d1516h2`
    pub a: String,
    /// Sorted ciphers, 4-hex, comma-separated.
    pub ciphers: String,
    /// Sorted extensions without SNI and ALPN, comma-separated.
    pub extensions: String,
    /// Signature algorithms in the order sent, comma-separated.
    pub sigalgs: String,
}

fn version(v: u16) -> &'static str {
    match v {
        0x0304 => "13",
        0x0303 => "12",
        0x0302 => "11",
        0x0301 => "10",
        0x0300 => "s3",
        0x0002 => "s2",
        0xfeff => "d1",
        0xfefd => "d2",
        0xfefc => "d3",
        _ => "00",
    }
}

fn hex_list(values: impl IntoIterator<Item = u16>) -> String {
    values
        .into_iter()
        .map(|v| format!("{v:04x}"))
        .collect::<Vec<_>>()
        .join(",")
}

/// First 12 hex characters of SHA-256, or twelve zeros for an empty list.
fn hash12(text: &str) -> String {
    if text.is_empty() {
        return "000000000000".into();
    }
    let digest = Sha256::digest(text.as_bytes());
    digest
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<String>()[..12]
        .to_owned()
}

/// The ALPN part: first and last character of the first value, their hex when either is not
/// alphanumeric, `00` when there is none.
fn alpn_chars(first: Option<&[u8]>) -> String {
    let Some(value) = first.filter(|v| !v.is_empty()) else {
        return "00".into();
    };
    let (a, z) = (value[0], value[value.len() - 1]);
    if a.is_ascii_alphanumeric() && z.is_ascii_alphanumeric() {
        format!("{}{}", a as char, z as char)
    } else {
        let (ha, hz) = (format!("{a:02x}"), format!("{z:02x}"));
        format!("{}{}", &ha[..1], &hz[1..])
    }
}

impl Ja4 {
    pub fn of(hello: &ClientHello) -> Self {
        let highest = hello
            .supported_versions()
            .into_iter()
            .filter(|v| !is_grease(*v))
            .max()
            .unwrap_or(hello.legacy_version);
        let mut ciphers: Vec<u16> = hello
            .ciphers
            .iter()
            .copied()
            .filter(|c| !is_grease(*c))
            .collect();
        let exts: Vec<u16> = hello
            .extensions
            .iter()
            .map(|(k, _)| *k)
            .filter(|k| !is_grease(*k))
            .collect();
        let alpn = hello.alpn();
        let a = format!(
            "t{}{}{:02}{:02}{}",
            version(highest),
            if hello.has_sni() { "d" } else { "i" },
            ciphers.len().min(99),
            exts.len().min(99),
            alpn_chars(alpn.first().map(|s| s.as_bytes())),
        );
        ciphers.sort_unstable();
        let mut hashed: Vec<u16> = exts
            .into_iter()
            .filter(|k| ![SNI, ALPN].contains(k))
            .collect();
        hashed.sort_unstable();
        Self {
            a,
            ciphers: hex_list(ciphers),
            extensions: hex_list(hashed),
            sigalgs: hex_list(
                hello
                    .signature_algorithms()
                    .into_iter()
                    .filter(|s| !is_grease(*s)),
            ),
        }
    }

    /// The extension part as hashed: extensions `_` sigalgs (no `_` without sigalgs).
    fn ext_part(&self) -> String {
        if self.sigalgs.is_empty() {
            self.extensions.clone()
        } else {
            format!("{}_{}", self.extensions, self.sigalgs)
        }
    }

    /// JA4, e.g. `t13d1516h2_8daaf6152771_e5627efa2ab1`.
    pub fn hash(&self) -> String {
        format!(
            "{}_{}_{}",
            self.a,
            hash12(&self.ciphers),
            hash12(&self.ext_part())
        )
    }

    /// JA4_r: the same unhashed.
    pub fn raw(&self) -> String {
        format!("{}_{}_{}", self.a, self.ciphers, self.ext_part())
    }

    /// Which parts differ from `other`, one line each, for an assertion message.
    pub fn differences(&self, other: &Self) -> String {
        let parts = [
            ("a (version, SNI, counts, ALPN)", &self.a, &other.a),
            ("ciphers", &self.ciphers, &other.ciphers),
            ("extensions", &self.extensions, &other.extensions),
            ("signature algorithms", &self.sigalgs, &other.sigalgs),
        ];
        parts
            .iter()
            .filter(|(_, x, y)| x != y)
            .map(|(name, x, y)| format!("  {name}:\n    this:  {x}\n    other: {y}\n"))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hello(ciphers: &[u16], exts: &[(u16, Vec<u8>)]) -> ClientHello {
        ClientHello {
            legacy_version: 0x0303,
            ciphers: ciphers.to_vec(),
            extensions: exts.to_vec(),
        }
    }

    /// The Chrome example of the JA4 spec: its JA4 and JA4_r.
    #[test]
    fn the_specs_chrome_example() {
        let ciphers = [
            0x0a0a, 0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8, 0xc013,
            0xc014, 0x009c, 0x009d, 0x002f, 0x0035,
        ];
        let sigalgs = [
            0x0403u16, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601,
        ];
        let mut sig = (sigalgs.len() as u16 * 2).to_be_bytes().to_vec();
        sig.extend(sigalgs.iter().flat_map(|s| s.to_be_bytes()));
        let versions = vec![6, 0x3a, 0x3a, 0x03, 0x04, 0x03, 0x03];
        let alpn = [
            0, 12, 2, b'h', b'2', 8, b'h', b't', b't', b'p', b'/', b'1', b'.', b'1',
        ];
        let kinds = [
            0x2a2a, 0x001b, 0x0000, 0x0033, 0x0010, 0x4469, 0x0017, 0x002d, 0x000d, 0x0005, 0x0023,
            0x0012, 0x002b, 0xff01, 0x000b, 0x000a, 0x0015,
        ];
        let exts: Vec<(u16, Vec<u8>)> = kinds
            .iter()
            .map(|&k| match k {
                0x000d => (k, sig.clone()),
                0x002b => (k, versions.clone()),
                0x0010 => (k, alpn.to_vec()),
                _ => (k, Vec::new()),
            })
            .collect();
        let ja4 = Ja4::of(&hello(&ciphers, &exts));
        assert_eq!(ja4.hash(), "t13d1516h2_8daaf6152771_e5627efa2ab1");
        assert_eq!(
            ja4.raw(),
            "t13d1516h2_002f,0035,009c,009d,1301,1302,1303,c013,c014,c02b,c02c,c02f,c030,cca8,cca9_\
             0005,000a,000b,000d,0012,0015,0017,001b,0023,002b,002d,0033,4469,ff01_\
             0403,0804,0401,0503,0805,0501,0806,0601"
        );
    }

    /// No ALPN, no sigalgs, only SNI: `00`, twelve zeros, no trailing sigalg part.
    #[test]
    fn empty_parts() {
        let ja4 = Ja4::of(&hello(&[0x0a0a, 0x0035], &[(0x0000, Vec::new())]));
        assert_eq!(ja4.hash(), "t12d010100_692296a295db_000000000000");
        assert_eq!(ja4.raw(), "t12d010100_0035_");
    }

    /// A GREASE signature algorithm (Chromium 156 sends one) is left out like the others.
    #[test]
    fn grease_sigalg_ignored() {
        let sig = vec![0, 4, 0xea, 0xea, 0x04, 0x03];
        let ja4 = Ja4::of(&hello(&[0x1301], &[(0x000d, sig)]));
        assert_eq!(ja4.raw(), "t12i010100_1301_000d_0403");
    }

    #[test]
    fn alpn_not_alphanumeric_is_hex() {
        assert_eq!(alpn_chars(Some(b"h2")), "h2");
        assert_eq!(alpn_chars(Some(b"http/1.1")), "h1");
        assert_eq!(alpn_chars(Some(&[0xab, 0xcd])), "ad");
        assert_eq!(alpn_chars(None), "00");
    }
}
