//! Recording: build a Timetracer cassette from one served request, the dependency calls made
//! while serving it and its response, then redact it before it is written anywhere.
//!
//! Pure: the caller passes every time, offset, duration and id in ([`Exchange`]); nothing here
//! reads a clock or draws random numbers. The capture rules are Timetracer 1.6.0's (bodies
//! that parse as JSON are stored as `encoding: json` + `data`, anything else hash-only as
//! `bytes`; inbound bodies cut at `max_body_kb`; dependency bodies never cut; dependency
//! headers reduced to Timetracer's allow-list; `eid` in completion order), so Timetracer reads
//! and replays what [`Recorder::record`] writes. Two deliberate differences: the redaction is
//! Tapedeck's engine ([`crate::redact`]) applied to the finished cassette, and a failure of
//! the application is kept as a top-level `error_info` (Timetracer computes it, then drops it).

pub mod naming;
pub mod query;

use crate::format::timetracer::build::{
    Policies, RecordedBody, RecordedEvent, RecordedRequest, RecordedResponse, Recording,
    SessionInfo,
};
use crate::json::{Document, Value};
use crate::model::{AppError, NameValue};
use crate::redact::{RedactError, Redactor};
use crate::replay::hash::{HEADER_ALLOW_LIST, headers_hash};

/// Timetracer's `hash_body` of bytes (shared with replay).
pub use crate::replay::hash::hash_bytes;
pub use naming::{
    cassette_file_name, date_dir, format_recorded_at, sanitize_route, session_id_from_random,
};

/// Header names Timetracer keeps on dependency calls (response headers stored, request
/// headers hashed into `headers_hash`); compared case-insensitively.
pub const DEPENDENCY_HEADER_ALLOW_LIST: [&str; 6] = HEADER_ALLOW_LIST;

/// When a response body is stored (`TIMETRACER_STORE_RES_BODY`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum StorePolicy {
    Never,
    /// Only for errors: status >= 400, or the application failed.
    #[default]
    OnError,
    Always,
}

impl StorePolicy {
    /// Parses `never`, `on_error` or `always` (case-insensitive).
    pub fn from_name(name: &str) -> Option<StorePolicy> {
        match name.to_ascii_lowercase().as_str() {
            "never" => Some(StorePolicy::Never),
            "on_error" => Some(StorePolicy::OnError),
            "always" => Some(StorePolicy::Always),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            StorePolicy::Never => "never",
            StorePolicy::OnError => "on_error",
            StorePolicy::Always => "always",
        }
    }

    fn stores(self, is_error: bool) -> bool {
        match self {
            StorePolicy::Never => false,
            StorePolicy::OnError => is_error,
            StorePolicy::Always => true,
        }
    }
}

/// What the recorder writes into `session` and `policies`, and how it captures bodies.
/// Defaults are Timetracer's.
#[derive(Clone, Debug, PartialEq)]
pub struct CaptureConfig {
    /// `session.service` (`TIMETRACER_SERVICE`).
    pub service: String,
    /// `session.env` (`TIMETRACER_ENV`).
    pub env: String,
    /// `session.framework` (Timetracer always writes `fastapi`).
    pub framework: String,
    /// `session.timetracer_version`: the version of the tool that recorded.
    pub tool_version: String,
    /// `session.python_version`: the runtime that served the request.
    pub runtime_version: String,
    /// Inbound bodies longer than this many KiB are cut (`TIMETRACER_MAX_BODY_KB`).
    pub max_body_kb: u64,
    /// Recorded in `policies` only: like Timetracer, request bodies are always captured.
    pub store_request_body: StorePolicy,
    pub store_response_body: StorePolicy,
    /// Recorded in `policies`; sampling is the caller's decision (it needs randomness).
    pub sample_rate: f64,
    /// Recorded in `policies`; see [`Recorder::wants`].
    pub errors_only: bool,
}

impl Default for CaptureConfig {
    fn default() -> Self {
        CaptureConfig {
            service: String::from("timetracer-service"),
            env: String::from("local"),
            framework: String::from("fastapi"),
            tool_version: String::from("1.4.0"),
            runtime_version: String::new(),
            max_body_kb: 64,
            store_request_body: StorePolicy::OnError,
            store_response_body: StorePolicy::OnError,
            sample_rate: 1.0,
            errors_only: false,
        }
    }
}

