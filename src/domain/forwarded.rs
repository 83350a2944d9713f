//! Who a request comes from behind a reverse proxy: `X-Forwarded-For` is believed only when
//! the connection comes from a proxy the user configured (`security.trusted_proxies`), and
//! then the client is the nearest address in the header that is not one of those proxies.
//! Anyone else could write any address into the header and dodge the rate limit and the
//! login lockout.

use std::net::IpAddr;

use ipnet::IpNet;

use super::config::InvalidSetting;

/// Most proxies a configuration may name.
const MAX_PROXIES: usize = 50;

/// The configured reverse proxies, addresses or networks (`10.0.0.0/8`, `fd00::1`), parsed
/// once when the configuration is read, not for every hop of every request. Each keeps its
/// text as written.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TrustedProxies {
    given: Vec<String>,
    nets: Vec<IpNet>,
}

impl TrustedProxies {
    /// Whether none is configured (the header is then never read).
    pub fn is_empty(&self) -> bool {
        self.nets.is_empty()
    }

    /// The proxies as written in the document.
    pub fn names(&self) -> &[String] {
        &self.given
    }

    /// Whether `ip` is one of the proxies; an IPv4 address mapped into IPv6 (`::ffff:a.b.c.d`)
    /// counts as the IPv4 address.
    pub fn contains(&self, ip: IpAddr) -> bool {
        let mapped = match ip {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4),
            IpAddr::V4(_) => None,
        };
        self.nets
            .iter()
            .any(|net| net.contains(&ip) || mapped.is_some_and(|v4| net.contains(&v4)))
    }
}

impl TryFrom<Vec<String>> for TrustedProxies {
    type Error = InvalidSetting;

    fn try_from(given: Vec<String>) -> Result<Self, Self::Error> {
        let nets: Option<Vec<IpNet>> = given.iter().map(|p| parse_net(p)).collect();
        match nets {
            Some(nets) if nets.len() <= MAX_PROXIES => Ok(Self { given, nets }),
            _ => Err(InvalidSetting(
                "must list IP addresses or networks like 10.0.0.0/8",
            )),
        }
    }
}

/// An address (a network of one) or a network, surrounding blanks ignored.
fn parse_net(raw: &str) -> Option<IpNet> {
    let raw = raw.trim();
    if raw.contains('/') {
        raw.parse().ok()
    } else {
        raw.parse::<IpAddr>().ok().map(IpNet::from)
    }
}

/// The client of a request that reached us from `peer` with `forwarded_for` (the
/// `X-Forwarded-For` header, if any).
pub fn client(peer: IpAddr, forwarded_for: Option<&str>, proxies: &TrustedProxies) -> IpAddr {
    if !proxies.contains(peer) {
        return peer;
    }
    let Some(header) = forwarded_for else {
        return peer;
    };
    let mut hops = header.split(',').rev().map(str::trim).peekable();
    let mut last = peer;
    while let Some(hop) = hops.next() {
        let Ok(ip) = hop.parse::<IpAddr>() else {
            // Garbage in the header: the last address we could believe.
            return last;
        };
        if !proxies.contains(ip) || hops.peek().is_none() {
            return ip;
        }
        last = ip;
    }
    last
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    const PROXIES: [&str; 2] = ["10.0.0.0/8", "fd00::1"];

    fn proxies() -> TrustedProxies {
        TrustedProxies::try_from(PROXIES.map(String::from).to_vec()).unwrap()
    }

    fn one(net: &str) -> TrustedProxies {
        TrustedProxies::try_from(vec![net.to_owned()]).unwrap()
    }

    #[test]
    fn the_header_is_ignored_from_a_peer_that_is_no_configured_proxy() {
        assert_eq!(
            client(ip("203.0.113.9"), Some("1.2.3.4"), &proxies()),
            ip("203.0.113.9")
        );
        assert_eq!(
            client(ip("10.1.2.3"), Some("1.2.3.4"), &TrustedProxies::default()),
            ip("10.1.2.3")
        );
    }

    #[test]
    fn behind_a_proxy_the_client_is_the_nearest_untrusted_address() {
        let p = proxies();
        assert_eq!(
            client(ip("10.0.0.2"), Some("198.51.100.7"), &p),
            ip("198.51.100.7")
        );
        // A client that writes its own header cannot hide behind it.
        assert_eq!(
            client(ip("10.0.0.2"), Some("6.6.6.6, 198.51.100.7, 10.0.0.5"), &p),
            ip("198.51.100.7")
        );
        assert_eq!(
            client(ip("fd00::1"), Some("2001:db8::7"), &p),
            ip("2001:db8::7")
        );
        assert_eq!(client(ip("10.0.0.2"), None, &p), ip("10.0.0.2"));
        assert_eq!(
            client(ip("10.0.0.2"), Some("junk, 198.51.100.7"), &p),
            ip("198.51.100.7")
        );
        assert_eq!(client(ip("10.0.0.2"), Some("10.0.0.9"), &p), ip("10.0.0.9"));
    }

    #[test]
    fn networks_parse_and_match() {
        assert!(parse_net("10.0.0.0/8").is_some());
        assert!(parse_net("::1").is_some());
        assert!(parse_net("10.0.0.0/33").is_none());
        assert!(parse_net("proxy.lan").is_none());
        assert!(one("10.0.0.0/8").contains(ip("10.200.1.1")));
        assert!(!one("10.0.0.0/8").contains(ip("11.0.0.1")));
        assert!(one("10.0.0.0/8").contains(ip("::ffff:10.0.0.1")));
        assert!(!one("::1").contains(ip("127.0.0.1")));
    }

    #[test]
    fn a_list_with_one_bad_entry_or_over_fifty_is_refused() {
        assert!(TrustedProxies::try_from(vec!["10.0.0.0/8".into(), "proxy.lan".into()]).is_err());
        let many: Vec<String> = (0..51).map(|i| format!("10.0.0.{i}")).collect();
        assert!(TrustedProxies::try_from(many).is_err());
        assert_eq!(one(" 10.0.0.1 ").names(), [" 10.0.0.1 "]);
    }
}
