//! Whole-file conversions: re-encoding a file in its own format, and converting any format to
//! HAR 1.2 (opens in browser developer tools) or to Timetracer.
//!
//! To HAR: every exchange becomes an entry, with the recorded headers, query, bodies (base64
//! bodies keep `encoding: "base64"`) and, where the source has them, start times and timings.
//! A Timetracer cassette gives its incoming request plus one entry per HTTP dependency call
//! (dependency requests keep only what Timetracer recorded of them). Sources without times
//! start at the Unix epoch.
//!
//! To Timetracer: a Timetracer file as is; a VCR-style file as one cassette whose events are
//! its interactions; a HAR file as one cassette whose request is the first entry and whose
//! events are the other entries, placed by their start times.

use super::exchange::{Content, Exchange, rfc2822_to_iso};
use super::read::{Lines, Reader, split_url};
use super::timetracer::build::{RecordedBody, RecordedEvent, Recording, SessionInfo};
use super::{Decoded, decode_file, encode_document, parse_file, vcr};
use crate::error::DecodeError;
use crate::json::{Document, Value, encode_compact};
use crate::model::{Body, BodyEncoding, Cassette, EventKind, Format, NameValue, Phase, Syntax};

/// Why a file could not be converted.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ConvertError {
    #[error("{0}")]
    Decode(#[from] DecodeError),
    #[error("cannot convert to {0}: only har and timetracer are written")]
    UnsupportedTarget(&'static str),
}

/// Re-encodes a whole file in its own format (uncompressed): JSON in its writer's layout, YAML
/// as the same value tree. The file must decode.
pub fn reencode(name: &str, bytes: &[u8]) -> Result<Vec<u8>, DecodeError> {
    decode_file(name, bytes)?;
    let parsed = parse_file(name, bytes, false)?;
    Ok(encode_document(
        parsed.format,
        &parsed.syntax,
        &parsed.document,
        false,
    ))
}

/// Converts a whole file to `to` (uncompressed).
pub fn convert(name: &str, bytes: &[u8], to: Format) -> Result<Vec<u8>, ConvertError> {
    let rows = decode_file(name, bytes)?;
    let parsed = parse_file(name, bytes, false)?;
    if parsed.format == to {
        return Ok(encode_document(
            parsed.format,
            &parsed.syntax,
            &parsed.document,
            false,
        ));
    }
    match to {
        Format::Har => Ok(to_har(&parsed, &rows)),
        Format::Timetracer => Ok(to_timetracer(&parsed, &rows)),
        other => Err(ConvertError::UnsupportedTarget(other.name())),
    }
}

// ---- to HAR -------------------------------------------------------------------------------

/// One HAR entry's inputs, resolved to text.
struct HarIn {
    started_micros: Option<i64>,
    time_ms: f64,
    method: String,
    url: String,
    http_version: String,
    request_headers: Vec<NameValue>,
    request_body: Option<(String, bool)>,
    status: i64,
    status_text: String,
    response_headers: Vec<NameValue>,
    response_body: Option<(String, bool)>,
    phases: Vec<Phase>,
}

fn to_har(parsed: &super::Parsed, rows: &[Decoded]) -> Vec<u8> {
    let doc = &parsed.document;
    let inputs: Vec<HarIn> = if parsed.format == Format::Timetracer {
        rows.iter()
            .flat_map(|d| timetracer_inputs(&d.cassette))
            .collect()
    } else {
        {
            let binary_paths: &[String] = match &parsed.syntax {
                Syntax::Yaml { binary_paths } => binary_paths,
                Syntax::Json => &[],
            };
            let mut reader = Reader::new(Lines::Yaml(&parsed.marks));
            let (_, exchanges) = vcr::read_exchanges(doc, parsed.format, binary_paths, &mut reader);
            exchanges.iter().map(|x| exchange_input(doc, x)).collect()
        }
    };
    let entries: Vec<Value> = inputs.iter().map(har_entry).collect();
    let har = Value::object([(
        "log",
        Value::object([
            ("version", Value::from("1.2")),
            (
                "creator",
                Value::object([
                    ("name", Value::from("Tapedeck")),
                    ("version", Value::from(env!("CARGO_PKG_VERSION"))),
                ]),
            ),
            ("pages", Value::Array(Vec::new())),
            ("entries", Value::Array(entries)),
        ]),
    )]);
    write_js(&har)
}

/// A value written as `JSON.stringify(value, null, 2)` writes it.
fn write_js(value: &Value) -> Vec<u8> {
    let compact = encode_compact(value, false);
    match Document::parse(&compact) {
        Ok(doc) => super::layout::Layout::JS_PRETTY.write_document(&doc),
        Err(_) => compact,
    }
}

fn body_text(doc: &Document<'_>, body: Option<&Body>) -> Option<(String, bool)> {
    let body = body?;
    let node = doc.node(body.data?)?;
    match body.encoding {
        BodyEncoding::Json => Some((
            String::from_utf8_lossy(&encode_compact(&node.to_value(), false)).into_owned(),
            false,
        )),
        BodyEncoding::Base64 => Some((node.as_str()?.into_owned(), true)),
        _ => match node.kind() {
            crate::json::Kind::String => Some((node.as_str()?.into_owned(), false)),
            _ => Some((
                String::from_utf8_lossy(&encode_compact(&node.to_value(), false)).into_owned(),
                false,
            )),
        },
    }
}

fn content_text(doc: &Document<'_>, content: Option<&Content>) -> Option<(String, bool)> {
    let content = content?;
    body_text(doc, Some(&content.body()))
}

fn exchange_input(doc: &Document<'_>, x: &Exchange) -> HarIn {
    let started = x.recorded_at.as_deref().and_then(|t| {
        crate::model::parse_timestamp_micros(t).or_else(|| {
            rfc2822_to_iso(t).and_then(|iso| crate::model::parse_timestamp_micros(&iso))
        })
    });
    HarIn {
        started_micros: started,
        time_ms: x.duration_ms.unwrap_or(0.0),
        method: x.method.to_ascii_uppercase(),
        url: x.url.clone(),
        http_version: x
            .http_version
            .clone()
            .filter(|v| !v.is_empty())
            .unwrap_or_else(|| String::from("HTTP/1.1")),
        request_headers: x.request_headers.clone(),
        request_body: content_text(doc, x.request_body.as_ref()).filter(|(t, _)| !t.is_empty()),
        status: x.status,
        status_text: x.status_text.clone(),
        response_headers: x.response_headers.clone(),
        response_body: content_text(doc, x.response_body.as_ref()),
        phases: Vec::new(),
    }
}

fn timetracer_inputs(c: &Cassette) -> Vec<HarIn> {
    let doc = &c.document;
    let host = c
        .request
        .headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("host"))
        .map_or("localhost", |(_, v)| v.as_str());
    let mut url = format!("http://{host}{}", c.request.path);
    if !c.request.query.is_empty() {
        url.push('?');
        let pairs: Vec<String> = c
            .request
            .query
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        url.push_str(&pairs.join("&"));
    }
    let start = c.meta.recorded_at_micros;
    let mut out = vec![HarIn {
        started_micros: start,
        time_ms: c.response.duration_ms,
        method: c.request.method.clone(),
        url,
        http_version: String::from("HTTP/1.1"),
        request_headers: c.request.headers.clone(),
        request_body: body_text(doc, c.request.body.as_ref()),
        status: c.response.status,
        status_text: String::new(),
        response_headers: c.response.headers.clone(),
        response_body: body_text(doc, c.response.body.as_ref()),
        phases: c.phases.clone(),
    }];
    for e in &c.events {
        if e.kind != EventKind::HttpClient {
            continue;
        }
        let Some(target) = &e.target else { continue };
        #[expect(
            clippy::cast_possible_truncation,
            reason = "offsets are milliseconds within one request"
        )]
        let offset_micros = (e.start_offset_ms * 1000.0) as i64;
        out.push(HarIn {
            started_micros: start.map(|s| s + offset_micros),
            time_ms: e.duration_ms,
            method: e.method.clone(),
            url: target.clone(),
            http_version: String::from("HTTP/1.1"),
            request_headers: Vec::new(),
            request_body: None,
            status: e.status.unwrap_or(0),
            status_text: String::new(),
            response_headers: e.headers.clone(),
            response_body: body_text(doc, e.body.as_ref()),
            phases: Vec::new(),
        });
    }
    out
}

