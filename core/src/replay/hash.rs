//! Timetracer's fingerprints, bit for bit: `hash_body` (`sha256:<hex>`), the `headers_hash` of
//! allow-listed request headers, the canonical JSON forms it hashes, and the Python `repr` of the
//! values its SQL and Redis plugins hash. Shared by replay (to compare a live call with a recorded
//! signature) and the recorder (to write signatures Timetracer's own replay accepts).
//!
//! Python `repr` is emulated for the types the plugins pass (`None`, bools, ints, floats, str,
//! bytes, lists, tuples, dicts). `str.isprintable` is approximated: control characters,
//! separators other than the space, and the common invisible format characters are escaped;
//! unassigned code points are not (Python escapes those too, but no recorder sends them).

use sha2::{Digest as _, Sha256};

use crate::json::{Value, encode_compact, write_value};

/// `hash_body(None)`: Timetracer writes this literal instead of hashing anything.
pub const HASH_NONE: &str = "sha256:none";

/// The request and response headers Timetracer keeps on dependency events (and hashes into
/// `headers_hash`), compared case-insensitively.
pub const HEADER_ALLOW_LIST: [&str; 6] = [
    "content-type",
    "content-length",
    "accept",
    "user-agent",
    "x-request-id",
    "x-correlation-id",
];

/// `hash_body(bytes)` / `hash_body(str)`: `sha256:` and the lowercase hex digest.
pub fn hash_bytes(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut out = String::with_capacity(7 + 64);
    out.push_str("sha256:");
    for byte in digest {
        out.push(char::from(HEX[usize::from(byte >> 4)]));
        out.push(char::from(HEX[usize::from(byte & 0xf)]));
    }
    out
}

const HEX: &[u8; 16] = b"0123456789abcdef";

/// `hash_body(x)` for a dict or list: the hash of
/// `json.dumps(x, sort_keys=True, separators=(",", ":"))` (ASCII-escaped).
pub fn hash_json(value: &Value) -> String {
    hash_bytes(&canonical_json(value))
}

/// The canonical JSON Timetracer hashes: compact, keys sorted, duplicate keys collapsed as a
/// Python dict would.
pub fn canonical_json(value: &Value) -> Vec<u8> {
    encode_compact(&value.clone().collapse_duplicate_keys(), true)
}

/// `json.dumps(x)` with Python's default separators (`", "` and `": "`), ASCII-escaped; with
/// `sort_keys` as aiohttp's plugin hashes `json=` bodies. Timetracer's replay answers recorded
/// JSON bodies with exactly these bytes (`json.dumps(data)`).
pub fn python_json_dumps(value: &Value, sort_keys: bool) -> Vec<u8> {
    let mut out = Vec::new();
    write_dumps(&mut out, value, sort_keys);
    out
}

fn write_dumps(out: &mut Vec<u8>, value: &Value, sort_keys: bool) {
    match value {
        Value::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.extend_from_slice(b", ");
                }
                write_dumps(out, item, sort_keys);
            }
            out.push(b']');
        }
        Value::Object(members) => {
            let mut order: Vec<&(String, Value)> = members.iter().collect();
            if sort_keys {
                order.sort_by(|a, b| a.0.cmp(&b.0));
            }
            out.push(b'{');
            for (i, (key, item)) in order.into_iter().enumerate() {
                if i > 0 {
                    out.extend_from_slice(b", ");
                }
                write_value(out, &Value::String(key.clone()), 0);
                out.extend_from_slice(b": ");
                write_dumps(out, item, sort_keys);
            }
            out.push(b'}');
        }
        scalar => write_value(out, scalar, 0),
    }
}

/// Timetracer's `headers_hash` for an outbound request: the allow-listed headers (names as
/// given), sorted, as Python's `repr` of a list of `(name, value)` tuples, hashed. `None` when
/// no allow-listed header is present (Timetracer then writes no `headers_hash`). For
/// duplicate names the last value wins, as in the dict Timetracer builds.
pub fn headers_hash(headers: &[(String, String)], allow_list: &[&str]) -> Option<String> {
    let mut kept: Vec<(&str, &str)> = Vec::new();
    for (name, value) in headers {
        if !allow_list.iter().any(|a| a.eq_ignore_ascii_case(name)) {
            continue;
        }
        match kept.iter_mut().find(|(k, _)| *k == name.as_str()) {
            Some(slot) => slot.1 = value,
            None => kept.push((name, value)),
        }
    }
    if kept.is_empty() {
        return None;
    }
    kept.sort_unstable();
    let list = PyValue::List(
        kept.into_iter()
            .map(|(k, v)| PyValue::Tuple(vec![PyValue::Str(k.into()), PyValue::Str(v.into())]))
            .collect(),
    );
    Some(hash_bytes(list.repr().as_bytes()))
}

