//! The recorder writes what Timetracer writes: corpus cassettes rebuilt from their inputs come
//! out byte for byte, file names follow Timetracer's golden vectors, recordings decode without
//! warnings and are redacted before they leave the recorder.

#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test helpers: a failure here is a test failure"
)]

mod common;

use tapedeck_core::format::timetracer::build::{RecordedBody, Recording};
use tapedeck_core::json::{Document, Value, encode_compact};
use tapedeck_core::record::{
    CallOutcome, CaptureConfig, DependencyCall, Exchange, IncomingRequest, OutgoingResponse,
    Recorder, StorePolicy, cassette_file_name, hash_bytes, sanitize_route,
};
use tapedeck_core::redact::RedactorBuilder;

const HTTPX_HEADERS_HASH: &str =
    "sha256:9dfecf4c3d70022cfd9b5f20063e404a7e5591df7843cf6f59bf49d176e1f86c";

/// Corpus cassettes whose original bodies can be recovered (their hashes confirm it) and whose
/// dependency calls were made by httpx with its default headers.
const REBUILDABLE: [&str; 7] = [
    "starlette_httpx/2026-11-30/GET__profile_5__30dbb442.json",
    "starlette_httpx/2026-11-30/GET__teapot__cc201679.json",
    "starlette_httpx/2026-11-30/GET__explode__77db1615.json",
    "fastapi_default/2026-11-30/GET__connect_error__7e944ae4.json",
    "fastapi_default/2026-11-30/DELETE__orders_ord_77__ef2313aa.json",
    "fastapi_default/2026-11-30/GET__crash__fd086792.json",
    "fastapi_pii_unredacted/2026-11-30/GET__not_found_direct__4e1d1408.json",
];

fn read_corpus(relative: &str) -> Vec<u8> {
    let path = common::corpus_root()
        .join("timetracer-1.6.0/cassettes")
        .join(relative);
    #[expect(clippy::disallowed_methods, reason = "the test reads the corpus")]
    std::fs::read(&path).unwrap()
}

/// `json.dumps(x)` with Python's default separators (`, ` and `: `), ASCII-escaped.
fn python_dumps_default(value: &Value) -> Vec<u8> {
    let compact = encode_compact(value, false);
    let mut out = Vec::with_capacity(compact.len() + compact.len() / 8);
    let (mut in_string, mut escaped) = (false, false);
    for byte in compact {
        out.push(byte);
        if in_string {
            if escaped {
                escaped = false;
            } else if byte == b'\\' {
                escaped = true;
            } else if byte == b'"' {
                in_string = false;
            }
        } else if byte == b'"' {
            in_string = true;
        } else if byte == b',' || byte == b':' {
            out.push(b' ');
        }
    }
    out
}

/// The original bytes of a recorded JSON body: whichever of Python's two common encodings
/// (compact as Starlette's `JSONResponse`, default as upstream stubs) has the recorded hash.
fn original_bytes(body: &RecordedBody) -> Vec<u8> {
    let data = body.data.as_ref().expect("a body with data");
    let candidates = [encode_compact(data, false), python_dumps_default(data)];
    candidates
        .into_iter()
        .find(|bytes| Some(hash_bytes(bytes)) == body.hash)
        .expect("one encoding reproduces the recorded hash")
}

