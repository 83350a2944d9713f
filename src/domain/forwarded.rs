//! Who a request comes from behind a reverse proxy: `X-Forwarded-For` is believed only when
//! the connection comes from a proxy the user configured (`security.trusted_proxies`), and
//! then the client is the nearest address in the header that is not one of those proxies.
//! Anyone else could write any address into the header and dodge the rate limit and the
//! login lockout.

use std::net::IpAddr;

/// An address or a network (`10.0.0.0/8`, `fd00::/8`), as configured.
pub fn parse_net(raw: &str) -> Option<(IpAddr, u8)> {
    let raw = raw.trim();
    let (addr, prefix) = match raw.split_once('/') {
        Some((a, p)) => (a, Some(p.parse::<u8>().ok()?)),
        None => (raw, None),
    };
    let ip: IpAddr = addr.parse().ok()?;
    let max = if ip.is_ipv4() { 32 } else { 128 };
    let prefix = prefix.unwrap_or(max);
    (prefix <= max).then_some((ip, prefix))
}

/// Whether `ip` lies in the network.
fn within(ip: IpAddr, (net, prefix): (IpAddr, u8)) -> bool {
    let bits = |ip: IpAddr| -> u128 {
        match ip {
            IpAddr::V4(v4) => u128::from(u32::from(v4)) << 96,
            IpAddr::V6(v6) => u128::from(v6),
        }
    };
    let (ip, net) = match (ip, net) {
        (IpAddr::V4(_), IpAddr::V4(_)) | (IpAddr::V6(_), IpAddr::V6(_)) => (ip, net),
        (IpAddr::V6(v6), IpAddr::V4(_)) => match v6.to_ipv4_mapped() {
            Some(v4) => (IpAddr::V4(v4), net),
            None => return false,
        },
        _ => return false,
    };
    // An IPv4 network's prefix counts from the top of its 32 bits, placed at the top of 128.
    let prefix = u32::from(prefix);
    if prefix == 0 {
        return true;
    }
    let mask = u128::MAX << (128 - prefix);
    bits(ip) & mask == bits(net) & mask
}

fn trusted(ip: IpAddr, proxies: &[String]) -> bool {
    proxies
        .iter()
        .filter_map(|p| parse_net(p))
        .any(|net| within(ip, net))
}

/// The client of a request that reached us from `peer` with `forwarded_for` (the
/// `X-Forwarded-For` header, if any).
pub fn client(peer: IpAddr, forwarded_for: Option<&str>, proxies: &[String]) -> IpAddr {
    if !trusted(peer, proxies) {
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
        if !trusted(ip, proxies) || hops.peek().is_none() {
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

    fn proxies() -> Vec<String> {
        PROXIES.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn the_header_is_ignored_from_a_peer_that_is_no_configured_proxy() {
        assert_eq!(
            client(ip("203.0.113.9"), Some("1.2.3.4"), &proxies()),
            ip("203.0.113.9")
        );
        assert_eq!(client(ip("10.1.2.3"), Some("1.2.3.4"), &[]), ip("10.1.2.3"));
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
        assert!(within(ip("10.200.1.1"), parse_net("10.0.0.0/8").unwrap()));
        assert!(!within(ip("11.0.0.1"), parse_net("10.0.0.0/8").unwrap()));
        assert!(within(
            ip("::ffff:10.0.0.1"),
            parse_net("10.0.0.0/8").unwrap()
        ));
    }
}
