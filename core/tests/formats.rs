//! HAR, VCR.py, Ruby VCR, Betamax and go-vcr: detection, rows, round trips and conversion, on
//! fixtures recorded by the real tools (`tools/fixtures/generate.py`).

use tapedeck_core::format::{convert, reencode};
use tapedeck_core::json::Document;
use tapedeck_core::{BodyEncoding, Format, Syntax, decode, decode_file};

/// (file name, bytes, format, rows, dependency calls of the first row)
const FIXTURES: &[(&str, &[u8], Format, usize, usize)] = &[
    (
        "chromium.har",
        include_bytes!("fixtures/formats/chromium.har"),
        Format::Har,
        5,
        0,
    ),
    (
        "polly.har",
        include_bytes!("fixtures/formats/polly.har"),
        Format::Har,
        3,
        0,
    ),
    (
        "vcrpy.yaml",
        include_bytes!("fixtures/formats/vcrpy.yaml"),
        Format::VcrPy,
        1,
        4,
    ),
    (
        "vcrpy.json",
        include_bytes!("fixtures/formats/vcrpy.json"),
        Format::VcrPy,
        1,
        3,
    ),
    (
        "betamax.json",
        include_bytes!("fixtures/formats/betamax.json"),
        Format::Betamax,
        1,
        4,
    ),
    (
        "ruby-vcr.yml",
        include_bytes!("fixtures/formats/ruby-vcr.yml"),
        Format::RubyVcr,
        1,
        4,
    ),
    (
        "ruby-vcr.json",
        include_bytes!("fixtures/formats/ruby-vcr.json"),
        Format::RubyVcr,
        1,
        4,
    ),
    (
        "go-vcr.yaml",
        include_bytes!("fixtures/formats/go-vcr.yaml"),
        Format::GoVcr,
        1,
        4,
    ),
];

/// Whether a fixture is YAML (by its name: the library never looks at names).
fn is_yaml(name: &str) -> bool {
    std::path::Path::new(name)
        .extension()
        .is_some_and(|e| e == "yaml" || e == "yml")
}

/// A file's value tree as compact JSON (for YAML, of its JSON projection).
#[expect(
    clippy::unwrap_used,
    reason = "a test helper: a failure fails the test"
)]
fn value_tree(name: &str, bytes: &[u8]) -> String {
    let rows = decode_file(name, bytes).unwrap();
    let first = &rows[0].cassette;
    if first.entry.is_some() {
        let doc = Document::parse(bytes).unwrap();
        return String::from_utf8(tapedeck_core::json::encode_compact(
            &doc.root().to_value(),
            false,
        ))
        .unwrap();
    }
    String::from_utf8(tapedeck_core::json::encode_compact(
        &first.document.root().to_value(),
        false,
    ))
    .unwrap()
}

