//! Timetracer's `hash_body` (`sha256:<hex>`) and the Python `repr` it hashes for
//! `signature.headers_hash`.
//!
//! The replay side may grow its own Python-repr helpers; these are the few the recorder needs
//! (a `str` repr and a sorted list of `(name, value)` tuples).

use std::fmt::Write as _;

use sha2::{Digest as _, Sha256};

/// `hash_body(bytes)`: `sha256:` and the lowercase hex digest of the bytes.
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

/// `hash_body(str(sorted(headers.items())))`: the hash of Python's repr of the sorted list of
/// `(name, value)` tuples, as Timetracer computes `headers_hash`. Names keep their case;
/// sorting is by name, then value, in code-point order (Python's tuple and `str` ordering).
/// `None` when there are no headers (Timetracer then writes no `headers_hash`).
pub fn headers_hash(headers: &[(String, String)]) -> Option<String> {
    if headers.is_empty() {
        return None;
    }
    let mut sorted: Vec<&(String, String)> = headers.iter().collect();
    sorted.sort();
    let mut repr = String::from("[");
    for (i, (name, value)) in sorted.into_iter().enumerate() {
        if i > 0 {
            repr.push_str(", ");
        }
        repr.push('(');
        push_python_str_repr(&mut repr, name);
        repr.push_str(", ");
        push_python_str_repr(&mut repr, value);
        repr.push(')');
    }
    repr.push(']');
    Some(hash_bytes(repr.as_bytes()))
}

/// Appends Python's `repr(s)` of a `str`: single quotes unless the text holds `'` and no `"`;
/// backslash escapes for the quote, `\\`, `\t`, `\n`, `\r`, and `\xNN`/`\uNNNN`/`\UNNNNNNNN`
/// for characters Python does not print. Printable non-ASCII characters stay as they are.
pub fn push_python_str_repr(out: &mut String, s: &str) {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if !is_python_printable(c) => {
                let code = u32::from(c);
                if code < 0x100 {
                    let _ = write!(out, "\\x{code:02x}");
                } else if code < 0x10000 {
                    let _ = write!(out, "\\u{code:04x}");
                } else {
                    let _ = write!(out, "\\U{code:08x}");
                }
            }
            c => out.push(c),
        }
    }
    out.push(quote);
}

/// An approximation of Python's `str.isprintable` for the characters header values hold:
/// control characters, separators other than the space, format characters (soft hyphen,
/// zero-width and direction marks, BOM) and private-use characters are not printable.
fn is_python_printable(c: char) -> bool {
    if c == ' ' {
        return true;
    }
    !(c.is_control()
        || c.is_whitespace()
        || matches!(
            c,
            '\u{ad}'
                | '\u{600}'..='\u{605}'
                | '\u{61c}'
                | '\u{6dd}'
                | '\u{70f}'
                | '\u{180e}'
                | '\u{200b}'..='\u{200f}'
                | '\u{202a}'..='\u{202e}'
                | '\u{2060}'..='\u{2064}'
                | '\u{2066}'..='\u{206f}'
                | '\u{feff}'
                | '\u{fff9}'..='\u{fffb}'
                | '\u{e000}'..='\u{f8ff}'
                | '\u{f0000}'..='\u{10ffff}'
        ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
        items
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn hashes_bytes_like_hash_body() {
        assert_eq!(
            hash_bytes(b"abc"),
            "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(
            hash_bytes(b""),
            "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }

    #[test]
    fn headers_hash_matches_timetracer_golden_vectors() {
        // reference/redaction/vectors.json, `hash_body` section.
        let httpx = pairs(&[("user-agent", "python-httpx/0.28.1"), ("accept", "*/*")]);
        assert_eq!(
            headers_hash(&httpx).as_deref(),
            Some("sha256:9dfecf4c3d70022cfd9b5f20063e404a7e5591df7843cf6f59bf49d176e1f86c")
        );
        let quoted = pairs(&[("accept", "it's")]);
        assert_eq!(
            headers_hash(&quoted).as_deref(),
            Some("sha256:001c7da08b5b3b82117ee2be2e9c90e758f30049ab939daea88b5b479156b38d")
        );
        assert_eq!(headers_hash(&[]), None);
    }

    #[test]
    fn reprs_strings_as_python_does() {
        let repr = |s: &str| {
            let mut out = String::new();
            push_python_str_repr(&mut out, s);
            out
        };
        assert_eq!(repr("abc"), "'abc'");
        assert_eq!(repr("it's"), "\"it's\"");
        assert_eq!(repr("both ' and \""), "'both \\' and \"'");
        assert_eq!(repr("a\\b\tc\n"), "'a\\\\b\\tc\\n'");
        assert_eq!(repr("\u{1}\u{7f}"), "'\\x01\\x7f'");
        assert_eq!(repr("été 日本"), "'été 日本'");
        assert_eq!(repr("\u{200b}"), "'\\u200b'");
    }
}
