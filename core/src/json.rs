//! Lossless JSON: parse into a [`Document`] that keeps its source text and the byte span of
//! every value, and write JSON exactly as Python's `json.dumps(indent=2)` does.
//!
//! Why not `serde_json::Value`: it cannot hold `NaN`/`Infinity`, loses number text beyond
//! `f64`/`u64`, collapses duplicate keys and forgets positions, and each of those breaks either
//! byte-exact round trips or surgical redaction.

mod encode;
pub(crate) mod escape;
mod parse;
mod scan;
mod tape;
mod value;

pub use encode::{encode_compact, encode_document, encode_value, write_node, write_value};
pub(crate) use tape::Span32;
pub use tape::{Document, Elements, Kind, Members, Node, NodeId, Span};
pub use value::{Number, Value, python_float_repr};

pub(crate) use parse::push_key;

/// Whether Python's writer (`ensure_ascii`) puts `text` in a string literal as it is: no quote,
/// backslash, control character, DEL or non-ASCII byte. Eight bytes at a time.
pub(crate) fn is_plain_text(text: &[u8]) -> bool {
    scan::string_stop::<true>(text, 0) == text.len()
}

/// Deepest nesting accepted. Python's own reader gives up near 1,000 levels (its recursion
/// limit), so no real cassette comes close.
pub const MAX_DEPTH: usize = 1_000;

/// Longest integer literal accepted: Python refuses to convert integers of more digits.
pub const MAX_INT_DIGITS: usize = 4_300;

/// Why some bytes are not a JSON document. Messages never quote the input.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum JsonErrorKind {
    #[error("the file is empty")]
    Empty,
    #[error("the file starts with a UTF-8 byte order mark, which JSON readers reject")]
    Bom,
    #[error("invalid UTF-8")]
    InvalidUtf8,
    #[error("unexpected end of input, expected {0}")]
    UnexpectedEnd(&'static str),
    #[error("unexpected character, expected {0}")]
    Unexpected(&'static str),
    #[error("invalid escape sequence in a string")]
    BadEscape,
    #[error("unescaped control character in a string")]
    ControlInString,
    #[error("invalid number")]
    BadNumber,
    #[error("integer with {0} digits, more than the {limit} Python reads", limit = MAX_INT_DIGITS)]
    NumberTooLong(usize),
    #[error("nesting deeper than {0} levels")]
    TooDeep(usize),
    #[error("unexpected data after the JSON value")]
    TrailingData,
    #[error("document larger than 4 GiB")]
    TooLarge,
}

/// A JSON syntax error with its place in the document.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{json_path} (line {line}, column {column}): {kind}")]
pub struct JsonError {
    pub kind: JsonErrorKind,
    /// Byte offset of the error.
    pub offset: usize,
    /// Where in the document, as `$.events[3].signature`.
    pub json_path: String,
    pub line: u32,
    pub column: u32,
}

impl Document<'static> {
    /// Parses one JSON document (Python's dialect, see the module docs) into a document with
    /// its own copy of the text.
    pub fn parse(bytes: &[u8]) -> Result<Document<'static>, JsonError> {
        parse::parse(bytes).map(Document::into_owned)
    }

    /// Parses a document but only skims the objects and arrays under `data`, `body`,
    /// `headers`, `policies` and `stats` keys (most of a cassette's bytes): their brackets and
    /// strings are checked, their contents are not put on the tape. For listings that never look
    /// inside them. Skimmed containers still encode (as their source text) and convert to
    /// values (parsed then).
    pub fn parse_skimming_bodies(bytes: &[u8]) -> Result<Document<'static>, JsonError> {
        parse::parse_with(bytes, true).map(Document::into_owned)
    }

    /// [`Document::parse`] of bytes the document may keep as its text, without copying them
    /// (an inflated gzip file, say). Same results and errors.
    pub fn parse_owned(bytes: Vec<u8>) -> Result<Document<'static>, JsonError> {
        parse::parse_owned_with(bytes, false)
    }
}