/// A Python value, for emulating `repr()` (what Timetracer hashes for SQL parameters, Redis
/// arguments and header lists).
#[derive(Clone, Debug, PartialEq)]
pub enum PyValue {
    None,
    Bool(bool),
    /// An integer as its decimal text (arbitrary precision).
    Int(String),
    Float(f64),
    Str(String),
    Bytes(Vec<u8>),
    List(Vec<PyValue>),
    Tuple(Vec<PyValue>),
    /// Insertion-ordered, as Python dicts are.
    Dict(Vec<(PyValue, PyValue)>),
}

impl PyValue {
    /// Python's `repr(self)` (also `str(self)` for containers).
    pub fn repr(&self) -> String {
        let mut out = String::new();
        self.write_repr(&mut out);
        out
    }

    fn write_repr(&self, out: &mut String) {
        match self {
            PyValue::None => out.push_str("None"),
            PyValue::Bool(true) => out.push_str("True"),
            PyValue::Bool(false) => out.push_str("False"),
            PyValue::Int(text) => out.push_str(text),
            PyValue::Float(value) => out.push_str(&float_repr(*value)),
            PyValue::Str(s) => write_str_repr(out, s),
            PyValue::Bytes(b) => write_bytes_repr(out, b),
            PyValue::List(items) => {
                out.push('[');
                write_items(out, items);
                out.push(']');
            }
            PyValue::Tuple(items) => {
                out.push('(');
                write_items(out, items);
                if items.len() == 1 {
                    out.push(',');
                }
                out.push(')');
            }
            PyValue::Dict(members) => {
                out.push('{');
                for (i, (key, value)) in members.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    key.write_repr(out);
                    out.push_str(": ");
                    value.write_repr(out);
                }
                out.push('}');
            }
        }
    }
}

fn write_items(out: &mut String, items: &[PyValue]) {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        item.write_repr(out);
    }
}

/// `repr(float)`: like JSON's form but with `nan`/`inf` spelled as Python spells them.
fn float_repr(value: f64) -> String {
    if value.is_nan() {
        return String::from("nan");
    }
    if value.is_infinite() {
        return String::from(if value > 0.0 { "inf" } else { "-inf" });
    }
    crate::json::python_float_repr(value)
}

/// Python's quote choice: single quotes unless the text has a `'` and no `"`.
fn quote_for(has_single: bool, has_double: bool) -> char {
    if has_single && !has_double { '"' } else { '\'' }
}

/// Python's `repr(str)`.
pub fn str_repr(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    write_str_repr(&mut out, s);
    out
}

fn write_str_repr(out: &mut String, s: &str) {
    use std::fmt::Write as _;
    let quote = quote_for(s.contains('\''), s.contains('"'));
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if is_printable(c) => out.push(c),
            c => {
                let code = u32::from(c);
                let _ = if code < 0x100 {
                    write!(out, "\\x{code:02x}")
                } else if code < 0x1_0000 {
                    write!(out, "\\u{code:04x}")
                } else {
                    write!(out, "\\U{code:08x}")
                };
            }
        }
    }
    out.push(quote);
}

/// An approximation of `str.isprintable` (see the module docs).
fn is_printable(c: char) -> bool {
    if c == ' ' {
        return true;
    }
    if c.is_control() || (c.is_whitespace() && c != ' ') {
        return false;
    }
    !matches!(
        u32::from(c),
        0xad | 0x600..=0x605 | 0x61c | 0x6dd | 0x70f | 0x180e | 0x200b..=0x200f | 0x202a..=0x202e
            | 0x2060..=0x2064 | 0x2066..=0x206f | 0xfeff | 0xfff9..=0xfffb | 0xe000..=0xf8ff
    )
}

