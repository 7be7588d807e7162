//! serve answers only requests addressed to it by its own names. A web page on another site
//! can point a name it owns at 127.0.0.1 (DNS rebinding) and then read whatever answers there
//! as its own origin; the browser still sends that name as `Host`. So a request is served only
//! when its `Host` is `localhost`, a loopback address, the address the connection came in on
//! (with `--interface 0.0.0.0`, whichever of the machine's addresses the client used) or the
//! unspecified address (`http://0.0.0.0:1111/`, as serve prints it then); any other gets 421
//! Misdirected Request. An IP address in `Host` cannot be rebound, so any port
//! is accepted with one: a forwarded port (`ssh -L 8080:localhost:1111`) changes it honestly.
//! No response carries CORS headers, and the reload stream refuses other origins.

use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::net::{IpAddr, SocketAddr};

/// The local address of the connection a request came in on, put in its extensions.
#[derive(Debug, Clone, Copy)]
pub struct Local(pub SocketAddr);

/// Serve the request only if it names this server; else 421 with a short text.
pub async fn only_own(request: Request, next: Next) -> Response {
    let local = request.extensions().get::<Local>().map(|l| l.0.ip());
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|v| v.to_str().ok());
    // A request in absolute form (`GET http://name/ HTTP/1.1`) is addressed by its URI.
    let authority = request.uri().authority().map(|a| a.as_str());
    let own = |name: Option<&str>| name.is_some_and(|n| is_own(n, local));
    if !own(host) || authority.is_some_and(|a| !own(Some(a))) {
        return refuse(
            StatusCode::MISDIRECTED_REQUEST,
            "briefing serve answers only requests addressed to it as localhost or by its IP address\n",
        );
    }
    next.run(request).await
}

/// Whether the stream request's `Origin`, if it sent one, is the server's own: the reload
/// stream is for the served pages, not for pages on other sites.
pub fn same_origin(headers: &HeaderMap) -> bool {
    let Some(origin) = headers.get(header::ORIGIN) else {
        return true;
    };
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    let origin = origin.to_str().ok();
    match (origin.and_then(|o| o.strip_prefix("http://")), host) {
        (Some(origin), Some(host)) => origin.eq_ignore_ascii_case(host),
        _ => false,
    }
}

/// A short plain-text refusal.
pub fn refuse(status: StatusCode, text: &'static str) -> Response {
    let mut response = (status, text).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    response
}

/// Whether `host` (`name`, `name:port`, `[v6]`, `[v6]:port`) names this server, reached on
/// the local address `local`.
fn is_own(host: &str, local: Option<IpAddr>) -> bool {
    let Some(name) = name_of(host) else {
        return false;
    };
    if name.eq_ignore_ascii_case("localhost") {
        return true;
    }
    let Ok(ip) = name.parse::<IpAddr>() else {
        return false;
    };
    let ip = ip.to_canonical();
    ip.is_loopback() || ip.is_unspecified() || local.is_some_and(|l| l.to_canonical() == ip)
}

/// The name in a `Host` value, without its port (which must be digits if present); an IPv6
/// address comes without its brackets. `None` if the value is not of that shape.
fn name_of(host: &str) -> Option<&str> {
    let (name, port) = match host.strip_prefix('[') {
        Some(rest) => {
            let (v6, after) = rest.split_once(']')?;
            v6.parse::<std::net::Ipv6Addr>().ok()?;
            match after {
                "" => (v6, None),
                _ => (v6, Some(after.strip_prefix(':')?)),
            }
        }
        None => match host.split_once(':') {
            Some((name, port)) => (name, Some(port)),
            None => (host, None),
        },
    };
    let bad_port = port.is_some_and(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()));
    (!bad_port && !name.is_empty()).then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_names_only() {
        let lan: IpAddr = "192.168.1.5".parse().unwrap();
        for own in [
            "localhost",
            "LocalHost:1111",
            "127.0.0.1",
            "127.0.0.1:1111",
            "127.1.2.3:8080",
            "[::1]",
            "[::1]:1111",
            "192.168.1.5:1111",
            "0.0.0.0:1111",
        ] {
            assert!(is_own(own, Some(lan)), "{own}");
        }
        for foreign in [
            "evil.example",
            "evil.example:1111",
            "localhost.evil.example",
            "localhost:",
            "localhost:x",
            "127.0.0.1:1111:1",
            "::1",
            "[::1",
            "[::1]x",
            "[localhost]",
            "192.168.1.6",
            "",
        ] {
            assert!(!is_own(foreign, Some(lan)), "{foreign}");
        }
        assert!(!is_own("192.168.1.5", None));
        let mapped: IpAddr = "::ffff:192.168.1.5".parse().unwrap();
        assert!(is_own("192.168.1.5:1111", Some(mapped)));
    }

    #[test]
    fn the_stream_takes_its_own_origin_or_none() {
        let headers = |pairs: &[(&'static str, &'static str)]| {
            let mut map = HeaderMap::new();
            for (name, value) in pairs {
                map.insert(*name, HeaderValue::from_static(value));
            }
            map
        };
        let host = ("host", "127.0.0.1:1111");
        assert!(same_origin(&headers(&[host])));
        assert!(same_origin(&headers(&[
            host,
            ("origin", "http://127.0.0.1:1111")
        ])));
        for origin in ["http://evil.example", "null", "https://127.0.0.1:1111"] {
            let mut map = headers(&[host]);
            map.insert("origin", HeaderValue::from_str(origin).unwrap());
            assert!(!same_origin(&map), "{origin}");
        }
    }
}