fn pairs(list: &[NameValue]) -> Value {
    Value::Array(
        list.iter()
            .map(|(k, v)| {
                Value::object([
                    ("name", Value::from(k.as_str())),
                    ("value", Value::from(v.as_str())),
                ])
            })
            .collect(),
    )
}

fn header<'a>(headers: &'a [NameValue], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

fn ms(value: f64) -> Value {
    let value = if value.is_finite() && value >= 0.0 {
        value
    } else {
        0.0
    };
    if value.fract() == 0.0 && value < 9e15 {
        #[expect(
            clippy::cast_possible_truncation,
            reason = "checked integral and in range"
        )]
        Value::from(value as i64)
    } else {
        Value::Number(crate::json::Number::from_f64(
            (value * 1000.0).round() / 1000.0,
        ))
    }
}

#[expect(
    clippy::too_many_lines,
    reason = "one HAR entry written field by field, in the schema's order"
)]
fn har_entry(x: &HarIn) -> Value {
    let len = |b: &Option<(String, bool)>| -> i64 {
        b.as_ref().map_or(0, |(text, base64)| {
            let n = if *base64 {
                text.len() / 4 * 3
            } else {
                text.len()
            };
            i64::try_from(n).unwrap_or(i64::MAX)
        })
    };
    let query = split_url(&x.url).2;
    let mut request = vec![
        (String::from("method"), Value::from(x.method.as_str())),
        (String::from("url"), Value::from(x.url.as_str())),
        (
            String::from("httpVersion"),
            Value::from(x.http_version.as_str()),
        ),
        (String::from("cookies"), Value::Array(Vec::new())),
        (String::from("headers"), pairs(&x.request_headers)),
        (String::from("queryString"), pairs(&query)),
    ];
    if let Some((text, _)) = &x.request_body {
        request.push((
            String::from("postData"),
            Value::object([
                (
                    "mimeType",
                    Value::from(header(&x.request_headers, "content-type").unwrap_or("")),
                ),
                ("text", Value::from(text.as_str())),
            ]),
        ));
    }
    request.push((String::from("headersSize"), Value::from(-1_i64)));
    request.push((String::from("bodySize"), Value::from(len(&x.request_body))));
    let mut content = vec![
        (String::from("size"), Value::from(len(&x.response_body))),
        (
            String::from("mimeType"),
            Value::from(header(&x.response_headers, "content-type").unwrap_or("")),
        ),
    ];
    if let Some((text, base64)) = &x.response_body {
        content.push((String::from("text"), Value::from(text.as_str())));
        if *base64 {
            content.push((String::from("encoding"), Value::from("base64")));
        }
    }
    let response = Value::Object(vec![
        (String::from("status"), Value::from(x.status)),
        (
            String::from("statusText"),
            Value::from(x.status_text.as_str()),
        ),
        (
            String::from("httpVersion"),
            Value::from(x.http_version.as_str()),
        ),
        (String::from("cookies"), Value::Array(Vec::new())),
        (String::from("headers"), pairs(&x.response_headers)),
        (String::from("content"), Value::Object(content)),
        (
            String::from("redirectURL"),
            Value::from(header(&x.response_headers, "location").unwrap_or("")),
        ),
        (String::from("headersSize"), Value::from(-1_i64)),
        (String::from("bodySize"), Value::from(-1_i64)),
    ]);
    let phase = |name: &str| {
        x.phases
            .iter()
            .find(|p| p.name == name)
            .map(|p| p.duration_ms)
    };
    let timings = if x.phases.is_empty() {
        Value::object([
            ("blocked", Value::from(-1_i64)),
            ("dns", Value::from(-1_i64)),
            ("connect", Value::from(-1_i64)),
            ("send", Value::from(0_i64)),
            ("wait", ms(x.time_ms)),
            ("receive", Value::from(0_i64)),
            ("ssl", Value::from(-1_i64)),
        ])
    } else {
        let or_na = |v: Option<f64>| v.map_or(Value::from(-1_i64), ms);
        Value::object([
            ("blocked", or_na(phase("blocked"))),
            ("dns", or_na(phase("dns"))),
            ("connect", or_na(phase("connect"))),
            ("send", ms(phase("send").unwrap_or(0.0))),
            ("wait", ms(phase("wait").unwrap_or(0.0))),
            ("receive", ms(phase("receive").unwrap_or(0.0))),
            ("ssl", or_na(phase("ssl"))),
        ])
    };
    Value::object([
        (
            "startedDateTime",
            Value::from(iso_millis(x.started_micros.unwrap_or(0))),
        ),
        ("time", ms(x.time_ms)),
        ("request", Value::Object(request)),
        ("response", response),
        ("cache", Value::Object(Vec::new())),
        ("timings", timings),
    ])
}

