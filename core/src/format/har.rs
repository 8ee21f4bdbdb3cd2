//! HTTP Archive 1.2 (browsers' "Save all as HAR", Playwright's `recordHar`, Polly.js
//! recordings): one row per entry, with the entry's timing phases as its waterfall.
//!
//! Each entry's cassette keeps its own [`Document`], parsed from the entry's slice of the file,
//! so node handles stay per cassette; problems are still reported at their place in the file
//! (`$.log.entries[3].request.url`, line and column of the file). Polly.js writes a header's
//! `value` as an array when a header repeats: each value becomes one pair. The file re-encodes
//! as JavaScript's `JSON.stringify(har, null, 2)` writes it (see [`super::layout`]).

use super::Decoded;
use super::read::{Lines, Reader, har_phases, host_of, scalar_text, split_url};
use super::timetracer::path::JsonPath;
use crate::error::{DecodeError, ProblemKind, Severity};
use crate::json::{Document, Kind, Node};
use crate::model::{
    Body, BodyEncoding, Cassette, Format, Meta, NameValue, Phase, Request, Response, Syntax,
    parse_timestamp_micros,
};

/// Whether a parsed document is a HAR file (`log.entries`) or one bare HAR entry (as the
/// viewer keeps a row's text).
pub(crate) fn detect(root: Node<'_>) -> bool {
    if let Some(log) = root.get("log") {
        return log.kind() == Kind::Object
            && (log.get("entries").is_some() || log.get("version").is_some());
    }
    is_entry(root)
}

fn is_entry(root: Node<'_>) -> bool {
    root.get("request").is_some()
        && root.get("response").is_some()
        && (root.get("startedDateTime").is_some() || root.get("timings").is_some())
}

/// What the `log` says about who wrote the file, shared by every entry.
#[derive(Default)]
struct LogInfo {
    version: String,
    creator: Option<String>,
    creator_version: Option<String>,
    browser: Option<String>,
}

/// Reads every entry of a HAR file (or one bare entry) into its own cassette.
pub(crate) fn read_file(
    name: &str,
    document: Document<'static>,
    compressed: bool,
) -> Result<Vec<Decoded>, DecodeError> {
    let root = document.root();
    let path = JsonPath::root();
    if is_entry(root) && root.get("log").is_none() {
        let mut reader = Reader::new(Lines::Json {
            whole: &document,
            base: 0,
        });
        let parts = read_entry(root, &path, &LogInfo::default(), &mut reader);
        let problems = reader.problems;
        return match parts {
            Some(parts) if !problems.iter().any(|p| p.severity == Severity::Error) => {
                Ok(vec![Decoded {
                    cassette: cassette(name, None, compressed, document, parts),
                    warnings: problems,
                }])
            }
            _ => Err(DecodeError {
                file: name.to_owned(),
                problems,
            }),
        };
    }
    let mut reader = Reader::new(Lines::Json {
        whole: &document,
        base: 0,
    });
    let Some(log) = reader.member(root, &path, "log", Kind::Object, true) else {
        return finish(name, reader, Vec::new());
    };
    let log_path = path.key("log");
    let creator = reader.member(log, &log_path, "creator", Kind::Object, false);
    let browser = reader.member(log, &log_path, "browser", Kind::Object, false);
    let info = LogInfo {
        version: reader
            .string(log, &log_path, "version", false)
            .unwrap_or_default(),
        creator: creator.and_then(|c| c.get("name")).map(scalar_text),
        creator_version: creator.and_then(|c| c.get("version")).map(scalar_text),
        browser: browser.map(|b| {
            let name = b.get("name").map(scalar_text).unwrap_or_default();
            match b.get("version").map(scalar_text) {
                Some(v) if !v.is_empty() => format!("{name} {v}"),
                _ => name,
            }
        }),
    };
    let Some(entries) = reader.member(log, &log_path, "entries", Kind::Array, true) else {
        return finish(name, reader, Vec::new());
    };
    let entries_path = log_path.key("entries");
    let mut out = Vec::with_capacity(entries.len());
    for (i, entry) in entries.elements().enumerate() {
        let entry_path = entries_path.index(i);
        if entry.kind() != Kind::Object {
            reader.wrong_type(entry, &entry_path, "an object");
            continue;
        }
        // The entry's own document, so its node handles belong to its cassette.
        let own = match Document::parse(entry.raw().as_bytes()) {
            Ok(doc) => doc,
            Err(e) => {
                reader.problems.push(crate::error::Problem::from(e));
                continue;
            }
        };
        let mut entry_reader = Reader::new(Lines::Json {
            whole: &document,
            base: entry.span().start,
        });
        let parts = read_entry(own.root(), &entry_path, &info, &mut entry_reader);
        let warnings = entry_reader.problems;
        if let Some(parts) = parts {
            out.push(Decoded {
                cassette: cassette(
                    &format!("{name}#{}", i + 1),
                    Some(i),
                    compressed,
                    own,
                    parts,
                ),
                warnings: warnings.clone(),
            });
        }
        reader.problems.extend(warnings);
    }
    finish(name, reader, out)
}

