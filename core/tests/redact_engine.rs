//! The redaction engine on hand-made documents: scopes, operators, policy, idempotence and
//! surgical output. Uses small test detectors (tests/support/redact.rs), not the real ones.
#![expect(
    clippy::unwrap_used,
    reason = "test helpers: a failure here is a test failure"
)]

#[path = "support/redact.rs"]
mod support;

use tapedeck_core::json::Document;
use tapedeck_core::redact::{Policy, Redactor, RedactorBuilder};

fn redactor(policy: &str) -> Redactor {
    RedactorBuilder::new()
        .with_policy(Policy::from_toml(policy).unwrap())
        .with_detectors(support::test_detectors())
        .with_key(b"test-key".to_vec())
        .build()
        .unwrap()
}

fn redact(r: &Redactor, text: &str) -> String {
    String::from_utf8(r.redact(text.as_bytes()).unwrap().output).unwrap()
}

fn cassette(request_extra: &str, events: &str) -> String {
    format!(
        "{{\n  \"schema_version\": \"1.0\",\n  \"session\": {{\n    \"id\": \"s\",\n    \"recorded_at\": \"2026-11-30T07:25:12+00:00\"\n  }},\n  \"request\": {{\n    \"method\": \"GET\",\n    \"path\": \"/x\"{request_extra}\n  }},\n  \"response\": {{\n    \"status\": 200,\n    \"duration_ms\": 1.0\n  }},\n  \"events\": {events}\n}}"
    )
}

#[test]
fn key_words_decide_body_keys() {
    let r = redactor("");
    let out = redact(
        &r,
        r#"{"message": "hello", "page": 2, "trace_id": "tr-1", "usage": "x", "user_password": "hunter2", "apiKey": "k1", "X-Auth-Token": "t", "cardNumber": 42, "emailVerified": true, "pin": null}"#,
    );
    assert_eq!(
        out,
        r#"{"message": "hello", "page": 2, "trace_id": "tr-1", "usage": "x", "user_password": "[REDACTED]", "apiKey": "[REDACTED]", "X-Auth-Token": "[REDACTED]", "cardNumber": "[REDACTED]", "emailVerified": true, "pin": null}"#
    );
}

