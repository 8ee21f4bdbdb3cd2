//! Proof on the real corpus: every cassette, redacted with the default policy, still decodes,
//! keeps its shape, scans clean and does not change when redacted again; in the PII twins,
//! everything Timetracer masked is masked too, and so are the leaks it missed.
#![expect(
    clippy::unwrap_used,
    reason = "test helpers: a failure here is a test failure"
)]
#![expect(
    clippy::disallowed_methods,
    reason = "tests read the corpus from disk; the library itself does no I/O"
)]

mod common;

use std::path::Path;

use tapedeck_core::json::{Document, Kind, Node};
use tapedeck_core::redact::{Redactor, RedactorBuilder};

fn redactor() -> Redactor {
    RedactorBuilder::new().build().unwrap()
}

/// Same containers, same keys in the same order, same array lengths; scalars may differ.
fn assert_same_shape(name: &str, path: &str, a: Node<'_>, b: Node<'_>) {
    match (a.kind(), b.kind()) {
        (Kind::Object, Kind::Object) => {
            let ka: Vec<String> = a
                .members()
                .map(|(k, _)| k.as_str().unwrap().into_owned())
                .collect();
            let kb: Vec<String> = b
                .members()
                .map(|(k, _)| k.as_str().unwrap().into_owned())
                .collect();
            assert_eq!(ka, kb, "{name}: keys differ at {path}");
            for ((k, va), (_, vb)) in a.members().zip(b.members()) {
                assert_same_shape(name, &format!("{path}.{}", k.as_str().unwrap()), va, vb);
            }
        }
        (Kind::Array, Kind::Array) => {
            assert_eq!(a.len(), b.len(), "{name}: array length differs at {path}");
            for (i, (va, vb)) in a.elements().zip(b.elements()).enumerate() {
                assert_same_shape(name, &format!("{path}[{i}]"), va, vb);
            }
        }
        (Kind::Object | Kind::Array, _) | (_, Kind::Object | Kind::Array) => {
            panic!("{name}: container replaced at {path}")
        }
        _ => {}
    }
}

#[test]
fn every_corpus_cassette_redacts_to_a_clean_cassette_of_the_same_shape() {
    let r = redactor();
    let files = common::corpus_files();
    assert_eq!(files.len(), 78);
    let mut changed = 0;
    for file in &files {
        let bytes = std::fs::read(file).unwrap();
        let red = r.redact(&bytes).unwrap();
        if red.changed() {
            changed += 1;
        }
        let decoded = tapedeck_core::decode(file, &red.output)
            .unwrap_or_else(|e| panic!("{file}: redacted output no longer decodes: {e}"));
        let original = tapedeck_core::decode(file, &bytes).unwrap();
        assert_eq!(
            decoded.cassette.events.len(),
            original.cassette.events.len(),
            "{file}"
        );
        assert_same_shape(
            file,
            "$",
            original.cassette.document.root(),
            decoded.cassette.document.root(),
        );
        let findings = r.scan(&red.output).unwrap();
        assert!(
            findings.is_empty(),
            "{file}: redacted output still has findings: {findings:?}"
        );
        let again = r.redact(&red.output).unwrap();
        assert!(
            again.edits.is_empty(),
            "{file}: second redaction changed {:?}",
            again.findings
        );
        assert_eq!(again.output, red.output, "{file}");
        // Surgical: outside the edits, the bytes are the input's.
        let text = decoded.cassette.document.text();
        let source = original.cassette.document.text();
        let mut pos = 0;
        let mut out_pos = 0;
        for e in &red.edits {
            let keep = e.span.start - pos;
            assert_eq!(
                &source[pos..e.span.start],
                &text[out_pos..out_pos + keep],
                "{file}"
            );
            out_pos += keep + e.replacement.len();
            pos = e.span.end;
        }
        assert_eq!(&source[pos..], &text[out_pos..], "{file}");
    }
    assert!(changed > 40, "only {changed} files changed");
}

/// Every `(path, value)` of string and number leaves.
fn leaves(node: Node<'_>, path: String, out: &mut Vec<(String, String)>) {
    match node.kind() {
        Kind::Object => {
            for (k, v) in node.members() {
                leaves(v, format!("{path}.{}", k.as_str().unwrap()), out);
            }
        }
        Kind::Array => {
            for (i, v) in node.elements().enumerate() {
                leaves(v, format!("{path}[{i}]"), out);
            }
        }
        Kind::String => out.push((path, node.as_str().unwrap().into_owned())),
        Kind::Number | Kind::Bool | Kind::Null => out.push((path, node.raw().to_owned())),
    }
}

