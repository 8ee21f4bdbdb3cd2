//! `tapedeck mock`: an HTTP server answering an application's dependency calls from recorded
//! `http.client` events. All matching lives in `tapedeck_core::replay`; this is the socket glue.
//!
//! Two ways in, told apart per request:
//! * base-URL mode: the app's upstream base URL points at the mock, requests arrive in origin
//!   form (`GET /users/42`) and match on path and query, whatever host was recorded;
//! * proxy mode: `HTTP_PROXY=http://127.0.0.1:PORT`, requests arrive in absolute form
//!   (`GET http://127.0.0.1:18080/users/42`) and match on the full URL (unless `--ignore-host`).
//!
//! Answers: the recorded status, headers and body. A recorded failure (`result.error`, such as
//! a refused connection) is answered `502` with a JSON description; a call nothing matches gets
//! `599` with a JSON diagnosis (closest recorded call, differing fields, cassette).

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering as AtomicOrdering};

use bytes::Bytes;
use http_body_util::{BodyExt as _, Full, Limited};
use hyper::body::Incoming;
use hyper::header::{CONTENT_LENGTH, CONTENT_TYPE, HeaderName, HeaderValue};
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use tapedeck_core::json::{Value, encode_compact};
use tapedeck_core::replay::{Call, MatchOutcome, Matched, Replayer};
use tokio::net::TcpListener;

/// Status of an answer to a call no recording matches.
pub const MISS_STATUS: u16 = 599;
/// Status of an answer replaying a recorded dependency failure.
pub const RECORDED_ERROR_STATUS: u16 = 502;
/// Largest request body read; larger ones are answered 413.
const MAX_BODY_BYTES: usize = 16 << 20;
/// Paths under this prefix are the mock's own (`status`, `reset`), never matched.
const CONTROL_PREFIX: &str = "/__tapedeck/";

/// Shared by every connection.
pub struct MockState {
    pub replayer: Replayer,
    /// Cassettes loaded and `http.client` events taking part, for the status page.
    pub cassettes: usize,
    pub answered: AtomicU64,
    pub missed: AtomicU64,
    /// Print each miss's diagnosis to stderr.
    pub log_misses: bool,
}

impl MockState {
    pub fn new(replayer: Replayer, cassettes: usize, log_misses: bool) -> MockState {
        MockState {
            replayer,
            cassettes,
            answered: AtomicU64::new(0),
            missed: AtomicU64::new(0),
            log_misses,
        }
    }
}

