//! The record proxy behind `tapedeck record`: a reverse proxy in front of an application, in any
//! language, that forwards every request to the upstream and writes one cassette per exchange.
//!
//! What it records: the incoming request, the upstream's response and the duration, redacted
//! at capture time, written atomically (temporary file + rename) before the response goes back
//! to the client (so a client that got its answer can count on the file). What it cannot
//! record: the application's own dependency calls, which never pass through it; cassettes
//! have no events (use the tower layer and the reqwest middleware inside a Rust service, or
//! Timetracer's plugins inside a Python one, for those). When the upstream cannot be reached,
//! the client gets a 502 and the cassette has status 0 and an `error_info`.
//!
//! Matching and answering recorded calls is `tapedeck mock`'s job, not this module's.

mod forward;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

use anyhow::Context as _;
use bytes::Bytes;
use http::{Request, Response, StatusCode, Uri};
use http_body_util::{BodyExt as _, Full};
use hyper::body::Incoming;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::{TokioExecutor, TokioIo};
use tapedeck_core::record::{AppFailure, Exchange, OutgoingResponse};
use tokio::net::TcpListener;

use crate::capture::exchange::{header_pairs, incoming_request};
use crate::capture::{Capture, new_session_id, unix_micros_now};

pub use forward::Upstream;

/// A running record proxy's shared state.
#[derive(Debug)]
pub struct RecordProxy {
    upstream: Upstream,
    capture: Arc<Capture>,
    client: Client<HttpConnector, Full<Bytes>>,
}

impl RecordProxy {
    /// A proxy forwarding to `upstream` and recording through `capture` (whatever its mode:
    /// the proxy always records).
    pub fn new(upstream: Upstream, capture: Arc<Capture>) -> RecordProxy {
        let mut connector = HttpConnector::new();
        connector.set_nodelay(true);
        let client = Client::builder(TokioExecutor::new())
            .pool_max_idle_per_host(256)
            .build(connector);
        RecordProxy {
            upstream,
            capture,
            client,
        }
    }

    /// Accepts connections on `listener` until `shutdown` resolves, then stops accepting;
    /// exchanges in flight finish on their own tasks.
    pub async fn serve(
        self: Arc<Self>,
        listener: TcpListener,
        shutdown: impl Future<Output = ()>,
    ) -> anyhow::Result<()> {
        tokio::pin!(shutdown);
        loop {
            let (stream, peer) = tokio::select! {
                () = &mut shutdown => return Ok(()),
                accepted = listener.accept() => match accepted {
                    Ok(pair) => pair,
                    Err(err) => {
                        // Out of file descriptors and the like: report, back off, go on.
                        eprintln!("tapedeck: accept failed: {err}");
                        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
                        continue;
                    }
                },
            };
            let _ = stream.set_nodelay(true);
            let proxy = Arc::clone(&self);
            tokio::spawn(async move {
                let service = hyper::service::service_fn(move |request| {
                    let proxy = Arc::clone(&proxy);
                    async move { Ok::<_, std::convert::Infallible>(proxy.exchange(request, peer).await) }
                });
                // A client hanging up mid-request is its own business.
                let _ = hyper::server::conn::http1::Builder::new()
                    .keep_alive(true)
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    }

    /// Forwards one request, records the exchange, answers the client.
    async fn exchange(
        &self,
        request: Request<Incoming>,
        peer: SocketAddr,
    ) -> Response<Full<Bytes>> {
        let started = Instant::now();
        let started_at_unix_micros = unix_micros_now();
        let (parts, body) = request.into_parts();
        let Ok(collected) = body.collect().await else {
            return plain(StatusCode::BAD_REQUEST, "request body was cut short");
        };
        let body = collected.to_bytes();
        let incoming = incoming_request(&parts, &body, Some(peer.ip().to_string()));
        let forwarded = self.upstream.request(&parts, body, peer);
        let result = match forwarded {
            Ok(request) => self.send(request).await,
            Err(err) => Err(err),
        };
        let mut exchange = Exchange {
            session_id: new_session_id(),
            started_at_unix_micros,
            duration_ms: started.elapsed().as_secs_f64() * 1000.0,
            request: incoming,
            response: None,
            calls: Vec::new(),
            failure: None,
        };
        let response = match result {
            Ok((parts, body)) => {
                exchange.response = Some(OutgoingResponse {
                    status: parts.status.as_u16(),
                    headers: header_pairs(&parts.headers),
                    body: body.to_vec(),
                });
                Response::from_parts(parts, Full::new(body))
            }
            Err(err) => {
                exchange.failure = Some(AppFailure {
                    error_type: String::from("UpstreamError"),
                    message: format!("{err:#}"),
                });
                plain(
                    StatusCode::BAD_GATEWAY,
                    "tapedeck record: upstream unreachable",
                )
            }
        };
        if let Err(err) = self.capture.write(&exchange).await {
            eprintln!("tapedeck: {err:#}");
        }
        response
    }

    async fn send(
        &self,
        request: Request<Full<Bytes>>,
    ) -> anyhow::Result<(http::response::Parts, Bytes)> {
        let response = self
            .client
            .request(request)
            .await
            .context("cannot reach the upstream")?;
        let (mut parts, body) = response.into_parts();
        let body = body
            .collect()
            .await
            .context("the upstream's response was cut short")?
            .to_bytes();
        forward::strip_hop_by_hop(&mut parts.headers);
        Ok((parts, body))
    }
}

fn plain(status: StatusCode, text: &'static str) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from_static(text.as_bytes())));
    *response.status_mut() = status;
    response.headers_mut().insert(
        http::header::CONTENT_TYPE,
        http::HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    response
}

/// Parses an upstream URL (`http://127.0.0.1:8000` or `http://host:port/base`).
pub fn parse_upstream(text: &str) -> anyhow::Result<Upstream> {
    let uri: Uri = text
        .parse()
        .with_context(|| format!("upstream {text:?} is not a URL"))?;
    Upstream::from_uri(&uri)
}