#[test]
fn sensitive_containers_keep_their_shape() {
    let r = redactor("");
    let out = redact(&r, r#"{"secret": {"a": ["x", 1, true], "b": {}}}"#);
    assert_eq!(
        out,
        r#"{"secret": {"a": ["[REDACTED]", "[REDACTED]", true], "b": {}}}"#
    );
}

#[test]
fn detectors_replace_only_the_match_inside_text() {
    let r = redactor("");
    let out = redact(
        &r,
        r#"{"notes": "call me; mail ada@example.com or ssn 123-45-6789"}"#,
    );
    assert_eq!(
        out,
        r#"{"notes": "call me; mail [REDACTED:EMAIL] or ssn [REDACTED:SSN]"}"#
    );
}

#[test]
fn output_is_byte_identical_outside_redacted_spans() {
    let r = redactor("");
    let input = "{\n  \"a\": \"keep \\u00e9\",\n  \"password\": \"p\",\n  \"n\": 1.50,\n  \"b\": [\n    \"ada@example.com\"\n  ]\n}";
    let red = r.redact(input.as_bytes()).unwrap();
    let out = String::from_utf8(red.output.clone()).unwrap();
    assert_eq!(
        out,
        "{\n  \"a\": \"keep \\u00e9\",\n  \"password\": \"[REDACTED]\",\n  \"n\": 1.50,\n  \"b\": [\n    \"[REDACTED:EMAIL]\"\n  ]\n}"
    );
    // Outside the edit spans, every byte is the input's.
    let mut pos = 0;
    let mut out_pos = 0;
    for e in &red.edits {
        assert_eq!(
            &input[pos..e.span.start],
            &out[out_pos..out_pos + e.span.start - pos]
        );
        out_pos += e.span.start - pos + e.replacement.len();
        pos = e.span.end;
    }
    assert_eq!(&input[pos..], &out[out_pos..]);
    assert_eq!(red.edits.apply(input), out);
}

#[test]
fn headers_cookies_and_schemes() {
    let r = redactor("");
    let input = cassette(
        ",\n    \"headers\": {\n      \"host\": \"10.0.0.1\",\n      \"authorization\": \"Bearer abc.def\",\n      \"cookie\": \"session=abc123; csrftoken=zzz\",\n      \"x-custom-token\": \"tok\",\n      \"x-forwarded-for\": \"a@b.co\",\n      \"message\": \"hi\"\n    }",
        "[]",
    );
    let out = redact(&r, &input);
    assert!(
        out.contains("\"authorization\": \"Bearer [REDACTED]\""),
        "{out}"
    );
    assert!(
        out.contains("\"cookie\": \"session=[REDACTED]; csrftoken=[REDACTED]\""),
        "{out}"
    );
    assert!(out.contains("\"x-custom-token\": \"[REDACTED]\""), "{out}");
    assert!(
        out.contains("\"x-forwarded-for\": \"[REDACTED:EMAIL]\""),
        "{out}"
    );
    assert!(out.contains("\"host\": \"10.0.0.1\""), "{out}");
    assert!(out.contains("\"message\": \"hi\""), "{out}");
    assert_eq!(redact(&r, &out), out);
}

#[test]
fn dropping_headers_keeps_valid_json_in_the_same_layout() {
    let r = redactor("[headers]\noperator = \"drop\"\ncookie_operator = \"drop\"\n");
    let input = cassette(
        ",\n    \"headers\": {\n      \"authorization\": \"Bearer x\",\n      \"accept\": \"*/*\",\n      \"cookie\": \"a=b\"\n    }",
        "[]",
    );
    let out = redact(&r, &input);
    assert!(
        out.contains("\"headers\": {\n      \"accept\": \"*/*\"\n    }"),
        "{out}"
    );
    assert!(tapedeck_core::decode("x.json", out.as_bytes()).is_ok());
}

#[test]
fn query_strings_userinfo_and_forms() {
    let r = redactor("");
    let input = cassette(
        ",\n    \"query\": {\n      \"q\": \"shoes\",\n      \"api_key\": \"KEY123\",\n      \"card\": \"4111111111111111\"\n    }",
        "[\n    {\n      \"eid\": 1,\n      \"type\": \"http.client\",\n      \"signature\": {\n        \"url\": \"https://bob:hunter2@api.example.com/x?access_token=tok&page=2&mail=ada%40example.com\",\n        \"body_hash\": \"sha256:00\"\n      },\n      \"result\": {\n        \"body\": {\n          \"encoding\": \"text\",\n          \"data\": \"user=ada&password=pw&n=1\"\n        }\n      }\n    }\n  ]",
    );
    let out = redact(&r, &input);
    assert!(out.contains("\"api_key\": \"[REDACTED]\""), "{out}");
    assert!(out.contains("\"card\": \"[REDACTED]\""), "{out}");
    assert!(out.contains("\"q\": \"shoes\""), "{out}");
    assert!(
        out.contains("https://bob:[REDACTED:USERINFO]@api.example.com/x?access_token=[REDACTED]&page=2&mail=[REDACTED:EMAIL]"),
        "{out}"
    );
    assert!(
        out.contains("\"data\": \"user=ada&password=[REDACTED]&n=1\""),
        "{out}"
    );
    // HTTP request body hashes are kept by default.
    assert!(out.contains("\"body_hash\": \"sha256:00\""), "{out}");
    assert_eq!(redact(&r, &out), out);
}

#[test]
fn parameter_hashes_of_database_calls_are_masked() {
    let r = redactor("");
    let input = cassette(
        "",
        "[\n    {\n      \"eid\": 1,\n      \"type\": \"db.query\",\n      \"signature\": {\n        \"url\": \"users\",\n        \"body_hash\": \"sha256:abc\"\n      }\n    }\n  ]",
    );
    let out = redact(&r, &input);
    assert!(out.contains("\"body_hash\": \"[REDACTED]\""), "{out}");
    let findings = r.scan(input.as_bytes()).unwrap().to_vec();
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0].rule(), "parameter_hash");
    assert_eq!(findings[0].json_path(), "$.events[0].signature.body_hash");
}

#[test]
fn body_hash_of_redacted_data_is_recomputed() {
    let r = redactor("");
    let input = cassette(
        ",\n    \"body\": {\n      \"_captured\": true,\n      \"encoding\": \"json\",\n      \"data\": {\n        \"password\": \"x\"\n      },\n      \"size_bytes\": 17,\n      \"hash\": \"sha256:aaaa\"\n    }",
        "[]",
    );
    let out = redact(&r, &input);
    assert!(!out.contains("sha256:aaaa"), "{out}");
    assert!(out.contains("\"hash\": \"sha256:"), "{out}");
    assert!(out.contains("\"size_bytes\": 17"), "{out}");
    assert_eq!(redact(&r, &out), out);
    let dropped = redact(&redactor("[hashes]\nbody_hash = \"drop\"\n"), &input);
    assert!(dropped.contains("\"size_bytes\": 17\n    }"), "{dropped}");
    let kept = redact(&redactor("[hashes]\nbody_hash = \"keep\"\n"), &input);
    assert!(kept.contains("sha256:aaaa"), "{kept}");
}

