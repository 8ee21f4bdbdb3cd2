//! `tapedeck record` end to end: the real binary as a reverse proxy in front of a local stub,
//! everything on 127.0.0.1.
#![cfg(feature = "capture")]
#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test helpers: a failure here is a test failure"
)]

use std::collections::BTreeSet;
use std::io::{BufRead as _, BufReader};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http::{Request, Response};
use http_body_util::{BodyExt as _, Full};
use hyper_util::client::legacy::Client;
use hyper_util::rt::{TokioExecutor, TokioIo};

/// The proxy process; killed when dropped.
struct Proxy {
    child: Child,
    address: String,
}

impl Drop for Proxy {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_proxy(upstream: &str, dir: &Path, extra: &[&str]) -> Proxy {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tapedeck"))
        .args([
            "record",
            "--listen",
            "127.0.0.1:0",
            "--upstream",
            upstream,
            "--dir",
        ])
        .arg(dir)
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start tapedeck record");
    let stdout = child.stdout.take().unwrap();
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).unwrap();
    let address = line
        .trim()
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
        .to_owned();
    Proxy { child, address }
}

/// A stub upstream: echoes method, path and body size as JSON, with a fixed secret-looking
/// field so redaction shows.
async fn start_upstream() -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                continue;
            };
            tokio::spawn(async move {
                let service = hyper::service::service_fn(
                    |request: Request<hyper::body::Incoming>| async move {
                        let method = request.method().to_string();
                        let path = request.uri().to_string();
                        let body = request.into_body().collect().await?.to_bytes();
                        let answer = format!(
                            r#"{{"method": "{method}", "path": "{path}", "received_bytes": {}, "contact": "ops@example.com"}}"#,
                            body.len()
                        );
                        let mut response = Response::new(Full::new(Bytes::from(answer)));
                        response.headers_mut().insert(
                            "content-type",
                            http::HeaderValue::from_static("application/json"),
                        );
                        if path.starts_with("/missing") {
                            *response.status_mut() = http::StatusCode::NOT_FOUND;
                        }
                        Ok::<_, hyper::Error>(response)
                    },
                );
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    });
    address
}

fn cassette_files(dir: &Path) -> (Vec<PathBuf>, Vec<PathBuf>) {
    let mut cassettes = Vec::new();
    let mut other = Vec::new();
    for day in std::fs::read_dir(dir).unwrap() {
        let day = day.unwrap().path();
        for entry in std::fs::read_dir(&day).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if path.extension().is_some_and(|e| e == "json") && !name.starts_with('.') {
                cassettes.push(path);
            } else {
                other.push(path);
            }
        }
    }
    cassettes.sort();
    (cassettes, other)
}

fn decode(path: &Path) -> tapedeck_core::Decoded {
    let bytes = std::fs::read(path).unwrap();
    let decoded = tapedeck_core::decode(&path.display().to_string(), &bytes)
        .unwrap_or_else(|e| panic!("{} does not decode: {e}", path.display()));
    assert!(
        decoded.warnings.is_empty(),
        "{}: {:?}",
        path.display(),
        decoded.warnings
    );
    decoded
}

type HttpClient = Client<hyper_util::client::legacy::connect::HttpConnector, Full<Bytes>>;

fn client() -> HttpClient {
    Client::builder(TokioExecutor::new())
        .pool_max_idle_per_host(128)
        .build_http()
}

async fn send(client: &HttpClient, request: Request<Full<Bytes>>) -> (u16, Bytes) {
    let response = client.request(request).await.unwrap();
    let status = response.status().as_u16();
    (
        status,
        response.into_body().collect().await.unwrap().to_bytes(),
    )
}

