//! Timetracer 1.6.0's golden redaction vectors (`reference/redaction/vectors.json`, the
//! `strings` table) run through Tapedeck's built-in detectors.
//!
//! Every vector must have a row here, so a new vector cannot slip by untested. Each row lists
//! what Tapedeck reports (detector name and matched text, no key context). Where Timetracer is
//! wrong the row says so: it calls any 9-digit string an SSN, epoch-like digit runs and
//! timestamps phones, a GitHub token's digits a phone, and masks hex and UUID-like strings as
//! tokens; it misses SSNs in sentences, Amex numbers, `::` IPv6, international phones, Basic
//! credentials, AWS keys and IBANs.

#![expect(
    clippy::disallowed_methods,
    reason = "the test reads the shared corpus; core itself stays pure"
)]

mod common;

use serde_json::Value;
use tapedeck_core::redact::detect::{FieldContext, builtin};

/// (input, [(detector, matched text)]) for every `strings` vector.
const EXPECTED: &[(&str, &[(&str, &str)])] = &[
    ("", &[]),
    ("abcd", &[]),
    ("hello world", &[]),
    ("user@example.com", &[("email", "user@example.com")]),
    (
        "mail me at a.b+c@sub.example.co.uk please",
        &[("email", "a.b+c@sub.example.co.uk")],
    ),
    ("555-123-4567", &[("phone", "555-123-4567")]),
    ("(555) 123-4567", &[("phone", "(555) 123-4567")]),
    ("+1 555 123 4567", &[("phone", "+1 555 123 4567")]),
    // Timetracer misses international numbers
    ("+44 20 7946 0958", &[("phone", "+44 20 7946 0958")]),
    // Timetracer: phone. A bare 10-digit run is a phone only under a phone key.
    ("5551234567", &[]),
    ("12345", &[]),
    ("123-45-6789", &[("ssn", "123-45-6789")]),
    // Timetracer: ssn. Spaced or bare 9 digits are an SSN only under an ssn key.
    ("123 45 6789", &[]),
    ("123456789", &[]),
    // Timetracer: phone (any 10 digits)
    ("1234567890", &[]),
    ("078-05-1120", &[("ssn", "078-05-1120")]),
    (
        "4111 1111 1111 1111",
        &[("payment_card", "4111 1111 1111 1111")],
    ),
    (
        "4111-1111-1111-1111",
        &[("payment_card", "4111-1111-1111-1111")],
    ),
    ("4111111111111111", &[("payment_card", "4111111111111111")]),
    ("4242424242424242", &[("payment_card", "4242424242424242")]),
    ("1234-5678-9012-3456", &[]),
    ("5555555555554444", &[("payment_card", "5555555555554444")]),
    // Timetracer: phone (an Amex number)
    ("378282246310005", &[("payment_card", "378282246310005")]),
    ("6011111111111117", &[("payment_card", "6011111111111117")]),
    ("4012888888881881", &[("payment_card", "4012888888881881")]),
    ("192.168.1.1", &[("ipv4", "192.168.1.1")]),
    ("10.0.0.256", &[]),
    ("999.1.1.1", &[]),
    ("v1.2.3.4", &[]),
    (
        "2001:0db8:85a3:0000:0000:8a2e:0370:7334",
        &[("ipv6", "2001:0db8:85a3:0000:0000:8a2e:0370:7334")],
    ),
    // Timetracer misses compressed IPv6
    ("::1", &[("ipv6", "::1")]),
    ("fe80::1", &[("ipv6", "fe80::1")]),
    (
        "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln",
        &[("jwt", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln")],
    ),
    // two parts are not a JWT
    ("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0", &[]),
    ("xeyJ.a.b", &[]),
    // the match is the credential, not the scheme word
    ("Bearer abc.def", &[("bearer_credential", "abc.def")]),
    ("bearer xyz", &[("bearer_credential", "xyz")]),
    ("BEARER 123", &[("bearer_credential", "123")]),
    // Timetracer misses Basic credentials
    (
        "Basic dXNlcjpwYXNz",
        &[("basic_credential", "dXNlcjpwYXNz")],
    ),
    ("Token abc", &[]),
    ("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", &[]),
    ("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", &[]),
    ("abcdefghijklmnopqrstuvwxyzabcdefg", &[]),
    ("abcdefghijklmnopqrstuvwxyzabcdef", &[]),
    (
        "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8s9T0",
        &[(
            "high_entropy_secret",
            "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8s9T0",
        )],
    ),
    (
        "sk_live_51H8xYzABCDEFGHIJKLMNOPqrstuvwxyz012345",
        &[(
            "stripe_key",
            "sk_live_51H8xYzABCDEFGHIJKLMNOPqrstuvwxyz012345",
        )],
    ),
    // Timetracer: phone (the token's digits)
    (
        "ghp_1234567890abcdefghijklmnopqrstuvwxyzAB",
        &[("github_token", "ghp_1234567890abcdefghijklmnopqrstuvwxyzAB")],
    ),
    // Timetracer misses AWS access key ids
    (
        "AKIAIOSFODNN7EXAMPLE",
        &[("aws_access_key_id", "AKIAIOSFODNN7EXAMPLE")],
    ),
    // No context says AWS, so it is a generic secret (Timetracer misses it: it contains `/`).
    (
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        &[(
            "high_entropy_secret",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        )],
    ),
    // Timetracer: token and two phones. Hex is a digest unless a key names a secret.
    ("0123456789abcdef0123456789abcdef0", &[]),
    ("https://x.example.com/cb?token=abc123&sig=xyz", &[]),
    ("order 2024-01-15 total 1234.56", &[]),
    (
        "call 555-123-4567 or email x@y.io",
        &[("email", "x@y.io"), ("phone", "555-123-4567")],
    ),
    // Timetracer's value masker misses an SSN inside a sentence
    ("ssn 123-45-6789 inside text", &[("ssn", "123-45-6789")]),
    ("Phone: 555.123.4567", &[("phone", "555.123.4567")]),
    // Timetracer's text redactor leaves `1-` behind
    ("1-800-555-0199", &[("phone", "1-800-555-0199")]),
    ("+1-555-123-4567 ext 9", &[("phone", "+1-555-123-4567")]),
    // Timetracer: phone (a timestamp)
    ("20240115123045", &[]),
    ("2024-01-15T10:30:00Z", &[]),
    (
        "Zo\u{eb} \u{1f600} ada@example.com",
        &[("email", "ada@example.com")],
    ),
    // Timetracer: misses the IBAN, its text redactor cuts a "phone" out of it
    (
        "IBAN GB82WEST12345698765432",
        &[("iban", "GB82WEST12345698765432")],
    ),
    ("passport X1234567", &[]),
    (
        "4111 1111 1111 1111 and 4242 4242 4242 4242",
        &[
            ("payment_card", "4111 1111 1111 1111"),
            ("payment_card", "4242 4242 4242 4242"),
        ],
    ),
    (
        "my ip is 8.8.8.8 and email z@z.zz",
        &[("email", "z@z.zz"), ("ipv4", "8.8.8.8")],
    ),
];

fn found(input: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut matches = Vec::new();
    for detector in builtin() {
        matches.clear();
        detector.find(input, &FieldContext::default(), &mut matches);
        for m in &matches {
            out.push((
                m.detector.name().to_owned(),
                input[m.start..m.end].to_owned(),
            ));
        }
    }
    out.sort();
    out
}

#[test]
fn timetracer_string_vectors_give_the_expected_findings() {
    let path = common::corpus_root().join("timetracer-1.6.0/reference/redaction/vectors.json");
    let vectors: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let strings = vectors["strings"].as_array().expect("a strings table");
    assert!(!strings.is_empty());
    let mut failures = Vec::new();
    for vector in strings {
        let input = vector["input"].as_str().expect("string input");
        let Some((_, expected)) = EXPECTED.iter().find(|(i, _)| *i == input) else {
            failures.push(format!("no expectation for vector {input:?}"));
            continue;
        };
        let mut expected: Vec<(String, String)> = expected
            .iter()
            .map(|(d, t)| ((*d).to_owned(), (*t).to_owned()))
            .collect();
        expected.sort();
        let got = found(input);
        if got != expected {
            failures.push(format!("{input:?}: expected {expected:?}, got {got:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn context_turns_bare_digit_runs_into_phones_and_ssns() {
    // Where Timetracer flags bare digit runs everywhere, Tapedeck needs the key to say so.
    let mut out = Vec::new();
    let detectors = builtin();
    let phone_words = ["phone"];
    let ssn_words = ["ssn"];
    for (input, words, name) in [
        ("5551234567", &phone_words, "phone"),
        ("123456789", &ssn_words, "ssn"),
    ] {
        out.clear();
        let context = FieldContext { key_words: words };
        for d in &detectors {
            d.find(input, &context, &mut out);
        }
        let names: Vec<_> = out.iter().map(|m| m.detector.name()).collect();
        assert_eq!(names, [name], "{input}");
    }
}