/// The incoming request, as the server received it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct IncomingRequest {
    pub method: String,
    /// Percent-decoded path, without the query string.
    pub path: String,
    /// The route pattern that matched (`/users/{id}`), when the framework knows it.
    pub route_template: Option<String>,
    /// The raw query string, without `?`.
    pub query: String,
    /// In arrival order; names as received (lower case under HTTP/2 and hyper).
    pub headers: Vec<NameValue>,
    pub body: Vec<u8>,
    pub client_ip: Option<String>,
}

/// The response the application sent.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OutgoingResponse {
    pub status: u16,
    pub headers: Vec<NameValue>,
    pub body: Vec<u8>,
}

/// One dependency call made while serving the request.
#[derive(Clone, Debug, PartialEq)]
pub struct DependencyCall {
    /// `http.client`, `db.query`, `redis` or `custom`.
    pub event_type: String,
    /// The client library (`reqwest`, `httpx`, ...).
    pub lib: String,
    /// HTTP method, SQL verb or command name (upper-cased when written).
    pub method: String,
    /// The full URL for `http.client` calls (its query goes to `signature.query`); the target
    /// (table, key, collection) otherwise.
    pub url: String,
    /// Request headers; only allow-listed ones are hashed into `headers_hash`.
    pub request_headers: Vec<NameValue>,
    /// Request body; hashed into `body_hash` when not empty.
    pub request_body: Vec<u8>,
    /// Milliseconds from the start of the request to the start of the call.
    pub start_offset_ms: f64,
    pub duration_ms: f64,
    pub outcome: CallOutcome,
}

/// How a dependency call ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CallOutcome {
    /// It answered (any status).
    Response {
        status: i64,
        headers: Vec<NameValue>,
        body: Vec<u8>,
    },
    /// It raised: the error's type name and message (`ConnectError`, `connection refused`).
    Failed { error_type: String, message: String },
}

/// The application's failure (an exception, a panic, a handler error).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AppFailure {
    pub error_type: String,
    pub message: String,
}

/// Everything about one served request, with the times and ids the caller measured or drew.
#[derive(Clone, Debug, PartialEq)]
pub struct Exchange {
    /// A UUID (see [`session_id_from_random`]); its first 8 characters name the file.
    pub session_id: String,
    /// When the request started, in microseconds since the Unix epoch (UTC).
    pub started_at_unix_micros: i64,
    /// Wall time of the whole request in milliseconds.
    pub duration_ms: f64,
    pub request: IncomingRequest,
    /// `None` when the application failed before responding (written as status 0).
    pub response: Option<OutgoingResponse>,
    /// Dependency calls in the order they completed (`eid` 1, 2, ...).
    pub calls: Vec<DependencyCall>,
    pub failure: Option<AppFailure>,
}

/// A finished cassette, ready to be written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordedCassette {
    /// `YYYY-MM-DD` (UTC date of the request).
    pub date_dir: String,
    /// `<METHOD>__<route>__<id8>.json`.
    pub file_name: String,
    /// The cassette's bytes, redacted.
    pub bytes: Vec<u8>,
    /// How many values the redaction changed.
    pub redactions: usize,
}

impl RecordedCassette {
    /// `YYYY-MM-DD/<file name>`, relative to the cassette folder (always `/`-separated).
    pub fn relative_path(&self) -> String {
        format!("{}/{}", self.date_dir, self.file_name)
    }
}

/// Why a recording failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RecordError {
    #[error("cannot redact the recording")]
    Redact(#[from] RedactError),
}

/// Builds cassettes from exchanges. Immutable and `Send + Sync`: share one across requests.
#[derive(Debug)]
pub struct Recorder {
    config: CaptureConfig,
    redactor: Option<Redactor>,
}

impl Recorder {
    /// A recorder that redacts with `redactor` (build it from a policy with
    /// [`crate::redact::RedactorBuilder`]).
    pub fn new(config: CaptureConfig, redactor: Redactor) -> Recorder {
        Recorder {
            config,
            redactor: Some(redactor),
        }
    }

    /// A recorder that writes exactly what Timetracer's capture rules keep, unredacted. For
    /// tests and for callers that redact later; secrets stay in the output.
    pub fn without_redaction(config: CaptureConfig) -> Recorder {
        Recorder {
            config,
            redactor: None,
        }
    }

    pub fn config(&self) -> &CaptureConfig {
        &self.config
    }

