//! One small struct per matching criterion (wiremock's shape), each reporting what differed
//! (httpmock's diagnostics) and a weight, so a miss can name the closest recording.

use std::fmt;
use std::fmt::Write as _;

use super::hash::{self, HEADER_ALLOW_LIST};
use super::url::split_url;
use super::{Call, RecordedCall};
use crate::json::{Document, Value};

/// Which part of a call differed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Field {
    /// The event type (`http.client`, `redis`, ...).
    Type,
    Method,
    /// The URL path (or the whole target of a non-HTTP event).
    Url,
    /// Scheme, host and port of the URL.
    Host,
    Query,
    /// The allow-listed request headers (their `headers_hash`).
    Headers,
    /// The request body's hash.
    BodyHash,
    /// The request body compared as JSON.
    JsonBody,
}

impl Field {
    /// The field's name in diagnoses (`type`, `method`, `url`, `host`, `query`, ...).
    pub fn name(self) -> &'static str {
        match self {
            Field::Type => "type",
            Field::Method => "method",
            Field::Url => "url",
            Field::Host => "host",
            Field::Query => "query",
            Field::Headers => "headers",
            Field::BodyHash => "body_hash",
            Field::JsonBody => "json_body",
        }
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One difference between a live call and a recorded one. `expected` is what the recording
/// holds; `actual` describes the live call without echoing its body (bodies are shown as
/// hashes or JSON paths only) or the values of secret-looking query parameters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mismatch {
    pub field: Field,
    pub expected: String,
    pub actual: String,
    /// Extra explanation (which query names differ, which JSON paths, a hint).
    pub note: Option<String>,
}

impl Mismatch {
    fn new(field: Field, expected: impl Into<String>, actual: impl Into<String>) -> Self {
        Mismatch {
            field,
            expected: expected.into(),
            actual: actual.into(),
            note: None,
        }
    }

    fn with_note(mut self, note: impl Into<String>) -> Self {
        self.note = Some(note.into());
        self
    }
}

/// One matching criterion. `mismatches` pushes nothing when the call matches the recording on
/// this criterion; `weight` says how far apart a mismatch on it puts two calls.
pub trait Matcher: fmt::Debug + Send + Sync {
    /// A short name (`method`, `url`, ...), used in option lists.
    fn name(&self) -> &'static str;
    /// Distance added for each mismatch this criterion reports.
    fn weight(&self) -> u32;
    /// Pushes every difference between the live call and the recorded one.
    fn mismatches(&self, call: &Call, recorded: &RecordedCall, out: &mut Vec<Mismatch>);
}

/// The event type must be the same (`http.client`, `redis`, `db.query`).
#[derive(Clone, Copy, Debug, Default)]
pub struct KindMatcher;

impl Matcher for KindMatcher {
    fn name(&self) -> &'static str {
        "type"
    }
    fn weight(&self) -> u32 {
        1_000
    }
    fn mismatches(&self, call: &Call, recorded: &RecordedCall, out: &mut Vec<Mismatch>) {
        if call.kind != recorded.kind {
            out.push(Mismatch::new(
                Field::Type,
                recorded.kind.as_str(),
                call.kind.as_str(),
            ));
        }
    }
}

/// The method (HTTP method, SQL verb, Redis command) must be the same, ignoring ASCII case.
#[derive(Clone, Copy, Debug, Default)]
pub struct MethodMatcher;

impl Matcher for MethodMatcher {
    fn name(&self) -> &'static str {
        "method"
    }
    fn weight(&self) -> u32 {
        8
    }
    fn mismatches(&self, call: &Call, recorded: &RecordedCall, out: &mut Vec<Mismatch>) {
        if !call.method.eq_ignore_ascii_case(&recorded.method) {
            out.push(Mismatch::new(Field::Method, &recorded.method, &call.method));
        }
    }
}

/// The URL path without the query must be the same (exact string equality, as Timetracer).
#[derive(Clone, Copy, Debug, Default)]
pub struct PathMatcher;

