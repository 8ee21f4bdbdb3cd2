//! The format-neutral model every frontend displays: one recorded exchange (the incoming
//! request and its response) and the dependency calls made while serving it.
//!
//! A [`Cassette`] keeps the parsed source [`Document`] next to the model, so nothing is lost:
//! bodies point into the document by [`NodeId`], encoders write the document back, and
//! redaction can rewrite single byte spans of it.

mod body;
mod time;

pub use body::{Body, BodyEncoding};
pub use time::parse_timestamp_micros;

use crate::json::{Document, NodeId};

/// Which recording format a cassette came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Format {
    /// Timetracer's one-request-per-file JSON.
    Timetracer,
    /// HTTP Archive 1.2 (browsers, Playwright, Polly.js): one row per entry.
    Har,
    /// VCR.py cassettes (`version: 1` + `interactions`, YAML or JSON).
    VcrPy,
    /// Ruby VCR cassettes (`http_interactions` + `recorded_with: VCR ...`, YAML or JSON).
    RubyVcr,
    /// Betamax (Python) cassettes: Ruby VCR's shape in JSON.
    Betamax,
    /// go-vcr v2 cassettes (`version: 2`, go-vcr v3/v4), YAML.
    GoVcr,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Timetracer => "timetracer",
            Format::Har => "har",
            Format::VcrPy => "vcrpy",
            Format::RubyVcr => "ruby-vcr",
            Format::Betamax => "betamax",
            Format::GoVcr => "go-vcr",
        }
    }

    /// Whether a file of this format is a list of interactions in recorded order, without
    /// timings (the viewer shows a numbered sequence instead of a waterfall).
    pub fn is_vcr_style(self) -> bool {
        matches!(
            self,
            Format::VcrPy | Format::RubyVcr | Format::Betamax | Format::GoVcr
        )
    }
}

/// One header (or query parameter) as recorded. Order and duplicates are data, so these live
/// in a `Vec`, never a map.
pub type NameValue = (String, String);

/// The syntax a cassette file was written in.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Syntax {
    #[default]
    Json,
    /// YAML, read into a JSON [`Document`] (the value tree; no tag constructs anything).
    /// `binary_paths` are the JSON paths of scalars tagged `!!binary` (base64 text), kept so
    /// the file re-encodes with the same tags.
    Yaml { binary_paths: Vec<String> },
}

/// One decoded cassette.
#[derive(Clone, Debug)]
pub struct Cassette {
    /// The name it was decoded under (usually its path); `file.har#3` for the third entry of
    /// a HAR file (see `entry`).
    pub name: String,
    pub format: Format,
    /// Whether the bytes were gzip-compressed.
    pub compressed: bool,
    /// For a row taken from a file that holds several exchanges (a HAR entry): its 0-based
    /// index in the file. `None` when the cassette is the whole file.
    pub entry: Option<usize>,
    /// The syntax of the file (JSON, or YAML read into a JSON document).
    pub syntax: Syntax,
    /// Whether events carry start offsets and durations (a waterfall). VCR-style files only
    /// record the order of their interactions: offsets and durations are then 0.
    pub has_timings: bool,
    /// Timing phases of the exchange itself, in order (HAR `timings`: blocked, dns, connect,
    /// ssl, send, wait, receive; phases HAR marks as not applicable are left out). Empty for
    /// formats without them.
    pub phases: Vec<Phase>,
    /// The parsed source (the HAR entry alone for a HAR row); bodies and other raw parts
    /// point into it.
    pub document: Document<'static>,
    pub meta: Meta,
    pub request: Request,
    pub response: Response,
    pub events: Vec<Event>,
    /// The application error, when the recorder kept one.
    pub app_error: Option<AppError>,
}

/// One timing phase of an exchange, in ms from its start.
#[derive(Clone, Debug, PartialEq)]
pub struct Phase {
    pub name: String,
    pub start_offset_ms: f64,
    pub duration_ms: f64,
}

