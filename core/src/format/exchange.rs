//! One recorded HTTP exchange as every format holds it: the pivot between the VCR-style
//! readers, the model and the converters. Texts stay in the document; this holds handles.

use super::read::split_url;
use crate::json::{Document, Kind, NodeId};
use crate::model::{
    Body, BodyEncoding, Cassette, Event, EventKind, Format, Meta, NameValue, Request, Response,
    Syntax, parse_timestamp_micros,
};

/// A request or response body in the source document.
#[derive(Clone, Debug)]
pub struct Content {
    /// The body object (or the string itself when the format writes a bare string).
    pub node: NodeId,
    /// The string holding the content, when there is one.
    pub data: Option<NodeId>,
    /// The content is base64 text of the bytes.
    pub base64: bool,
}

impl Content {
    /// The model's view of this body.
    pub fn body(&self) -> Body {
        Body {
            captured: self.data.is_some(),
            encoding: match (self.data, self.base64) {
                (None, _) => BodyEncoding::Unspecified,
                (Some(_), true) => BodyEncoding::Base64,
                (Some(_), false) => BodyEncoding::Text,
            },
            data: self.data,
            truncated: false,
            size_bytes: None,
            hash: None,
            node: self.node,
        }
    }

    /// The content as bytes (base64 decoded), when the document holds it.
    pub fn bytes(&self, doc: &Document<'_>) -> Option<Vec<u8>> {
        let text = doc.node(self.data?)?.as_str()?;
        if self.base64 {
            use base64::Engine as _;
            base64::engine::general_purpose::STANDARD
                .decode(text.as_bytes())
                .ok()
        } else {
            Some(text.into_owned().into_bytes())
        }
    }
}

/// One recorded exchange.
#[derive(Clone, Debug)]
pub struct Exchange {
    /// The whole interaction in the source document.
    pub node: NodeId,
    /// When it was recorded, as written (ISO 8601 or RFC 2822), if the format keeps it.
    pub recorded_at: Option<String>,
    pub method: String,
    pub url: String,
    pub http_version: Option<String>,
    pub request_headers: Vec<NameValue>,
    pub request_body: Option<Content>,
    pub status: i64,
    pub status_text: String,
    pub response_headers: Vec<NameValue>,
    pub response_body: Option<Content>,
    /// How long the exchange took, if the format keeps it (go-vcr).
    pub duration_ms: Option<f64>,
}

/// What a VCR-style file says about itself.
pub(crate) struct FileInfo {
    pub(crate) format: Format,
    pub(crate) version: String,
    /// The recording tool (`vcrpy`, `VCR 6.0.0`, `betamax/0.9.0`, `go-vcr`).
    pub(crate) tool: String,
    pub(crate) lib: &'static str,
}

/// Builds the one row of a VCR-style file: its interactions are the dependency calls, in
/// recorded order, without timings.
pub(crate) fn vcr_cassette(
    name: &str,
    compressed: bool,
    syntax: Syntax,
    document: Document<'static>,
    info: &FileInfo,
    exchanges: &[Exchange],
) -> Cassette {
    let events: Vec<Event> = exchanges
        .iter()
        .zip(1_i64..)
        .map(|(x, sequence)| Event {
            sequence,
            kind: EventKind::HttpClient,
            lib: info.lib.to_owned(),
            method: x.method.to_ascii_uppercase(),
            target: Some(without_query(&x.url).to_owned()),
            query: split_url(&x.url).2,
            start_offset_ms: 0.0,
            duration_ms: x.duration_ms.unwrap_or(0.0),
            status: Some(x.status),
            headers: x.response_headers.clone(),
            body: x.response_body.as_ref().map(Content::body),
            error: None,
            error_type: None,
            headers_hash: None,
            body_hash: None,
            node: x.node,
        })
        .collect();
    let mut recorded_at = exchanges
        .iter()
        .find_map(|x| x.recorded_at.clone())
        .unwrap_or_default();
    let mut recorded_at_micros = parse_timestamp_micros(&recorded_at);
    if recorded_at_micros.is_none()
        && let Some(micros) = rfc2822_micros(&recorded_at)
    {
        // Ruby VCR writes RFC 2822 dates; the model shows ISO 8601 like every other format.
        recorded_at_micros = Some(micros);
        recorded_at = super::convert::iso_millis(micros);
    }
    let service = exchanges.first().and_then(|x| {
        let origin = split_url(&x.url).0;
        super::read::host_of(origin).map(str::to_owned)
    });
    let stem = name
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or(name)
        .split('.')
        .next()
        .unwrap_or_default()
        .to_owned();
    Cassette {
        name: name.to_owned(),
        format: info.format,
        compressed,
        entry: None,
        syntax,
        has_timings: false,
        phases: Vec::new(),
        meta: Meta {
            schema_version: info.version.clone(),
            session_id: String::new(),
            recorded_at,
            recorded_at_micros,
            service,
            env: None,
            framework: Some(info.tool.clone()),
            tool_version: None,
            runtime_version: None,
            git_sha: None,
        },
        request: Request {
            method: String::new(),
            path: stem,
            ..Request::default()
        },
        response: Response {
            status: exchanges.iter().map(|x| x.status).max().unwrap_or(0),
            duration_ms: exchanges
                .iter()
                .filter_map(|x| x.duration_ms)
                .fold(0.0, |a, b| a + b),
            headers: Vec::new(),
            body: None,
        },
        events,
        app_error: None,
        document,
    }
}