#[test]
fn body_hashes_written_after_the_output_match_the_walked_edits() {
    // `redact` computes body hashes on its output; `redact_document` while walking. Bodies
    // with the hash before or after the data, several bodies, a whole-string body and an
    // unchanged one must give the same bytes both ways, under every hash mode.
    let body = |data: &str, hash_first: bool| {
        let hash = "\"hash\": \"sha256:aaaa\"";
        let data = format!("\"data\": {data}");
        let (a, b) = if hash_first {
            (hash.to_owned(), data)
        } else {
            (data, hash.to_owned())
        };
        format!("{{\"encoding\": \"json\", {a}, \"size_bytes\": 3, {b}}}")
    };
    let events = format!(
        "[{{\"type\": \"http.client\", \"result\": {{\"body\": {}}}}}, {{\"type\": \"db.query\", \"result\": {{\"body\": {}}}}}]",
        body(
            "{\"token\": \"t1\", \"note\": \"mail bo@example.com\"}",
            true
        ),
        body("\"plain bo@example.com text\"", false),
    );
    let input = cassette(
        &format!(
            ",\n    \"body\": {}",
            body("[\"ok\", {\"password\": \"p\"}]", false)
        ),
        &events,
    )
    .replace(
        "\"duration_ms\": 1.0",
        &format!(
            "\"duration_ms\": 1.0, \"body\": {}",
            body("{\"a\": 1}", true)
        ),
    );
    for mode in ["rehash", "hmac", "drop", "keep"] {
        let r = redactor(&format!("[hashes]\nbody_hash = \"{mode}\"\n"));
        let redaction = r.redact(input.as_bytes()).unwrap();
        let doc = Document::parse(input.as_bytes()).unwrap();
        let (edits, _) = r.redact_document(&doc);
        assert_eq!(redaction.edits, edits, "{mode}");
        let walked = edits.apply(&input);
        let out = String::from_utf8(redaction.output).unwrap();
        assert_eq!(out, walked, "{mode}");
        assert!(
            !out.contains("00000000"),
            "{mode}: a placeholder was left: {out}"
        );
    }
    let out = redact(&redactor(""), &input);
    assert_eq!(out.matches("\"hash\": \"sha256:aaaa\"").count(), 1, "{out}");
}