/// Every entry decoded, or every problem of the file when any is an error.
fn finish(
    name: &str,
    reader: Reader<'_>,
    decoded: Vec<Decoded>,
) -> Result<Vec<Decoded>, DecodeError> {
    if reader.has_error() {
        return Err(DecodeError {
            file: name.to_owned(),
            problems: reader.problems,
        });
    }
    Ok(decoded)
}

/// What one entry gives the model.
struct Parts {
    meta: Meta,
    request: Request,
    response: Response,
    phases: Vec<Phase>,
}

fn cassette(
    name: &str,
    entry: Option<usize>,
    compressed: bool,
    document: Document<'static>,
    parts: Parts,
) -> Cassette {
    Cassette {
        name: name.to_owned(),
        format: Format::Har,
        compressed,
        entry,
        syntax: Syntax::Json,
        has_timings: true,
        phases: parts.phases,
        document,
        meta: parts.meta,
        request: parts.request,
        response: parts.response,
        events: Vec::new(),
        app_error: None,
    }
}

fn read_entry(
    entry: Node<'_>,
    path: &JsonPath<'_>,
    info: &LogInfo,
    reader: &mut Reader<'_>,
) -> Option<Parts> {
    let before = reader.problems.len();
    let started = reader.string(entry, path, "startedDateTime", true);
    let started_micros = started.as_deref().and_then(parse_timestamp_micros);
    if started.is_some()
        && started_micros.is_none()
        && let Some(node) = entry.get("startedDateTime")
    {
        reader.report(
            Severity::Warning,
            node,
            &path.key("startedDateTime"),
            ProblemKind::MalformedTimestamp,
        );
    }
    let time = reader.number(entry, path, "time", false).unwrap_or(0.0);
    let request = reader.member(entry, path, "request", Kind::Object, true);
    let response = reader.member(entry, path, "response", Kind::Object, true);
    let timings = reader.member(entry, path, "timings", Kind::Object, false);
    let request_path = path.key("request");
    let response_path = path.key("response");
    let (req, host) = request.map(|r| self::request(r, &request_path, reader))?;
    let res = response.map(|r| self::response(r, &response_path, time, reader))?;
    let phases = timings
        .map(|t| {
            har_phases(
                &[
                    "blocked", "dns", "connect", "ssl", "send", "wait", "receive",
                ]
                .map(|n| (n, t.get(n).and_then(|v| v.as_f64()))),
            )
        })
        .unwrap_or_default();
    if reader
        .problems
        .iter()
        .skip(before)
        .any(|p| p.severity == Severity::Error)
    {
        return None;
    }
    let session_id = entry
        .get("_id")
        .or_else(|| entry.get("pageref"))
        .map(scalar_text)
        .unwrap_or_default();
    let recorded_at = started.unwrap_or_default();
    Some(Parts {
        meta: Meta {
            schema_version: info.version.clone(),
            session_id,
            recorded_at_micros: started_micros,
            recorded_at,
            service: host,
            env: None,
            framework: info.creator.clone(),
            tool_version: info.creator_version.clone(),
            runtime_version: info.browser.clone(),
            git_sha: None,
        },
        request: req,
        response: res,
        phases,
    })
}

