//! VCR-style cassettes: lists of interactions in recorded order, without timings.
//!
//! - VCR.py: `{interactions: [{request: {body, headers, method, uri}, response: {body:
//!   {string}, headers, status: {code, message}}}], version: 1}`, YAML (bodies may be
//!   `!!binary`) or JSON.
//! - Ruby VCR: `{http_interactions: [{request: {method, uri, body: {encoding, string |
//!   base64_string}, headers}, response: {status: {code, message}, headers, body,
//!   http_version}, recorded_at}], recorded_with: "VCR 6.x"}`, YAML or JSON.
//! - Betamax (Python): Ruby VCR's shape in JSON, `recorded_with: "betamax/…"`.
//! - go-vcr v2 (go-vcr v3/v4): `{version: 2, interactions: [{id, request: {proto, …, body,
//!   form, headers, url, method}, response: {…, body, headers, status, code, duration}}]}`.
//!
//! Headers are maps of a name to a list of values (or one value); each value is one pair.

use super::Decoded;
use super::exchange::{Exchange, FileInfo, content, vcr_cassette};
use super::read::{Lines, Reader, header_map, scalar_text};
use super::timetracer::path::JsonPath;
use crate::error::{DecodeError, Severity};
use crate::json::{Document, Kind, Node};
use crate::model::{Format, Syntax};

/// Which VCR-style format a document is, by content.
pub(crate) fn detect(root: Node<'_>) -> Option<Format> {
    if let Some(list) = root.get("http_interactions")
        && list.kind() == Kind::Array
    {
        let betamax = root
            .get("recorded_with")
            .and_then(|r| r.as_str())
            .is_some_and(|r| r.to_ascii_lowercase().starts_with("betamax"));
        return Some(if betamax {
            Format::Betamax
        } else {
            Format::RubyVcr
        });
    }
    let list = root
        .get("interactions")
        .filter(|l| l.kind() == Kind::Array)?;
    let version = root.get("version").and_then(|v| match v.kind() {
        Kind::Number => v.as_i64(),
        Kind::String => v.as_str().and_then(|s| s.parse().ok()),
        _ => None,
    });
    match version {
        Some(2) => Some(Format::GoVcr),
        Some(1) => Some(Format::VcrPy),
        // go-vcr interactions carry an `id`; VCR.py's do not.
        _ if list.index(0).and_then(|i| i.get("id")).is_some() => Some(Format::GoVcr),
        _ => Some(Format::VcrPy),
    }
}

/// Reads a VCR-style file into its one row.
pub(crate) fn read(
    name: &str,
    document: Document<'static>,
    format: Format,
    compressed: bool,
    syntax: Syntax,
    marks: &[(u32, u32, u32)],
) -> Result<Decoded, DecodeError> {
    let lines = match &syntax {
        Syntax::Yaml { .. } => Lines::Yaml(marks),
        Syntax::Json => Lines::Json {
            whole: &document,
            base: 0,
        },
    };
    let binary_paths: &[String] = match &syntax {
        Syntax::Yaml { binary_paths } => binary_paths,
        Syntax::Json => &[],
    };
    let mut reader = Reader::new(lines);
    let (info, exchanges) = read_exchanges(&document, format, binary_paths, &mut reader);
    let problems = reader.problems;
    if problems.iter().any(|p| p.severity == Severity::Error) {
        return Err(DecodeError {
            file: name.to_owned(),
            problems,
        });
    }
    Ok(Decoded {
        cassette: vcr_cassette(name, compressed, syntax, document, &info, &exchanges),
        warnings: problems,
    })
}

/// The file's description and its exchanges, in recorded order.
pub(crate) fn read_exchanges(
    document: &Document<'_>,
    format: Format,
    binary_paths: &[String],
    reader: &mut Reader<'_>,
) -> (FileInfo, Vec<Exchange>) {
    let root = document.root();
    let path = JsonPath::root();
    let (list_key, lib) = match format {
        Format::RubyVcr => ("http_interactions", "vcr"),
        Format::Betamax => ("http_interactions", "betamax"),
        Format::GoVcr => ("interactions", "go-vcr"),
        _ => ("interactions", "vcrpy"),
    };
    let version = match format {
        Format::RubyVcr | Format::Betamax => String::new(),
        _ => root.get("version").map(scalar_text).unwrap_or_default(),
    };
    let tool = root
        .get("recorded_with")
        .map_or_else(|| lib.to_owned(), scalar_text);
    let info = FileInfo {
        format,
        version,
        tool,
        lib,
    };
    let mut exchanges = Vec::new();
    if root.kind() != Kind::Object {
        reader.wrong_type(root, &path, "an object");
        return (info, exchanges);
    }
    let Some(list) = reader.member(root, &path, list_key, Kind::Array, true) else {
        return (info, exchanges);
    };
    let list_path = path.key(list_key);
    for (i, item) in list.elements().enumerate() {
        let item_path = list_path.index(i);
        if item.kind() != Kind::Object {
            reader.wrong_type(item, &item_path, "an object");
            continue;
        }
        let binary = |node: Node<'_>| {
            !binary_paths.is_empty() && {
                let rendered = path_of(node, &item_path, item);
                binary_paths.contains(&rendered)
            }
        };
        if let Some(x) = exchange(item, &item_path, format, &binary, reader) {
            exchanges.push(x);
        }
    }
    (info, exchanges)
}