    /// Whether an exchange with this outcome is kept under `errors_only` (status >= 400, no
    /// response, or a failure).
    pub fn wants(&self, status: Option<u16>, failed: bool) -> bool {
        !self.config.errors_only || failed || status.is_none_or(|s| s >= 400)
    }

    /// The cassette for one exchange: built as Timetracer builds it, then redacted.
    pub fn record(&self, exchange: &Exchange) -> Result<RecordedCassette, RecordError> {
        let recording = self.recording(exchange);
        let mut bytes = recording.encode();
        let mut redactions = 0;
        if let Some(redactor) = &self.redactor {
            let redaction = redactor.redact(&bytes)?;
            redactions = redaction.findings.len();
            bytes = redaction.output;
        }
        let route = exchange
            .request
            .route_template
            .as_deref()
            .filter(|t| !t.is_empty())
            .unwrap_or(&exchange.request.path);
        Ok(RecordedCassette {
            date_dir: date_dir(exchange.started_at_unix_micros),
            file_name: cassette_file_name(&exchange.request.method, route, &exchange.session_id),
            bytes,
            redactions,
        })
    }

    /// The unredacted recording, in Timetracer's shape.
    pub fn recording(&self, exchange: &Exchange) -> Recording {
        let c = &self.config;
        let request = &exchange.request;
        let headers = dict_headers(&request.headers);
        let user_agent = headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("user-agent"))
            .map(|(_, v)| v.clone());
        let is_error = exchange.failure.is_some()
            || exchange.response.as_ref().is_none_or(|r| r.status >= 400);
        let max_bytes = usize::try_from(c.max_body_kb.saturating_mul(1024)).unwrap_or(usize::MAX);
        let response = match &exchange.response {
            Some(r) => RecordedResponse {
                status: i64::from(r.status),
                duration_ms: exchange.duration_ms,
                headers: dict_headers(&r.headers),
                body: inbound_body(&r.body, max_bytes, c.store_response_body.stores(is_error)),
            },
            None => RecordedResponse {
                status: 0,
                duration_ms: exchange.duration_ms,
                headers: Vec::new(),
                body: None,
            },
        };
        Recording {
            session: SessionInfo {
                id: exchange.session_id.clone(),
                recorded_at: format_recorded_at(exchange.started_at_unix_micros),
                service: c.service.clone(),
                env: c.env.clone(),
                framework: c.framework.clone(),
                tool_version: c.tool_version.clone(),
                python_version: c.runtime_version.clone(),
                git_sha: None,
            },
            request: RecordedRequest {
                method: request.method.clone(),
                path: request.path.clone(),
                route_template: request.route_template.clone(),
                headers,
                query: query::first_values(&request.query),
                body: inbound_body(&request.body, max_bytes, true),
                client_ip: request.client_ip.clone(),
                user_agent,
            },
            response,
            events: exchange
                .calls
                .iter()
                .zip(1..)
                .map(|(call, eid)| dependency_event(call, eid))
                .collect(),
            policies: Policies {
                max_body_kb: i64::try_from(c.max_body_kb).unwrap_or(i64::MAX),
                store_request_body: c.store_request_body.as_str().to_owned(),
                store_response_body: c.store_response_body.as_str().to_owned(),
                sample_rate: c.sample_rate,
                errors_only: c.errors_only,
            },
            total_duration_ms: exchange.duration_ms,
            app_error: exchange.failure.as_ref().map(|f| AppError {
                error_type: Some(f.error_type.clone()),
                message: Some(f.message.clone()),
                traceback: None,
            }),
        }
    }
}

/// Headers as a Python dict holds them: one entry per name (exact spelling), the last value
/// at the position of the first occurrence.
fn dict_headers(headers: &[NameValue]) -> Vec<NameValue> {
    let mut out: Vec<NameValue> = Vec::with_capacity(headers.len());
    for (name, value) in headers {
        match out.iter_mut().find(|(k, _)| k == name) {
            Some(slot) => slot.1.clone_from(value),
            None => out.push((name.clone(), value.clone())),
        }
    }
    out
}

/// Dependency headers reduced to the allow-list (original case, dict semantics).
fn allowed_headers(headers: &[NameValue]) -> Vec<NameValue> {
    let allowed: Vec<NameValue> = headers
        .iter()
        .filter(|(k, _)| {
            DEPENDENCY_HEADER_ALLOW_LIST
                .iter()
                .any(|a| k.eq_ignore_ascii_case(a))
        })
        .cloned()
        .collect();
    dict_headers(&allowed)
}