#[test]
fn every_fixture_is_recognised_by_content_with_its_rows() {
    for (name, bytes, format, rows, calls) in FIXTURES {
        // A neutral name: detection never looks at it.
        let decoded = decode_file("input", bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(decoded.len(), *rows, "{name}");
        for row in &decoded {
            assert_eq!(row.cassette.format, *format, "{name}");
            assert!(row.warnings.is_empty(), "{name}: {:?}", row.warnings);
        }
        assert_eq!(decoded[0].cassette.events.len(), *calls, "{name}");
    }
}

#[test]
fn har_entries_are_rows_with_timings_and_their_own_documents() {
    let bytes = include_bytes!("fixtures/formats/chromium.har");
    let rows = decode_file("chromium.har", bytes).unwrap();
    let names: Vec<&str> = rows.iter().map(|r| r.cassette.name.as_str()).collect();
    assert_eq!(names[0], "chromium.har#1");
    assert_eq!(rows[2].cassette.entry, Some(2));
    for row in &rows {
        let c = &row.cassette;
        assert!(c.has_timings);
        assert!(!c.phases.is_empty(), "{}", c.name);
        assert!(c.meta.recorded_at_micros.is_some());
        assert_eq!(c.meta.framework.as_deref(), Some("Playwright"));
        // The row's document is its entry alone.
        assert!(c.document.root().get("startedDateTime").is_some());
    }
    let users = rows
        .iter()
        .find(|r| r.cassette.request.path == "/api/users/42")
        .unwrap();
    assert!(
        users
            .cassette
            .request
            .query
            .iter()
            .any(|(k, _)| k == "expand")
    );
    assert_eq!(users.cassette.response.status, 200);
    let pixel = rows
        .iter()
        .find(|r| r.cassette.request.path == "/static/pixel.png")
        .unwrap();
    let body = pixel.cassette.response.body.as_ref().unwrap();
    assert_eq!(body.encoding, BodyEncoding::Base64);
    // One entry alone decodes as a HAR row (the viewer keeps a row's text).
    let alone = decode("entry", users.cassette.document.text().as_bytes()).unwrap();
    assert_eq!(alone.cassette.request.path, "/api/users/42");
}

#[test]
fn a_multi_entry_har_names_decode_file_in_its_error() {
    let err = decode("x.har", include_bytes!("fixtures/formats/polly.har")).unwrap_err();
    assert!(err.to_string().contains("decode_file"), "{err}");
}

#[test]
fn polly_array_valued_headers_give_one_pair_per_value() {
    let har = br#"{"log": {"version": "1.2", "creator": {"name": "Polly.JS", "version": "6.0.6"}, "_recordingName": "r",
      "entries": [{"_id": "abc", "_order": 0, "startedDateTime": "2026-11-30T09:00:00.000Z", "time": 3,
        "request": {"method": "GET", "url": "http://127.0.0.1:1/a?x=1", "httpVersion": "HTTP/1.1", "cookies": [],
          "headers": [{"name": "accept", "value": ["application/json", "text/plain"], "_fromType": "array"}],
          "queryString": [{"name": "x", "value": "1"}], "headersSize": -1, "bodySize": 0},
        "response": {"status": 200, "statusText": "OK", "httpVersion": "HTTP/1.1", "cookies": [], "headers": [],
          "content": {"size": 2, "mimeType": "text/plain", "text": "ok"}, "redirectURL": "", "headersSize": -1, "bodySize": -1},
        "cache": {}, "timings": {"blocked": -1, "dns": -1, "connect": -1, "send": 0, "wait": 3, "receive": 0, "ssl": -1}}]}}"#;
    let rows = decode_file("polly.har", har).unwrap();
    let c = &rows[0].cassette;
    assert_eq!(
        c.request.headers,
        vec![
            (String::from("accept"), String::from("application/json")),
            (String::from("accept"), String::from("text/plain")),
        ]
    );
    assert_eq!(c.meta.session_id, "abc");
    assert_eq!(c.meta.framework.as_deref(), Some("Polly.JS"));
}

#[test]
fn vcr_style_files_are_one_row_of_calls_in_order_without_timings() {
    let bytes = include_bytes!("fixtures/formats/vcrpy.yaml");
    let rows = decode_file("cassettes/test_users.yaml", bytes).unwrap();
    let c = &rows[0].cassette;
    assert!(!c.has_timings);
    assert!(matches!(c.syntax, Syntax::Yaml { .. }));
    assert_eq!(c.request.path, "test_users");
    let sequence: Vec<i64> = c.events.iter().map(|e| e.sequence).collect();
    assert_eq!(sequence, [1, 2, 3, 4]);
    let methods: Vec<&str> = c.events.iter().map(|e| e.method.as_str()).collect();
    assert_eq!(methods, ["GET", "POST", "GET", "GET"]);
    assert_eq!(c.response.status, 404, "the worst status of the calls");
    // The `!!binary` PNG body is base64 content.
    let pixel = c.events[2].body.as_ref().unwrap();
    assert_eq!(pixel.encoding, BodyEncoding::Base64);
    let ruby = decode_file("r.yml", include_bytes!("fixtures/formats/ruby-vcr.yml")).unwrap();
    let ruby = &ruby[0].cassette;
    assert_eq!(ruby.events[1].method, "POST");
    assert!(ruby.meta.recorded_at_micros.is_some());
    assert_eq!(
        ruby.events[2].body.as_ref().unwrap().encoding,
        BodyEncoding::Base64
    );
    let go = decode_file("g.yaml", include_bytes!("fixtures/formats/go-vcr.yaml")).unwrap();
    assert!(go[0].cassette.events.iter().all(|e| e.duration_ms > 0.0));
}