/// Python's `repr(bytes)`.
pub fn bytes_repr(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() + 3);
    write_bytes_repr(&mut out, bytes);
    out
}

fn write_bytes_repr(out: &mut String, bytes: &[u8]) {
    use std::fmt::Write as _;
    let quote = quote_for(bytes.contains(&b'\''), bytes.contains(&b'"'));
    out.push('b');
    out.push(quote);
    for &b in bytes {
        match b {
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            b if char::from(b) == quote => {
                out.push('\\');
                out.push(char::from(b));
            }
            0x20..=0x7e => out.push(char::from(b)),
            b => {
                let _ = write!(out, "\\x{b:02x}");
            }
        }
    }
    out.push(quote);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::Document;

    fn value(text: &str) -> Value {
        Document::parse(text.as_bytes()).unwrap().root().to_value()
    }

    // Golden values from reference/redaction/vectors.json (`hash_body` section).
    #[test]
    fn hash_body_matches_timetracer_golden_vectors() {
        assert_eq!(
            hash_bytes(b""),
            "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(
            hash_bytes(b"abc"),
            "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(
            hash_json(&value(r#"{"b": 1, "a": [1, 2]}"#)),
            "sha256:94a786c3662bc7beeb598efa7d8cb58d7bea25d6c275ea9785a0230ff1f8c2ba"
        );
        assert_eq!(
            hash_json(&value(r#"{"é": "ü"}"#)),
            "sha256:dbcdf0b7c5f8245e1a3117c638187d2987a3119c052eab31327d6ea69ebb6c40"
        );
    }

    #[test]
    fn headers_hash_is_the_hash_of_a_python_tuple_list() {
        let headers = vec![
            ("user-agent".to_owned(), "python-httpx/0.28.1".to_owned()),
            ("authorization".to_owned(), "Bearer x".to_owned()),
            ("accept".to_owned(), "*/*".to_owned()),
        ];
        assert_eq!(
            headers_hash(&headers, &HEADER_ALLOW_LIST).as_deref(),
            Some("sha256:9dfecf4c3d70022cfd9b5f20063e404a7e5591df7843cf6f59bf49d176e1f86c")
        );
        let quoted = vec![("accept".to_owned(), "it's".to_owned())];
        assert_eq!(
            headers_hash(&quoted, &HEADER_ALLOW_LIST).as_deref(),
            Some("sha256:001c7da08b5b3b82117ee2be2e9c90e758f30049ab939daea88b5b479156b38d")
        );
        assert_eq!(headers_hash(&[], &HEADER_ALLOW_LIST), None);
    }

    #[test]
    fn repr_follows_python_quoting_and_escapes() {
        assert_eq!(str_repr("abc"), "'abc'");
        assert_eq!(str_repr("it's"), "\"it's\"");
        assert_eq!(str_repr("a'b\"c"), "'a\\'b\"c'");
        assert_eq!(str_repr("é\n\u{7}\u{a0}"), "'é\\n\\x07\\xa0'");
        assert_eq!(bytes_repr(b"a\x00'"), "b\"a\\x00'\"");
        let args = PyValue::Tuple(vec![PyValue::Str("ada@example.com".into())]);
        assert_eq!(args.repr(), "('ada@example.com',)");
        let dict = PyValue::Dict(vec![
            (PyValue::Str("id".into()), PyValue::Int("7".into())),
            (PyValue::Str("x".into()), PyValue::Float(1.0)),
            (PyValue::Str("n".into()), PyValue::None),
            (PyValue::Str("b".into()), PyValue::Bool(true)),
        ]);
        assert_eq!(dict.repr(), "{'id': 7, 'x': 1.0, 'n': None, 'b': True}");
    }

    #[test]
    fn dumps_uses_python_default_separators() {
        let v = value(r#"{"b": [1, 2.5, NaN], "a": {"é": null}}"#);
        assert_eq!(
            python_json_dumps(&v, false),
            br#"{"b": [1, 2.5, NaN], "a": {"\u00e9": null}}"#
        );
        assert_eq!(
            python_json_dumps(&v, true),
            br#"{"a": {"\u00e9": null}, "b": [1, 2.5, NaN]}"#
        );
    }
}
