//! JSON string escapes: decoding raw string text, and writing strings the way Python's
//! `json.dumps(ensure_ascii=True)` does.

/// Decodes the inside of a JSON string literal (between the quotes). The parser has already
/// checked every escape, so malformed input cannot reach here; a lone surrogate becomes U+FFFD.
pub(crate) fn unescape(inner: &str) -> String {
    let bytes = inner.as_bytes();
    let mut out = String::with_capacity(inner.len());
    let mut i = 0;
    let mut plain_start = 0;
    while i < bytes.len() {
        if bytes[i] != b'\\' {
            i += 1;
            continue;
        }
        out.push_str(&inner[plain_start..i]);
        let Some(&c) = bytes.get(i + 1) else { break };
        i += 2;
        match c {
            b'n' => out.push('\n'),
            b't' => out.push('\t'),
            b'r' => out.push('\r'),
            b'b' => out.push('\u{8}'),
            b'f' => out.push('\u{c}'),
            b'u' => {
                let unit = hex4(bytes, i).unwrap_or(0xFFFD);
                i += 4;
                if (0xD800..0xDC00).contains(&unit)
                    && bytes.get(i) == Some(&b'\\')
                    && bytes.get(i + 1) == Some(&b'u')
                    && let Some(low) = hex4(bytes, i + 2).filter(|l| (0xDC00..0xE000).contains(l))
                {
                    let cp = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
                    out.push(char::from_u32(cp).unwrap_or('\u{FFFD}'));
                    i += 6;
                    plain_start = i;
                    continue;
                }
                out.push(char::from_u32(unit).unwrap_or('\u{FFFD}'));
            }
            other => out.push(char::from(other)),
        }
        plain_start = i;
    }
    out.push_str(&inner[plain_start.min(inner.len())..]);
    out
}

/// Reads four hex digits at `at`.
pub(crate) fn hex4(bytes: &[u8], at: usize) -> Option<u32> {
    let digits = bytes.get(at..at + 4)?;
    let mut value = 0u32;
    for d in digits {
        value = value * 16 + char::from(*d).to_digit(16)?;
    }
    Some(value)
}

const HEX: &[u8; 16] = b"0123456789abcdef";

fn push_unit(out: &mut Vec<u8>, unit: u32) {
    match unit {
        0x22 => out.extend_from_slice(b"\\\""),
        0x5C => out.extend_from_slice(b"\\\\"),
        0x0A => out.extend_from_slice(b"\\n"),
        0x0D => out.extend_from_slice(b"\\r"),
        0x09 => out.extend_from_slice(b"\\t"),
        0x08 => out.extend_from_slice(b"\\b"),
        0x0C => out.extend_from_slice(b"\\f"),
        0x20..=0x7E => out.push(u8::try_from(unit).unwrap_or(b'?')),
        _ => {
            out.extend_from_slice(b"\\u");
            for shift in [12, 8, 4, 0] {
                out.push(HEX[((unit >> shift) & 0xF) as usize]);
            }
        }
    }
}

fn push_char(out: &mut Vec<u8>, c: char) {
    let cp = u32::from(c);
    if cp > 0xFFFF {
        let v = cp - 0x10000;
        push_unit(out, 0xD800 + (v >> 10));
        push_unit(out, 0xDC00 + (v & 0x3FF));
    } else {
        push_unit(out, cp);
    }
}

/// Writes a Rust string as a Python `ensure_ascii` JSON string literal, quotes included.
pub(crate) fn write_python_str(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    let bytes = s.as_bytes();
    let mut plain_start = 0;
    for (i, c) in s.char_indices() {
        if matches!(c, ' '..='~') && c != '"' && c != '\\' {
            continue;
        }
        out.extend_from_slice(&bytes[plain_start..i]);
        push_char(out, c);
        plain_start = i + c.len_utf8();
    }
    out.extend_from_slice(&bytes[plain_start..]);
    out.push(b'"');
}

/// Rewrites a raw JSON string literal (quotes included, escapes already validated) in Python's
/// `ensure_ascii` form. Works on the escapes themselves, so lone surrogates survive.
pub(crate) fn write_python_raw(out: &mut Vec<u8>, raw: &str) {
    let inner = &raw[1..raw.len() - 1];
    let bytes = inner.as_bytes();
    out.push(b'"');
    let mut i = 0;
    let mut plain_start = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if (0x20..0x7F).contains(&b) && b != b'\\' && b != b'"' {
            i += 1;
            continue;
        }
        out.extend_from_slice(&bytes[plain_start..i]);
        if b == b'\\' {
            let c = bytes.get(i + 1).copied().unwrap_or(b'\\');
            i += 2;
            match c {
                b'u' => {
                    push_unit(out, hex4(bytes, i).unwrap_or(0xFFFD));
                    i += 4;
                }
                b'n' => push_unit(out, 0x0A),
                b't' => push_unit(out, 0x09),
                b'r' => push_unit(out, 0x0D),
                b'b' => push_unit(out, 0x08),
                b'f' => push_unit(out, 0x0C),
                other => push_unit(out, u32::from(other)),
            }
        } else {
            // A character outside printable ASCII, possibly several bytes long.
            let c = inner[i..].chars().next().unwrap_or('\u{FFFD}');
            push_char(out, c);
            i += c.len_utf8();
        }
        plain_start = i;
    }
    out.extend_from_slice(&bytes[plain_start..]);
    out.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn py(s: &str) -> String {
        let mut out = Vec::new();
        write_python_str(&mut out, s);
        String::from_utf8(out).unwrap()
    }

    fn py_raw(raw: &str) -> String {
        let mut out = Vec::new();
        write_python_raw(&mut out, raw);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn escapes_like_python_ensure_ascii() {
        assert_eq!(py("a/b"), r#""a/b""#);
        assert_eq!(py("é"), r#""\u00e9""#);
        assert_eq!(py("😀"), r#""\ud83d\ude00""#);
        assert_eq!(py("\u{7f}\u{1}\n\"\\"), r#""\u007f\u0001\n\"\\""#);
    }

    #[test]
    fn raw_rewrite_keeps_lone_surrogates_and_normalises_escapes() {
        assert_eq!(py_raw(r#""\ud800x""#), r#""\ud800x""#);
        assert_eq!(py_raw(r#""\u00E9\/\u0041""#), r#""\u00e9/A""#);
        assert_eq!(py_raw("\"✓\""), r#""\u2713""#);
    }

    #[test]
    fn unescape_joins_surrogate_pairs() {
        assert_eq!(unescape(r"\ud83d\ude00!"), "😀!");
        assert_eq!(unescape(r"a\nb\u0041"), "a\nbA");
        assert_eq!(unescape(r"\ud800"), "\u{FFFD}");
    }
}
