//! The `[http]` section: which proxies may name the client's address, and
//! how much the server takes on at once.

use std::net::IpAddr;

use serde::{Deserialize, Serialize};

/// Who may name the client's address, and how much the server takes on at
/// once.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct HttpSettings {
    /// Reverse proxies whose `Forwarded` / `X-Forwarded-For` headers are
    /// believed, as CIDR ranges (`10.0.0.0/8`, `::1/128`, or one address).
    /// Empty: the headers are ignored. The address found is used for
    /// throttling only, never stored or logged.
    pub trusted_proxies: Vec<Cidr>,
    /// Request-body bytes held by all requests together; a request whose
    /// body would pass it is answered 503 with `Retry-After`. 0: no budget.
    pub max_body_bytes_in_flight: usize,
    /// Requests handled at once (health checks aside); more are answered
    /// 503 with `Retry-After`. 0: no limit.
    pub max_requests_in_flight: usize,
}

impl Default for HttpSettings {
    fn default() -> Self {
        HttpSettings {
            trusted_proxies: Vec::new(),
            max_body_bytes_in_flight: 96 * 1024 * 1024,
            max_requests_in_flight: 512,
        }
    }
}

impl HttpSettings {
    /// Whether `ip` is one of the trusted proxies.
    pub fn trusted(&self, ip: IpAddr) -> bool {
        self.trusted_proxies.iter().any(|c| c.contains(ip))
    }

    /// The client's address: the peer's, unless the peer is a trusted proxy;
    /// then the right-most address in `forwarded` (the `Forwarded` header's
    /// values, or else `X-Forwarded-For`'s, in order) that is not itself a
    /// trusted proxy. An unreadable entry stops the walk at the last proxy.
    pub fn client_address(
        &self,
        peer: IpAddr,
        forwarded: &[&str],
        x_forwarded_for: &[&str],
    ) -> IpAddr {
        let peer = peer.to_canonical();
        if !self.trusted(peer) {
            return peer;
        }
        let hops: Vec<Option<IpAddr>> = if forwarded.is_empty() {
            x_forwarded_for
                .iter()
                .flat_map(|v| v.split(','))
                .map(|h| parse_hop(h.trim()))
                .collect()
        } else {
            forwarded
                .iter()
                .flat_map(|v| v.split(','))
                .map(|element| {
                    element
                        .split(';')
                        .filter_map(|pair| pair.split_once('='))
                        .find(|(k, _)| k.trim().eq_ignore_ascii_case("for"))
                        .and_then(|(_, v)| parse_hop(v.trim().trim_matches('"')))
                })
                .collect()
        };
        let mut client = peer;
        for hop in hops.into_iter().rev() {
            match hop {
                Some(ip) => {
                    client = ip;
                    if !self.trusted(ip) {
                        break;
                    }
                }
                None => break,
            }
        }
        client
    }
}

/// One hop's address: `1.2.3.4`, `1.2.3.4:80`, `[::1]`, `[::1]:80` or `::1`.
fn parse_hop(h: &str) -> Option<IpAddr> {
    if let Ok(ip) = h.parse::<IpAddr>() {
        return Some(ip.to_canonical());
    }
    if let Some(rest) = h.strip_prefix('[') {
        return rest
            .split(']')
            .next()
            .and_then(|ip| ip.parse::<IpAddr>().ok())
            .map(|ip| ip.to_canonical());
    }
    h.parse::<std::net::SocketAddr>()
        .ok()
        .map(|a| a.ip().to_canonical())
}

/// A range of addresses in CIDR notation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Cidr {
    addr: IpAddr,
    prefix: u8,
}

impl Cidr {
    /// Whether `ip` is in the range.
    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.addr, ip.to_canonical()) {
            (IpAddr::V4(a), IpAddr::V4(b)) => {
                let mask = u32::MAX
                    .checked_shl(32 - u32::from(self.prefix))
                    .unwrap_or(0);
                u32::from(a) & mask == u32::from(b) & mask
            }
            (IpAddr::V6(a), IpAddr::V6(b)) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.prefix))
                    .unwrap_or(0);
                u128::from(a) & mask == u128::from(b) & mask
            }
            _ => false,
        }
    }
}

impl TryFrom<String> for Cidr {
    type Error = String;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        let bad = || format!("not an address range: {s:?}");
        let (ip, prefix) = match s.trim().split_once('/') {
            Some((ip, p)) => (ip, Some(p.parse::<u8>().map_err(|_| bad())?)),
            None => (s.trim(), None),
        };
        let addr = ip.parse::<IpAddr>().map_err(|_| bad())?.to_canonical();
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = prefix.unwrap_or(max);
        if prefix > max {
            return Err(bad());
        }
        Ok(Cidr { addr, prefix })
    }
}

impl From<Cidr> for String {
    fn from(c: Cidr) -> String {
        format!("{}/{}", c.addr, c.prefix)
    }
}