fn value_at(doc: &Document<'_>, path: &str) -> Option<String> {
    let mut all = Vec::new();
    leaves(doc.root(), String::from("$"), &mut all);
    all.into_iter().find(|(p, _)| p == path).map(|(_, v)| v)
}

/// Keys Timetracer masks only because of substring matching (documented false positives).
const TIMETRACER_FALSE_POSITIVES: &[&str] = &["page", "pinned"];

#[test]
fn pii_twins_catch_everything_timetracer_caught_and_what_it_missed() {
    let root = common::corpus_root().join("timetracer-1.6.0");
    let reference = root.join("reference/redaction");
    let r = redactor();
    let mut compared = 0;
    let mut missed: Vec<String> = Vec::new();
    for entry in
        std::fs::read_dir(root.join("cassettes/fastapi_pii_unredacted/2026-11-30")).unwrap()
    {
        let path = entry.unwrap().path();
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        let original_bytes = std::fs::read(&path).unwrap();
        let original = Document::parse(&original_bytes).unwrap();
        let ours = Document::parse(&r.redact(&original_bytes).unwrap().output).unwrap();
        let theirs = Document::parse(
            &std::fs::read(reference.join(format!("{stem}.inbound-redacted.json"))).unwrap(),
        )
        .unwrap();

        // Every value Timetracer masked (or header it dropped) is changed by us too.
        let mut before = Vec::new();
        leaves(original.root(), String::from("$"), &mut before);
        for (p, value) in &before {
            let key = p.rsplit('.').next().unwrap_or("");
            let theirs_value = value_at(&theirs, p);
            let masked_by_them = match &theirs_value {
                None => true,
                Some(v) => {
                    v != value && v.starts_with("[REDACTED") || v.starts_with("Bearer [REDACTED")
                }
            };
            if !masked_by_them || TIMETRACER_FALSE_POSITIVES.contains(&key) {
                continue;
            }
            compared += 1;
            let ours_value = value_at(&ours, p);
            if ours_value.as_deref() == Some(value.as_str()) {
                missed.push(format!("{stem}: {p}"));
            }
        }

        // The leaks Timetracer missed: query strings, dependency bodies, AWS keys, JWTs.
        let text = ours.text();
        for secret in [
            "KEY123",
            "4111111111111111",
            "ada@example.com",
            "123-45-6789",
            "eyJhbGci",
            "AKIAIOSFODNN7EXAMPLE",
            "tok_in_url_123",
            "hunter2",
            "abc123",
        ] {
            assert!(
                !text.contains(secret),
                "{stem}: {secret} survived redaction"
            );
        }
    }
    assert!(missed.is_empty(), "left as is: {missed:#?}");
    assert!(compared > 50, "compared only {compared} values");
}

#[test]
fn userinfo_in_dependency_urls_is_masked() {
    let root =
        common::corpus_root().join("timetracer-1.6.0/cassettes/fastapi_pii_unredacted/2026-11-30");
    let file = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().contains("GET__search__"))
        .unwrap();
    let text = std::fs::read_to_string(Path::new(&file)).unwrap();
    let with_userinfo = text.replacen(
        "http://127.0.0.1:18080/search",
        "http://svc:s3cr3t-pass@127.0.0.1:18080/search",
        1,
    );
    assert_ne!(text, with_userinfo);
    let out = redactor().redact(with_userinfo.as_bytes()).unwrap();
    let out = String::from_utf8(out.output).unwrap();
    assert!(!out.contains("s3cr3t-pass"));
    assert!(
        out.contains("http://svc:[REDACTED:USERINFO]@127.0.0.1:18080/search"),
        "{out}"
    );
}

#[test]
fn key_words_decide_what_is_masked_in_corpus_bodies() {
    let root =
        common::corpus_root().join("timetracer-1.6.0/cassettes/fastapi_pii_unredacted/2026-11-30");
    let file = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().contains("POST__orders__"))
        .unwrap();
    let bytes = std::fs::read(file).unwrap();
    let ours = Document::parse(&redactor().redact(&bytes).unwrap().output).unwrap();
    let data = ours
        .root()
        .get("request")
        .unwrap()
        .get("body")
        .unwrap()
        .get("data")
        .unwrap();
    assert_eq!(data.get("page").unwrap().raw(), "1");
    assert_eq!(data.get("pinned").unwrap().raw(), "true");
    assert_eq!(data.get("coupon").unwrap().as_str().unwrap(), "SAVE10");
    assert_eq!(
        data.get("cardNumber").unwrap().as_str().unwrap(),
        "[REDACTED]"
    );
    let customer = data.get("customer").unwrap();
    assert_eq!(customer.get("name").unwrap().as_str().unwrap(), "Ada");
    assert_eq!(
        customer.get("user_password").unwrap().as_str().unwrap(),
        "[REDACTED]"
    );
}
