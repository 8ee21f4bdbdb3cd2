//! Turning `http` types into the recorder's inputs.

use std::any::Any;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::task::{Context, Poll};

use tapedeck_core::model::NameValue;
use tapedeck_core::record::IncomingRequest;

/// Header names and values as text (values that are not UTF-8 are read as Latin-1, as
/// Python's servers do).
pub fn header_pairs(headers: &http::HeaderMap) -> Vec<NameValue> {
    headers
        .iter()
        .map(|(name, value)| {
            let text = match value.to_str() {
                Ok(s) => s.to_owned(),
                Err(_) => value.as_bytes().iter().map(|&b| char::from(b)).collect(),
            };
            (name.as_str().to_owned(), text)
        })
        .collect()
}

/// The recorder's view of an incoming request: percent-decoded path (as ASGI and WSGI servers
/// hand it over), raw query string, headers, body.
pub fn incoming_request(
    parts: &http::request::Parts,
    body: &[u8],
    client_ip: Option<String>,
) -> IncomingRequest {
    IncomingRequest {
        method: parts.method.as_str().to_owned(),
        path: percent_decode(parts.uri.path()),
        route_template: None,
        query: parts.uri.query().unwrap_or_default().to_owned(),
        headers: header_pairs(&parts.headers),
        body: body.to_vec(),
        client_ip,
    }
}

/// `%XX` sequences decoded as bytes, then read as UTF-8 (invalid sequences become U+FFFD).
pub fn percent_decode(text: &str) -> String {
    if !text.contains('%') {
        return text.to_owned();
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(byte) = bytes
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(byte);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A panic's message, when it carried text.
pub fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        String::from("panic")
    }
}

/// A future that turns a panic while polling into an `Err` with the panic's payload, so the
/// recorder can write the failed exchange before the panic continues.
pub struct CatchUnwind<F>(pub Pin<Box<F>>);

impl<F: Future> Future for CatchUnwind<F> {
    type Output = Result<F::Output, Box<dyn Any + Send>>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let future = self.get_mut().0.as_mut();
        match std::panic::catch_unwind(AssertUnwindSafe(|| future.poll(cx))) {
            Ok(Poll::Pending) => Poll::Pending,
            Ok(Poll::Ready(value)) => Poll::Ready(Ok(value)),
            Err(payload) => Poll::Ready(Err(payload)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_paths_as_asgi_servers_do() {
        assert_eq!(percent_decode("/orders/ord_%E2%9C%93"), "/orders/ord_✓");
        assert_eq!(percent_decode("/a%2"), "/a%2");
        assert_eq!(percent_decode("/plain"), "/plain");
    }
}
