//! A TLS ClientHello parsed from its handshake message bytes, on plain byte slices with
//! bounds checks: the legacy version, the cipher suites and the extensions in the order sent,
//! and what JA4 and the Chrome checks read from them (SNI, supported_versions, ALPN,
//! signature_algorithms, supported_groups, key_share groups, compress_certificate, GREASE).

/// Extension numbers read here.
pub const SNI: u16 = 0x0000;
pub const SUPPORTED_GROUPS: u16 = 0x000a;
pub const SIGNATURE_ALGORITHMS: u16 = 0x000d;
pub const ALPN: u16 = 0x0010;
pub const COMPRESS_CERTIFICATE: u16 = 0x001b;
pub const SUPPORTED_VERSIONS: u16 = 0x002b;
pub const KEY_SHARE: u16 = 0x0033;
/// compress_certificate's algorithm number for brotli (RFC 8879).
pub const BROTLI: u16 = 2;

/// A ClientHello as sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientHello {
    pub legacy_version: u16,
    pub ciphers: Vec<u16>,
    /// (type, data) in the order sent, GREASE included.
    pub extensions: Vec<(u16, Vec<u8>)>,
}

/// GREASE values (RFC 8701): 0x0a0a, 0x1a1a, ... 0xfafa.
pub fn is_grease(v: u16) -> bool {
    v & 0x0f0f == 0x0a0a && v >> 8 == v & 0xff
}

/// A bounds-checked reader over a byte slice.
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        if self.0.len() < n {
            return Err(format!("{n} bytes wanted, {} left", self.0.len()));
        }
        let (head, tail) = self.0.split_at(n);
        self.0 = tail;
        Ok(head)
    }
    fn u8(&mut self) -> Result<u8, String> {
        Ok(self.take(1)?[0])
    }
    fn u16(&mut self) -> Result<u16, String> {
        let b = self.take(2)?;
        Ok(u16::from_be_bytes([b[0], b[1]]))
    }
    fn vec8(&mut self) -> Result<&'a [u8], String> {
        let n = self.u8()? as usize;
        self.take(n)
    }
    fn vec16(&mut self) -> Result<&'a [u8], String> {
        let n = self.u16()? as usize;
        self.take(n)
    }
}

/// A list of big-endian u16 values (odd trailing byte refused).
fn u16s(bytes: &[u8]) -> Result<Vec<u16>, String> {
    if !bytes.len().is_multiple_of(2) {
        return Err("odd length for a list of u16".into());
    }
    Ok(bytes
        .chunks_exact(2)
        .map(|c| u16::from_be_bytes([c[0], c[1]]))
        .collect())
}

impl ClientHello {
    /// Parses a handshake message (type 1, u24 length, body).
    pub fn parse(message: &[u8]) -> Result<Self, String> {
        let mut r = Reader(message);
        if r.u8()? != 1 {
            return Err("not a ClientHello handshake message".into());
        }
        let len = r.take(3)?;
        let len = u32::from_be_bytes([0, len[0], len[1], len[2]]) as usize;
        let mut r = Reader(r.take(len)?);
        let legacy_version = r.u16()?;
        r.take(32)?; // random
        r.vec8()?; // legacy_session_id
        let ciphers = u16s(r.vec16()?)?;
        r.vec8()?; // legacy_compression_methods
        let mut extensions = Vec::new();
        if !r.0.is_empty() {
            let mut e = Reader(r.vec16()?);
            while !e.0.is_empty() {
                let kind = e.u16()?;
                extensions.push((kind, e.vec16()?.to_vec()));
            }
        }
        Ok(Self {
            legacy_version,
            ciphers,
            extensions,
        })
    }

    /// The data of the first extension of type `kind`.
    pub fn extension(&self, kind: u16) -> Option<&[u8]> {
        self.extensions
            .iter()
            .find(|(k, _)| *k == kind)
            .map(|(_, d)| d.as_slice())
    }

    pub fn has_sni(&self) -> bool {
        self.extension(SNI).is_some()
    }

    pub fn supported_versions(&self) -> Vec<u16> {
        self.extension(SUPPORTED_VERSIONS)
            .and_then(|d| Reader(d).vec8().ok().and_then(|l| u16s(l).ok()))
            .unwrap_or_default()
    }

