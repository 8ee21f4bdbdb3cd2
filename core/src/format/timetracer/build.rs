//! Building Timetracer cassettes in memory, written exactly as Timetracer 1.6.0 writes them:
//! its key order, its rules for which keys are omitted, Python's float repr and layout.

use crate::json::{Value, encode_value};
use crate::model::{AppError, Body, Cassette, NameValue};

/// Everything a Timetracer cassette holds, as plain owned values.
#[derive(Clone, Debug, PartialEq)]
pub struct Recording {
    pub session: SessionInfo,
    pub request: RecordedRequest,
    pub response: RecordedResponse,
    pub events: Vec<RecordedEvent>,
    pub policies: Policies,
    /// `stats.total_duration_ms`: the response duration, or the elapsed time without one.
    pub total_duration_ms: f64,
    /// Written as a top-level `error_info` after `stats` (Timetracer drops it; its reader
    /// ignores unknown keys, so adding it is safe).
    pub app_error: Option<AppError>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct SessionInfo {
    pub id: String,
    pub recorded_at: String,
    pub service: String,
    pub env: String,
    pub framework: String,
    pub tool_version: String,
    pub python_version: String,
    pub git_sha: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct RecordedRequest {
    pub method: String,
    pub path: String,
    pub route_template: Option<String>,
    pub headers: Vec<NameValue>,
    /// Name to string, or to a list for repeated names.
    pub query: Vec<(String, Value)>,
    pub body: Option<RecordedBody>,
    pub client_ip: Option<String>,
    pub user_agent: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct RecordedResponse {
    pub status: i64,
    pub duration_ms: f64,
    pub headers: Vec<NameValue>,
    pub body: Option<RecordedBody>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct RecordedBody {
    pub captured: bool,
    pub encoding: Option<String>,
    pub data: Option<Value>,
    pub truncated: bool,
    pub size_bytes: Option<u64>,
    pub hash: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct RecordedEvent {
    pub eid: i64,
    pub event_type: String,
    pub start_offset_ms: f64,
    pub duration_ms: f64,
    pub lib: String,
    pub method: String,
    pub url: Option<String>,
    pub query: Vec<(String, Value)>,
    pub headers_hash: Option<String>,
    pub body_hash: Option<String>,
    pub status: Option<i64>,
    pub headers: Vec<NameValue>,
    pub body: Option<RecordedBody>,
    pub error: Option<String>,
    pub error_type: Option<String>,
}

/// The capture settings Timetracer records in `policies`.
#[derive(Clone, Debug, PartialEq)]
pub struct Policies {
    pub max_body_kb: i64,
    pub store_request_body: String,
    pub store_response_body: String,
    pub sample_rate: f64,
    pub errors_only: bool,
}

impl Policies {
    fn to_value(&self) -> Value {
        let p = self;
        Value::object([
            (
                "redaction",
                Value::object([
                    ("mode", Value::from("default")),
                    (
                        "rules",
                        Value::Array(vec![Value::from("authorization"), Value::from("cookie")]),
                    ),
                ]),
            ),
            (
                "capture",
                Value::object([
                    ("max_body_kb", Value::from(p.max_body_kb)),
                    (
                        "store_request_body",
                        Value::from(p.store_request_body.as_str()),
                    ),
                    (
                        "store_response_body",
                        Value::from(p.store_response_body.as_str()),
                    ),
                ]),
            ),
            (
                "sampling",
                Value::object([
                    ("rate", Value::from(p.sample_rate)),
                    ("errors_only", Value::from(p.errors_only)),
                ]),
            ),
        ])
    }
}

impl Policies {
    /// Reads a `policies` object; what is missing takes Timetracer's defaults.
    fn from_value(policies: Option<&Value>) -> Policies {
        let get = |group: &str, key: &str| policies.and_then(|p| p.get(group)?.get(key));
        let defaults = Policies::default();
        let text = |v: Option<&Value>| v.and_then(Value::as_str).map(str::to_owned);
        let number = |v: Option<&Value>| match v {
            Some(Value::Number(n)) => Some(n.clone()),
            _ => None,
        };
        Policies {
            max_body_kb: number(get("capture", "max_body_kb"))
                .and_then(|n| n.as_str().parse().ok())
                .unwrap_or(defaults.max_body_kb),
            store_request_body: text(get("capture", "store_request_body"))
                .unwrap_or(defaults.store_request_body),
            store_response_body: text(get("capture", "store_response_body"))
                .unwrap_or(defaults.store_response_body),
            sample_rate: number(get("sampling", "rate"))
                .and_then(|n| n.as_f64())
                .unwrap_or(defaults.sample_rate),
            errors_only: matches!(get("sampling", "errors_only"), Some(Value::Bool(true))),
        }
    }
}

impl Default for Policies {
    /// Timetracer's defaults.
    fn default() -> Self {
        Policies {
            max_body_kb: 64,
            store_request_body: String::from("on_error"),
            store_response_body: String::from("on_error"),
            sample_rate: 1.0,
            errors_only: false,
        }
    }
}

fn headers_value(headers: &[NameValue]) -> Value {
    Value::Object(
        headers
            .iter()
            .map(|(k, v)| (k.clone(), Value::from(v.as_str())))
            .collect(),
    )
}

fn push_if<T>(members: &mut Vec<(String, Value)>, key: &str, value: Option<T>)
where
    T: Into<Value>,
{
    if let Some(value) = value {
        members.push((key.to_owned(), value.into()));
    }
}

impl RecordedBody {
    fn to_value(&self) -> Value {
        let mut m = vec![(String::from("_captured"), Value::Bool(self.captured))];
        push_if(&mut m, "encoding", self.encoding.clone());
        if let Some(data) = self.data.as_ref().filter(|d| **d != Value::Null) {
            m.push((String::from("data"), data.clone()));
        }
        if self.truncated {
            m.push((String::from("truncated"), Value::Bool(true)));
        }
        push_if(&mut m, "size_bytes", self.size_bytes);
        push_if(&mut m, "hash", self.hash.clone());
        Value::Object(m)
    }
}

impl RecordedEvent {
    fn to_value(&self) -> Value {
        let mut signature = vec![
            (String::from("lib"), Value::from(self.lib.as_str())),
            (String::from("method"), Value::from(self.method.as_str())),
        ];
        push_if(
            &mut signature,
            "url",
            self.url.clone().filter(|u| !u.is_empty()),
        );
        if !self.query.is_empty() {
            signature.push((String::from("query"), Value::Object(self.query.clone())));
        }
        push_if(&mut signature, "headers_hash", self.headers_hash.clone());
        push_if(&mut signature, "body_hash", self.body_hash.clone());
        let mut result = Vec::new();
        push_if(&mut result, "status", self.status);
        if !self.headers.is_empty() {
            result.push((String::from("headers"), headers_value(&self.headers)));
        }
        if let Some(body) = &self.body {
            result.push((String::from("body"), body.to_value()));
        }
        push_if(&mut result, "error", self.error.clone());
        push_if(&mut result, "error_type", self.error_type.clone());
        Value::object([
            ("eid", Value::from(self.eid)),
            ("type", Value::from(self.event_type.as_str())),
            ("start_offset_ms", Value::from(self.start_offset_ms)),
            ("duration_ms", Value::from(self.duration_ms)),
            ("signature", Value::Object(signature)),
            ("result", Value::Object(result)),
        ])
    }
}

impl Recording {
    /// The cassette as a JSON value, in Timetracer's key order.
    pub fn to_value(&self) -> Value {
        let mut root = vec![
            (String::from("schema_version"), Value::from("1.0")),
            (String::from("session"), self.session_value()),
            (String::from("request"), self.request_value()),
            (String::from("response"), self.response_value()),
            (
                String::from("events"),
                Value::Array(self.events.iter().map(RecordedEvent::to_value).collect()),
            ),
            (String::from("policies"), self.policies.to_value()),
            (String::from("stats"), self.stats_value()),
        ];
        if let Some(error) = &self.app_error {
            let mut info = Vec::new();
            push_if(&mut info, "type", error.error_type.clone());
            push_if(&mut info, "message", error.message.clone());
            push_if(&mut info, "traceback", error.traceback.clone());
            root.push((String::from("error_info"), Value::Object(info)));
        }
        Value::Object(root)
    }

    fn session_value(&self) -> Value {
        let s = &self.session;
        Value::object([
            ("id", Value::from(s.id.as_str())),
            ("recorded_at", Value::from(s.recorded_at.as_str())),
            ("service", Value::from(s.service.as_str())),
            ("env", Value::from(s.env.as_str())),
            ("framework", Value::from(s.framework.as_str())),
            ("timetracer_version", Value::from(s.tool_version.as_str())),
            ("python_version", Value::from(s.python_version.as_str())),
            ("git_sha", Value::from(s.git_sha.clone())),
        ])
    }

    fn request_value(&self) -> Value {
        let r = &self.request;
        let mut request = vec![
            (String::from("method"), Value::from(r.method.as_str())),
            (String::from("path"), Value::from(r.path.as_str())),
        ];
        push_if(
            &mut request,
            "route_template",
            r.route_template.clone().filter(|t| !t.is_empty()),
        );
        if !r.headers.is_empty() {
            request.push((String::from("headers"), headers_value(&r.headers)));
        }
        if !r.query.is_empty() {
            request.push((String::from("query"), Value::Object(r.query.clone())));
        }
        if let Some(body) = &r.body {
            request.push((String::from("body"), body.to_value()));
        }
        push_if(&mut request, "client_ip", r.client_ip.clone());
        push_if(&mut request, "user_agent", r.user_agent.clone());
        Value::Object(request)
    }

    fn response_value(&self) -> Value {
        let res = &self.response;
        let mut response = vec![
            (String::from("status"), Value::from(res.status)),
            (String::from("duration_ms"), Value::from(res.duration_ms)),
        ];
        if !res.headers.is_empty() {
            response.push((String::from("headers"), headers_value(&res.headers)));
        }
        if let Some(body) = &res.body {
            response.push((String::from("body"), body.to_value()));
        }
        Value::Object(response)
    }

    fn stats_value(&self) -> Value {
        let mut counts: Vec<(String, Value)> = Vec::new();
        for event in &self.events {
            match counts.iter_mut().find(|(k, _)| *k == event.event_type) {
                Some((_, Value::Number(n))) => {
                    let next = n.as_str().parse::<i64>().unwrap_or(0) + 1;
                    *n = next.into();
                }
                _ => counts.push((event.event_type.clone(), Value::from(1i64))),
            }
        }
        Value::object([
            ("event_counts", Value::Object(counts)),
            (
                "total_events",
                Value::from(i64::try_from(self.events.len()).unwrap_or(i64::MAX)),
            ),
            ("total_duration_ms", Value::from(self.total_duration_ms)),
        ])
    }

    /// The cassette's bytes, as Timetracer writes them.
    pub fn encode(&self) -> Vec<u8> {
        encode_value(&self.to_value())
    }

    /// The recording behind a decoded Timetracer cassette (unknown fields are not carried:
    /// to keep them, encode the cassette's document instead).
    pub fn from_cassette(cassette: &Cassette) -> Recording {
        let doc = &cassette.document;
        let root = doc.root();
        let node_value = |path: &[&str]| {
            let mut node = Some(root);
            for key in path {
                node = node.and_then(|n| n.get(key));
            }
            node.map(|n| n.to_value())
        };
        let object_pairs = |value: Option<Value>| match value {
            Some(Value::Object(members)) => members,
            _ => Vec::new(),
        };
        let body = |body: &Option<Body>| {
            body.as_ref().map(|b| RecordedBody {
                captured: b.captured,
                encoding: (b.encoding.as_str() != "").then(|| b.encoding.as_str().to_owned()),
                data: b.data.and_then(|id| doc.node(id)).map(|n| n.to_value()),
                truncated: b.truncated,
                size_bytes: b.size_bytes,
                hash: b.hash.clone(),
            })
        };
        let m = &cassette.meta;
        Recording {
            session: SessionInfo {
                id: m.session_id.clone(),
                recorded_at: m.recorded_at.clone(),
                service: m.service.clone().unwrap_or_default(),
                env: m.env.clone().unwrap_or_default(),
                framework: m.framework.clone().unwrap_or_default(),
                tool_version: m.tool_version.clone().unwrap_or_default(),
                python_version: m.runtime_version.clone().unwrap_or_default(),
                git_sha: m.git_sha.clone(),
            },
            request: RecordedRequest {
                method: cassette.request.method.clone(),
                path: cassette.request.path.clone(),
                route_template: cassette.request.route_template.clone(),
                headers: cassette.request.headers.clone(),
                query: object_pairs(node_value(&["request", "query"])),
                body: body(&cassette.request.body),
                client_ip: cassette.request.client_ip.clone(),
                user_agent: cassette.request.user_agent.clone(),
            },
            response: RecordedResponse {
                status: cassette.response.status,
                duration_ms: cassette.response.duration_ms,
                headers: cassette.response.headers.clone(),
                body: body(&cassette.response.body),
            },
            events: cassette
                .events
                .iter()
                .map(|e| {
                    let node = doc.node(e.node);
                    let query = node
                        .and_then(|n| n.get("signature")?.get("query"))
                        .map(|q| q.to_value());
                    RecordedEvent {
                        eid: e.sequence,
                        event_type: e.kind.as_str().to_owned(),
                        start_offset_ms: e.start_offset_ms,
                        duration_ms: e.duration_ms,
                        lib: e.lib.clone(),
                        method: e.method.clone(),
                        url: e.target.clone(),
                        query: object_pairs(query),
                        headers_hash: e.headers_hash.clone(),
                        body_hash: e.body_hash.clone(),
                        status: e.status,
                        headers: e.headers.clone(),
                        body: body(&e.body),
                        error: e.error.clone(),
                        error_type: e.error_type.clone(),
                    }
                })
                .collect(),
            policies: Policies::from_value(node_value(&["policies"]).as_ref()),
            total_duration_ms: match node_value(&["stats", "total_duration_ms"]) {
                Some(Value::Number(n)) => n.as_f64().unwrap_or(cassette.response.duration_ms),
                _ => cassette.response.duration_ms,
            },
            app_error: cassette.app_error.clone(),
        }
    }
}