fn exchange(
    item: Node<'_>,
    path: &JsonPath<'_>,
    format: Format,
    binary: &dyn Fn(Node<'_>) -> bool,
    reader: &mut Reader<'_>,
) -> Option<Exchange> {
    let request = reader.member(item, path, "request", Kind::Object, true);
    let response = reader.member(item, path, "response", Kind::Object, true);
    let (request, response) = (request?, response?);
    let req_path = path.key("request");
    let res_path = path.key("response");
    let method = reader.string(request, &req_path, "method", true)?;
    let url_key = if format == Format::GoVcr {
        "url"
    } else {
        "uri"
    };
    let url = reader.string(request, &req_path, url_key, true)?;
    let (status, status_text) = if format == Format::GoVcr {
        let code = reader.integer(response, &res_path, "code", true)?;
        let text = response.get("status").map(scalar_text).unwrap_or_default();
        let text = text
            .strip_prefix(&code.to_string())
            .map_or(text.clone(), |t| t.trim_start().to_owned());
        (code, text)
    } else {
        let status = reader.member(response, &res_path, "status", Kind::Object, true)?;
        let status_path = res_path.key("status");
        let code = reader.integer(status, &status_path, "code", true)?;
        let text = status.get("message").map(scalar_text).unwrap_or_default();
        (code, text)
    };
    let duration_ms = if format == Format::GoVcr {
        response.get("duration").and_then(|d| match d.kind() {
            Kind::Number => d.as_f64().map(|ns| ns / 1e6),
            Kind::String => d.as_str().and_then(|s| go_duration_ms(&s)),
            _ => None,
        })
    } else {
        None
    };
    let http_version = match format {
        Format::GoVcr => response.get("proto").map(scalar_text),
        _ => response
            .get("http_version")
            .map(scalar_text)
            .filter(|v| !v.is_empty()),
    };
    let recorded_at = item.get("recorded_at").map(scalar_text);
    Some(Exchange {
        node: item.id(),
        recorded_at,
        method,
        url,
        http_version,
        request_headers: header_map(request.get("headers")),
        request_body: content(request.get("body"), binary),
        status,
        status_text,
        response_headers: header_map(response.get("headers")),
        response_body: content(response.get("body"), binary),
        duration_ms,
    })
}

/// The rendered JSON path of `node`, a descendant of `item` (at `item_path`). Only used for
/// YAML files with `!!binary` scalars, so the linear search stays off the common path.
fn path_of(node: Node<'_>, item_path: &JsonPath<'_>, item: Node<'_>) -> String {
    fn find(at: Node<'_>, target: Node<'_>, segs: &mut Vec<String>) -> bool {
        if at.id() == target.id() {
            return true;
        }
        let span = at.span();
        let t = target.span();
        if t.start < span.start || t.end > span.end {
            return false;
        }
        match at.kind() {
            Kind::Object => {
                for (k, v) in at.members() {
                    let mut seg = String::new();
                    crate::json::push_key(&mut seg, &k.as_str().unwrap_or_default());
                    segs.push(seg);
                    if find(v, target, segs) {
                        return true;
                    }
                    segs.pop();
                }
                false
            }
            Kind::Array => {
                for (i, v) in at.elements().enumerate() {
                    segs.push(format!("[{i}]"));
                    if find(v, target, segs) {
                        return true;
                    }
                    segs.pop();
                }
                false
            }
            _ => false,
        }
    }
    let mut segs = Vec::new();
    let mut out = item_path.render();
    if find(item, node, &mut segs) {
        for s in segs {
            out.push_str(&s);
        }
    }
    out
}

/// A Go duration (`1.5ms`, `2m3.5s`, `350µs`) in milliseconds.
pub(crate) fn go_duration_ms(text: &str) -> Option<f64> {
    let (negative, mut rest) = match text.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    if rest == "0" {
        return Some(0.0);
    }
    let mut total = 0.0;
    while !rest.is_empty() {
        let digits = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let number: f64 = rest.get(..digits)?.parse().ok()?;
        rest = rest.get(digits..)?;
        let units: [(&str, f64); 7] = [
            ("ns", 1e-6),
            ("us", 1e-3),
            ("µs", 1e-3),
            ("μs", 1e-3),
            ("ms", 1.0),
            ("s", 1e3),
            ("m", 60e3),
        ];
        let (unit, scale) = units
            .iter()
            .chain(std::iter::once(&("h", 3_600e3)))
            .find(|(u, _)| rest.starts_with(u))?;
        total += number * scale;
        rest = rest.get(unit.len()..)?;
    }
    Some(if negative { -total } else { total })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_go_durations() {
        assert_eq!(go_duration_ms("1.5ms"), Some(1.5));
        assert_eq!(go_duration_ms("2m3.5s"), Some(123_500.0));
        assert!(go_duration_ms("350µs").is_some_and(|ms| (ms - 0.35).abs() < 1e-9));
        assert_eq!(go_duration_ms("0"), Some(0.0));
        assert_eq!(go_duration_ms("fast"), None);
    }
}
