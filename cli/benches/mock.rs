//! Load benchmark of `tapedeck mock` against a direct call to a trivial local server.
//!
//! 64 concurrent keep-alive clients on 127.0.0.1 send `GET /users/42`; the same answer
//! (1,385 bytes of recorded JSON) comes once from an in-process hyper server and once from the
//! real `tapedeck mock` binary loaded with the corpus cassette. Prints requests per second and
//! p50/p99 latency of both, and what the mock adds. Bounded: at most `REQUESTS` per phase and
//! `PHASE_SECS` seconds. The client, the server and the mock share the machine's cores, so the
//! figures are a floor. Run: `cargo bench -p tapedeck_cli --bench mock`.
#![expect(
    clippy::unwrap_used,
    reason = "benchmark harness: any failure aborts the run"
)]

use std::convert::Infallible;
use std::io::BufRead as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt as _, Empty, Full};
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;

const CLIENTS: usize = 64;
const REQUESTS: usize = if cfg!(debug_assertions) { 640 } else { 100_000 };
const PHASE_SECS: u64 = 20;
const CASSETTE: &str =
    "timetracer-1.6.0/cassettes/fastapi_default/2026-11-30/GET__users_42__623fad6a.json";

fn corpus_root() -> PathBuf {
    std::env::var_os("TAPEDECK_CORPUS").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus"),
        PathBuf::from,
    )
}

struct Figures {
    requests: usize,
    per_sec: f64,
    p50_micros: u64,
    p99_micros: u64,
}

async fn load(port: u16) -> Figures {
    let deadline = Instant::now() + Duration::from_secs(PHASE_SECS);
    let per_client = REQUESTS / CLIENTS;
    let start = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..CLIENTS {
        tasks.push(tokio::spawn(async move {
            let stream = tokio::net::TcpStream::connect(("127.0.0.1", port))
                .await
                .unwrap();
            stream.set_nodelay(true).unwrap();
            let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
                .await
                .unwrap();
            tokio::spawn(conn);
            let mut latencies = Vec::with_capacity(per_client);
            for _ in 0..per_client {
                if Instant::now() > deadline {
                    break;
                }
                let req = hyper::Request::get("/users/42")
                    .header("host", "127.0.0.1")
                    .body(Empty::<Bytes>::new())
                    .unwrap();
                let t = Instant::now();
                let res = sender.send_request(req).await.unwrap();
                assert_eq!(res.status(), 200);
                let body = res.into_body().collect().await.unwrap().to_bytes();
                assert_eq!(body.len(), 1385);
                latencies.push(u64::try_from(t.elapsed().as_micros()).unwrap_or(u64::MAX));
            }
            latencies
        }));
    }
    let mut all = Vec::with_capacity(REQUESTS);
    for t in tasks {
        all.extend(t.await.unwrap());
    }
    let elapsed = start.elapsed().as_secs_f64();
    all.sort_unstable();
    let at = |q: f64| {
        #[expect(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            clippy::cast_precision_loss,
            reason = "an index into a sorted sample"
        )]
        let i = ((all.len().saturating_sub(1)) as f64 * q).round() as usize;
        all.get(i).copied().unwrap_or(0)
    };
    #[expect(clippy::cast_precision_loss, reason = "a request count")]
    let per_sec = all.len() as f64 / elapsed;
    Figures {
        requests: all.len(),
        per_sec,
        p50_micros: at(0.50),
        p99_micros: at(0.99),
    }
}

fn print(name: &str, f: &Figures) {
    println!(
        "{name:>7}: {:>7} requests  {:>9.0} req/s  p50 {:>6} us  p99 {:>6} us",
        f.requests, f.per_sec, f.p50_micros, f.p99_micros
    );
}

fn main() {
    let cassette = corpus_root().join(CASSETTE);
    let bytes = std::fs::read(&cassette).unwrap();
    let decoded = tapedeck_core::decode("bench", &bytes).unwrap().cassette;
    let replayer = tapedeck_core::replay::Replayer::new(
        &decoded,
        tapedeck_core::replay::MatchPolicy::timetracer(),
    );
    let tapedeck_core::replay::MatchOutcome::Matched(m) = replayer.answer(
        &tapedeck_core::replay::Call::http("GET", "http://127.0.0.1:18080/users/42"),
    ) else {
        panic!("the corpus cassette does not answer its own call");
    };
    let body = Bytes::from(m.answer.body.clone());

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async move {
        // The direct server: the same bytes, no matching.
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let direct_port = listener.local_addr().unwrap().port();
        let served = Arc::new(body);
        tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    continue;
                };
                let _ = stream.set_nodelay(true);
                let served = Arc::clone(&served);
                tokio::spawn(async move {
                    let service = service_fn(move |_req| {
                        let body = Bytes::clone(&served);
                        async move {
                            let mut res = hyper::Response::new(Full::new(body));
                            res.headers_mut().insert(
                                "content-type",
                                hyper::header::HeaderValue::from_static("application/json"),
                            );
                            Ok::<_, Infallible>(res)
                        }
                    });
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });

        let mut child = Command::new(env!("CARGO_BIN_EXE_tapedeck"))
            .args(["mock", "--listen", "127.0.0.1:0", "--quiet", "--cassette"])
            .arg(&cassette)
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let mock_port: u16 = line
            .split("http://127.0.0.1:")
            .nth(1)
            .and_then(|r| r.split_whitespace().next())
            .and_then(|p| p.parse().ok())
            .unwrap();

        // Warm up both, then measure.
        let _ = load(direct_port).await;
        let _ = load(mock_port).await;
        let direct = load(direct_port).await;
        let mock = load(mock_port).await;
        let _ = child.kill();
        let _ = child.wait();
        println!("{CLIENTS} concurrent keep-alive clients, GET /users/42 (1,385-byte body)");
        print("direct", &direct);
        print("mock", &mock);
        println!(
            "mock adds: p50 {} us, p99 {} us",
            mock.p50_micros.saturating_sub(direct.p50_micros),
            mock.p99_micros.saturating_sub(direct.p99_micros)
        );
    });
}