fn request(
    request: Node<'_>,
    path: &JsonPath<'_>,
    reader: &mut Reader<'_>,
) -> (Request, Option<String>) {
    let method = reader
        .string(request, path, "method", true)
        .unwrap_or_default();
    let url = reader
        .string(request, path, "url", true)
        .unwrap_or_default();
    let (origin, url_path, url_query) = split_url(&url);
    let headers = name_values(request, path, "headers", reader);
    let query = match request.get("queryString") {
        Some(_) => name_values(request, path, "queryString", reader),
        None => url_query,
    };
    let body = reader
        .member(request, path, "postData", Kind::Object, false)
        .map(|post| {
            let text = post.get("text").filter(|t| t.kind() == Kind::String);
            let params = post.get("params").filter(|p| p.kind() == Kind::Array);
            let (encoding, data) = match (text, params) {
                (Some(t), _) => (BodyEncoding::Text, Some(t.id())),
                (None, Some(p)) => (BodyEncoding::Other(String::from("params")), Some(p.id())),
                (None, None) => (BodyEncoding::Unspecified, None),
            };
            Body {
                captured: data.is_some(),
                encoding,
                data,
                truncated: false,
                size_bytes: request
                    .get("bodySize")
                    .and_then(|n| n.as_i64())
                    .and_then(|n| u64::try_from(n).ok()),
                hash: None,
                node: post.id(),
            }
        });
    let user_agent = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("user-agent"))
        .map(|(_, v)| v.clone());
    let host = host_of(origin).map(str::to_owned);
    (
        Request {
            method,
            path: url_path.to_owned(),
            route_template: None,
            query,
            headers,
            body,
            client_ip: None,
            user_agent,
        },
        host,
    )
}

fn response(
    response: Node<'_>,
    path: &JsonPath<'_>,
    time: f64,
    reader: &mut Reader<'_>,
) -> Response {
    let status = reader.integer(response, path, "status", true).unwrap_or(0);
    let headers = name_values(response, path, "headers", reader);
    let body = reader
        .member(response, path, "content", Kind::Object, false)
        .map(|content| {
            let text = content.get("text").filter(|t| t.kind() == Kind::String);
            let base64 = content
                .get("encoding")
                .and_then(|e| e.as_str())
                .is_some_and(|e| e == "base64");
            Body {
                captured: text.is_some(),
                encoding: match (text, base64) {
                    (None, _) => BodyEncoding::Unspecified,
                    (Some(_), true) => BodyEncoding::Base64,
                    (Some(_), false) => BodyEncoding::Text,
                },
                data: text.map(|t| t.id()),
                truncated: false,
                size_bytes: content
                    .get("size")
                    .and_then(|n| n.as_i64())
                    .and_then(|n| u64::try_from(n).ok()),
                hash: None,
                node: content.id(),
            }
        });
    Response {
        status,
        duration_ms: time,
        headers,
        body,
    }
}

/// `[{name, value}]` lists (headers, queryString, cookies); a `value` that is an array
/// (Polly.js) gives one pair per item.
fn name_values(
    parent: Node<'_>,
    path: &JsonPath<'_>,
    key: &'static str,
    reader: &mut Reader<'_>,
) -> Vec<NameValue> {
    let Some(list) = reader.member(parent, path, key, Kind::Array, false) else {
        return Vec::new();
    };
    let list_path = path.key(key);
    let mut out = Vec::with_capacity(list.len());
    for (i, item) in list.elements().enumerate() {
        if item.kind() != Kind::Object {
            reader.report(
                Severity::Warning,
                item,
                &list_path.index(i),
                ProblemKind::WrongType {
                    expected: "an object with name and value",
                    found: crate::error::kind_name(item.kind()),
                },
            );
            continue;
        }
        let name = item.get("name").map(scalar_text).unwrap_or_default();
        match item.get("value") {
            Some(v) if v.kind() == Kind::Array => {
                for value in v.elements() {
                    out.push((name.clone(), scalar_text(value)));
                }
            }
            Some(v) => out.push((name, scalar_text(v))),
            None => out.push((name, String::new())),
        }
    }
    out
}
