//! Timetracer cassettes (schema `0.1` and `1.0`): reading into the model, and building new
//! cassettes exactly as Timetracer 1.6.0 writes them (see [`build`]).
//!
//! Reading is as tolerant as Timetracer's own reader (the same required fields, everything else
//! optional), but collects every problem instead of stopping at the first, so `validate` can
//! list them all.

pub mod build;
pub(crate) mod path;

use std::borrow::Cow;

use path::JsonPath;

use crate::error::{DecodeError, Location, Problem, ProblemKind, Severity, kind_name};
use crate::format::Decoded;
use crate::json::{Document, Kind, Node};
use crate::model::{
    AppError, Body, BodyEncoding, Cassette, Event, EventKind, Format, Meta, NameValue, Request,
    Response, parse_timestamp_micros,
};

/// Reads a parsed Timetracer document into the model.
pub(crate) fn read(
    name: &str,
    document: Document<'static>,
    compressed: bool,
) -> Result<Decoded, DecodeError> {
    let mut reader = Reader {
        doc: &document,
        problems: Vec::new(),
    };
    let parts = reader.cassette();
    let problems = reader.problems;
    let has_error = problems.iter().any(|p| p.severity == Severity::Error);
    match parts {
        Some((meta, request, response, events, app_error)) if !has_error => Ok(Decoded {
            cassette: Cassette {
                name: name.to_owned(),
                format: Format::Timetracer,
                compressed,
                entry: None,
                syntax: crate::model::Syntax::Json,
                has_timings: true,
                phases: Vec::new(),
                document,
                meta,
                request,
                response,
                events,
                app_error,
            },
            warnings: problems,
        }),
        _ => Err(DecodeError {
            file: name.to_owned(),
            problems,
        }),
    }
}

type Parts = (Meta, Request, Response, Vec<Event>, Option<AppError>);

struct Reader<'d> {
    doc: &'d Document<'d>,
    problems: Vec<Problem>,
}

impl<'d> Reader<'d> {
    fn report(&mut self, severity: Severity, at: Node<'d>, path: &JsonPath<'_>, kind: ProblemKind) {
        let (line, column) = self.doc.line_column(at.span().start);
        self.problems.push(Problem {
            severity,
            location: Location {
                json_path: path.render(),
                line,
                column,
            },
            kind,
        });
    }

