//! `tapedeck record` against a direct call: requests per second and latency percentiles with 64
//! concurrent keep-alive clients, everything on 127.0.0.1, bounded in count and time.
//!
//! `cargo bench -p tapedeck_cli --bench record` (20,000 requests per phase and 64 clients;
//! `RECORD_BENCH_N` and `RECORD_BENCH_CLIENTS` override). Run without `--bench` (as
//! `cargo test --all-targets` does) it sends 200, to check that it works. Prints one line per
//! phase and the latency the proxy adds.

use std::io::{BufRead as _, BufReader};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::Context as _;
use bytes::Bytes;
use http::{Request, Response};
use http_body_util::{BodyExt as _, Full};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::{TokioExecutor, TokioIo};

const BODY: &[u8] =
    br#"{"id": 42, "name": "Ada", "plan": "pro", "tags": ["a", "b"], "active": true}"#;

type HttpClient = Client<HttpConnector, Full<Bytes>>;

struct Phase {
    requests: usize,
    clients: usize,
    elapsed: Duration,
    latencies_micros: Vec<u64>,
}

impl Phase {
    fn percentile(&self, p: f64) -> u64 {
        #[expect(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            clippy::cast_precision_loss,
            reason = "an index into a sorted sample"
        )]
        let index = ((self.latencies_micros.len() as f64 - 1.0) * p).round() as usize;
        self.latencies_micros.get(index).copied().unwrap_or(0)
    }

    fn rps(&self) -> f64 {
        #[expect(clippy::cast_precision_loss, reason = "a request count")]
        let n = self.requests as f64;
        n / self.elapsed.as_secs_f64()
    }
}

async fn upstream() -> anyhow::Result<std::net::SocketAddr> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let address = listener.local_addr()?;
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let _ = stream.set_nodelay(true);
            tokio::spawn(async move {
                let service =
                    hyper::service::service_fn(|_: Request<hyper::body::Incoming>| async {
                        let mut response = Response::new(Full::new(Bytes::from_static(BODY)));
                        response.headers_mut().insert(
                            "content-type",
                            http::HeaderValue::from_static("application/json"),
                        );
                        Ok::<_, std::convert::Infallible>(response)
                    });
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    });
    Ok(address)
}

async fn run_phase(base: &str, requests: usize, clients: usize) -> anyhow::Result<Phase> {
    let client: HttpClient = Client::builder(TokioExecutor::new())
        .pool_max_idle_per_host(clients)
        .build_http();
    let next = Arc::new(AtomicUsize::new(0));
    let base: Arc<str> = base.into();
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..clients {
        let (client, next, base) = (client.clone(), Arc::clone(&next), Arc::clone(&base));
        tasks.spawn(async move {
            let mut latencies = Vec::new();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= requests {
                    return Ok::<_, anyhow::Error>(latencies);
                }
                let request = Request::get(format!("{base}/users/{i}?q=bench"))
                    .body(Full::new(Bytes::new()))?;
                let sent = Instant::now();
                let response = client.request(request).await?;
                anyhow::ensure!(response.status() == 200, "status {}", response.status());
                response.into_body().collect().await?;
                latencies.push(u64::try_from(sent.elapsed().as_micros()).unwrap_or(u64::MAX));
            }
        });
    }
    let mut latencies_micros = Vec::with_capacity(requests);
    let all = async {
        while let Some(joined) = tasks.join_next().await {
            latencies_micros.extend(joined??);
        }
        Ok::<_, anyhow::Error>(())
    };
    tokio::time::timeout(Duration::from_mins(5), all)
        .await
        .context("the phase exceeded its time bound")??;
    let elapsed = started.elapsed();
    latencies_micros.sort_unstable();
    Ok(Phase {
        requests,
        clients,
        elapsed,
        latencies_micros,
    })
}

fn report(name: &str, phase: &Phase) {
    println!(
        "{name:<24} {:>9.0} req/s   p50 {:>6} us   p99 {:>6} us   ({} requests, {} clients)",
        phase.rps(),
        phase.percentile(0.50),
        phase.percentile(0.99),
        phase.requests,
        phase.clients
    );
}

fn main() -> anyhow::Result<()> {
    let measuring = std::env::args().any(|a| a == "--bench");
    let requests = match std::env::var("RECORD_BENCH_N") {
        Ok(n) => n.parse().context("RECORD_BENCH_N")?,
        Err(_) if measuring => 20_000,
        Err(_) => 200,
    };
    let clients = match std::env::var("RECORD_BENCH_CLIENTS") {
        Ok(n) => n.parse().context("RECORD_BENCH_CLIENTS")?,
        Err(_) => 64,
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let upstream = upstream().await?;
        let dir = tempfile::tempdir()?;
        let mut child = Command::new(env!("CARGO_BIN_EXE_tapedeck"))
            .args(["record", "--listen", "127.0.0.1:0", "--upstream"])
            .arg(format!("http://{upstream}"))
            .arg("--dir")
            .arg(dir.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .context("start tapedeck record")?;
        let mut line = String::new();
        BufReader::new(child.stdout.take().context("proxy stdout")?).read_line(&mut line)?;
        let proxy = line.trim().trim_start_matches("listening on ").to_owned();

        // Warm up both paths (connections, page cache), then measure.
        run_phase(&format!("http://{upstream}"), requests / 10 + 1, clients).await?;
        run_phase(&proxy, requests / 10 + 1, clients).await?;
        let direct = run_phase(&format!("http://{upstream}"), requests, clients).await?;
        let recorded = run_phase(&proxy, requests, clients).await;
        let _ = child.kill();
        let _ = child.wait();
        let recorded = recorded?;
        report("direct", &direct);
        report("through tapedeck record", &recorded);
        println!(
            "added latency: p50 {} us, p99 {} us",
            recorded
                .percentile(0.50)
                .saturating_sub(direct.percentile(0.50)),
            recorded
                .percentile(0.99)
                .saturating_sub(direct.percentile(0.99)),
        );
        Ok(())
    })
}
