//! The fast path equals the slow one: a [`DetectorSet`] (one profile pass, then only the
//! detectors whose needs the text meets) reports exactly what the built-in detectors report
//! one by one, in the same order, on the labelled set and on generated text full of the
//! fragments detectors look for.

use proptest::prelude::*;
use tapedeck_core::redact::detect::{DetectorSet, FieldContext, Match, builtin};
use tapedeck_core::redact::labelled::{FIXED_SEED, generate};

fn one_by_one(text: &str, words: &[&str]) -> Vec<Match> {
    let context = FieldContext { key_words: words };
    let mut out = Vec::new();
    for detector in builtin() {
        detector.find(text, &context, &mut out);
    }
    out
}

fn as_a_set(set: &DetectorSet, text: &str, words: &[&str]) -> Vec<Match> {
    let mut out = Vec::new();
    set.find_all(text, &FieldContext { key_words: words }, &mut out);
    out
}

#[test]
fn set_reports_what_each_detector_reports_on_the_labelled_set() {
    let set = DetectorSet::builtin();
    let cases = generate(FIXED_SEED);
    let mut checked = 0;
    for case in &cases {
        let words: Vec<&str> = case.key_words.iter().map(String::as_str).collect();
        assert_eq!(
            as_a_set(&set, &case.text, &words),
            one_by_one(&case.text, &words),
            "{:?} under {words:?}",
            case.text
        );
        checked += 1;
    }
    assert!(checked > 1000, "only {checked} cases");
}

/// Pieces that make detectors fire, almost fire, or just miss.
const FRAGMENTS: &[&str] = &[
    " ",
    "  ",
    ".",
    ":",
    "::",
    "-",
    "_",
    "@",
    "/",
    "+",
    "=",
    "(",
    ")",
    ",",
    "\n",
    "\\n",
    "\"",
    "é",
    "😀",
    "a",
    "Z",
    "0",
    "1",
    "9",
    "x",
    "ab",
    "eyJ",
    "eyJhbGciOiJIUzI1NiJ9",
    ".eyJzdWIiOjF9",
    ".c2ln",
    "Bearer ",
    "bearer",
    "Basic ",
    "dXNlcjpwYXNz",
    "AKIA",
    "ASIA",
    "IOSFODNN7EXAMPLE",
    "ghp_",
    "github_pat_",
    "glpat-",
    "xoxb-",
    "hooks.slack.com/services/",
    "T000/B000/XXXX",
    "sk_live_",
    "sk_test_",
    "whsec_",
    "pk_live_",
    "AIza",
    "SK",
    "AC",
    "SG.",
    "npm_",
    "-----BEGIN ",
    "PRIVATE KEY",
    "-----",
    "-----END ",
    "RSA ",
    "aws",
    "secret access ",
    "4111111111111111",
    "4111 1111 1111 1111",
    "378282246310005",
    "123-45-6789",
    "078-05-1120",
    "+1 415 555 0123",
    "(415) 555-0123",
    "020 7946 0958",
    "5551234567",
    "123456789",
    "DE89370400440532013000",
    "DE89 3704 0044 0532 0130 00",
    "GB82WEST12345698765432",
    "10.0.0.1",
    "192.168.1.254",
    "256.1.1.1",
    "fe80::1",
    "2001:db8::8a2e:370:7334",
    "::1",
    "10:30:00",
    "ada@example.com",
    "x@y.io",
    "icon@2x.png",
    "wJalrXUtnFEMI/K7MDENG/bPxRfiCY",
    "EXAMPLEKEY",
    "0123456789abcdef0123456789abcdef",
    "Zx9Qm2Lk8Vb4Nw7Rt3Yp",
    "k3j9x2m8q7w1e5r4t6y0",
    "getUserByIdHandler",
    "data:image/png;base64,",
    "iVBORw0KGgo",
    "https://",
    "user:pass@",
    "?token=",
    "&api_key=",
    "A",
    "B",
    "b",
    "S",
    "G",
    "Q",
];

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(FRAGMENTS), 0..24).prop_map(|parts| parts.concat())
}

fn words() -> impl Strategy<Value = Vec<&'static str>> {
    prop::collection::vec(
        prop::sample::select(
            &[
                "phone",
                "ssn",
                "aws",
                "secret",
                "access",
                "key",
                "twilio",
                "token",
                "auth",
                "authorization",
                "api",
                "name",
                "id",
            ][..],
        ),
        0..3,
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4000))]

    #[test]
    fn set_reports_what_each_detector_reports_on_generated_text(text in text(), words in words()) {
        let set = DetectorSet::builtin();
        prop_assert_eq!(as_a_set(&set, &text, &words), one_by_one(&text, &words));
    }
}