fn query_string(pairs: &[(String, Value)]) -> String {
    let encode = |s: &str| {
        s.bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                    char::from(b).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect::<String>()
    };
    pairs
        .iter()
        .flat_map(|(k, v)| {
            match v {
                Value::Array(items) => items.iter().filter_map(Value::as_str).collect::<Vec<_>>(),
                other => other.as_str().into_iter().collect(),
            }
            .into_iter()
            .map(move |v| format!("{}={}", encode(k), encode(v)))
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// The recorder's inputs for a corpus cassette: what the middleware and httpx saw.
fn inputs_of(recording: &Recording, started_at_unix_micros: i64) -> (CaptureConfig, Exchange) {
    let s = &recording.session;
    let p = &recording.policies;
    let config = CaptureConfig {
        service: s.service.clone(),
        env: s.env.clone(),
        framework: s.framework.clone(),
        tool_version: s.tool_version.clone(),
        runtime_version: s.python_version.clone(),
        max_body_kb: u64::try_from(p.max_body_kb).unwrap(),
        store_request_body: StorePolicy::from_name(&p.store_request_body).unwrap(),
        store_response_body: StorePolicy::from_name(&p.store_response_body).unwrap(),
        sample_rate: p.sample_rate,
        errors_only: p.errors_only,
    };
    let r = &recording.request;
    assert!(r.body.is_none(), "rebuilt cassettes have no request body");
    let response = (recording.response.status != 0).then(|| OutgoingResponse {
        status: u16::try_from(recording.response.status).unwrap(),
        headers: recording.response.headers.clone(),
        body: recording
            .response
            .body
            .as_ref()
            .map(original_bytes)
            .unwrap_or_default(),
    });
    let calls = recording
        .events
        .iter()
        .map(|e| {
            assert_eq!(e.headers_hash.as_deref(), Some(HTTPX_HEADERS_HASH));
            assert_eq!(e.body_hash, None);
            let query = query_string(&e.query);
            let url = e.url.clone().unwrap_or_default();
            DependencyCall {
                event_type: e.event_type.clone(),
                lib: e.lib.clone(),
                method: e.method.clone(),
                url: if query.is_empty() {
                    url
                } else {
                    format!("{url}?{query}")
                },
                request_headers: vec![
                    (String::from("host"), String::from("127.0.0.1:18080")),
                    (String::from("accept"), String::from("*/*")),
                    (
                        String::from("accept-encoding"),
                        String::from("gzip, deflate"),
                    ),
                    (String::from("connection"), String::from("keep-alive")),
                    (
                        String::from("user-agent"),
                        String::from("python-httpx/0.28.1"),
                    ),
                ],
                request_body: Vec::new(),
                start_offset_ms: e.start_offset_ms,
                duration_ms: e.duration_ms,
                outcome: match (&e.error_type, &e.error) {
                    (Some(error_type), Some(message)) => CallOutcome::Failed {
                        error_type: error_type.clone(),
                        message: message.clone(),
                    },
                    _ => CallOutcome::Response {
                        status: e.status.unwrap(),
                        headers: e.headers.clone(),
                        body: e.body.as_ref().map(original_bytes).unwrap_or_default(),
                    },
                },
            }
        })
        .collect();
    let exchange = Exchange {
        session_id: s.id.clone(),
        started_at_unix_micros,
        duration_ms: recording.response.duration_ms,
        request: IncomingRequest {
            method: r.method.clone(),
            path: r.path.clone(),
            route_template: r.route_template.clone(),
            query: query_string(&r.query),
            headers: r.headers.clone(),
            body: Vec::new(),
            client_ip: r.client_ip.clone(),
        },
        response,
        calls,
        failure: None,
    };
    (config, exchange)
}

#[test]
fn rebuilds_corpus_cassettes_byte_for_byte() {
    for relative in REBUILDABLE {
        let bytes = read_corpus(relative);
        let decoded = tapedeck_core::decode(relative, &bytes).unwrap();
        let recording = Recording::from_cassette(&decoded.cassette);
        let micros = decoded.cassette.meta.recorded_at_micros.unwrap();
        let (config, exchange) = inputs_of(&recording, micros);
        let recorded = Recorder::without_redaction(config)
            .record(&exchange)
            .unwrap();
        common::assert_same_text(relative, &bytes, &recorded.bytes);
        assert_eq!(
            recorded.relative_path(),
            relative.split_once('/').unwrap().1,
            "file name of {relative}"
        );
    }
}

#[test]
fn names_files_as_timetracer_golden_vectors() {
    let path = common::corpus_root().join("timetracer-1.6.0/reference/redaction/vectors.json");
    #[expect(clippy::disallowed_methods, reason = "the test reads the corpus")]
    let bytes = std::fs::read(path).unwrap();
    let doc = Document::parse(&bytes).unwrap();
    let naming = doc.root().get("naming").unwrap();
    let mut checked = 0;
    for case in naming.elements() {
        let route = case.get("route").unwrap().as_str().unwrap();
        let sanitized = case.get("sanitize_route").unwrap().as_str().unwrap();
        let file = case
            .get("cassette_filename(GET, route, 'abcdef12-3456')")
            .unwrap()
            .as_str()
            .unwrap();
        assert_eq!(
            sanitize_route(&route),
            sanitized,
            "sanitize_route({route:?})"
        );
        assert_eq!(
            cassette_file_name("GET", &route, "abcdef12-3456"),
            file,
            "cassette_filename({route:?})"
        );
        checked += 1;
    }
    assert!(checked >= 12);
    assert_eq!(
        cassette_file_name("", "", "abcdef12"),
        "UNKNOWN__unknown__abcdef12.json"
    );
    assert_eq!(
        cassette_file_name("get", "/x", "abcdef12-3"),
        "GET__x__abcdef12.json"
    );
}

fn sample_exchange() -> Exchange {
    Exchange {
        session_id: String::from("0f1e2d3c-4b5a-4678-9abc-def012345678"),
        started_at_unix_micros: 1_796_024_310_000_000,
        duration_ms: 3.25,
        request: IncomingRequest {
            method: String::from("POST"),
            path: String::from("/signup"),
            route_template: None,
            query: String::from("ref=mail"),
            headers: vec![
                (
                    String::from("content-type"),
                    String::from("application/json"),
                ),
                (
                    String::from("authorization"),
                    String::from("Bearer abc.def.ghi"),
                ),
            ],
            body: br#"{"email": "ada@example.com", "password": "hunter22"}"#.to_vec(),
            client_ip: Some(String::from("127.0.0.1")),
        },
        response: Some(OutgoingResponse {
            status: 201,
            headers: vec![(
                String::from("content-type"),
                String::from("application/json"),
            )],
            body: br#"{"id": 7}"#.to_vec(),
        }),
        calls: vec![DependencyCall {
            event_type: String::from("http.client"),
            lib: String::from("reqwest"),
            method: String::from("GET"),
            url: String::from("http://127.0.0.1:9000/users/7?api_key=abc123secret"),
            request_headers: vec![(String::from("accept"), String::from("*/*"))],
            request_body: Vec::new(),
            start_offset_ms: 0.5,
            duration_ms: 1.5,
            outcome: CallOutcome::Response {
                status: 200,
                headers: vec![(
                    String::from("content-type"),
                    String::from("application/json"),
                )],
                body: br#"{"id": 7, "email": "ada@example.com"}"#.to_vec(),
            },
        }],
        failure: None,
    }
}

#[test]
fn recorded_cassettes_decode_without_warnings() {
    let redacting = Recorder::new(
        CaptureConfig::default(),
        RedactorBuilder::new().build().unwrap(),
    );
    let recorded = redacting.record(&sample_exchange()).unwrap();
    let decoded = tapedeck_core::decode(&recorded.file_name, &recorded.bytes).unwrap();
    assert!(decoded.warnings.is_empty(), "{:?}", decoded.warnings);
    assert_eq!(decoded.cassette.events.len(), 1);
    assert_eq!(decoded.cassette.response.status, 201);
    assert_eq!(recorded.file_name, "POST__signup__0f1e2d3c.json");
}

#[test]
fn redacts_at_capture_time() {
    let plain = Recorder::without_redaction(CaptureConfig::default())
        .record(&sample_exchange())
        .unwrap();
    let text = String::from_utf8(plain.bytes).unwrap();
    assert!(text.contains("ada@example.com"));
    assert!(text.contains("hunter22"));

    let redacting = Recorder::new(
        CaptureConfig::default(),
        RedactorBuilder::new().build().unwrap(),
    );
    let recorded = redacting.record(&sample_exchange()).unwrap();
    let text = String::from_utf8(recorded.bytes).unwrap();
    for secret in ["ada@example.com", "hunter22", "abc.def.ghi", "abc123secret"] {
        assert!(!text.contains(secret), "{secret} survived redaction");
    }
    assert!(recorded.redactions >= 4);
}
