//! Rewriting an incoming request for the upstream.

use std::net::SocketAddr;

use anyhow::{Context as _, bail};
use bytes::Bytes;
use http::header::{self, HeaderMap, HeaderName, HeaderValue};
use http::{Request, Uri};
use http_body_util::Full;

/// Where the proxy forwards: scheme, authority and an optional base path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Upstream {
    scheme: http::uri::Scheme,
    authority: http::uri::Authority,
    /// Base path without a trailing `/` (empty for the root).
    base_path: String,
    host_header: HeaderValue,
}

impl Upstream {
    /// An upstream from an absolute `http://` URL.
    pub fn from_uri(uri: &Uri) -> anyhow::Result<Upstream> {
        let scheme = uri
            .scheme()
            .cloned()
            .context("the upstream needs http://")?;
        if scheme != http::uri::Scheme::HTTP {
            bail!("only http:// upstreams are supported (no TLS to the upstream)");
        }
        let authority = uri
            .authority()
            .cloned()
            .context("the upstream needs a host")?;
        let host_header = HeaderValue::from_str(authority.as_str())
            .context("the upstream host is not a valid header value")?;
        Ok(Upstream {
            scheme,
            authority,
            base_path: uri.path().trim_end_matches('/').to_owned(),
            host_header,
        })
    }

    /// The request to send upstream: same method, path (under the base path), query, headers
    /// (minus hop-by-hop ones; `host` set to the upstream's, `x-forwarded-for` added) and body.
    pub fn request(
        &self,
        parts: &http::request::Parts,
        body: Bytes,
        peer: SocketAddr,
    ) -> anyhow::Result<Request<Full<Bytes>>> {
        let path_and_query = parts
            .uri
            .path_and_query()
            .map_or("/", http::uri::PathAndQuery::as_str);
        let uri = Uri::builder()
            .scheme(self.scheme.clone())
            .authority(self.authority.clone())
            .path_and_query(format!("{}{path_and_query}", self.base_path))
            .build()
            .context("cannot build the upstream URL")?;
        let mut headers = parts.headers.clone();
        strip_hop_by_hop(&mut headers);
        headers.insert(header::HOST, self.host_header.clone());
        let peer_ip = peer.ip().to_string();
        let forwarded_for = match headers.get("x-forwarded-for").and_then(|v| v.to_str().ok()) {
            Some(existing) => format!("{existing}, {peer_ip}"),
            None => peer_ip,
        };
        if let Ok(value) = HeaderValue::from_str(&forwarded_for) {
            headers.insert(HeaderName::from_static("x-forwarded-for"), value);
        }
        let mut request = Request::new(Full::new(body));
        *request.method_mut() = parts.method.clone();
        *request.uri_mut() = uri;
        *request.headers_mut() = headers;
        Ok(request)
    }
}

/// Removes the headers that describe one connection, not the message (RFC 9110 §7.6.1),
/// including any named in `connection`.
pub fn strip_hop_by_hop(headers: &mut HeaderMap) {
    let named: Vec<HeaderName> = headers
        .get_all(header::CONNECTION)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|name| HeaderName::try_from(name.trim()).ok())
        .collect();
    for name in named {
        headers.remove(name);
    }
    for name in [
        "connection",
        "keep-alive",
        "proxy-connection",
        "proxy-authenticate",
        "proxy-authorization",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
    ] {
        headers.remove(name);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forwards_under_the_base_path_with_the_upstream_host() {
        let upstream = Upstream::from_uri(&"http://127.0.0.1:9000/api/".parse().unwrap()).unwrap();
        let (parts, ()) = Request::builder()
            .uri("/users/1?x=2")
            .header("host", "proxy:1")
            .header("connection", "keep-alive, x-drop")
            .header("x-drop", "1")
            .header("x-keep", "1")
            .body(())
            .unwrap()
            .into_parts();
        let request = upstream
            .request(&parts, Bytes::new(), "10.0.0.9:5555".parse().unwrap())
            .unwrap();
        assert_eq!(request.uri(), "http://127.0.0.1:9000/api/users/1?x=2");
        assert_eq!(request.headers()["host"], "127.0.0.1:9000");
        assert_eq!(request.headers()["x-forwarded-for"], "10.0.0.9");
        assert!(request.headers().get("x-drop").is_none());
        assert!(request.headers().get("connection").is_none());
        assert_eq!(request.headers()["x-keep"], "1");
    }

    #[test]
    fn refuses_https_upstreams() {
        assert!(Upstream::from_uri(&"https://example.com".parse().unwrap()).is_err());
        assert!(Upstream::from_uri(&"/relative".parse().unwrap()).is_err());
    }
}
