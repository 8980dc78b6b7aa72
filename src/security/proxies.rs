//! Who the client is behind a reverse proxy (`TRUSTED_PROXIES`).
//!
//! Behind nginx every connection comes from the proxy, so without this
//! every citizen and every DPO would share one address in the rate limits
//! and the connection data. A proxy appends the address it saw to
//! `X-Forwarded-For`; everything to the left of that was written by
//! whoever sent the request and proves nothing. So, from a trusted peer,
//! the client is the right-most entry that is not itself a trusted proxy.
//! From any other peer the header is ignored: anyone can send it.

use std::net::IpAddr;

/// Addresses and CIDR ranges (`10.0.0.0/8`, `::1`, `fd00::/8`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<(IpAddr, u8)>);

impl TrustedProxies {
    /// A comma- or space-separated list; an error names the first entry
    /// that is neither an address nor a range.
    pub fn parse(list: &str) -> Result<TrustedProxies, String> {
        let mut ranges = Vec::new();
        for entry in list
            .split([',', ' '])
            .map(str::trim)
            .filter(|e| !e.is_empty())
        {
            let (addr, bits) = match entry.split_once('/') {
                Some((addr, bits)) => (addr, Some(bits)),
                None => (entry, None),
            };
            let ip: IpAddr = addr
                .parse()
                .map_err(|_| format!("`{entry}` is not an address or a CIDR range"))?;
            let max = if ip.is_ipv4() { 32 } else { 128 };
            let bits = match bits {
                None => max,
                Some(b) => b
                    .parse::<u8>()
                    .ok()
                    .filter(|b| *b <= max)
                    .ok_or_else(|| format!("`{entry}` has an invalid prefix length"))?,
            };
            ranges.push((ip, bits));
        }
        Ok(TrustedProxies(ranges))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = canonical(ip);
        self.0
            .iter()
            .any(|(net, bits)| in_range(ip, canonical(*net), *bits))
    }

    /// The client's address: `peer` itself unless it is trusted; then the
    /// right-most entry of the `X-Forwarded-For` values (in header order)
    /// that is not trusted, or the left-most one when all are. An entry
    /// that is not an address stops the walk: what lies left of it is not
    /// trustworthy, so the last trusted hop is the answer.
    pub fn client(&self, peer: IpAddr, forwarded_for: &[&str]) -> IpAddr {
        if !self.contains(peer) {
            return peer;
        }
        let mut client = peer;
        let entries = forwarded_for
            .iter()
            .flat_map(|v| v.split(','))
            .collect::<Vec<_>>();
        for entry in entries.into_iter().rev() {
            let Some(ip) = parse_entry(entry.trim()) else {
                return client;
            };
            client = ip;
            if !self.contains(ip) {
                return ip;
            }
        }
        client
    }
}

/// `1.2.3.4`, `1.2.3.4:5678`, `2001:db8::1` or `[2001:db8::1]:5678`.
fn parse_entry(entry: &str) -> Option<IpAddr> {
    entry
        .parse::<IpAddr>()
        .ok()
        .or_else(|| entry.parse::<std::net::SocketAddr>().ok().map(|s| s.ip()))
        .map(canonical)
}

/// An IPv4 address seen through an IPv6 socket (`::ffff:1.2.3.4`) is that
/// IPv4 address.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

fn in_range(ip: IpAddr, net: IpAddr, bits: u8) -> bool {
    match (ip, net) {
        (IpAddr::V4(ip), IpAddr::V4(net)) => {
            let mask = u32::MAX.checked_shl(32 - u32::from(bits)).unwrap_or(0);
            u32::from(ip) & mask == u32::from(net) & mask
        }
        (IpAddr::V6(ip), IpAddr::V6(net)) => {
            let mask = u128::MAX.checked_shl(128 - u32::from(bits)).unwrap_or(0);
            u128::from(ip) & mask == u128::from(net) & mask
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn ranges_and_addresses() {
        let t = TrustedProxies::parse("10.0.0.0/8, 192.168.1.1 fd00::/8").unwrap();
        assert!(t.contains(ip("10.1.2.3")));
        assert!(t.contains(ip("::ffff:10.1.2.3")));
        assert!(t.contains(ip("192.168.1.1")));
        assert!(!t.contains(ip("192.168.1.2")));
        assert!(t.contains(ip("fd12::1")));
        assert!(!t.contains(ip("2001:db8::1")));
        assert!(
            TrustedProxies::parse("0.0.0.0/0")
                .unwrap()
                .contains(ip("8.8.8.8"))
        );
        assert!(TrustedProxies::parse("10.0.0.0/33").is_err());
        assert!(TrustedProxies::parse("nginx").is_err());
        assert!(TrustedProxies::parse("").unwrap().is_empty());
    }

    #[test]
    fn the_client_is_the_right_most_untrusted_entry() {
        let t = TrustedProxies::parse("127.0.0.1,10.0.0.0/8").unwrap();
        let proxy = ip("127.0.0.1");
        // A spoofed entry on the left is ignored.
        assert_eq!(
            t.client(proxy, &["6.6.6.6, 203.0.113.7, 10.0.0.5"]),
            ip("203.0.113.7")
        );
        // Several header lines are one list.
        assert_eq!(
            t.client(proxy, &["6.6.6.6", "203.0.113.7:4711"]),
            ip("203.0.113.7")
        );
        // From an untrusted peer the header means nothing.
        assert_eq!(
            t.client(ip("198.51.100.1"), &["203.0.113.7"]),
            ip("198.51.100.1")
        );
        // No header, or garbage: the proxy itself, or the last trusted hop.
        assert_eq!(t.client(proxy, &[]), proxy);
        assert_eq!(t.client(proxy, &["unknown, 10.0.0.5"]), ip("10.0.0.5"));
        // Nobody trusted: the header is ignored.
        assert_eq!(
            TrustedProxies::default().client(proxy, &["203.0.113.7"]),
            proxy
        );
    }
}
