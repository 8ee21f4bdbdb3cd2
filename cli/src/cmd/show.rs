//! `tapedeck show`: a readable summary of one cassette and its dependency calls.

use std::io::Write as _;
use std::process::ExitCode;

use serde::Serialize;
use tapedeck_core::model::NameValue;
use tapedeck_core::{Body, Cassette};

use crate::args::ShowArgs;
use crate::fsio;

pub fn run(args: &ShowArgs) -> anyhow::Result<ExitCode> {
    let bytes = fsio::read_input(&args.file)?;
    // One row per exchange: a HAR file shows each of its entries.
    let rows = match tapedeck_core::decode_file(&fsio::display_name(&args.file), &bytes) {
        Ok(rows) => rows,
        Err(err) => {
            eprintln!("tapedeck: {err}");
            return Ok(ExitCode::from(1));
        }
    };
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if args.json {
        // One object for a one-row file (as before), an array of them otherwise.
        let views: Vec<View<'_>> = rows.iter().map(|d| View::of(&d.cassette)).collect();
        if let [one] = views.as_slice() {
            serde_json::to_writer_pretty(&mut out, one)?;
        } else {
            serde_json::to_writer_pretty(&mut out, &views)?;
        }
        out.write_all(b"\n")?;
    } else {
        for (i, decoded) in rows.iter().enumerate() {
            if i > 0 {
                writeln!(out)?;
            }
            write_text(&mut out, &decoded.cassette)?;
            for warning in &decoded.warnings {
                writeln!(out, "warning: {warning}")?;
            }
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn status_tag(status: i64) -> &'static str {
    if status == 0 || status >= 400 {
        "[ERR]"
    } else {
        "[OK]"
    }
}

fn with_query(path: &str, query: &[NameValue]) -> String {
    if query.is_empty() {
        return path.to_owned();
    }
    let q: Vec<String> = query.iter().map(|(k, v)| format!("{k}={v}")).collect();
    format!("{path}?{}", q.join("&"))
}

fn body_line(body: &Body) -> String {
    let mut parts = Vec::new();
    if body.data.is_some() {
        parts.push(format!("{} content", body.encoding.as_str()));
    } else if body.captured {
        parts.push(format!("{} (content not kept)", body.encoding.as_str()));
    } else {
        parts.push(String::from("not captured (hash only)"));
    }
    if let Some(size) = body.size_bytes {
        parts.push(format!("{size} bytes"));
    }
    if body.truncated {
        parts.push(String::from("truncated"));
    }
    if let Some(hash) = &body.hash {
        parts.push(hash.clone());
    }
    parts.join(", ")
}

fn write_text(out: &mut impl std::io::Write, c: &Cassette) -> std::io::Result<()> {
    let m = &c.meta;
    writeln!(out, "Cassette: {}", c.name)?;
    let gz = if c.compressed { ", gzip" } else { "" };
    writeln!(
        out,
        "Format:   {} (schema {}{gz})",
        c.format.name(),
        m.schema_version
    )?;
    writeln!(out, "\nSession:")?;
    writeln!(out, "  ID:          {}", m.session_id)?;
    writeln!(out, "  Recorded:    {}", m.recorded_at)?;
    let or_dash = |v: &Option<String>| v.clone().unwrap_or_else(|| String::from("-"));
    writeln!(out, "  Service:     {}", or_dash(&m.service))?;
    writeln!(out, "  Environment: {}", or_dash(&m.env))?;
    writeln!(out, "  Framework:   {}", or_dash(&m.framework))?;
    let r = &c.request;
    writeln!(out, "\nRequest:")?;
    if r.method.is_empty() && r.path.is_empty() {
        writeln!(
            out,
            "  (none: recorded outside a request, e.g. by a test fixture)"
        )?;
    } else {
        writeln!(out, "  {} {}", r.method, with_query(&r.path, &r.query))?;
    }
    if let Some(route) = &r.route_template {
        writeln!(out, "  Route:       {route}")?;
    }
    for (name, value) in &r.headers {
        writeln!(out, "  {name}: {value}")?;
    }
    if let Some(body) = &r.body {
        writeln!(out, "  Body:        {}", body_line(body))?;
    }
    let res = &c.response;
    writeln!(out, "\nResponse:")?;
    if res.status == 0 {
        writeln!(
            out,
            "  [ERR] Status: 0 (no response: the application raised)"
        )?;
    } else {
        writeln!(out, "  {} Status: {}", status_tag(res.status), res.status)?;
    }
    writeln!(out, "  Duration: {:.2}ms", res.duration_ms)?;
    for (name, value) in &res.headers {
        writeln!(out, "  {name}: {value}")?;
    }
    if let Some(body) = &res.body {
        writeln!(out, "  Body:        {}", body_line(body))?;
    }
    if let Some(err) = &c.app_error {
        writeln!(
            out,
            "  Error: {}: {}",
            or_dash(&err.error_type),
            or_dash(&err.message)
        )?;
    }
    writeln!(out, "\nEvents: {} total", c.events.len())?;
    for (kind, n) in c.event_counts() {
        writeln!(out, "  {kind}: {n}")?;
    }
    if c.events.is_empty() {
        return Ok(());
    }
    writeln!(out, "\nEvent Details:")?;
    for e in &c.events {
        writeln!(out, "\n  #{} [{}] {}", e.sequence, e.kind.as_str(), e.lib)?;
        let target = e.target.as_deref().unwrap_or("");
        writeln!(out, "    {} {}", e.method, with_query(target, &e.query))?;
        writeln!(
            out,
            "    Offset: +{:.1}ms, Duration: {:.1}ms",
            e.start_offset_ms, e.duration_ms
        )?;
        if let Some(status) = e.status {
            let tag = if e.is_error() { "[ERR]" } else { "[OK]" };
            writeln!(out, "    {tag} Response: {status}")?;
        }
        if let Some(body) = &e.body {
            writeln!(out, "    Body: {}", body_line(body))?;
        }
        if let Some(error) = &e.error {
            let kind = e.error_type.as_deref().unwrap_or("Error");
            writeln!(out, "    [ERR] {kind}: {error}")?;
        }
    }
    Ok(())
}

#[derive(Serialize)]
struct BodyView<'a> {
    captured: bool,
    encoding: &'a str,
    has_content: bool,
    truncated: bool,
    size_bytes: Option<u64>,
    hash: Option<&'a str>,
}

impl<'a> BodyView<'a> {
    fn of(body: Option<&'a Body>) -> Option<Self> {
        body.map(|b| BodyView {
            captured: b.captured,
            encoding: b.encoding.as_str(),
            has_content: b.data.is_some(),
            truncated: b.truncated,
            size_bytes: b.size_bytes,
            hash: b.hash.as_deref(),
        })
    }
}

#[derive(Serialize)]
struct EventView<'a> {
    sequence: i64,
    #[serde(rename = "type")]
    kind: &'a str,
    lib: &'a str,
    method: &'a str,
    target: Option<&'a str>,
    query: &'a [NameValue],
    start_offset_ms: f64,
    duration_ms: f64,
    status: Option<i64>,
    headers: &'a [NameValue],
    body: Option<BodyView<'a>>,
    error: Option<&'a str>,
    error_type: Option<&'a str>,
}

