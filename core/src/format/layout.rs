//! JSON layouts of the writers other formats come from, so a file re-encodes as its tool
//! wrote it: JavaScript's `JSON.stringify(v, null, 2)` (browsers, Playwright, Polly.js, Ruby's
//! `JSON.pretty_generate` writes the same), Python's `json.dumps` with or without `indent`
//! (VCR.py, Betamax), and compact forms.
//!
//! Numbers are written as they stand in the source (every one of these writers already wrote
//! its own shortest form); strings are decoded and escaped again in the writer's style.

use crate::json::{Document, Kind, Node};

/// How a JSON writer lays out its output.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Layout {
    /// Spaces per level; 0 writes everything on one line.
    pub indent: usize,
    /// `", "` between items and `": "` after keys on one line (Python's defaults), rather than
    /// `","` and `":"` (JavaScript, Ruby). Ignored when indenting: `": "` is used then.
    pub spaced: bool,
    /// Non-ASCII characters written as `\uXXXX` (Python's `ensure_ascii`).
    pub ascii: bool,
    /// A newline after the closing bracket.
    pub trailing_newline: bool,
}

impl Layout {
    /// `JSON.stringify(value, null, 2)`.
    pub const JS_PRETTY: Layout = Layout {
        indent: 2,
        spaced: false,
        ascii: false,
        trailing_newline: false,
    };

    /// Guesses the layout of a document from its text: the indentation of its first nested
    /// line, the separators of a one-line document, and whether it holds non-ASCII text.
    /// `fallback` decides what the text cannot show (e.g. `ascii` when all text is ASCII).
    pub fn sniff(text: &str, fallback: Layout) -> Layout {
        let trimmed = text.trim_end_matches(['\n', '\r']);
        let trailing_newline = trimmed.len() != text.len();
        let indent = match trimmed.find('\n') {
            Some(at) => {
                let rest = trimmed.get(at + 1..).unwrap_or("");
                rest.bytes().take_while(|b| *b == b' ').count()
            }
            None => 0,
        };
        let spaced = if indent == 0 {
            spaced_separators(trimmed).unwrap_or(fallback.spaced)
        } else {
            fallback.spaced
        };
        let ascii = if text.is_ascii() {
            // All-ASCII text: an escaped non-ASCII character says Python; otherwise unknown.
            if has_non_ascii_escape(text) {
                true
            } else {
                fallback.ascii
            }
        } else {
            false
        };
        Layout {
            indent,
            spaced,
            ascii,
            trailing_newline,
        }
    }

    /// Writes a whole document in this layout.
    pub fn write_document(&self, doc: &Document<'_>) -> Vec<u8> {
        let mut out = Vec::with_capacity(doc.text().len() + 16);
        self.write_node(&mut out, doc.root(), 0);
        if self.trailing_newline {
            out.push(b'\n');
        }
        out
    }

    /// Writes one value (and its subtree) at a nesting depth.
    pub fn write_node(&self, out: &mut Vec<u8>, node: Node<'_>, depth: usize) {
        match node.kind() {
            Kind::Null | Kind::Bool | Kind::Number => out.extend_from_slice(node.raw().as_bytes()),
            Kind::String => {
                let text = node.as_str().unwrap_or_default();
                self.write_str(out, &text);
            }
            Kind::Array => {
                if node.is_empty() {
                    out.extend_from_slice(b"[]");
                    return;
                }
                out.push(b'[');
                for (i, element) in node.elements().enumerate() {
                    self.separator(out, i, depth + 1);
                    self.write_node(out, element, depth + 1);
                }
                self.close(out, depth);
                out.push(b']');
            }
            Kind::Object => {
                if node.is_empty() {
                    out.extend_from_slice(b"{}");
                    return;
                }
                out.push(b'{');
                for (i, (key, value)) in node.members().enumerate() {
                    self.separator(out, i, depth + 1);
                    self.write_str(out, &key.as_str().unwrap_or_default());
                    out.extend_from_slice(if self.indent > 0 || self.spaced {
                        b": "
                    } else {
                        b":"
                    });
                    self.write_node(out, value, depth + 1);
                }
                self.close(out, depth);
                out.push(b'}');
            }
        }
    }

