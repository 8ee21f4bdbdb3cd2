//! `tapedeck mock` end to end: the real binary on 127.0.0.1 (port 0), driven by a minimal
//! HTTP/1.1 client, answering calls from corpus cassettes recorded by Timetracer.
#![cfg(feature = "capture")]
#![expect(
    clippy::unwrap_used,
    reason = "test helpers: a failed request or read is a test failure"
)]

mod util;

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use tapedeck_core::replay::hash;

/// The running mock; killed when dropped.
struct Mock {
    child: Child,
    port: u16,
}

impl Drop for Mock {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(args: &[&str]) -> Result<Mock, String> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tapedeck"))
        .arg("mock")
        .args(["--listen", "127.0.0.1:0", "--quiet"])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| e.to_string())?;
    let stdout = child.stdout.take().ok_or("no stdout")?;
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .map_err(|e| e.to_string())?;
    // "tapedeck mock: listening on http://127.0.0.1:PORT (...)"
    let port = line
        .split("http://127.0.0.1:")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|p| p.parse().ok());
    if let Some(port) = port {
        Ok(Mock { child, port })
    } else {
        let _ = child.kill();
        Err(format!("unexpected first line: {line:?}"))
    }
}

struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Sends one request (`target` in origin or absolute form) and reads the whole reply.
fn send(port: u16, method: &str, target: &str, body: &[u8]) -> Result<Reply, String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).map_err(|e| e.to_string())?;
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .map_err(|e| e.to_string())?;
    let head = format!(
        "{method} {target} HTTP/1.1\r\nhost: 127.0.0.1:{port}\r\nconnection: close\r\ncontent-length: {}\r\n\r\n",
        body.len()
    );
    stream
        .write_all(head.as_bytes())
        .and_then(|()| stream.write_all(body))
        .map_err(|e| e.to_string())?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).map_err(|e| e.to_string())?;
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or("no header end")?;
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .ok_or("bad status line")?;
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
        .collect();
    Ok(Reply {
        status,
        headers,
        body: raw[split + 4..].to_vec(),
    })
}

fn get(port: u16, target: &str) -> Reply {
    send(port, "GET", target, b"").unwrap()
}

fn corpus(relative: &str) -> String {
    util::corpus_file(relative).to_string_lossy().into_owned()
}

/// What Timetracer's replay answers for a recorded JSON body: `json.dumps(data)`.
fn python_dumps_of_event_body(file: &Path, event: usize) -> Vec<u8> {
    let bytes = std::fs::read(file).unwrap();
    let cassette = tapedeck_core::decode("x", &bytes).unwrap().cassette;
    let data = cassette.events[event].body.as_ref().unwrap().data.unwrap();
    let value = cassette.document.node(data).unwrap().to_value();
    hash::python_json_dumps(&value, false)
}

#[test]
fn base_url_mode_answers_the_recorded_upstream_body() {
    let file = "fastapi_default/2026-11-30/GET__users_42__623fad6a.json";
    let mock = start(&["--cassette", &corpus(file)]).unwrap();
    let reply = get(mock.port, "/users/42");
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("content-type"), Some("application/json"));
    assert_eq!(reply.header("x-request-id"), Some("up-users-42"));
    assert_eq!(reply.header("content-length"), Some("1385"));
    let expected = python_dumps_of_event_body(&util::corpus_file(file), 0);
    assert_eq!(reply.body, expected);
    assert_eq!(
        hash::hash_bytes(&reply.body),
        "sha256:895ee48d7716e3243ba015073aff90e8dff6619e6aaddaa747edb7835d7666a8"
    );
}