/// Microseconds since the epoch as `2026-11-30T07:25:12.398Z`.
pub(crate) fn iso_millis(micros: i64) -> String {
    let secs = micros.div_euclid(1_000_000);
    let millis = micros.rem_euclid(1_000_000) / 1000;
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{millis:03}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

// ---- to Timetracer ------------------------------------------------------------------------

fn to_timetracer(parsed: &super::Parsed, rows: &[Decoded]) -> Vec<u8> {
    let Some(first) = rows.first() else {
        return Recording::from_cassette(&empty_cassette(parsed)).encode();
    };
    let mut recording = Recording::from_cassette(&first.cassette);
    fill_session(&mut recording, &first.cassette);
    recording.request.query = first
        .cassette
        .request
        .query
        .iter()
        .map(|(k, v)| (k.clone(), Value::from(v.as_str())))
        .collect();
    for event in &mut recording.events {
        event.event_type = String::from("http.client");
    }
    if parsed.format == Format::Har {
        let base = first.cassette.meta.recorded_at_micros.unwrap_or(0);
        for (row, eid) in rows.iter().skip(1).zip(1_i64..) {
            let c = &row.cassette;
            #[expect(
                clippy::cast_precision_loss,
                reason = "offsets between entries of one file are far below 2^52 microseconds"
            )]
            let offset_ms = (c.meta.recorded_at_micros.unwrap_or(base) - base) as f64 / 1000.0;
            let url = c
                .document
                .root()
                .get("request")
                .and_then(|r| r.get("url"))
                .and_then(|u| u.as_str())
                .map(std::borrow::Cow::into_owned);
            recording.events.push(RecordedEvent {
                eid,
                event_type: String::from("http.client"),
                start_offset_ms: offset_ms.max(0.0),
                duration_ms: c.response.duration_ms,
                lib: c
                    .meta
                    .framework
                    .clone()
                    .unwrap_or_else(|| String::from("har")),
                method: c.request.method.clone(),
                url,
                query: Vec::new(),
                headers_hash: None,
                body_hash: None,
                status: Some(c.response.status),
                headers: c.response.headers.clone(),
                body: recorded_body(&c.document, c.response.body.as_ref()),
                error: None,
                error_type: None,
            });
        }
    }
    recording.encode()
}