#[test]
fn json_files_reencode_byte_for_byte() {
    for (name, bytes, ..) in FIXTURES {
        if is_yaml(name) {
            continue;
        }
        let out = reencode(name, bytes).unwrap();
        assert!(
            out == *bytes,
            "{name}: first difference at byte {}",
            out.iter()
                .zip(bytes.iter())
                .position(|(a, b)| a != b)
                .unwrap_or(out.len().min(bytes.len()))
        );
    }
}

#[test]
fn yaml_files_reencode_to_the_same_value_tree() {
    for (name, bytes, format, ..) in FIXTURES {
        if !is_yaml(name) {
            continue;
        }
        let out = reencode(name, bytes).unwrap();
        let again = decode_file(name, &out).unwrap();
        assert_eq!(again[0].cassette.format, *format, "{name}");
        assert_eq!(value_tree(name, &out), value_tree(name, bytes), "{name}");
        let (Syntax::Yaml { binary_paths: a }, Syntax::Yaml { binary_paths: b }) = (
            &again[0].cassette.syntax,
            &decode_file(name, bytes).unwrap()[0].cassette.syntax,
        ) else {
            panic!("{name}: not YAML after re-encoding");
        };
        assert_eq!(a, b, "{name}: !!binary tags");
    }
}

#[test]
fn every_format_converts_to_har_and_to_timetracer() {
    for (name, bytes, format, rows, calls) in FIXTURES {
        let har = convert(name, bytes, Format::Har).unwrap();
        let entries = decode_file("out.har", &har).unwrap();
        let expected = if *format == Format::Har {
            *rows
        } else {
            *calls
        };
        assert_eq!(entries.len(), expected, "{name}");
        assert!(entries.iter().all(|e| e.cassette.format == Format::Har));
        let tt = convert(name, bytes, Format::Timetracer).unwrap();
        let back = decode("out.json", &tt).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(back.cassette.format, Format::Timetracer);
        let events = if *format == Format::Har {
            rows - 1
        } else {
            *calls
        };
        assert_eq!(back.cassette.events.len(), events, "{name}");
    }
}

#[test]
fn timetracer_converts_to_har_with_its_http_calls() {
    let text = br#"{"schema_version": "1.0", "session": {"id": "s", "recorded_at": "2026-11-30T07:00:00+00:00"},
      "request": {"method": "GET", "path": "/a", "headers": {"host": "svc:8000"}},
      "response": {"status": 200, "duration_ms": 12.5, "body": {"_captured": true, "encoding": "json", "data": {"ok": true}}},
      "events": [{"eid": 1, "type": "http.client", "start_offset_ms": 1.0, "duration_ms": 5.0,
        "signature": {"lib": "httpx", "method": "GET", "url": "http://up/b"}, "result": {"status": 200}},
        {"eid": 2, "type": "redis", "start_offset_ms": 7.0, "duration_ms": 1.0,
        "signature": {"lib": "redis", "method": "GET"}, "result": {"status": 1}}]}"#;
    let har = convert("t.json", text, Format::Har).unwrap();
    let rows = decode_file("t.har", &har).unwrap();
    assert_eq!(rows.len(), 2);
    let first = &rows[0].cassette;
    assert_eq!(first.request.path, "/a");
    assert_eq!(first.meta.service.as_deref(), Some("svc:8000"));
    let text = String::from_utf8(har).unwrap();
    assert!(text.contains("\"text\": \"{\\\"ok\\\":true}\""), "{text}");
    assert!(text.contains("\"startedDateTime\": \"2026-11-30T07:00:00.001Z\""));
}

#[test]
fn yaml_tags_never_construct_objects() {
    let yaml = b"--- !ruby/object:VCR::Cassette\nhttp_interactions:\n- !ruby/struct:VCR::HTTPInteraction\n  request: !!python/object/apply:os.system\n    method: get\n    uri: http://x/\n  response:\n    status: {code: 200, message: OK}\nrecorded_with: VCR 1.11.3\n";
    let rows = decode_file("old.yml", yaml).unwrap();
    assert_eq!(rows[0].cassette.format, Format::RubyVcr);
    assert_eq!(rows[0].cassette.events[0].method, "GET");
}