#[test]
fn json_inside_strings_is_redacted_and_reencoded() {
    let r = redactor("");
    let out = redact(
        &r,
        r#"{"payload": "{\"token\": \"abc\", \"who\": \"ada@example.com\", \"x\": \"\u00e9\"}"}"#,
    );
    assert_eq!(
        out,
        r#"{"payload": "{\"token\": \"[REDACTED]\", \"who\": \"[REDACTED:EMAIL]\", \"x\": \"\u00e9\"}"}"#
    );
    let findings = r
        .scan(br#"{"payload": "{\"token\": \"abc\"}"}"#)
        .unwrap()
        .to_vec();
    assert_eq!(findings[0].json_path(), "$.payload");
    assert_eq!(findings[0].field(), Some("json:$.token"));
    assert_eq!(redact(&r, &out), out);
}

#[test]
fn operators_per_rule() {
    let r = redactor(
        "[detectors]\nemail = \"hmac\"\npayment_card = \"keep_last:4\"\nssn = \"drop\"\n[keys]\noperator = \"hmac\"\n",
    );
    let out = redact(
        &r,
        r#"{"a": "ada@example.com", "b": "x ada@example.com", "c": "4111111111111111", "d": "ssn 123-45-6789!", "password": "hunter2"}"#,
    );
    let doc = Document::parse(out.as_bytes()).unwrap();
    let get = |k: &str| doc.root().get(k).unwrap().as_str().unwrap().into_owned();
    let token = get("a");
    assert!(token.starts_with("[EMAIL:") && token.len() == 14, "{token}");
    assert_eq!(get("b"), format!("x {token}"));
    assert_eq!(get("c"), "[REDACTED:CREDIT_CARD]1111");
    assert_eq!(get("d"), "ssn !");
    assert!(get("password").starts_with("[PASSWORD:"), "{out}");
    assert_eq!(redact(&r, &out), out);
    // Another key gives other pseudonyms; no key is an error for hmac rules.
    let other = RedactorBuilder::new()
        .with_policy(Policy::from_toml("[detectors]\nemail = \"hmac\"\n").unwrap())
        .with_detectors(support::test_detectors())
        .with_key(b"other".to_vec())
        .build()
        .unwrap();
    assert_ne!(
        redact(&other, r#"["ada@example.com"]"#),
        format!("[\"{token}\"]")
    );
}

#[test]
fn bad_policies_name_the_rule_and_reason() {
    let cases = [
        ("[detectors]\nemail = \"hmac\"\n", "detectors.email", "key"),
        (
            "[detectors]\nemial = true\n",
            "detectors.emial",
            "unknown detector",
        ),
        (
            "[keys]\noperator = \"zap\"\n",
            "keys.operator",
            "unknown operator",
        ),
        (
            "[[patterns]]\nname = \"order\"\nregex = \"(\"\n",
            "patterns.order",
            "bad regex",
        ),
        (
            "[[patterns]]\nname = \"email\"\nregex = \"x\"\n",
            "patterns.email",
            "already used",
        ),
        (
            "[[patterns]]\nname = \"e\"\nregex = \"x*\"\n",
            "patterns.e",
            "empty string",
        ),
        (
            "[allow]\npaths = [\"request\"]\n",
            "allow.paths request",
            "starts with $",
        ),
        (
            "[hashes]\nbody_hash = \"md5\"\n",
            "hashes.body_hash",
            "expected",
        ),
        ("[keys]\nextras = []\n", "toml", "extras"),
    ];
    for (text, rule, reason) in cases {
        let err = Policy::from_toml(text)
            .and_then(|p| RedactorBuilder::new().with_policy(p).build())
            .unwrap_err();
        assert_eq!(err.rule, rule, "{text}");
        assert!(err.reason.contains(reason), "{text}: {err}");
    }
}

#[test]
fn allow_lists_and_patterns() {
    let r = redactor(
        "[allow]\nvalues = [\"test@example.com\"]\nkeys = [\"password\"]\npaths = [\"$.keep\"]\n[[patterns]]\nname = \"order_id\"\nregex = \"ord_[0-9]{4,}\"\n",
    );
    let out = redact(
        &r,
        r#"{"a": "test@example.com", "password": "p", "keep": {"token": "t"}, "o": "see ord_12345", "t": "x"}"#,
    );
    assert_eq!(
        out,
        r#"{"a": "test@example.com", "password": "p", "keep": {"token": "t"}, "o": "see [REDACTED:ORDER_ID]", "t": "x"}"#
    );
}

#[test]
fn findings_never_hold_values() {
    let r = redactor("");
    let input = r#"{"password": "hunter2", "n": "ada@example.com"}"#;
    let findings = r.scan(input.as_bytes()).unwrap().to_vec();
    assert_eq!(findings.len(), 2);
    let shown = format!("{findings:?}");
    assert!(
        !shown.contains("hunter2") && !shown.contains("ada@"),
        "{shown}"
    );
    assert_eq!(findings[0].rule(), "sensitive_key");
    assert_eq!(findings[1].rule(), "email");
    assert!(findings[0].fingerprint().is_some());
}

#[test]
fn scan_looks_inside_base64_and_gzip_bodies() {
    use base64::Engine as _;
    let r = redactor("");
    let plain = base64::engine::general_purpose::STANDARD.encode(br#"{"password": "x"}"#);
    let gz = base64::engine::general_purpose::STANDARD.encode(
        tapedeck_core::format::gzip::deflate(b"mail ada@example.com"),
    );
    let input = cassette(
        &format!(
            ",\n    \"body\": {{\n      \"encoding\": \"base64\",\n      \"data\": \"{plain}\"\n    }}"
        ),
        &format!(
            "[\n    {{\n      \"eid\": 1,\n      \"type\": \"http.client\",\n      \"result\": {{\n        \"body\": {{\n          \"encoding\": \"base64\",\n          \"data\": \"{gz}\"\n        }}\n      }}\n    }}\n  ]"
        ),
    );
    let findings = r.scan(input.as_bytes()).unwrap();
    let fields: Vec<_> = findings
        .iter()
        .map(|f| f.field().map(str::to_owned).unwrap_or_default())
        .collect();
    assert_eq!(
        fields,
        ["base64:$.password", "base64+gzip:text"],
        "{findings:?}"
    );
}

#[test]
fn gzip_input_gives_gzip_output() {
    let r = redactor("");
    let packed = tapedeck_core::format::gzip::deflate(br#"{"token": "t"}"#);
    let red = r.redact(&packed).unwrap();
    assert!(tapedeck_core::format::gzip::is_gzip(&red.output));
    let text = tapedeck_core::format::gzip::inflate(&red.output, 1 << 20).unwrap();
    assert_eq!(text, br#"{"token": "[REDACTED]"}"#);
}

#[test]
fn default_policy_text_parses_and_builds() {
    let policy = Policy::from_toml(Policy::default_toml()).unwrap();
    assert_eq!(policy, Policy::default());
    assert!(RedactorBuilder::new().with_policy(policy).build().is_ok());
}

mod props {
    use super::*;
    use proptest::prelude::*;

    fn json_value() -> impl Strategy<Value = serde_json::Value> {
        let key = prop::sample::select(vec![
            "password", "message", "page", "email", "apiKey", "notes", "card", "trace_id", "url",
            "x", "payload",
        ]);
        let leaf = prop_oneof![
            Just(serde_json::Value::Null),
            any::<bool>().prop_map(serde_json::Value::Bool),
            any::<i32>().prop_map(|n| serde_json::json!(n)),
            prop::sample::select(vec![
                "ada@example.com",
                "call 123-45-6789 now",
                "4111111111111111",
                "https://u:p@h.example/x?token=1&q=2",
                "a=1&secret=2",
                "{\"token\": \"x\"}",
                "[REDACTED]",
                "plain é text",
                "",
            ])
            .prop_map(|s| serde_json::Value::String(s.to_owned())),
            "[ -~]{0,12}".prop_map(serde_json::Value::String),
        ];
        leaf.prop_recursive(4, 40, 6, move |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..5).prop_map(serde_json::Value::Array),
                prop::collection::vec((key.clone(), inner), 0..5).prop_map(|members| {
                    serde_json::Value::Object(
                        members
                            .into_iter()
                            .map(|(k, v)| (k.to_owned(), v))
                            .collect(),
                    )
                }),
            ]
        })
    }

    proptest! {
        #[test]
        fn redaction_is_idempotent_and_output_parses(value in json_value(), pretty in any::<bool>()) {
            let r = redactor("");
            let text = if pretty {
                serde_json::to_string_pretty(&value).unwrap()
            } else {
                serde_json::to_string(&value).unwrap()
            };
            let once = r.redact(text.as_bytes()).unwrap().output;
            prop_assert!(Document::parse(&once).is_ok());
            let twice = r.redact(&once).unwrap();
            prop_assert!(twice.edits.is_empty(), "second pass changed {:?}", twice.findings);
            prop_assert!(r.scan(&once).unwrap().is_empty());
        }
    }
}

/// The regex crate ships without its Unicode Perl classes (browser bundle size): `\d`, `\w`
/// and `\b` in a policy pattern still work, with their ASCII meaning.
#[test]
fn patterns_with_perl_classes_compile_in_ascii_mode() {
    let policy =
        Policy::from_toml("[[patterns]]\nname = \"order\"\nregex = \"\\\\bORD-\\\\d{4,}\\\\b\"\n")
            .unwrap();
    let redactor = RedactorBuilder::new().with_policy(policy).build().unwrap();
    let doc = br#"{"note": "see ORD-12345 and ORD-1"}"#;
    let out = redactor.redact(doc).unwrap();
    assert_eq!(
        String::from_utf8(out.output).unwrap(),
        r#"{"note": "see [REDACTED:ORDER] and ORD-1"}"#
    );
}

#[test]
fn findings_collection_hands_out_the_same_standalone_findings() {
    let r = RedactorBuilder::new().build().unwrap();
    let red = r
        .redact(br#"{"user": {"email": "ada@example.com", "password": "hunter2", "note": "mail bob@example.org"}}"#)
        .unwrap();
    let all = red.findings.to_vec();
    assert_eq!(all.len(), 3);
    assert_eq!(red.findings.len(), all.len());
    for (i, f) in red.findings.iter().enumerate() {
        assert_eq!(red.findings.get(i).as_ref(), Some(&f));
        assert_eq!(f, all[i]);
    }
    assert_eq!(all[0].json_path(), "$.user.email");
    assert!(red.findings.get(all.len()).is_none());
    assert_eq!(
        serde_json::to_value(&red.findings).unwrap(),
        serde_json::to_value(&all).unwrap()
    );
    assert_eq!(red.findings.into_iter().collect::<Vec<_>>(), all);
}
