//! Shell commands people copy out of a cassette: Timetracer's replay command and a curl
//! command that re-sends the recorded incoming request.
//!
//! Cassette text is untrusted, so every value is quoted for a POSIX shell: a file name or a
//! header cannot end the quoting and run something.

use std::fmt::Write as _;

use crate::json::{self, Kind};
use crate::model::{BodyEncoding, Cassette};

/// Timetracer's replay command for a cassette file, as its dashboard prints it
/// (`TIMETRACER_MODE=replay TIMETRACER_CASSETTE="<file>" uvicorn app:app`).
pub fn replay_command(file: &str) -> String {
    format!(
        "TIMETRACER_MODE=replay TIMETRACER_CASSETTE={} uvicorn app:app",
        double_quote(file)
    )
}

/// Request headers curl sets itself or that would be wrong for a re-sent request.
const SKIPPED_HEADERS: [&str; 4] = ["host", "content-length", "connection", "transfer-encoding"];

/// A curl command re-sending the recorded incoming request to the host it was recorded on
/// (its `host` header, else `localhost`). A body that was not kept becomes a comment line.
pub fn curl_command(cassette: &Cassette) -> String {
    let request = &cassette.request;
    let host = request
        .headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("host"))
        .map_or("localhost", |(_, v)| v.as_str());
    let mut url = format!("http://{host}{}", percent_encode(&request.path, false));
    if url.ends_with(host) {
        url.push('/');
    }
    for (i, (name, value)) in request.query.iter().enumerate() {
        url.push(if i == 0 { '?' } else { '&' });
        url.push_str(&percent_encode(name, true));
        url.push('=');
        url.push_str(&percent_encode(value, true));
    }
    let method = if request.method.is_empty() {
        "GET"
    } else {
        request.method.as_str()
    };
    let mut out = String::from("curl");
    if method != "GET" {
        out.push_str(" -X ");
        out.push_str(&single_quote(method));
    }
    out.push(' ');
    out.push_str(&single_quote(&url));
    for (name, value) in &request.headers {
        if SKIPPED_HEADERS.iter().any(|s| name.eq_ignore_ascii_case(s)) {
            continue;
        }
        out.push_str(" \\\n  -H ");
        out.push_str(&single_quote(&format!("{name}: {value}")));
    }
    if let Some(body) = &request.body {
        let data = body.data.and_then(|id| cassette.document.node(id));
        match (data, &body.encoding) {
            (Some(node), BodyEncoding::Json) => {
                let compact = json::encode_compact(&node.to_value(), false);
                out.push_str(" \\\n  --data-raw ");
                out.push_str(&single_quote(&String::from_utf8_lossy(&compact)));
            }
            (Some(node), _) if node.kind() == Kind::String => {
                let text = node.as_str().unwrap_or_default();
                out.push_str(" \\\n  --data-raw ");
                out.push_str(&single_quote(&text));
            }
            _ => {
                let size = body
                    .size_bytes
                    .map_or_else(|| String::from("unknown size"), |n| format!("{n} bytes"));
                let _ = write!(
                    out,
                    "\n# the request body was not recorded ({size}), only its fingerprint"
                );
            }
        }
    }
    out
}

/// `'text'` with embedded single quotes as `'\''`.
pub fn single_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

/// `"text"` with `"`, `\`, `$` and backquotes escaped, so nothing inside expands.
pub fn double_quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        if matches!(c, '"' | '\\' | '$' | '`') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

/// Percent-encodes everything but unreserved characters (and `/` in paths).
fn percent_encode(text: &str, component: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        let keep = b.is_ascii_alphanumeric()
            || matches!(b, b'-' | b'.' | b'_' | b'~')
            || (!component
                && matches!(
                    b,
                    b'/' | b':'
                        | b'@'
                        | b'!'
                        | b'$'
                        | b'('
                        | b')'
                        | b'*'
                        | b','
                        | b';'
                        | b'+'
                        | b'='
                ));
        if keep {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cassette(request: &str) -> Cassette {
        let text = format!(
            r#"{{"schema_version": "1.0", "session": {{"id": "x", "recorded_at": "2026-11-30T07:38:13+00:00"}},
               "request": {request}, "response": {{"status": 200, "duration_ms": 1.0}}, "events": []}}"#
        );
        crate::decode("t.json", text.as_bytes()).unwrap().cassette
    }

    #[test]
    fn replay_command_matches_timetracer_and_cannot_expand() {
        assert_eq!(
            replay_command("cassettes/GET__users__1.json"),
            r#"TIMETRACER_MODE=replay TIMETRACER_CASSETTE="cassettes/GET__users__1.json" uvicorn app:app"#
        );
        assert_eq!(
            replay_command("a\"$(rm -rf ~)`x`.json"),
            r#"TIMETRACER_MODE=replay TIMETRACER_CASSETTE="a\"\$(rm -rf ~)\`x\`.json" uvicorn app:app"#
        );
    }

    #[test]
    fn curl_resends_method_url_headers_and_json_body() {
        let c = cassette(
            r#"{"method": "POST", "path": "/orders/ord_✓", "query": {"q": "a b"},
                "headers": {"host": "127.0.0.1:8000", "content-type": "application/json", "x-t": "it's"},
                "body": {"_captured": true, "encoding": "json", "data": {"id": 1, "n": "x"}}}"#,
        );
        assert_eq!(
            curl_command(&c),
            "curl -X 'POST' 'http://127.0.0.1:8000/orders/ord_%E2%9C%93?q=a%20b' \\\n  -H 'content-type: application/json' \\\n  -H 'x-t: it'\\''s' \\\n  --data-raw '{\"id\":1,\"n\":\"x\"}'"
        );
    }

    #[test]
    fn curl_notes_a_body_that_was_not_kept() {
        let c = cassette(
            r#"{"method": "POST", "path": "/ingest", "body": {"_captured": true, "encoding": "bytes", "size_bytes": 12, "hash": "sha256:0000000000000000000000000000000000000000000000000000000000000000"}}"#,
        );
        assert_eq!(
            curl_command(&c),
            "curl -X 'POST' 'http://localhost/ingest'\n# the request body was not recorded (12 bytes), only its fingerprint"
        );
    }

    #[test]
    fn curl_of_an_empty_request_is_still_a_command() {
        let c = cassette(r#"{"method": "", "path": ""}"#);
        assert_eq!(curl_command(&c), "curl 'http://localhost/'");
    }
}