#[test]
fn proxy_mode_matches_the_full_url() {
    let file = "fastapi_default/2026-11-30/GET__users_42__623fad6a.json";
    let mock = start(&["--cassette", &corpus(file), "--no-repeats"]).unwrap();
    let moved = get(mock.port, "http://127.0.0.1:18280/users/42");
    assert_eq!(moved.status, 599);
    let text = moved.text();
    assert!(text.contains(r#""field":"host""#), "{text}");
    assert!(
        text.contains(r#""expected":"http://127.0.0.1:18080/users/42""#),
        "{text}"
    );
    let reply = get(mock.port, "http://127.0.0.1:18080/users/42");
    assert_eq!(reply.status, 200);
    assert_eq!(reply.body.len(), 1385);
}

#[test]
fn fanout_answers_twenty_calls_in_order_from_the_whole_corpus() {
    let file = "fastapi_default/2026-11-30/GET__fanout__060a2b88.json";
    let dir = util::timetracer_corpus().join("cassettes");
    let mock = start(&["--dir", &dir.to_string_lossy()]).unwrap();
    for i in 0..20 {
        let reply = get(mock.port, &format!("/search?q=item{i}"));
        assert_eq!(reply.status, 200, "call {i}: {}", reply.text());
        let expected = python_dumps_of_event_body(&util::corpus_file(file), i);
        assert_eq!(reply.body, expected, "call {i}");
    }
}

#[test]
fn redis_events_are_not_served_over_http() {
    let file = "fastapi_default/2026-11-30/GET__cache_7__8ec8f29d.json";
    let mock = start(&["--cassette", &corpus(file)]).unwrap();
    let status = get(mock.port, "/__tapedeck/status");
    assert_eq!(status.status, 200);
    assert!(status.text().contains(r#""events":0"#), "{}", status.text());
    // `user:7` is a recorded redis key; over HTTP nothing matches it.
    let reply = get(mock.port, "/user:7");
    assert_eq!(reply.status, 599);
    assert!(
        reply.text().contains(r#""reason":"no_recordings""#),
        "{}",
        reply.text()
    );
}

#[test]
fn unmatched_call_gets_599_with_closest_call_and_differences() {
    let file = "fastapi_default/2026-11-30/GET__fanout__060a2b88.json";
    let mock = start(&["--cassette", &corpus(file)]).unwrap();
    let reply = send(
        mock.port,
        "POST",
        "/search?q=item7&api_key=SECRET",
        b"{\"password\": \"hunter2\"}",
    )
    .unwrap();
    assert_eq!(reply.status, 599);
    assert_eq!(reply.header("x-tapedeck-mock"), Some("miss"));
    let text = reply.text();
    assert!(text.contains(r#""reason":"no_match""#), "{text}");
    assert!(text.contains(r#""event_index":7"#), "{text}");
    assert!(text.contains(r#""field":"method""#), "{text}");
    assert!(text.contains(r#""field":"query""#), "{text}");
    assert!(text.contains("GET__fanout__060a2b88.json"), "{text}");
    assert!(
        !text.contains("SECRET") && !text.contains("hunter2"),
        "{text}"
    );
}

#[test]
fn recorded_connection_error_is_answered_502_with_its_description() {
    let file = "fastapi_default/2026-11-30/GET__connect_error__7e944ae4.json";
    let mock = start(&["--cassette", &corpus(file)]).unwrap();
    let reply = get(mock.port, "/anything");
    assert_eq!(reply.status, 502);
    assert_eq!(reply.header("x-tapedeck-mock"), Some("recorded-error"));
    let text = reply.text();
    assert!(text.contains(r#""error_type":"ConnectError""#), "{text}");
    assert!(text.contains("All connection attempts failed"), "{text}");
}

#[test]
fn sequential_strict_order_reports_timetracers_event_index() {
    let file = "fastapi_default/2026-11-30/GET__fanout__060a2b88.json";
    let mock = start(&[
        "--cassette",
        &corpus(file),
        "--order",
        "sequential",
        "--match",
        "path",
        "--no-repeats",
    ])
    .unwrap();
    for _ in 0..20 {
        assert_eq!(get(mock.port, "/search").status, 200);
    }
    let reply = get(mock.port, "/search?q=item20");
    assert_eq!(reply.status, 599);
    let text = reply.text();
    assert!(
        text.contains(r#""error":"Unexpected http.client call: no more events in cassette""#),
        "{text}"
    );
    assert!(text.contains(r#""event_index":20"#), "{text}");
    let reset = send(mock.port, "POST", "/__tapedeck/reset", b"").unwrap();
    assert_eq!(reset.status, 200);
    assert_eq!(get(mock.port, "/search").status, 200);
}

#[test]
fn lenient_mode_answers_the_closest_call_and_says_what_differed() {
    let file = "fastapi_default/2026-11-30/GET__users_42__623fad6a.json";
    let mock = start(&["--cassette", &corpus(file), "--lenient"]).unwrap();
    let reply = get(mock.port, "/users/43");
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("x-tapedeck-mismatch"), Some("url"));
    assert_eq!(reply.body.len(), 1385);
}