    /// The ALPN protocol names in order.
    pub fn alpn(&self) -> Vec<String> {
        let Some(data) = self.extension(ALPN) else {
            return Vec::new();
        };
        let Ok(list) = Reader(data).vec16() else {
            return Vec::new();
        };
        let mut r = Reader(list);
        let mut names = Vec::new();
        while let Ok(name) = r.vec8() {
            names.push(String::from_utf8_lossy(name).into_owned());
        }
        names
    }

    fn u16_list16(&self, kind: u16) -> Vec<u16> {
        self.extension(kind)
            .and_then(|d| Reader(d).vec16().ok().and_then(|l| u16s(l).ok()))
            .unwrap_or_default()
    }

    pub fn signature_algorithms(&self) -> Vec<u16> {
        self.u16_list16(SIGNATURE_ALGORITHMS)
    }

    pub fn supported_groups(&self) -> Vec<u16> {
        self.u16_list16(SUPPORTED_GROUPS)
    }

    /// The groups of the key_share entries in order.
    pub fn key_share_groups(&self) -> Vec<u16> {
        let Some(Ok(list)) = self.extension(KEY_SHARE).map(|d| Reader(d).vec16()) else {
            return Vec::new();
        };
        let mut r = Reader(list);
        let mut groups = Vec::new();
        while let (Ok(group), Ok(_)) = (r.u16(), r.vec16()) {
            groups.push(group);
        }
        groups
    }

    pub fn compress_certificate(&self) -> Vec<u16> {
        self.extension(COMPRESS_CERTIFICATE)
            .and_then(|d| Reader(d).vec8().ok().and_then(|l| u16s(l).ok()))
            .unwrap_or_default()
    }

    pub fn grease_in_ciphers(&self) -> bool {
        self.ciphers.iter().any(|&c| is_grease(c))
    }

    pub fn grease_in_extensions(&self) -> bool {
        self.extensions.iter().any(|(k, _)| is_grease(*k))
    }
}

/// A group's name, for the report.
pub fn group_name(g: u16) -> String {
    match g {
        0x11ec => "X25519MLKEM768".into(),
        0x6399 => "X25519Kyber768Draft00".into(),
        0x001d => "x25519".into(),
        0x0017 => "secp256r1".into(),
        0x0018 => "secp384r1".into(),
        0x0019 => "secp521r1".into(),
        0x001e => "x448".into(),
        g if is_grease(g) => format!("GREASE({g:04x})"),
        g => format!("{g:04x}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A minimal hello: one cipher, SNI, ALPN h2/http/1.1, key_share x25519.
    fn sample() -> Vec<u8> {
        let mut ext = Vec::new();
        ext.extend([0x0a, 0x0a, 0, 0]); // GREASE extension, empty
        ext.extend([0, 0, 0, 0]); // SNI (empty data is enough here)
        ext.extend([0x00, 0x10, 0, 14, 0, 12, 2, b'h', b'2']);
        ext.extend([8, b'h', b't', b't', b'p', b'/', b'1', b'.', b'1']);
        ext.extend([0x00, 0x33, 0, 8, 0, 6, 0x00, 0x1d, 0, 2, 0xaa, 0xbb]);
        let mut body = vec![0x03, 0x03];
        body.extend([0u8; 32]);
        body.push(0);
        body.extend([0, 4, 0x1a, 0x1a, 0x13, 0x01]);
        body.extend([1, 0]);
        body.extend((ext.len() as u16).to_be_bytes());
        body.extend(ext);
        let mut msg = vec![1, 0, (body.len() >> 8) as u8, body.len() as u8];
        msg.extend(body);
        msg
    }

    #[test]
    fn parses_the_lists_in_order() {
        let hello = ClientHello::parse(&sample()).expect("parses");
        assert_eq!(hello.legacy_version, 0x0303);
        assert_eq!(hello.ciphers, [0x1a1a, 0x1301]);
        assert!(hello.has_sni() && hello.grease_in_ciphers() && hello.grease_in_extensions());
        assert_eq!(hello.alpn(), ["h2", "http/1.1"]);
        assert_eq!(hello.key_share_groups(), [0x001d]);
    }

    #[test]
    fn refuses_every_truncation() {
        let msg = sample();
        for n in 0..msg.len() {
            assert!(ClientHello::parse(&msg[..n]).is_err(), "{n} bytes parsed");
        }
    }
}