impl<'t> Document<'t> {
    /// [`Document::parse`] that borrows `bytes` as the document's text instead of copying
    /// them. Same results and errors.
    pub fn parse_borrowed(bytes: &'t [u8]) -> Result<Document<'t>, JsonError> {
        parse::parse(bytes)
    }

    /// [`Document::parse_owned`] of owned bytes, [`Document::parse_borrowed`] of borrowed ones.
    pub(crate) fn parse_cow(bytes: std::borrow::Cow<'t, [u8]>) -> Result<Document<'t>, JsonError> {
        match bytes {
            std::borrow::Cow::Owned(bytes) => Document::parse_owned(bytes),
            std::borrow::Cow::Borrowed(bytes) => Document::parse_borrowed(bytes),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_printable_ascii_but_quote_and_backslash() {
        let plain = |b: u8| (0x20..0x7F).contains(&b) && b != b'"' && b != b'\\';
        for byte in 0..=255u8 {
            // alone, and at every place of a longer text of plain bytes
            for at in [0, 3, 7, 8, 15, 16] {
                let mut text = vec![b'a'; 17];
                text[at] = byte;
                assert_eq!(is_plain_text(&text), plain(byte), "{byte:#x} at {at}");
            }
            assert_eq!(is_plain_text(&[byte]), plain(byte), "{byte:#x}");
        }
        assert!(is_plain_text(b""));
    }

    fn roundtrip(text: &str) -> String {
        let doc = Document::parse(text.as_bytes()).unwrap();
        String::from_utf8(encode_document(&doc)).unwrap()
    }

    #[test]
    fn reencodes_python_layout_byte_for_byte() {
        let text = "{\n  \"a\": [\n    1,\n    2.5,\n    NaN,\n    -Infinity\n  ],\n  \"b\": {},\n  \"c\": [],\n  \"d\": \"\\u00e9\\ud800\",\n  \"e\": 12345678901234567890123\n}";
        assert_eq!(roundtrip(text), text);
    }

    #[test]
    fn rewrites_compact_json_in_python_layout() {
        assert_eq!(
            roundtrip(r#"{"a":[1,{"b":null}],"c":"é"}"#),
            "{\n  \"a\": [\n    1,\n    {\n      \"b\": null\n    }\n  ],\n  \"c\": \"\\u00e9\"\n}"
        );
    }

    #[test]
    fn numbers_are_written_as_python_writes_them() {
        assert_eq!(
            roundtrip("[1E5, 1e-7, 2.50, -0, 1e400, -1e400, 12345678901234567890]"),
            "[\n  100000.0,\n  1e-07,\n  2.5,\n  0,\n  Infinity,\n  -Infinity,\n  12345678901234567890\n]"
        );
    }

    #[test]
    fn duplicate_keys_are_kept_and_last_wins_on_lookup() {
        let doc = Document::parse(br#"{"a": 1, "b": 2, "a": 3}"#).unwrap();
        assert_eq!(doc.root().len(), 3);
        assert_eq!(doc.root().get("a").unwrap().as_i64(), Some(3));
        let collapsed = doc.root().to_value().collapse_duplicate_keys();
        assert_eq!(
            String::from_utf8(encode_value(&collapsed)).unwrap(),
            "{\n  \"a\": 3,\n  \"b\": 2\n}"
        );
    }

    #[test]
    fn spans_point_at_values() {
        let text = br#"{"k": "v", "n": [1, 22]}"#;
        let doc = Document::parse(text).unwrap();
        let n = doc.root().get("n").unwrap();
        assert_eq!(n.raw(), "[1, 22]");
        assert_eq!(n.index(1).unwrap().span(), Span { start: 20, end: 22 });
        assert_eq!(doc.root().get("k").unwrap().raw(), "\"v\"");
    }

    #[test]
    fn errors_name_path_line_and_column() {
        let err = Document::parse(b"{\n  \"events\": [\n    {\"eid\": 1,}\n  ]\n}").unwrap_err();
        assert_eq!(err.json_path, "$.events[0].eid");
        assert_eq!((err.line, err.column), (3, 15));
        assert_eq!(err.kind, JsonErrorKind::Unexpected("a string key"));
    }

    #[test]
    fn skimming_rejects_every_truncation_without_panicking() {
        // An escape at the very end of a skimmed body once stepped past the input.
        let text = br#"{"response": {"body": {"data": ["a\"b", {"k": "\\"}], "x": 1}}}"#;
        assert!(Document::parse_skimming_bodies(text).is_ok());
        for end in 0..text.len() {
            let err = Document::parse_skimming_bodies(&text[..end]).unwrap_err();
            assert!(
                matches!(
                    err.kind,
                    JsonErrorKind::Empty | JsonErrorKind::UnexpectedEnd(_)
                ),
                "{end}: {err}"
            );
        }
    }

    #[test]
    fn rejects_malformed_inputs_without_panicking() {
        let cases: &[(&[u8], JsonErrorKind)] = &[
            (b"", JsonErrorKind::Empty),
            (b"\xEF\xBB\xBF{}", JsonErrorKind::Bom),
            (b"{\"a\": \"\xFF\"}", JsonErrorKind::InvalidUtf8),
            (b"{\"a\": [1, 2", JsonErrorKind::UnexpectedEnd("',' or ']'")),
            (b"[01]", JsonErrorKind::Unexpected("',' or ']'")),
            (b"[1.]", JsonErrorKind::BadNumber),
            (b"[\"\\x\"]", JsonErrorKind::BadEscape),
            (b"[\"a\nb\"]", JsonErrorKind::ControlInString),
            (b"{} {}", JsonErrorKind::TrailingData),
            (b"nul", JsonErrorKind::Unexpected("a value")),
        ];
        for (input, kind) in cases {
            let err = Document::parse(input).unwrap_err();
            assert_eq!(
                &err.kind,
                kind,
                "input {:?}",
                String::from_utf8_lossy(input)
            );
            // The owned and borrowing parses report the very same error, placed the same way.
            assert_eq!(Document::parse_owned(input.to_vec()).unwrap_err(), err);
            assert_eq!(Document::parse_borrowed(input).unwrap_err(), err);
        }
    }

    #[test]
    fn owned_and_borrowing_parses_keep_the_bytes_as_text_with_the_same_tape() {
        let text = "{\n  \"a\": [1, \"x\\u00e9\"],\n  \"b\": {\"c\": null}\n}";
        let copied = Document::parse(text.as_bytes()).unwrap();
        let owned = Document::parse_owned(text.as_bytes().to_vec()).unwrap();
        let borrowed = Document::parse_borrowed(text.as_bytes()).unwrap();
        assert_eq!(owned.text(), text);
        // The borrowing parse's text is the input itself, not a copy.
        assert_eq!(borrowed.text().as_ptr(), text.as_ptr());
        assert_eq!(encode_document(&owned), encode_document(&copied));
        assert_eq!(encode_document(&borrowed), encode_document(&copied));
        let spans = |d: &Document<'_>| {
            let b = d.root().get("b").unwrap();
            (
                b.span(),
                b.get("c").unwrap().span(),
                d.root().get("a").unwrap().len(),
            )
        };
        assert_eq!(spans(&owned), spans(&copied));
        assert_eq!(spans(&borrowed), spans(&copied));
        assert_eq!(spans(&borrowed.into_owned()), spans(&copied));
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let deep = "[".repeat(100_000);
        let err = Document::parse(deep.as_bytes()).unwrap_err();
        assert_eq!(err.kind, JsonErrorKind::TooDeep(MAX_DEPTH));
    }

    #[test]
    fn huge_integers_follow_python_limit() {
        let ok = "1".repeat(MAX_INT_DIGITS);
        assert!(Document::parse(ok.as_bytes()).is_ok());
        let too_long = "1".repeat(MAX_INT_DIGITS + 1);
        let err = Document::parse(too_long.as_bytes()).unwrap_err();
        assert_eq!(err.kind, JsonErrorKind::NumberTooLong(MAX_INT_DIGITS + 1));
        assert!(Document::parse(b"1e400").is_ok());
    }

    #[test]
    fn strings_decode_escapes_and_borrow_otherwise() {
        let doc = Document::parse(br#"["plain", "a\"b\u00e9\ud83d\ude00"]"#).unwrap();
        let plain = doc.root().index(0).unwrap().as_str().unwrap();
        assert!(matches!(plain, std::borrow::Cow::Borrowed("plain")));
        assert_eq!(doc.root().index(1).unwrap().as_str().unwrap(), "a\"bé😀");
    }
}