fn recorded_body(doc: &Document<'_>, body: Option<&Body>) -> Option<RecordedBody> {
    let b = body?;
    Some(RecordedBody {
        captured: b.captured,
        encoding: (b.encoding.as_str() != "").then(|| b.encoding.as_str().to_owned()),
        data: b.data.and_then(|id| doc.node(id)).map(|n| n.to_value()),
        truncated: b.truncated,
        size_bytes: b.size_bytes,
        hash: b.hash.clone(),
    })
}

/// Timetracer needs a session id and a time; other formats may have neither.
fn fill_session(recording: &mut Recording, c: &Cassette) {
    let session: &mut SessionInfo = &mut recording.session;
    if session.id.is_empty() {
        session.id = format!(
            "{}-{}",
            c.format.name(),
            c.name.rsplit('/').next().unwrap_or("")
        );
    }
    session.recorded_at = iso_millis(c.meta.recorded_at_micros.unwrap_or(0));
    if session.framework.is_empty() {
        session.framework = String::from(c.format.name());
    }
}

fn empty_cassette(parsed: &super::Parsed) -> Cassette {
    Cassette {
        name: String::new(),
        format: parsed.format,
        compressed: false,
        entry: None,
        syntax: Syntax::Json,
        has_timings: false,
        phases: Vec::new(),
        document: parsed.document.clone(),
        meta: crate::model::Meta::default(),
        request: crate::model::Request::default(),
        response: crate::model::Response::default(),
        events: Vec::new(),
        app_error: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_iso_times_with_milliseconds() {
        assert_eq!(iso_millis(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(
            iso_millis(1_796_023_512_398_484),
            "2026-11-30T07:25:12.398Z"
        );
    }
}
