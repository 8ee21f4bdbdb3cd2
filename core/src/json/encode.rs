//! Writes JSON the way Python's `json.dumps(obj, indent=2)` does: two-space indentation,
//! `", "`-free item separators at line ends, `": "` after keys, `{}`/`[]` for empty containers,
//! ASCII-only strings, and no trailing newline.

use super::escape::{write_python_raw, write_python_str};
use super::tape::{Document, Kind, Node, STR_ESCAPED, STR_NON_ASCII};
use super::value::{Value, python_float_repr};

fn newline(out: &mut Vec<u8>, depth: usize) {
    out.push(b'\n');
    out.resize(out.len() + depth * 2, b' ');
}

/// Encodes a parsed document in Python's layout. Numbers and strings are rewritten only where
/// Python would write them differently, so a document Python wrote comes back byte for byte.
pub fn encode_document(doc: &Document<'_>) -> Vec<u8> {
    let mut out = Vec::with_capacity(doc.text().len() + 64);
    write_node(&mut out, doc.root(), 0);
    out
}

/// Encodes one value of a document (and its subtree) in Python's layout at a given depth.
pub fn write_node(out: &mut Vec<u8>, node: Node<'_>, depth: usize) {
    if node.is_skimmed() {
        // Its children are not on the tape: the source text is all there is.
        out.extend_from_slice(node.raw().as_bytes());
        return;
    }
    match node.kind() {
        Kind::Null | Kind::Bool => out.extend_from_slice(node.raw().as_bytes()),
        Kind::Number => write_number(out, node.raw()),
        Kind::String => write_string_node(out, node),
        Kind::Array => {
            if node.is_empty() {
                out.extend_from_slice(b"[]");
                return;
            }
            out.push(b'[');
            for (i, element) in node.elements().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                newline(out, depth + 1);
                write_node(out, element, depth + 1);
            }
            newline(out, depth);
            out.push(b']');
        }
        Kind::Object => {
            if node.is_empty() {
                out.extend_from_slice(b"{}");
                return;
            }
            out.push(b'{');
            for (i, (key, value)) in node.members().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                newline(out, depth + 1);
                write_string_node(out, key);
                out.extend_from_slice(b": ");
                write_node(out, value, depth + 1);
            }
            newline(out, depth);
            out.push(b'}');
        }
    }
}

/// Numbers as Python writes them: integers exactly (`-0` is `0`), floats in `repr` form
/// (`1E5` → `100000.0`, `1e400` → `Infinity`). Python's own output is already in this form,
/// so it comes back unchanged.
fn write_number(out: &mut Vec<u8>, raw: &str) {
    let is_float = raw.bytes().any(|b| matches!(b, b'.' | b'e' | b'E'));
    if is_float {
        match raw.parse::<f64>() {
            Ok(value) => out.extend_from_slice(python_float_repr(value).as_bytes()),
            Err(_) => out.extend_from_slice(raw.as_bytes()),
        }
    } else if raw == "-0" {
        out.push(b'0');
    } else {
        out.extend_from_slice(raw.as_bytes());
    }
}

fn write_string_node(out: &mut Vec<u8>, node: Node<'_>) {
    if node.string_flags() & (STR_ESCAPED | STR_NON_ASCII) == 0 {
        out.extend_from_slice(node.raw().as_bytes());
    } else {
        write_python_raw(out, node.raw());
    }
}

/// Encodes an owned value in Python's layout.
pub fn encode_value(value: &Value) -> Vec<u8> {
    let mut out = Vec::new();
    write_value(&mut out, value, 0);
    out
}

/// Encodes an owned value in Python's layout at a given depth.
pub fn write_value(out: &mut Vec<u8>, value: &Value, depth: usize) {
    match value {
        Value::Null => out.extend_from_slice(b"null"),
        Value::Bool(true) => out.extend_from_slice(b"true"),
        Value::Bool(false) => out.extend_from_slice(b"false"),
        Value::Number(n) => out.extend_from_slice(n.as_str().as_bytes()),
        Value::String(s) => write_python_str(out, s),
        Value::Array(items) => {
            if items.is_empty() {
                out.extend_from_slice(b"[]");
                return;
            }
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                newline(out, depth + 1);
                write_value(out, item, depth + 1);
            }
            newline(out, depth);
            out.push(b']');
        }
        Value::Object(members) => {
            if members.is_empty() {
                out.extend_from_slice(b"{}");
                return;
            }
            out.push(b'{');
            for (i, (key, item)) in members.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                newline(out, depth + 1);
                write_python_str(out, key);
                out.extend_from_slice(b": ");
                write_value(out, item, depth + 1);
            }
            newline(out, depth);
            out.push(b'}');
        }
    }
}

/// Encodes an owned value compactly (`json.dumps(x, separators=(",", ":"))`), optionally with
/// keys sorted as `sort_keys=True` does; this is the canonical form Timetracer hashes.
pub fn encode_compact(value: &Value, sort_keys: bool) -> Vec<u8> {
    let mut out = Vec::new();
    write_compact(&mut out, value, sort_keys);
    out
}

fn write_compact(out: &mut Vec<u8>, value: &Value, sort_keys: bool) {
    match value {
        Value::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_compact(out, item, sort_keys);
            }
            out.push(b']');
        }
        Value::Object(members) => {
            let mut order: Vec<&(String, Value)> = members.iter().collect();
            if sort_keys {
                // Python sorts str keys by code point; UTF-16 order would differ only for
                // astral characters, which Python compares by code point too.
                order.sort_by(|a, b| a.0.cmp(&b.0));
            }
            out.push(b'{');
            for (i, (key, item)) in order.into_iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_python_str(out, key);
                out.push(b':');
                write_compact(out, item, sort_keys);
            }
            out.push(b'}');
        }
        scalar => write_value(out, scalar, 0),
    }
}