impl Matcher for PathMatcher {
    fn name(&self) -> &'static str {
        "url"
    }
    fn weight(&self) -> u32 {
        16
    }
    fn mismatches(&self, call: &Call, recorded: &RecordedCall, out: &mut Vec<Mismatch>) {
        if split_url(&call.url).path != split_url(&recorded.url).path {
            out.push(Mismatch::new(
                Field::Url,
                &recorded.url,
                super::url::strip_query(&call.url).0,
            ));
        }
    }
}

/// Scheme, host and port must be the same, when the live call names them: a call sent to the
/// mock as a plain path (`/users/42`, base-URL mode) has no origin and matches any.
/// Leave this matcher out (`ignore_host`) so a moved upstream still matches.
#[derive(Clone, Copy, Debug, Default)]
pub struct HostMatcher;

impl Matcher for HostMatcher {
    fn name(&self) -> &'static str {
        "host"
    }
    fn weight(&self) -> u32 {
        4
    }
    fn mismatches(&self, call: &Call, recorded: &RecordedCall, out: &mut Vec<Mismatch>) {
        let actual = split_url(&call.url).origin;
        let expected = split_url(&recorded.url).origin;
        if !actual.is_empty() && !actual.eq_ignore_ascii_case(expected) {
            out.push(
                Mismatch::new(
                    Field::Host,
                    super::url::strip_query(&recorded.url).0,
                    super::url::strip_query(&call.url).0,
                )
                .with_note(
                    "scheme, host or port differ (the upstream moved): ignore the host to match anyway",
                ),
            );
        }
    }
}

/// The query must hold the same name/value pairs, in any order, repeated names included.
#[derive(Clone, Copy, Debug, Default)]
pub struct QueryMatcher;

impl Matcher for QueryMatcher {
    fn name(&self) -> &'static str {
        "query"
    }
    fn weight(&self) -> u32 {
        4
    }
    fn mismatches(&self, call: &Call, recorded: &RecordedCall, out: &mut Vec<Mismatch>) {
        let mut actual: Vec<(&str, &str)> = call
            .query
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        actual.sort_unstable();
        let expected: Vec<(&str, &str)> = recorded
            .query
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        if actual == expected {
            return;
        }
        let mut names: Vec<&str> = actual
            .iter()
            .chain(expected.iter())
            .map(|(k, _)| *k)
            .collect();
        names.sort_unstable();
        names.dedup();
        // One mismatch per differing parameter, so a call missing one parameter is nearer than
        // one missing three.
        for name in names {
            let a: Vec<(&str, &str)> = actual.iter().filter(|(k, _)| *k == name).copied().collect();
            let e: Vec<(&str, &str)> = expected
                .iter()
                .filter(|(k, _)| *k == name)
                .copied()
                .collect();
            if a == e {
                continue;
            }
            let shown = |pairs: &[(&str, &str)], hide: bool| {
                if pairs.is_empty() {
                    String::from("(absent)")
                } else {
                    query_text(pairs, hide)
                }
            };
            out.push(
                Mismatch::new(Field::Query, shown(&e, false), shown(&a, true))
                    .with_note(format!("parameter {}", hash::str_repr(name))),
            );
        }
    }
}

/// `{'q': 'item20', 'tag': ['a', 'b']}`, Timetracer's way of printing a query. Live values of
/// secret-looking names are hidden; recorded ones are shown (the recording already holds them).
fn query_text(pairs: &[(&str, &str)], hide_secrets: bool) -> String {
    let owned: Vec<(String, String)> = pairs
        .iter()
        .map(|(k, v)| {
            let v = if hide_secrets && super::report::is_secret_name(k) {
                "[hidden]"
            } else {
                v
            };
            ((*k).to_owned(), v.to_owned())
        })
        .collect();
    super::report::query_repr(&owned)
}

/// The allow-listed request headers must hash to the recorded `headers_hash`. Timetracer keeps
/// only that hash of outbound request headers, so this compares the subset of headers it
/// hashed: by default its own allow-list; a narrower list only matches recordings whose
/// hashed headers were exactly those.
#[derive(Clone, Debug)]
pub struct HeadersMatcher {
    allow_list: Vec<String>,
}

impl HeadersMatcher {
    pub fn new(allow_list: impl IntoIterator<Item = impl Into<String>>) -> Self {
        HeadersMatcher {
            allow_list: allow_list.into_iter().map(Into::into).collect(),
        }
    }
}