/// Who recorded the exchange, when and where.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Meta {
    pub schema_version: String,
    pub session_id: String,
    /// As written (`2026-11-30T07:25:12.398484+00:00`).
    pub recorded_at: String,
    /// `recorded_at` as microseconds since the Unix epoch, when it parses.
    pub recorded_at_micros: Option<i64>,
    pub service: Option<String>,
    pub env: Option<String>,
    pub framework: Option<String>,
    pub tool_version: Option<String>,
    pub runtime_version: Option<String>,
    pub git_sha: Option<String>,
}

/// The incoming request.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Request {
    pub method: String,
    /// The path without the query string.
    pub path: String,
    pub route_template: Option<String>,
    /// Query parameters; a repeated or list-valued parameter appears once per value.
    pub query: Vec<NameValue>,
    pub headers: Vec<NameValue>,
    pub body: Option<Body>,
    pub client_ip: Option<String>,
    pub user_agent: Option<String>,
}

/// The response the service sent.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Response {
    /// HTTP status; 0 when the application crashed before responding.
    pub status: i64,
    pub duration_ms: f64,
    pub headers: Vec<NameValue>,
    pub body: Option<Body>,
}

/// What kind of dependency a call went to.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EventKind {
    HttpClient,
    DbQuery,
    Redis,
    Custom,
    /// A type this version does not know, kept by name.
    Other(String),
}

impl EventKind {
    /// Timetracer's name for the kind (`http.client`, `db.query`, `redis`, `custom`).
    pub fn as_str(&self) -> &str {
        match self {
            EventKind::HttpClient => "http.client",
            EventKind::DbQuery => "db.query",
            EventKind::Redis => "redis",
            EventKind::Custom => "custom",
            EventKind::Other(name) => name,
        }
    }

    pub fn from_name(name: &str) -> Self {
        match name {
            "http.client" => EventKind::HttpClient,
            "db.query" => EventKind::DbQuery,
            "redis" => EventKind::Redis,
            "custom" => EventKind::Custom,
            other => EventKind::Other(other.to_owned()),
        }
    }
}

/// One dependency call made while the request was served.
#[derive(Clone, Debug, PartialEq)]
pub struct Event {
    /// The recorder's sequence number (Timetracer's 1-based `eid`, in completion order).
    pub sequence: i64,
    pub kind: EventKind,
    /// Client library (`httpx`, `requests`, `sqlalchemy`, `redis`, ...).
    pub lib: String,
    /// HTTP method, SQL verb or Redis command.
    pub method: String,
    /// URL (HTTP), table (SQL), key (Redis) or `db.collection` (Mongo).
    pub target: Option<String>,
    pub query: Vec<NameValue>,
    /// Milliseconds from the start of the request to the start of the call.
    pub start_offset_ms: f64,
    pub duration_ms: f64,
    /// HTTP status, SQL row count, Redis 1/0.
    pub status: Option<i64>,
    pub headers: Vec<NameValue>,
    pub body: Option<Body>,
    pub error: Option<String>,
    pub error_type: Option<String>,
    pub headers_hash: Option<String>,
    pub body_hash: Option<String>,
    /// The whole event in the source document.
    pub node: NodeId,
}

impl Event {
    /// Whether the call failed: it raised, or answered an HTTP error status.
    pub fn is_error(&self) -> bool {
        self.error.is_some()
            || (self.kind == EventKind::HttpClient && self.status.is_some_and(|s| s >= 400))
    }
}

/// The application's exception, when one was recorded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AppError {
    pub error_type: Option<String>,
    pub message: Option<String>,
    pub traceback: Option<String>,
}

impl Cassette {
    /// Whether the exchange failed: an error status, or no response at all (status 0).
    pub fn is_error(&self) -> bool {
        self.response.status >= 400 || self.response.status == 0
    }

    /// Number of events of each kind, in order of first appearance.
    pub fn event_counts(&self) -> Vec<(&str, usize)> {
        let mut counts: Vec<(&str, usize)> = Vec::new();
        for event in &self.events {
            let name = event.kind.as_str();
            match counts.iter_mut().find(|(k, _)| *k == name) {
                Some(slot) => slot.1 += 1,
                None => counts.push((name, 1)),
            }
        }
        counts
    }
}