#[test]
fn broken_files_report_their_place() {
    let err = decode_file("bad.yaml", b"interactions:\n- request: [\n").unwrap_err();
    assert!(err.problems[0].location.line >= 2, "{err}");
    let err = decode_file(
        "bad.har",
        br#"{"log": {"version": "1.2", "entries": [{"startedDateTime": "x", "request": {"url": "u"}, "response": {}}]}}"#,
    )
    .unwrap_err();
    let paths: Vec<&str> = err
        .problems
        .iter()
        .map(|p| p.location.json_path.as_str())
        .collect();
    assert!(paths.contains(&"$.log.entries[0].request"), "{paths:?}");
    assert!(paths.contains(&"$.log.entries[0].response"), "{paths:?}");
}

#[test]
fn redaction_of_every_format_scans_clean_and_still_decodes() {
    let redactor = tapedeck_core::redact::RedactorBuilder::new()
        .build()
        .unwrap();
    for (name, bytes, format, rows, _) in FIXTURES {
        let before = redactor.scan(bytes).unwrap();
        assert!(!before.is_empty(), "{name}: the fixture holds fake secrets");
        let redacted = redactor.redact(bytes).unwrap();
        let after = redactor.scan(&redacted.output).unwrap();
        assert!(
            after.is_empty(),
            "{name}: {:?}",
            after.iter().map(|f| f.json_path()).collect::<Vec<_>>()
        );
        let decoded = decode_file(name, &redacted.output).unwrap();
        assert_eq!(decoded.len(), *rows, "{name}");
        assert_eq!(decoded[0].cassette.format, *format, "{name}");
        let text = String::from_utf8_lossy(&redacted.output);
        for secret in [
            "sk_test_51HfakeFAKEfake0000000000",
            "jane.doe@example.com",
            "c2lnbmF0dXJlLWZha2U",
            "s3cr3t-session-token",
        ] {
            assert!(!text.contains(secret), "{name}: a secret survived");
        }
    }
}

#[test]
fn har_redaction_covers_params_cookies_and_repeated_header_values() {
    let har = br#"{"log": {"version": "1.2", "creator": {"name": "Polly.JS", "version": "6"}, "entries": [{
      "startedDateTime": "2026-11-30T09:00:00.000Z", "time": 1,
      "request": {"method": "POST", "url": "http://127.0.0.1:1/login", "httpVersion": "HTTP/1.1",
        "cookies": [{"name": "sid", "value": "opaque-session-value-1234"}],
        "headers": [{"name": "x-api-key", "value": ["first-key-value-0001", "second-key-value-0002"]}],
        "queryString": [],
        "postData": {"mimeType": "application/x-www-form-urlencoded", "params": [{"name": "password", "value": "hunter2-hunter2"}, {"name": "user", "value": "jane"}]},
        "headersSize": -1, "bodySize": 10},
      "response": {"status": 200, "statusText": "OK", "httpVersion": "HTTP/1.1", "cookies": [], "headers": [],
        "content": {"size": 0, "mimeType": "text/plain"}, "redirectURL": "", "headersSize": -1, "bodySize": -1},
      "cache": {}, "timings": {"send": 0, "wait": 1, "receive": 0}}]}}"#;
    let redactor = tapedeck_core::redact::RedactorBuilder::new()
        .build()
        .unwrap();
    let out = redactor.redact(har).unwrap();
    let text = String::from_utf8(out.output.clone()).unwrap();
    for secret in [
        "opaque-session-value-1234",
        "first-key-value-0001",
        "second-key-value-0002",
        "hunter2-hunter2",
    ] {
        assert!(!text.contains(secret), "{secret} survived:\n{text}");
    }
    assert!(text.contains("\"jane\""), "non-secret params stay");
    assert!(redactor.scan(&out.output).unwrap().is_empty());
    assert_eq!(decode_file("r.har", &out.output).unwrap().len(), 1);
}

#[test]
fn yaml_findings_point_into_the_yaml_file() {
    let bytes = include_bytes!("fixtures/formats/vcrpy.yaml");
    let redactor = tapedeck_core::redact::RedactorBuilder::new()
        .build()
        .unwrap();
    let findings = redactor.scan(bytes).unwrap();
    let auth = findings
        .iter()
        .find(|f| f.json_path().ends_with(".Authorization[0]"))
        .unwrap();
    assert!(bytes[auth.span().start..].starts_with(b"Bearer "));
}