impl Default for HeadersMatcher {
    fn default() -> Self {
        HeadersMatcher::new(HEADER_ALLOW_LIST)
    }
}

impl Matcher for HeadersMatcher {
    fn name(&self) -> &'static str {
        "headers"
    }
    fn weight(&self) -> u32 {
        2
    }
    fn mismatches(&self, call: &Call, recorded: &RecordedCall, out: &mut Vec<Mismatch>) {
        let allow: Vec<&str> = self.allow_list.iter().map(String::as_str).collect();
        let actual = hash::headers_hash(&call.headers, &allow);
        if actual.as_deref() == recorded.headers_hash.as_deref() {
            return;
        }
        let mut names: Vec<&str> = call
            .headers
            .iter()
            .map(|(k, _)| k.as_str())
            .filter(|k| allow.iter().any(|a| a.eq_ignore_ascii_case(k)))
            .collect();
        names.sort_unstable();
        names.dedup();
        out.push(
            Mismatch::new(
                Field::Headers,
                recorded.headers_hash.as_deref().unwrap_or("None"),
                actual.as_deref().unwrap_or("None"),
            )
            .with_note(format!("hashed headers sent: {}", names.join(", "))),
        );
    }
}

/// The request body must hash to the recorded `body_hash` (Timetracer's `hash_body` over the
/// raw bytes; a JSON body also matches the canonical sorted-key form its requests plugin
/// hashes for `json=`). No body matches no recorded hash.
#[derive(Clone, Copy, Debug, Default)]
pub struct BodyHashMatcher;

impl Matcher for BodyHashMatcher {
    fn name(&self) -> &'static str {
        "body"
    }
    fn weight(&self) -> u32 {
        3
    }
    fn mismatches(&self, call: &Call, recorded: &RecordedCall, out: &mut Vec<Mismatch>) {
        let expected = recorded.body_hash.as_deref();
        let candidates = body_hash_candidates(&call.body);
        let matched = match expected {
            None => call.body.is_empty(),
            Some(e) => candidates.iter().any(|c| c == e),
        };
        if !matched {
            out.push(Mismatch::new(
                Field::BodyHash,
                expected.unwrap_or("None"),
                candidates.first().map_or("None", String::as_str),
            ));
        }
    }
}

/// The hashes a recorder may have written for this body: raw bytes, then (for JSON) the
/// canonical compact form and aiohttp's `json.dumps(sort_keys=True)` form.
fn body_hash_candidates(body: &[u8]) -> Vec<String> {
    if body.is_empty() {
        return Vec::new();
    }
    let mut out = vec![hash::hash_bytes(body)];
    if let Some(value) = parse_json(body) {
        out.push(hash::hash_json(&value));
        out.push(hash::hash_bytes(&hash::python_json_dumps(
            &value.collapse_duplicate_keys(),
            true,
        )));
    }
    out
}

fn parse_json(body: &[u8]) -> Option<Value> {
    Document::parse(body).ok().map(|doc| doc.root().to_value())
}

/// The request body compared as JSON: key order ignored, listed JSON paths ignored. Compares
/// values when the recording kept the request body (Tapedeck's recorder can keep it under
/// `signature.body`); Timetracer keeps only a hash, so then the canonical form is hashed and
/// compared, and ignored paths cannot apply (the note says so).
#[derive(Clone, Debug, Default)]
pub struct JsonBodyMatcher {
    ignored: Vec<JsonPath>,
}

impl JsonBodyMatcher {
    pub fn new(ignored: Vec<JsonPath>) -> Self {
        JsonBodyMatcher { ignored }
    }
}

