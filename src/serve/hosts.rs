//! Which `Host` a request to the preview may name (a defence against DNS rebinding).
//!
//! The preview serves drafts, and while there are errors its overlay shows source lines of
//! files that are not published. A page from another origin can have its own host name
//! resolve to 127.0.0.1 (DNS rebinding) and then read the preview as if it were that origin:
//! the browser sends the attacker's name in `Host`. So a request is answered only when its
//! `Host` names the preview itself: `localhost`, `127.0.0.1` or `[::1]`, the address given with
//! `--bind`, or a name or address given with `--allow-host` (for other machines, when bound
//! to the network). Any port is accepted with them (a tunnel or a proxy may change it; the
//! name is what rebinding cannot fake). Names are compared without case, addresses as
//! addresses (`[0:0::1]` is `[::1]`).
//!
//! In: the allowed names. Out: whether a `Host` value is one of them.

use std::net::IpAddr;

/// The hosts a preview answers to.
#[derive(Debug, Clone)]
pub(crate) struct AllowedHosts {
    names: Vec<String>,
    addresses: Vec<IpAddr>,
}

impl AllowedHosts {
    /// Loopback, `bind`, and the `--allow-host` values (names or addresses, an IPv6 address
    /// with or without brackets).
    pub(crate) fn new(bind: IpAddr, extra: &[String]) -> AllowedHosts {
        let mut hosts = AllowedHosts {
            names: vec!["localhost".to_string()],
            addresses: vec![
                IpAddr::V4(std::net::Ipv4Addr::LOCALHOST),
                IpAddr::V6(std::net::Ipv6Addr::LOCALHOST),
            ],
        };
        if !bind.is_unspecified() {
            hosts.addresses.push(bind);
        }
        for value in extra {
            let value = value.trim();
            let bare = value
                .strip_prefix('[')
                .and_then(|v| v.strip_suffix(']'))
                .unwrap_or(value);
            match bare.parse::<IpAddr>() {
                Ok(address) => hosts.addresses.push(address),
                Err(_) => hosts
                    .names
                    .push(value.trim_end_matches('.').to_ascii_lowercase()),
            }
        }
        hosts
    }

    /// Whether a `Host` header value (`name`, `name:port`, `[v6]`, `[v6]:port`) is allowed.
    pub(crate) fn allows(&self, host: &str) -> bool {
        let Some(name) = host_name(host) else {
            return false;
        };
        if let Some(v6) = name.strip_prefix('[').and_then(|n| n.strip_suffix(']')) {
            return v6
                .parse::<std::net::Ipv6Addr>()
                .is_ok_and(|a| self.addresses.contains(&IpAddr::V6(a)));
        }
        if let Ok(address) = name.parse::<std::net::Ipv4Addr>() {
            return self.addresses.contains(&IpAddr::V4(address));
        }
        let name = name.trim_end_matches('.').to_ascii_lowercase();
        self.names.contains(&name)
    }
}

/// The host part of a `Host` value, without its port; `None` when the value is malformed (an
/// empty name, a port that is not a number, an IPv6 address without brackets).
fn host_name(host: &str) -> Option<&str> {
    let host = host.trim();
    let (name, port) = if host.starts_with('[') {
        let end = host.find(']')?;
        let rest = &host[end + 1..];
        (
            &host[..=end],
            rest.strip_prefix(':').or((rest.is_empty()).then_some("")),
        )
    } else {
        match host.split_once(':') {
            Some((name, port)) => (name, Some(port)),
            None => (host, Some("")),
        }
    };
    let port = port?;
    let port_ok = port.is_empty() || (port.len() <= 5 && port.bytes().all(|b| b.is_ascii_digit()));
    (!name.is_empty() && port_ok).then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_names_are_allowed_with_or_without_a_port() {
        let hosts = AllowedHosts::new("127.0.0.1".parse().unwrap(), &[]);
        for host in [
            "localhost",
            "localhost:1111",
            "LocalHost:8080",
            "localhost.",
            "127.0.0.1",
            "127.0.0.1:1111",
            "[::1]",
            "[::1]:1111",
            "[0:0::1]:1",
        ] {
            assert!(hosts.allows(host), "{host}");
        }
        for host in [
            "",
            "evil.example",
            "evil.example:1111",
            "localhost.evil.example",
            "127.0.0.2",
            "::1",
            "[::1",
            "localhost:x",
            "localhost:1111:2",
            "192.168.1.5:1111",
            "127.0.0.1.nip.io",
        ] {
            assert!(!hosts.allows(host), "{host}");
        }
    }

    #[test]
    fn the_bind_address_and_allowed_hosts_are_allowed() {
        let hosts = AllowedHosts::new(
            "192.168.1.5".parse().unwrap(),
            &[
                "notice.hospital.lan".to_string(),
                "[fe80::1]".to_string(),
                "10.0.0.7".to_string(),
            ],
        );
        for host in [
            "192.168.1.5:1111",
            "NOTICE.hospital.lan:1111",
            "[fe80::1]:1111",
            "10.0.0.7",
        ] {
            assert!(hosts.allows(host), "{host}");
        }
        assert!(!hosts.allows("hospital.lan"));
        // Bound to every address, no address names the preview by itself.
        let any = AllowedHosts::new("0.0.0.0".parse().unwrap(), &[]);
        assert!(!any.allows("0.0.0.0:1111"));
        assert!(any.allows("localhost:1111"));
    }
}