#[tokio::test]
async fn records_each_exchange_redacted_and_forwards_it_unchanged() {
    let upstream = start_upstream().await;
    let dir = tempfile::tempdir().unwrap();
    let proxy = start_proxy(&format!("http://{upstream}"), dir.path(), &[]);
    let client = client();

    let request = Request::post(format!("{}/signup?ref=mail&token=abc123", proxy.address))
        .header("content-type", "application/json")
        .header("authorization", "Bearer s3cr3t-value")
        .body(Full::new(Bytes::from_static(
            br#"{"email": "ada@example.com", "password": "hunter22", "plan": "pro"}"#,
        )))
        .unwrap();
    let (status, body) = send(&client, request).await;
    assert_eq!(status, 200);
    let answer: serde_json::Value = serde_json::from_slice(&body).unwrap();
    // The upstream got the request as sent, secrets included: redaction is for the cassette only.
    assert_eq!(answer["path"], "/signup?ref=mail&token=abc123");
    assert_eq!(answer["received_bytes"], 67);
    assert_eq!(answer["contact"], "ops@example.com");

    let request = Request::get(format!("{}/missing/page", proxy.address))
        .body(Full::new(Bytes::new()))
        .unwrap();
    assert_eq!(send(&client, request).await.0, 404);

    let (cassettes, other) = cassette_files(dir.path());
    assert!(other.is_empty(), "temporary files left: {other:?}");
    assert_eq!(cassettes.len(), 2);
    let names: Vec<String> = cassettes
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert!(
        names.iter().any(|n| n.starts_with("POST__signup__")),
        "{names:?}"
    );
    assert!(
        names.iter().any(|n| n.starts_with("GET__missing_page__")),
        "{names:?}"
    );

    let signup = cassettes
        .iter()
        .find(|p| p.to_string_lossy().contains("POST__signup__"))
        .unwrap();
    let decoded = decode(signup);
    let cassette = &decoded.cassette;
    assert_eq!(cassette.request.method, "POST");
    assert_eq!(cassette.request.path, "/signup");
    assert_eq!(cassette.response.status, 200);
    assert!(cassette.events.is_empty());
    let text = std::fs::read_to_string(signup).unwrap();
    for secret in [
        "ada@example.com",
        "hunter22",
        "s3cr3t-value",
        "abc123",
        "ops@example.com",
    ] {
        assert!(!text.contains(secret), "{secret} reached the cassette");
    }
    assert!(text.contains(r#""plan": "pro""#), "non-secret data is kept");
}

#[tokio::test]
async fn an_unreachable_upstream_gives_502_and_a_status_0_cassette() {
    // A port that was free a moment ago: nothing listens there.
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap()
    };
    let dir = tempfile::tempdir().unwrap();
    let proxy = start_proxy(&format!("http://{closed}"), dir.path(), &[]);
    let request = Request::get(format!("{}/users/1", proxy.address))
        .body(Full::new(Bytes::new()))
        .unwrap();
    assert_eq!(send(&client(), request).await.0, 502);
    let (cassettes, _) = cassette_files(dir.path());
    assert_eq!(cassettes.len(), 1);
    let decoded = decode(&cassettes[0]);
    assert_eq!(decoded.cassette.response.status, 0);
    let error = decoded.cassette.app_error.as_ref().expect("error_info");
    assert_eq!(error.error_type.as_deref(), Some("UpstreamError"));
}

/// 10,000 exchanges from 64 concurrent clients: exactly 10,000 cassettes, each complete, one per
/// request (none lost, none torn, no temporary file left).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn ten_thousand_exchanges_from_64_clients_give_ten_thousand_cassettes() {
    const EXCHANGES: usize = 10_000;
    const CLIENTS: usize = 64;
    let upstream = start_upstream().await;
    let dir = tempfile::tempdir().unwrap();
    let proxy = start_proxy(&format!("http://{upstream}"), dir.path(), &[]);
    let client = client();
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let address: Arc<str> = proxy.address.clone().into();
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..CLIENTS {
        let (client, next, address) = (client.clone(), Arc::clone(&next), Arc::clone(&address));
        tasks.spawn(async move {
            let mut sent = 0usize;
            loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                if i >= EXCHANGES {
                    return sent;
                }
                let request = Request::post(format!("{address}/items/{i}?n={i}"))
                    .header("content-type", "application/json")
                    .body(Full::new(Bytes::from(format!(r#"{{"item": {i}}}"#))))
                    .unwrap();
                let (status, _) = send(&client, request).await;
                assert_eq!(status, 200, "exchange {i}");
                sent += 1;
            }
        });
    }
    let all = async {
        let mut total = 0;
        while let Some(sent) = tasks.join_next().await {
            total += sent.unwrap();
        }
        total
    };
    // Bounded: a hang fails the test instead of blocking CI.
    let total = tokio::time::timeout(Duration::from_mins(5), all)
        .await
        .expect("10,000 exchanges within the time bound");
    assert_eq!(total, EXCHANGES);

    let (cassettes, other) = cassette_files(dir.path());
    assert!(other.is_empty(), "temporary files left: {}", other.len());
    assert_eq!(cassettes.len(), EXCHANGES);
    let paths: BTreeSet<String> = cassettes
        .iter()
        .map(|p| {
            let decoded = decode(p);
            assert_eq!(decoded.cassette.response.status, 200);
            decoded.cassette.request.path
        })
        .collect();
    assert_eq!(paths.len(), EXCHANGES, "one cassette per exchange");
    assert!(paths.contains("/items/0") && paths.contains("/items/9999"));
}