impl Matcher for JsonBodyMatcher {
    fn name(&self) -> &'static str {
        "json-body"
    }
    fn weight(&self) -> u32 {
        3
    }
    fn mismatches(&self, call: &Call, recorded: &RecordedCall, out: &mut Vec<Mismatch>) {
        let actual = if call.body.is_empty() {
            None
        } else {
            let Some(value) = parse_json(&call.body) else {
                out.push(Mismatch::new(
                    Field::JsonBody,
                    "a JSON body",
                    "a body that is not JSON",
                ));
                return;
            };
            Some(value.collapse_duplicate_keys())
        };
        if let Some(expected) = &recorded.request_body {
            let mut expected = expected.clone().collapse_duplicate_keys();
            let mut actual = actual.unwrap_or(Value::Null);
            for path in &self.ignored {
                path.remove(&mut expected);
                path.remove(&mut actual);
            }
            let mut paths = Vec::new();
            diff_paths(&expected, &actual, &mut String::from("$"), &mut paths);
            if !paths.is_empty() {
                let shown = paths.len().min(10);
                let mut note = paths[..shown].join(", ");
                if paths.len() > shown {
                    let _ = write!(note, " and {} more", paths.len() - shown);
                }
                out.push(
                    Mismatch::new(
                        Field::JsonBody,
                        hash::hash_json(&expected),
                        hash::hash_json(&actual),
                    )
                    .with_note(format!("differing JSON paths: {note}")),
                );
            }
            return;
        }
        let expected = recorded.body_hash.as_deref();
        let actual_hash = actual.as_ref().map(hash::hash_json);
        let matched = match (expected, &actual) {
            (None, None) => true,
            (Some(e), Some(_)) => body_hash_candidates(&call.body).iter().any(|c| c == e),
            _ => false,
        };
        if !matched {
            let mut m = Mismatch::new(
                Field::JsonBody,
                expected.unwrap_or("None"),
                actual_hash.as_deref().unwrap_or("None"),
            );
            if !self.ignored.is_empty() {
                m = m.with_note(
                    "the recording keeps only a hash of the request body: ignored JSON paths cannot apply",
                );
            }
            out.push(m);
        }
    }
}

/// Pushes the JSON paths where two values differ (objects compared by key, ignoring order).
fn diff_paths(expected: &Value, actual: &Value, path: &mut String, out: &mut Vec<String>) {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            let mut keys: Vec<&str> = e.iter().chain(a.iter()).map(|(k, _)| k.as_str()).collect();
            keys.sort_unstable();
            keys.dedup();
            for key in keys {
                let len = path.len();
                path.push('.');
                path.push_str(key);
                match (expected.get(key), actual.get(key)) {
                    (Some(x), Some(y)) => diff_paths(x, y, path, out),
                    _ => out.push(path.clone()),
                }
                path.truncate(len);
            }
        }
        (Value::Array(e), Value::Array(a)) => {
            for i in 0..e.len().max(a.len()) {
                let len = path.len();
                let _ = write!(path, "[{i}]");
                match (e.get(i), a.get(i)) {
                    (Some(x), Some(y)) => diff_paths(x, y, path, out),
                    _ => out.push(path.clone()),
                }
                path.truncate(len);
            }
        }
        (Value::Number(x), Value::Number(y)) => {
            if x != y && x.as_f64() != y.as_f64() {
                out.push(path.clone());
            }
        }
        (x, y) => {
            if x != y {
                out.push(path.clone());
            }
        }
    }
}

/// A JSON path to ignore: `$.a.b`, `$.items[*].id`, `$.list[0]` (`$.` optional).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JsonPath {
    segments: Vec<Segment>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Segment {
    Key(String),
    Index(usize),
    AnyIndex,
}

impl JsonPath {
    /// Parses a path; `None` when it is empty or malformed.
    pub fn parse(text: &str) -> Option<JsonPath> {
        let text = text.trim();
        let text = text.strip_prefix('$').unwrap_or(text);
        let mut segments = Vec::new();
        let mut rest = text;
        while !rest.is_empty() {
            if let Some(after) = rest.strip_prefix('[') {
                let (inside, tail) = after.split_once(']')?;
                segments.push(if inside == "*" {
                    Segment::AnyIndex
                } else {
                    Segment::Index(inside.parse().ok()?)
                });
                rest = tail;
            } else {
                let body = rest.strip_prefix('.').unwrap_or(rest);
                let end = body.find(['.', '[']).unwrap_or(body.len());
                let (key, tail) = body.split_at(end);
                if key.is_empty() {
                    return None;
                }
                segments.push(Segment::Key(key.to_owned()));
                rest = tail;
            }
        }
        (!segments.is_empty()).then_some(JsonPath { segments })
    }