    /// A member of `parent` of the given kind. Missing is an error when `required`; a wrong
    /// kind is always an error. `null` counts as missing for optional members.
    fn member(
        &mut self,
        parent: Node<'d>,
        path: &JsonPath<'_>,
        key: &'static str,
        kind: Kind,
        required: bool,
    ) -> Option<Node<'d>> {
        let Some(node) = parent.get(key) else {
            if required {
                self.report(Severity::Error, parent, path, ProblemKind::Missing(key));
            }
            return None;
        };
        if node.kind() == kind {
            return Some(node);
        }
        if node.is_null() && !required {
            return None;
        }
        let expected = kind_name(kind);
        self.report(
            Severity::Error,
            node,
            &path.key(key),
            ProblemKind::WrongType {
                expected,
                found: kind_name(node.kind()),
            },
        );
        None
    }

    fn string(
        &mut self,
        parent: Node<'d>,
        path: &JsonPath<'_>,
        key: &'static str,
        required: bool,
    ) -> Option<String> {
        self.member(parent, path, key, Kind::String, required)
            .and_then(|n| n.as_str())
            .map(Cow::into_owned)
    }

    fn number(
        &mut self,
        parent: Node<'d>,
        path: &JsonPath<'_>,
        key: &'static str,
        required: bool,
    ) -> Option<f64> {
        self.member(parent, path, key, Kind::Number, required)
            .and_then(|n| n.as_f64())
    }

    fn integer(
        &mut self,
        parent: Node<'d>,
        path: &JsonPath<'_>,
        key: &'static str,
        required: bool,
    ) -> Option<i64> {
        let node = self.member(parent, path, key, Kind::Number, required)?;
        if let Some(value) = node.as_i64() {
            return Some(value);
        }
        self.report(
            Severity::Error,
            node,
            &path.key(key),
            ProblemKind::WrongType {
                expected: "an integer",
                found: "another number",
            },
        );
        None
    }

    fn cassette(&mut self) -> Option<Parts> {
        let root = self.doc.root();
        let path = JsonPath::root();
        if root.kind() != Kind::Object {
            self.report(
                Severity::Error,
                root,
                &path,
                ProblemKind::WrongType {
                    expected: "an object",
                    found: kind_name(root.kind()),
                },
            );
            return None;
        }
        let schema_version = self.string(root, &path, "schema_version", true);
        if let Some(version) = &schema_version
            && version != "1.0"
            && version != "0.1"
            && let Some(node) = root.get("schema_version")
        {
            self.report(
                Severity::Error,
                node,
                &path.key("schema_version"),
                ProblemKind::UnsupportedSchema,
            );
        }
        let session = self.member(root, &path, "session", Kind::Object, true);
        let request = self.member(root, &path, "request", Kind::Object, true);
        let response = self.member(root, &path, "response", Kind::Object, true);
        let events = self.member(root, &path, "events", Kind::Array, false);
        self.member(root, &path, "policies", Kind::Object, false);
        let stats = self.member(root, &path, "stats", Kind::Object, false);

        let meta = session.map(|s| self.meta(s, &path.key("session"), schema_version.clone()));
        let request = request.map(|r| self.request(r, &path.key("request")));
        let response = response.map(|r| self.response(r, &path.key("response")));
        let events_path = path.key("events");
        let events: Vec<Event> = events
            .map(|list| {
                list.elements()
                    .enumerate()
                    .filter_map(|(i, e)| self.event(e, &events_path.index(i), i))
                    .collect()
            })
            .unwrap_or_default();
        // Counts are only worth checking when every event could be read.
        let events_ok = !self.problems.iter().any(|p| p.severity == Severity::Error);
        if let (Some(stats), Some(list), true) = (stats, root.get("events"), events_ok) {
            self.check_stats(stats, &path.key("stats"), list.len(), &events);
        }
        let app_error = self
            .member(root, &path, "error_info", Kind::Object, false)
            .map(|e| {
                let p = path.key("error_info");
                AppError {
                    error_type: self.string(e, &p, "type", false),
                    message: self.string(e, &p, "message", false),
                    traceback: self.string(e, &p, "traceback", false),
                }
            });
        Some((meta?, request?, response?, events, app_error))
    }

    fn meta(&mut self, session: Node<'d>, path: &JsonPath<'_>, schema: Option<String>) -> Meta {
        let recorded_at = self
            .string(session, path, "recorded_at", true)
            .unwrap_or_default();
        let recorded_at_micros = parse_timestamp_micros(&recorded_at);
        if recorded_at_micros.is_none()
            && let Some(node) = session
                .get("recorded_at")
                .filter(|n| n.kind() == Kind::String)
        {
            self.report(
                Severity::Warning,
                node,
                &path.key("recorded_at"),
                ProblemKind::MalformedTimestamp,
            );
        }
        let tool_version = match session.get("timetracer_version") {
            Some(_) => self.string(session, path, "timetracer_version", false),
            None => self.string(session, path, "timetrace_version", false),
        };
        Meta {
            schema_version: schema.unwrap_or_default(),
            session_id: self.string(session, path, "id", true).unwrap_or_default(),
            recorded_at,
            recorded_at_micros,
            service: self.string(session, path, "service", false),
            env: self.string(session, path, "env", false),
            framework: self.string(session, path, "framework", false),
            tool_version,
            runtime_version: self.string(session, path, "python_version", false),
            git_sha: self.string(session, path, "git_sha", false),
        }
    }

    fn request(&mut self, request: Node<'d>, path: &JsonPath<'_>) -> Request {
        Request {
            method: self
                .string(request, path, "method", true)
                .unwrap_or_default(),
            path: self.string(request, path, "path", true).unwrap_or_default(),
            route_template: self.string(request, path, "route_template", false),
            query: self.query(request, path),
            headers: self.headers(request, path),
            body: self.body(request, path),
            client_ip: self.string(request, path, "client_ip", false),
            user_agent: self.string(request, path, "user_agent", false),
        }
    }

    fn response(&mut self, response: Node<'d>, path: &JsonPath<'_>) -> Response {
        let status = self.integer(response, path, "status", true).unwrap_or(0);
        Response {
            status,
            duration_ms: self
                .number(response, path, "duration_ms", false)
                .unwrap_or(0.0),
            headers: self.headers(response, path),
            body: self.body(response, path),
        }
    }

    /// `query` maps names to a string, a number or a list of them; lists become repeated pairs.
    fn query(&mut self, parent: Node<'d>, path: &JsonPath<'_>) -> Vec<NameValue> {
        let Some(query) = self.member(parent, path, "query", Kind::Object, false) else {
            return Vec::new();
        };
        let mut out = Vec::with_capacity(query.len());
        for (key, value) in query.members() {
            let name = key.as_str().unwrap_or_default().into_owned();
            match value.kind() {
                Kind::Array => {
                    for item in value.elements() {
                        out.push((name.clone(), scalar_text(item)));
                    }
                }
                _ => out.push((name, scalar_text(value))),
            }
        }
        out
    }

    fn headers(&mut self, parent: Node<'d>, path: &JsonPath<'_>) -> Vec<NameValue> {
        let Some(headers) = self.member(parent, path, "headers", Kind::Object, false) else {
            return Vec::new();
        };
        let headers_path = path.key("headers");
        let mut out = Vec::with_capacity(headers.len());
        for (key, value) in headers.members() {
            let name = key.as_str().unwrap_or_default().into_owned();
            if value.kind() != Kind::String {
                let key_text = key.as_str().unwrap_or_default();
                self.report(
                    Severity::Warning,
                    value,
                    &headers_path.key(&key_text),
                    ProblemKind::WrongType {
                        expected: "a string",
                        found: kind_name(value.kind()),
                    },
                );
            }
            out.push((name, scalar_text(value)));
        }
        out
    }

    fn body(&mut self, parent: Node<'d>, path: &JsonPath<'_>) -> Option<Body> {
        let body = self.member(parent, path, "body", Kind::Object, false)?;
        if body.is_skimmed() {
            // A listing parse stepped over it: there is nothing to read.
            return None;
        }
        let path = path.key("body");
        let encoding = match self.string(body, &path, "encoding", false) {
            Some(name) => BodyEncoding::from_name(&name),
            None => BodyEncoding::Unspecified,
        };
        if let BodyEncoding::Other(name) = &encoding {
            // Timetracer's Mongo plugins write "utf-8"; anything else is unexpected.
            if name != "utf-8"
                && let Some(node) = body.get("encoding")
            {
                self.report(
                    Severity::Warning,
                    node,
                    &path.key("encoding"),
                    ProblemKind::UnknownBodyEncoding,
                );
            }
        }
        let hash = self.string(body, &path, "hash", false);
        if let Some(hash) = &hash {
            self.check_hash(body, &path, "hash", hash);
        }
        let size_bytes = self.integer(body, &path, "size_bytes", false);
        Some(Body {
            captured: self
                .member(body, &path, "_captured", Kind::Bool, false)
                .and_then(|n| n.as_bool())
                .unwrap_or(false),
            encoding,
            data: body.get("data").filter(|n| !n.is_null()).map(|n| n.id()),
            truncated: self
                .member(body, &path, "truncated", Kind::Bool, false)
                .and_then(|n| n.as_bool())
                .unwrap_or(false),
            size_bytes: size_bytes.and_then(|s| u64::try_from(s).ok()),
            hash,
            node: body.id(),
        })
    }

    fn check_hash(&mut self, parent: Node<'d>, path: &JsonPath<'_>, key: &'static str, hash: &str) {
        let well_formed = hash.strip_prefix("sha256:").is_some_and(|hex| {
            hex.len() == 64
                && hex
                    .bytes()
                    .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        });
        if !well_formed
            && hash != "sha256:none"
            && let Some(node) = parent.get(key)
        {
            self.report(
                Severity::Warning,
                node,
                &path.key(key),
                ProblemKind::MalformedHash,
            );
        }
    }

    fn event(&mut self, event: Node<'d>, path: &JsonPath<'_>, index: usize) -> Option<Event> {
        if event.kind() != Kind::Object {
            self.report(
                Severity::Error,
                event,
                path,
                ProblemKind::WrongType {
                    expected: "an object",
                    found: kind_name(event.kind()),
                },
            );
            return None;
        }
        let sequence = self.integer(event, path, "eid", true);
        if let (Some(eid), Ok(expected)) = (sequence, i64::try_from(index + 1))
            && eid != expected
            && let Some(node) = event.get("eid")
        {
            self.report(
                Severity::Warning,
                node,
                &path.key("eid"),
                ProblemKind::Inconsistent(format!(
                    "eid is {eid} but this is event {expected} (eids run 1, 2, 3, ...)"
                )),
            );
        }
        let kind = self
            .string(event, path, "type", true)
            .map(|t| EventKind::from_name(&t));
        if let Some(EventKind::Other(_)) = &kind
            && let Some(node) = event.get("type")
        {
            self.report(
                Severity::Warning,
                node,
                &path.key("type"),
                ProblemKind::UnknownEventType,
            );
        }
        let start_offset_ms = self.number(event, path, "start_offset_ms", true);
        let duration_ms = self.number(event, path, "duration_ms", true);
        let signature = self.member(event, path, "signature", Kind::Object, true);
        let result = self.member(event, path, "result", Kind::Object, false);
        let sig_path = path.key("signature");
        let res_path = path.key("result");
        let (lib, method, target, query, headers_hash, body_hash) = match signature {
            Some(sig) => {
                let headers_hash = self.string(sig, &sig_path, "headers_hash", false);
                if let Some(h) = &headers_hash {
                    self.check_hash(sig, &sig_path, "headers_hash", h);
                }
                let body_hash = self.string(sig, &sig_path, "body_hash", false);
                if let Some(h) = &body_hash {
                    self.check_hash(sig, &sig_path, "body_hash", h);
                }
                (
                    self.string(sig, &sig_path, "lib", true),
                    self.string(sig, &sig_path, "method", true),
                    self.string(sig, &sig_path, "url", false),
                    self.query(sig, &sig_path),
                    headers_hash,
                    body_hash,
                )
            }
            None => (None, None, None, Vec::new(), None, None),
        };
        let (status, headers, body, error, error_type) = match result {
            Some(res) => (
                self.integer(res, &res_path, "status", false),
                self.headers(res, &res_path),
                self.body(res, &res_path),
                self.string(res, &res_path, "error", false),
                self.string(res, &res_path, "error_type", false),
            ),
            None => (None, Vec::new(), None, None, None),
        };
        Some(Event {
            sequence: sequence?,
            kind: kind?,
            lib: lib?,
            method: method?,
            target,
            query,
            start_offset_ms: start_offset_ms?,
            duration_ms: duration_ms?,
            status,
            headers,
            body,
            error,
            error_type,
            headers_hash,
            body_hash,
            node: event.id(),
        })
    }

    fn check_stats(
        &mut self,
        stats: Node<'d>,
        path: &JsonPath<'_>,
        listed: usize,
        events: &[Event],
    ) {
        if let Some(node) = stats.get("total_events")
            && node.as_i64().and_then(|n| usize::try_from(n).ok()) != Some(listed)
        {
            self.report(
                Severity::Warning,
                node,
                &path.key("total_events"),
                ProblemKind::Inconsistent(format!(
                    "total_events does not match the {listed} events listed"
                )),
            );
        }
        let Some(counts) = stats
            .get("event_counts")
            .filter(|n| n.kind() == Kind::Object)
        else {
            return;
        };
        for (key, value) in counts.members() {
            let name = key.as_str().unwrap_or_default();
            let actual = events.iter().filter(|e| e.kind.as_str() == name).count();
            if value.as_i64().and_then(|n| usize::try_from(n).ok()) != Some(actual) {
                self.report(
                    Severity::Warning,
                    value,
                    &path.key("event_counts").key(&name),
                    ProblemKind::Inconsistent(format!(
                        "event_counts does not match the {actual} events of this type"
                    )),
                );
            }
        }
    }
}

/// A scalar as display text: strings decoded, numbers and literals as written.
fn scalar_text(node: Node<'_>) -> String {
    match node.kind() {
        Kind::String => node.as_str().unwrap_or_default().into_owned(),
        Kind::Null => String::new(),
        _ => node.raw().to_owned(),
    }
}