    fn separator(&self, out: &mut Vec<u8>, i: usize, depth: usize) {
        if i > 0 {
            out.push(b',');
            if self.indent == 0 && self.spaced {
                out.push(b' ');
            }
        }
        if self.indent > 0 {
            out.push(b'\n');
            out.resize(out.len() + depth * self.indent, b' ');
        }
    }

    fn close(&self, out: &mut Vec<u8>, depth: usize) {
        if self.indent > 0 {
            out.push(b'\n');
            out.resize(out.len() + depth * self.indent, b' ');
        }
    }

    /// A string literal: `"` and `\` escaped, control characters as JavaScript writes them
    /// (`\n`, `\u001f`), and non-ASCII as `\uXXXX` when the layout is ASCII-only.
    pub fn write_str(&self, out: &mut Vec<u8>, s: &str) {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let push_unit = |out: &mut Vec<u8>, unit: u32| {
            out.extend_from_slice(b"\\u");
            for shift in [12, 8, 4, 0] {
                out.push(HEX[((unit >> shift) & 0xF) as usize]);
            }
        };
        out.push(b'"');
        for c in s.chars() {
            match c {
                '"' => out.extend_from_slice(b"\\\""),
                '\\' => out.extend_from_slice(b"\\\\"),
                '\n' => out.extend_from_slice(b"\\n"),
                '\r' => out.extend_from_slice(b"\\r"),
                '\t' => out.extend_from_slice(b"\\t"),
                '\u{8}' => out.extend_from_slice(b"\\b"),
                '\u{c}' => out.extend_from_slice(b"\\f"),
                c if u32::from(c) < 0x20 => push_unit(out, u32::from(c)),
                c if self.ascii && u32::from(c) > 0x7e => {
                    let mut units = [0u16; 2];
                    for unit in c.encode_utf16(&mut units) {
                        push_unit(out, u32::from(*unit));
                    }
                }
                c => {
                    let mut buf = [0u8; 4];
                    out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                }
            }
        }
        out.push(b'"');
    }
}

/// For a one-line document: whether items are separated by `", "` (Python) or `","`.
fn spaced_separators(text: &str) -> Option<bool> {
    let bytes = text.as_bytes();
    let mut in_string = false;
    let mut escaped = false;
    for (i, &b) in bytes.iter().enumerate() {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b',' | b':' => return Some(bytes.get(i + 1) == Some(&b' ')),
            _ => {}
        }
    }
    None
}

/// Whether the text escapes a non-ASCII character (`\u00e9`), which only an ASCII-only
/// writer does.
fn has_non_ascii_escape(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memmem::find_iter(bytes, b"\\u").any(|at| {
        // Not an escaped backslash followed by `u`.
        let backslashes = bytes
            .get(..at)
            .unwrap_or(&[])
            .iter()
            .rev()
            .take_while(|b| **b == b'\\')
            .count();
        backslashes % 2 == 0
            && crate::json::escape::hex4(bytes, at + 2).is_some_and(|unit| unit >= 0x7f)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roundtrip(text: &str, fallback: Layout) -> String {
        let doc = Document::parse(text.as_bytes()).unwrap();
        let layout = Layout::sniff(text, fallback);
        String::from_utf8(layout.write_document(&doc)).unwrap()
    }

    #[test]
    fn javascript_pretty_output_comes_back_byte_for_byte() {
        let text =
            "{\n  \"a\": [\n    1,\n    2.5\n  ],\n  \"b\": {},\n  \"c\": \"é\\u0001\\n\"\n}";
        assert_eq!(roundtrip(text, Layout::JS_PRETTY), text);
    }

    #[test]
    fn python_compact_and_indented_output_come_back_byte_for_byte() {
        let compact = "{\"a\": [1, 2], \"b\": \"\\u00e9\"}";
        assert_eq!(roundtrip(compact, Layout::JS_PRETTY), compact);
        let indented = "{\n    \"a\": [\n        1\n    ]\n}\n";
        assert_eq!(roundtrip(indented, Layout::JS_PRETTY), indented);
    }

    #[test]
    fn javascript_compact_output_comes_back_byte_for_byte() {
        let text = "{\"a\":[1,{\"b\":null}],\"c\":\"x\"}";
        assert_eq!(roundtrip(text, Layout::JS_PRETTY), text);
    }
}