/// `json.loads(body.decode("utf-8"))`: the parsed value, or `None` when the bytes are not
/// UTF-8 JSON (Python rejects a byte-order mark too). Duplicate keys collapse as in a dict.
fn parse_json_body(body: &[u8]) -> Option<Value> {
    let text = std::str::from_utf8(body).ok()?;
    if text.starts_with('\u{feff}') {
        return None;
    }
    let doc = Document::parse(text.as_bytes()).ok()?;
    Some(doc.root().to_value().collapse_duplicate_keys())
}

/// A body snapshot the way Timetracer's middlewares take one: cut at `max_bytes`, stored as
/// JSON when the (cut) bytes parse, hash-only otherwise; hash-only without `encoding` when the
/// policy does not store it. `None` for an empty body.
fn inbound_body(body: &[u8], max_bytes: usize, store: bool) -> Option<RecordedBody> {
    if body.is_empty() {
        return None;
    }
    let size_bytes = u64::try_from(body.len()).ok();
    if !store {
        return Some(RecordedBody {
            captured: false,
            encoding: None,
            data: None,
            truncated: false,
            size_bytes,
            hash: Some(hash_bytes(body)),
        });
    }
    let truncated = body.len() > max_bytes;
    let kept = body.get(..max_bytes).filter(|_| truncated).unwrap_or(body);
    let data = parse_json_body(kept);
    Some(RecordedBody {
        captured: true,
        encoding: Some(String::from(if data.is_some() { "json" } else { "bytes" })),
        data,
        truncated,
        size_bytes,
        hash: Some(hash_bytes(kept)),
    })
}

/// A dependency body as the httpx plugin stores it: whole, JSON when it parses, else `bytes`.
fn dependency_body(body: &[u8]) -> Option<RecordedBody> {
    if body.is_empty() {
        return None;
    }
    let data = parse_json_body(body);
    Some(RecordedBody {
        captured: true,
        encoding: Some(String::from(if data.is_some() { "json" } else { "bytes" })),
        data,
        truncated: false,
        size_bytes: u64::try_from(body.len()).ok(),
        hash: Some(hash_bytes(body)),
    })
}