    /// Removes every value at this path from `value`.
    pub fn remove(&self, value: &mut Value) {
        remove_at(value, &self.segments);
    }
}

fn remove_at(value: &mut Value, segments: &[Segment]) {
    let Some((first, rest)) = segments.split_first() else {
        return;
    };
    match (first, value) {
        (Segment::Key(key), Value::Object(members)) => {
            if rest.is_empty() {
                members.retain(|(k, _)| k != key);
            } else {
                for (_, v) in members.iter_mut().filter(|(k, _)| k == key) {
                    remove_at(v, rest);
                }
            }
        }
        (Segment::Index(i), Value::Array(items)) => {
            if rest.is_empty() {
                if *i < items.len() {
                    items.remove(*i);
                }
            } else if let Some(v) = items.get_mut(*i) {
                remove_at(v, rest);
            }
        }
        (Segment::AnyIndex, Value::Array(items)) => {
            if rest.is_empty() {
                items.clear();
            } else {
                for v in items {
                    remove_at(v, rest);
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::EventKind;

    fn recorded(method: &str, url: &str) -> RecordedCall {
        RecordedCall {
            kind: EventKind::HttpClient,
            method: method.to_owned(),
            url: url.to_owned(),
            ..RecordedCall::default()
        }
    }

    fn run(m: &dyn Matcher, call: &Call, rec: &RecordedCall) -> Vec<Mismatch> {
        let mut out = Vec::new();
        m.mismatches(call, rec, &mut out);
        out
    }

    #[test]
    fn kind_matcher_reports_both_types() {
        let mut rec = recorded("GET", "k");
        rec.kind = EventKind::Redis;
        let out = run(&KindMatcher, &Call::http("GET", "http://h/x"), &rec);
        assert_eq!(out[0].expected, "redis");
        assert_eq!(out[0].actual, "http.client");
    }

    #[test]
    fn method_matcher_ignores_case() {
        let rec = recorded("GET", "http://h/x");
        assert!(run(&MethodMatcher, &Call::http("get", "http://h/x"), &rec).is_empty());
        assert_eq!(
            run(&MethodMatcher, &Call::http("POST", "http://h/x"), &rec)[0].field,
            Field::Method
        );
    }

    #[test]
    fn path_matcher_ignores_query_and_origin_but_not_path() {
        let rec = recorded("GET", "http://127.0.0.1:18080/users/42");
        assert!(run(&PathMatcher, &Call::http("GET", "/users/42?x=1"), &rec).is_empty());
        assert!(
            run(
                &PathMatcher,
                &Call::http("GET", "http://other:1/users/42"),
                &rec
            )
            .is_empty()
        );
        let out = run(&PathMatcher, &Call::http("GET", "/users/43"), &rec);
        assert_eq!(out[0].expected, "http://127.0.0.1:18080/users/42");
        assert_eq!(out[0].actual, "/users/43");
    }

    #[test]
    fn host_matcher_only_checks_absolute_calls() {
        let rec = recorded("GET", "http://127.0.0.1:18080/users/42");
        assert!(run(&HostMatcher, &Call::http("GET", "/users/42"), &rec).is_empty());
        let out = run(
            &HostMatcher,
            &Call::http("GET", "http://127.0.0.1:18280/users/42"),
            &rec,
        );
        assert_eq!(out[0].expected, "http://127.0.0.1:18080/users/42");
        assert_eq!(out[0].actual, "http://127.0.0.1:18280/users/42");
    }

    #[test]
    fn query_matcher_is_order_insensitive_and_counts_repeats() {
        let mut rec = recorded("GET", "http://h/search");
        rec.query = vec![
            ("q".into(), "dup".into()),
            ("tag".into(), "a".into()),
            ("tag".into(), "b".into()),
        ];
        rec.query.sort();
        let same = Call::http("GET", "/search?tag=b&q=dup&tag=a");
        assert!(run(&QueryMatcher, &same, &rec).is_empty());
        let fewer = Call::http("GET", "/search?tag=b&q=dup&api_key=SECRET");
        let out = run(&QueryMatcher, &fewer, &rec);
        assert_eq!(out.len(), 2);
        assert_eq!(out[0].note.as_deref(), Some("parameter 'api_key'"));
        assert_eq!(out[0].expected, "(absent)");
        assert_eq!(out[0].actual, "{'api_key': '[hidden]'}");
        assert_eq!(out[1].expected, "{'tag': ['a', 'b']}");
        assert_eq!(out[1].actual, "{'tag': 'b'}");
    }

    #[test]
    fn headers_matcher_compares_the_timetracer_hash() {
        let mut rec = recorded("GET", "http://h/x");
        rec.headers_hash =
            Some("sha256:9dfecf4c3d70022cfd9b5f20063e404a7e5591df7843cf6f59bf49d176e1f86c".into());
        let mut call = Call::http("GET", "/x");
        call.headers = vec![
            ("accept".into(), "*/*".into()),
            ("user-agent".into(), "python-httpx/0.28.1".into()),
            ("authorization".into(), "Bearer s3cret".into()),
        ];
        assert!(run(&HeadersMatcher::default(), &call, &rec).is_empty());
        call.headers[1].1 = "curl/8".into();
        let out = run(&HeadersMatcher::default(), &call, &rec);
        assert_eq!(out[0].field, Field::Headers);
        assert!(
            !out[0]
                .note
                .as_deref()
                .unwrap_or("")
                .contains("authorization")
        );
    }

    #[test]
    fn body_hash_matcher_accepts_raw_and_canonical_json() {
        let mut rec = recorded("POST", "http://h/x");
        let mut call = Call::http("POST", "/x");
        assert!(run(&BodyHashMatcher, &call, &rec).is_empty());
        call.body = br#"{"b": 1, "a": 2}"#.to_vec();
        assert_eq!(run(&BodyHashMatcher, &call, &rec)[0].expected, "None");
        rec.body_hash = Some(hash::hash_bytes(&call.body));
        assert!(run(&BodyHashMatcher, &call, &rec).is_empty());
        rec.body_hash = Some(hash::hash_bytes(br#"{"a":2,"b":1}"#));
        assert!(run(&BodyHashMatcher, &call, &rec).is_empty());
        call.body = br#"{"a": 3}"#.to_vec();
        assert_eq!(run(&BodyHashMatcher, &call, &rec).len(), 1);
    }

    #[test]
    fn json_body_matcher_ignores_key_order_and_listed_paths() {
        let mut rec = recorded("POST", "http://h/x");
        rec.request_body = Some(
            Document::parse(br#"{"a": 1, "b": {"ts": 5, "id": 7}, "items": [{"n": 1, "at": 2}]}"#)
                .unwrap()
                .root()
                .to_value(),
        );
        let mut call = Call::http("POST", "/x");
        call.body = br#"{"items": [{"at": 9, "n": 1}], "b": {"id": 7, "ts": 6}, "a": 1}"#.to_vec();
        let out = run(&JsonBodyMatcher::default(), &call, &rec);
        assert_eq!(
            out[0].note.as_deref(),
            Some("differing JSON paths: $.b.ts, $.items[0].at")
        );
        let ignoring = JsonBodyMatcher::new(vec![
            JsonPath::parse("$.b.ts").unwrap(),
            JsonPath::parse("items[*].at").unwrap(),
        ]);
        assert!(run(&ignoring, &call, &rec).is_empty());
    }

    #[test]
    fn json_body_matcher_falls_back_to_the_canonical_hash() {
        let mut rec = recorded("POST", "http://h/x");
        rec.body_hash = Some(hash::hash_bytes(br#"{"a":2,"b":1}"#));
        let mut call = Call::http("POST", "/x");
        call.body = br#"{"b": 1, "a": 2}"#.to_vec();
        assert!(run(&JsonBodyMatcher::default(), &call, &rec).is_empty());
        call.body = b"not json".to_vec();
        assert_eq!(
            run(&JsonBodyMatcher::default(), &call, &rec)[0].actual,
            "a body that is not JSON"
        );
    }

    #[test]
    fn json_paths_parse_and_reject_malformed() {
        assert!(JsonPath::parse("$.a[0].b").is_some());
        assert!(JsonPath::parse("$").is_none());
        assert!(JsonPath::parse("a[x]").is_none());
        assert!(JsonPath::parse("a..b").is_none());
    }
}