/// Accepts connections until `shutdown` resolves; each connection is served on its own task
/// (HTTP/1.1 keep-alive).
pub async fn serve(
    listener: TcpListener,
    state: Arc<MockState>,
    shutdown: impl Future<Output = ()>,
) {
    tokio::pin!(shutdown);
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            () = &mut shutdown => return,
        };
        let Ok((stream, _peer)) = accepted else {
            // Out of file descriptors and the like: keep serving the connections we have.
            tokio::task::yield_now().await;
            continue;
        };
        let _ = stream.set_nodelay(true);
        let state = Arc::clone(&state);
        tokio::spawn(async move {
            let service = service_fn(move |req| {
                let state = Arc::clone(&state);
                async move { Ok::<_, Infallible>(handle(&state, req).await) }
            });
            // A client hanging up mid-request is its business, not an error of the mock.
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

async fn handle(state: &MockState, req: Request<Incoming>) -> Response<Full<Bytes>> {
    let (parts, body) = req.into_parts();
    let body = match Limited::new(body, MAX_BODY_BYTES).collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(_) => {
            return json_response(
                StatusCode::PAYLOAD_TOO_LARGE.as_u16(),
                &Value::object([("error", Value::from("request body too large or unreadable"))]),
            );
        }
    };
    let absolute = parts.uri.scheme().is_some() && parts.uri.authority().is_some();
    let path_and_query = parts.uri.path_and_query().map_or("/", |p| p.as_str());
    if !absolute && let Some(command) = path_and_query.strip_prefix(CONTROL_PREFIX) {
        return control(state, command, parts.method.as_str());
    }
    let url = if absolute {
        parts.uri.to_string()
    } else {
        path_and_query.to_owned()
    };
    let mut call = Call::http(parts.method.as_str(), &url);
    call.headers = parts
        .headers
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_owned(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    call.body = body.to_vec();
    match state.replayer.answer(&call) {
        MatchOutcome::Matched(m) => {
            state.answered.fetch_add(1, AtomicOrdering::Relaxed);
            answer(&m)
        }
        MatchOutcome::Miss(miss) => {
            state.missed.fetch_add(1, AtomicOrdering::Relaxed);
            if state.log_misses {
                eprintln!("tapedeck mock: {}\n", miss.message());
            }
            let mut response = json_response(MISS_STATUS, &miss.to_json());
            response
                .headers_mut()
                .insert("x-tapedeck-mock", HeaderValue::from_static("miss"));
            response
        }
    }
}

fn answer(m: &Matched) -> Response<Full<Bytes>> {
    let recorded = &m.answer;
    if let Some(error) = &recorded.error {
        let body = Value::object([
            ("error", Value::from("recorded dependency error")),
            ("error_type", Value::from(error.error_type.clone())),
            ("message", Value::from(error.message.as_str())),
            ("cassette", Value::from(m.cassette.as_str())),
            ("event_index", Value::from(m.event_index as u64)),
        ]);
        let mut response = json_response(RECORDED_ERROR_STATUS, &body);
        response.headers_mut().insert(
            "x-tapedeck-mock",
            HeaderValue::from_static("recorded-error"),
        );
        return response;
    }
    let mut response = Response::new(Full::new(Bytes::from(recorded.body.clone())));
    *response.status_mut() = StatusCode::from_u16(recorded.status).unwrap_or(StatusCode::OK);
    let headers = response.headers_mut();
    for (name, value) in &recorded.headers {
        if let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(value),
        ) {
            headers.append(name, value);
        }
    }
    if !m.mismatches.is_empty() {
        // Lenient mode answered anyway: say which fields differed.
        let fields: Vec<&str> = m.mismatches.iter().map(|x| x.field.name()).collect();
        if let Ok(value) = HeaderValue::from_str(&fields.join(",")) {
            headers.insert("x-tapedeck-mismatch", value);
        }
    }
    response
}

fn control(state: &MockState, command: &str, method: &str) -> Response<Full<Bytes>> {
    match (method, command) {
        ("POST", "reset") => {
            state.replayer.reset();
            status_response(state)
        }
        ("GET", "status") => status_response(state),
        _ => json_response(
            404,
            &Value::object([(
                "error",
                Value::from(
                    "unknown control endpoint (GET /__tapedeck/status, POST /__tapedeck/reset)",
                ),
            )]),
        ),
    }
}

fn status_response(state: &MockState) -> Response<Full<Bytes>> {
    json_response(
        200,
        &Value::object([
            ("cassettes", Value::from(state.cassettes as u64)),
            (
                "events",
                Value::from(state.replayer.recorded().len() as u64),
            ),
            (
                "unconsumed",
                Value::from(state.replayer.unconsumed() as u64),
            ),
            (
                "answered",
                Value::from(state.answered.load(AtomicOrdering::Relaxed)),
            ),
            (
                "missed",
                Value::from(state.missed.load(AtomicOrdering::Relaxed)),
            ),
        ]),
    )
}

fn json_response(status: u16, body: &Value) -> Response<Full<Bytes>> {
    let bytes = encode_compact(body, false);
    let len = bytes.len();
    let mut response = Response::new(Full::new(Bytes::from(bytes)));
    *response.status_mut() =
        StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    headers.insert(CONTENT_LENGTH, HeaderValue::from(len));
    response
}

/// Whether an address may be bound without a warning.
pub fn is_loopback(addr: &SocketAddr) -> bool {
    addr.ip().is_loopback()
}