fn dependency_event(call: &DependencyCall, eid: i64) -> RecordedEvent {
    let http = call.event_type == "http.client";
    let (url, query) = if http {
        let (base, query) = query::split_url(&call.url);
        (base.to_owned(), query::grouped_values(query))
    } else {
        (call.url.clone(), Vec::new())
    };
    let mut event = RecordedEvent {
        eid,
        event_type: call.event_type.clone(),
        start_offset_ms: call.start_offset_ms,
        duration_ms: call.duration_ms,
        lib: call.lib.clone(),
        method: call.method.to_uppercase(),
        url: Some(url).filter(|u| !u.is_empty()),
        query,
        headers_hash: if http {
            headers_hash(&call.request_headers, &DEPENDENCY_HEADER_ALLOW_LIST)
        } else {
            None
        },
        body_hash: (!call.request_body.is_empty()).then(|| hash_bytes(&call.request_body)),
        ..RecordedEvent::default()
    };
    match &call.outcome {
        CallOutcome::Response {
            status,
            headers,
            body,
        } => {
            event.status = Some(*status);
            event.headers = allowed_headers(headers);
            event.body = dependency_body(body);
        }
        CallOutcome::Failed {
            error_type,
            message,
        } => {
            event.error = Some(message.clone());
            event.error_type = Some(error_type.clone());
        }
    }
    event
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exchange() -> Exchange {
        Exchange {
            session_id: String::from("abcdef12-3456-4789-8abc-def012345678"),
            started_at_unix_micros: 1_796_024_310_761_107,
            duration_ms: 12.5,
            request: IncomingRequest {
                method: String::from("POST"),
                path: String::from("/orders"),
                route_template: None,
                query: String::from("page=2&page=3&empty="),
                headers: vec![
                    (
                        String::from("content-type"),
                        String::from("application/json"),
                    ),
                    (String::from("user-agent"), String::from("curl/8")),
                ],
                body: br#"{"item": "book", "qty": 2}"#.to_vec(),
                client_ip: Some(String::from("127.0.0.1")),
            },
            response: Some(OutgoingResponse {
                status: 201,
                headers: vec![(String::from("content-type"), String::from("text/plain"))],
                body: b"created".to_vec(),
            }),
            calls: vec![DependencyCall {
                event_type: String::from("http.client"),
                lib: String::from("reqwest"),
                method: String::from("get"),
                url: String::from("http://127.0.0.1:9/stock?sku=1&sku=2"),
                request_headers: vec![
                    (String::from("accept"), String::from("*/*")),
                    (String::from("x-secret"), String::from("s")),
                ],
                request_body: Vec::new(),
                start_offset_ms: 1.0,
                duration_ms: 2.0,
                outcome: CallOutcome::Response {
                    status: 200,
                    headers: vec![
                        (
                            String::from("content-type"),
                            String::from("application/json"),
                        ),
                        (String::from("set-cookie"), String::from("a=b")),
                    ],
                    body: br#"{"in_stock": true}"#.to_vec(),
                },
            }],
            failure: None,
        }
    }

    #[test]
    fn applies_timetracer_capture_rules() {
        let recorder = Recorder::without_redaction(CaptureConfig::default());
        let r = recorder.recording(&exchange());
        assert_eq!(
            r.request.query,
            vec![(String::from("page"), Value::from("2"))]
        );
        assert_eq!(r.request.user_agent.as_deref(), Some("curl/8"));
        let body = r.request.body.as_ref().unwrap();
        assert_eq!(body.encoding.as_deref(), Some("json"));
        assert_eq!(body.size_bytes, Some(26));
        // on_error and a 201: hash only.
        let response_body = r.response.body.as_ref().unwrap();
        assert!(!response_body.captured);
        assert_eq!(response_body.encoding, None);
        let event = &r.events[0];
        assert_eq!(event.eid, 1);
        assert_eq!(event.method, "GET");
        assert_eq!(event.url.as_deref(), Some("http://127.0.0.1:9/stock"));
        assert_eq!(
            event.headers,
            vec![(
                String::from("content-type"),
                String::from("application/json")
            )]
        );
        assert_eq!(
            event.headers_hash,
            headers_hash(
                &[(String::from("accept"), String::from("*/*"))],
                &DEPENDENCY_HEADER_ALLOW_LIST
            )
        );
        assert_eq!(event.body_hash, None);
    }

    #[test]
    fn truncates_inbound_bodies_at_max_body_kb() {
        let config = CaptureConfig {
            max_body_kb: 1,
            store_response_body: StorePolicy::Always,
            ..CaptureConfig::default()
        };
        let mut ex = exchange();
        let big = format!("[{}1]", "1,".repeat(1000)).into_bytes();
        ex.response.as_mut().unwrap().body.clone_from(&big);
        let r = Recorder::without_redaction(config).recording(&ex);
        let body = r.response.body.unwrap();
        assert!(body.truncated);
        assert_eq!(body.encoding.as_deref(), Some("bytes"));
        assert_eq!(body.data, None);
        assert_eq!(body.size_bytes, Some(u64::try_from(big.len()).unwrap()));
        assert_eq!(body.hash, Some(hash_bytes(&big[..1024])));
    }

    #[test]
    fn records_failures_as_status_0_with_error_info() {
        let mut ex = exchange();
        ex.response = None;
        ex.failure = Some(AppFailure {
            error_type: String::from("Panic"),
            message: String::from("boom"),
        });
        ex.calls[0].outcome = CallOutcome::Failed {
            error_type: String::from("ConnectError"),
            message: String::from("connection refused"),
        };
        let recorder = Recorder::without_redaction(CaptureConfig::default());
        let cassette = recorder.record(&ex).unwrap();
        let text = String::from_utf8(cassette.bytes.clone()).unwrap();
        assert!(text.contains("\"status\": 0,"));
        assert!(text.ends_with(
            "\"error_info\": {\n    \"type\": \"Panic\",\n    \"message\": \"boom\"\n  }\n}"
        ));
        assert!(text.contains("\"error_type\": \"ConnectError\""));
        assert_eq!(cassette.file_name, "POST__orders__abcdef12.json");
        assert_eq!(
            cassette.relative_path(),
            "2026-11-30/POST__orders__abcdef12.json"
        );
    }

    #[test]
    fn errors_only_keeps_errors() {
        let config = CaptureConfig {
            errors_only: true,
            ..CaptureConfig::default()
        };
        let recorder = Recorder::without_redaction(config);
        assert!(!recorder.wants(Some(200), false));
        assert!(recorder.wants(Some(500), false));
        assert!(recorder.wants(None, false));
        assert!(recorder.wants(Some(200), true));
    }
}