#[derive(Serialize)]
struct View<'a> {
    file: &'a str,
    format: &'static str,
    compressed: bool,
    schema_version: &'a str,
    session_id: &'a str,
    recorded_at: &'a str,
    service: Option<&'a str>,
    env: Option<&'a str>,
    framework: Option<&'a str>,
    method: &'a str,
    path: &'a str,
    query: &'a [NameValue],
    request_headers: &'a [NameValue],
    request_body: Option<BodyView<'a>>,
    status: i64,
    duration_ms: f64,
    response_headers: &'a [NameValue],
    response_body: Option<BodyView<'a>>,
    events: Vec<EventView<'a>>,
}

impl<'a> View<'a> {
    fn of(c: &'a Cassette) -> Self {
        View {
            file: &c.name,
            format: c.format.name(),
            compressed: c.compressed,
            schema_version: &c.meta.schema_version,
            session_id: &c.meta.session_id,
            recorded_at: &c.meta.recorded_at,
            service: c.meta.service.as_deref(),
            env: c.meta.env.as_deref(),
            framework: c.meta.framework.as_deref(),
            method: &c.request.method,
            path: &c.request.path,
            query: &c.request.query,
            request_headers: &c.request.headers,
            request_body: BodyView::of(c.request.body.as_ref()),
            status: c.response.status,
            duration_ms: c.response.duration_ms,
            response_headers: &c.response.headers,
            response_body: BodyView::of(c.response.body.as_ref()),
            events: c
                .events
                .iter()
                .map(|e| EventView {
                    sequence: e.sequence,
                    kind: e.kind.as_str(),
                    lib: &e.lib,
                    method: &e.method,
                    target: e.target.as_deref(),
                    query: &e.query,
                    start_offset_ms: e.start_offset_ms,
                    duration_ms: e.duration_ms,
                    status: e.status,
                    headers: &e.headers,
                    body: BodyView::of(e.body.as_ref()),
                    error: e.error.as_deref(),
                    error_type: e.error_type.as_deref(),
                })
                .collect(),
        }
    }
}