/// A URL without its query string and fragment.
fn without_query(url: &str) -> &str {
    url.split(['?', '#']).next().unwrap_or(url)
}

/// A body written as `{encoding, string | base64_string}` (Ruby VCR, Betamax), as
/// `{string: ...}` (VCR.py responses) or as a bare string (VCR.py requests, go-vcr);
/// `binary` says whether the string node was tagged `!!binary` in YAML.
pub(crate) fn content(
    node: Option<crate::json::Node<'_>>,
    binary: &dyn Fn(crate::json::Node<'_>) -> bool,
) -> Option<Content> {
    let node = node.filter(|n| !n.is_null())?;
    match node.kind() {
        Kind::String => Some(Content {
            node: node.id(),
            data: Some(node.id()),
            base64: binary(node),
        }),
        Kind::Object => {
            if let Some(b64) = node
                .get("base64_string")
                .filter(|n| n.kind() == Kind::String)
            {
                return Some(Content {
                    node: node.id(),
                    data: Some(b64.id()),
                    base64: true,
                });
            }
            let string = node.get("string").filter(|n| n.kind() == Kind::String);
            Some(Content {
                node: node.id(),
                data: string.map(|s| s.id()),
                base64: string.is_some_and(binary),
            })
        }
        _ => None,
    }
}

/// `Tue, 01 Nov 2011 04:58:44 GMT` (Ruby VCR's `recorded_at`) as microseconds since the epoch.
pub(crate) fn rfc2822_micros(text: &str) -> Option<i64> {
    let iso = rfc2822_to_iso(text)?;
    parse_timestamp_micros(&iso)
}

/// `Tue, 01 Nov 2011 04:58:44 GMT` as `2011-11-01T04:58:44Z`.
pub(crate) fn rfc2822_to_iso(text: &str) -> Option<String> {
    let rest = text.split_once(", ").map_or(text, |(_, r)| r);
    let mut parts = rest.split_whitespace();
    let day: u32 = parts.next()?.parse().ok()?;
    let month = parts.next()?;
    let year: u32 = parts.next()?.parse().ok()?;
    let time = parts.next()?;
    let zone = parts.next().unwrap_or("GMT");
    let months = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let month = months.iter().position(|m| *m == month)? + 1;
    let offset = match zone {
        "GMT" | "UTC" | "Z" | "+0000" | "-0000" => String::from("Z"),
        z if z.len() == 5 && (z.starts_with('+') || z.starts_with('-')) => {
            format!("{}:{}", z.get(..3)?, z.get(3..)?)
        }
        _ => return None,
    };
    Some(format!("{year:04}-{month:02}-{day:02}T{time}{offset}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_rfc2822_dates() {
        assert_eq!(
            rfc2822_to_iso("Tue, 01 Nov 2011 04:58:44 GMT").as_deref(),
            Some("2011-11-01T04:58:44Z")
        );
        assert!(rfc2822_micros("Tue, 01 Nov 2011 04:58:44 +0100").is_some());
        assert_eq!(rfc2822_to_iso("yesterday"), None);
    }
}
