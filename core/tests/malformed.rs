//! Malformed inputs: each gives a clear error naming the file and the place, none panics, and
//! no error message quotes a value from the input.

mod common;

use std::path::Path;

const SECRET: &str = "SECRET-VALUE-123";

fn decode_fixture(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/malformed")
        .join(name);
    let bytes = common::read(&path);
    let Err(err) = tapedeck_core::decode(name, &bytes) else {
        panic!("{name} decoded without error");
    };
    let text = err.to_string();
    assert!(
        !text.contains(SECRET),
        "{name}: error quotes a value: {text}"
    );
    for problem in &err.problems {
        assert!(!problem.to_string().contains(SECRET), "{name}: {problem}");
    }
    text
}

#[test]
fn every_malformed_fixture_has_its_clear_error() {
    let cases = [
        (
            "truncated.json",
            "truncated.json: $.events[0].result.body.data.payment (line 77, column 9): unexpected end of input, expected a string key",
        ),
        (
            "wrong_types.json",
            "wrong_types.json: $.response.status (line 30, column 15): expected a number, found a string (and 1 more errors)",
        ),
        (
            "deep_nesting.json",
            "deep_nesting.json: $.x[0][0][0][0][0][0][0][0][0][0][0][0][0][0][0]…(976 levels)…[0][0][0][0][0][0][0][0] (line 1, column 1031): nesting deeper than 1000 levels",
        ),
        (
            "invalid_utf8.json",
            "invalid_utf8.json: $.request.method (line 14, column 17): invalid UTF-8",
        ),
        (
            "bom.json",
            "bom.json: $ (line 1, column 1): the file starts with a UTF-8 byte order mark, which JSON readers reject",
        ),
        (
            "empty.json",
            "empty.json: $ (line 1, column 1): the file is empty",
        ),
        (
            "not_json.json",
            "not_json.json: $ (line 1, column 1): unexpected character, expected a value",
        ),
        (
            "garbage.json.gz",
            "garbage.json.gz: $ (line 1, column 1): gzip data is corrupt or cut short",
        ),
        (
            "huge_number.json",
            "huge_number.json: $.n (line 1, column 32): integer with 5000 digits, more than the 4300 Python reads",
        ),
        (
            "missing_fields.json",
            "missing_fields.json: $.request (line 13, column 14): missing required field `method` (and 1 more errors)",
        ),
        (
            "unsupported_schema.json",
            "unsupported_schema.json: $.schema_version (line 2, column 21): unsupported schema_version (Timetracer reads \"0.1\" and \"1.0\")",
        ),
        (
            "not_a_cassette.json",
            "not_a_cassette.json: $ (line 1, column 1): not a cassette of a known format (expected a Timetracer cassette, a HAR file, or a VCR.py, Ruby VCR, Betamax or go-vcr cassette)",
        ),
        (
            "array_root.json",
            "array_root.json: $ (line 1, column 1): not a cassette of a known format (expected a Timetracer cassette, a HAR file, or a VCR.py, Ruby VCR, Betamax or go-vcr cassette)",
        ),
        (
            "secret_after_error.json",
            "secret_after_error.json: $.token (line 1, column 55): unexpected character, expected ',' or '}'",
        ),
    ];
    for (name, expected) in cases {
        let got = decode_fixture(name);
        assert!(
            got.starts_with(expected),
            "{name}:\n  got      {got}\n  expected {expected}"
        );
    }
}

#[test]
fn deep_nesting_names_the_limit() {
    let got = decode_fixture("deep_nesting.json");
    assert!(got.ends_with("nesting deeper than 1000 levels"), "{got}");
}

#[test]
fn wrong_types_lists_every_problem() {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/malformed/wrong_types.json");
    let err = tapedeck_core::decode("w", &common::read(path)).unwrap_err();
    let paths: Vec<&str> = err
        .problems
        .iter()
        .map(|p| p.location.json_path.as_str())
        .collect();
    assert_eq!(paths, ["$.response.status", "$.events[0].duration_ms"]);
}
