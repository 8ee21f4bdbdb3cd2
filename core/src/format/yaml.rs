//! YAML cassettes (VCR.py, Ruby VCR, go-vcr), read safely into a JSON [`Document`] and written
//! back.
//!
//! Safety: the parser (yaml-rust2, pure Rust) only reports events; this module turns them into
//! JSON text. No tag ever constructs anything: `!ruby/struct:…`, `!!python/…` and every
//! other unknown tag are dropped and the node is read as plain data; `!!binary` scalars stay
//! base64 text and their JSON paths are kept so the file is written back with the tag.
//! Aliases are expanded with a size limit (no billion laughs). Scalars resolve as YAML 1.1
//! (`PyYAML`, Psych): `null`/`~`, `true`/`yes`/`on`…, integers and floats; quoted scalars are
//! strings.
//!
//! Writing is block style (two-space mappings, sequences at their key's indentation, as
//! `PyYAML` writes), quoting every string that would not read back as the same string: the
//! same value tree, not the same bytes.

use std::collections::HashMap;
use std::fmt::Write as _;

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser, Tag};
use yaml_rust2::scanner::{Marker, TScalarStyle};

use crate::error::{Location, Problem, ProblemKind, Severity};
use crate::json::{Document, Kind, Node, push_key};

/// A YAML file read as JSON.
#[derive(Debug)]
pub(crate) struct Projection {
    pub(crate) json: String,
    pub(crate) binary_paths: Vec<String>,
    /// `(json offset, line, column)` of every value, for problem locations.
    pub(crate) marks: Vec<(u32, u32, u32)>,
    /// `(json offset, yaml byte offset)` of every value, for finding locations.
    pub(crate) offsets: Vec<(u32, u32)>,
}

/// Whether text that is not JSON should be tried as YAML: it does not start like JSON.
pub(crate) fn is_candidate(text: &[u8]) -> bool {
    // A byte order mark before JSON is JSON's error to report, not YAML's.
    let text = text.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(text);
    let first = text.iter().find(|b| !b.is_ascii_whitespace());
    !matches!(first, Some(b'{' | b'[') | None)
}

/// Whether the first line that is not blank or a comment opens a YAML mapping (`key:`, a
/// `---` document start, a `%YAML` directive): every YAML cassette does. Anything else that is
/// not JSON either is reported with JSON's error.
pub(crate) fn starts_like_a_mapping(text: &[u8]) -> bool {
    let Some(line) = text
        .split(|b| *b == b'\n')
        .map(<[u8]>::trim_ascii)
        .find(|l| !l.is_empty() && !l.starts_with(b"#"))
    else {
        return false;
    };
    if line.starts_with(b"---") || line.starts_with(b"%YAML") {
        return true;
    }
    let key_end = line
        .iter()
        .position(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'"' | b'\'')))
        .unwrap_or(line.len());
    key_end > 0 && line.get(key_end) == Some(&b':')
}

enum Frame {
    Seq { count: usize },
    Map { count: usize, at_key: bool },
}

#[derive(Clone)]
enum Seg {
    Key(String),
    Index(usize),
}

struct Builder {
    out: String,
    stack: Vec<Frame>,
    path: Vec<Seg>,
    binary_paths: Vec<String>,
    marks: Vec<(u32, u32, u32)>,
    /// Character index in the YAML text of each mark.
    chars: Vec<usize>,
    /// Anchor id → (start offset in `out`, finished text).
    anchors: HashMap<usize, String>,
    open_anchors: Vec<(usize, usize, usize)>,
    documents: usize,
    error: Option<(Marker, &'static str)>,
    limit: usize,
}

/// Reads YAML text into JSON text. Only the first document of a stream is read.
pub(crate) fn project(text: &str, limit: usize) -> Result<Projection, Problem> {
    let mut builder = Builder {
        out: String::with_capacity(text.len() + text.len() / 4),
        stack: Vec::new(),
        path: Vec::new(),
        binary_paths: Vec::new(),
        marks: Vec::new(),
        chars: Vec::new(),
        anchors: HashMap::new(),
        open_anchors: Vec::new(),
        documents: 0,
        error: None,
        limit,
    };
    let mut parser = Parser::new_from_str(text);
    if let Err(e) = parser.load(&mut builder, false) {
        let m = e.marker();
        return Err(problem(
            m.line(),
            m.col(),
            ProblemKind::Yaml(e.info().to_owned()),
        ));
    }
    if let Some((m, what)) = builder.error {
        return Err(problem(
            m.line(),
            m.col(),
            ProblemKind::Yaml(what.to_owned()),
        ));
    }
    if builder.out.is_empty() {
        return Err(problem(
            1,
            1,
            ProblemKind::Yaml(String::from("the file holds no YAML document")),
        ));
    }
    let offsets = builder
        .marks
        .iter()
        .zip(byte_offsets(text, &builder.chars))
        .map(|(m, b)| (m.0, u32::try_from(b).unwrap_or(u32::MAX)))
        .collect();
    Ok(Projection {
        json: builder.out,
        binary_paths: builder.binary_paths,
        marks: builder.marks,
        offsets,
    })
}

/// Byte offsets of character indices (the parser counts characters).
fn byte_offsets(text: &str, chars: &[usize]) -> Vec<usize> {
    let mut sorted: Vec<(usize, usize)> = chars
        .iter()
        .copied()
        .enumerate()
        .map(|(i, c)| (c, i))
        .collect();
    sorted.sort_unstable();
    let mut out = vec![text.len(); chars.len()];
    let mut iter = text.char_indices().map(|(b, _)| b).enumerate();
    let mut current = iter.next();
    for (char_index, slot) in sorted {
        while let Some((c, _)) = current
            && c < char_index
        {
            current = iter.next();
        }
        if let (Some((_, byte)), Some(out_slot)) = (current, out.get_mut(slot)) {
            *out_slot = byte;
        }
    }
    out
}

fn problem(line: usize, column: usize, kind: ProblemKind) -> Problem {
    Problem {
        severity: Severity::Error,
        location: Location {
            json_path: String::from("$"),
            line: u32::try_from(line).unwrap_or(u32::MAX),
            column: u32::try_from(column).unwrap_or(u32::MAX),
        },
        kind,
    }
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        if self.error.is_some() {
            return;
        }
        match ev {
            Event::DocumentStart => self.documents += 1,
            Event::Scalar(value, style, anchor, tag) => {
                if !self.begin_value(mark, true) {
                    return;
                }
                let start = self.out.len();
                let binary = self.scalar(&value, style, tag.as_ref());
                if binary {
                    let path = self.render_path();
                    self.binary_paths.push(path);
                }
                self.end_value(anchor, start);
            }
            Event::SequenceStart(anchor, _) => {
                if !self.begin_value(mark, false) {
                    return;
                }
                self.open_anchors
                    .push((anchor, self.out.len(), self.stack.len()));
                self.out.push('[');
                self.stack.push(Frame::Seq { count: 0 });
                if self.stack.len() > crate::json::MAX_DEPTH {
                    self.error = Some((mark, "nesting too deep"));
                }
            }
            Event::MappingStart(anchor, _) => {
                if !self.begin_value(mark, false) {
                    return;
                }
                self.open_anchors
                    .push((anchor, self.out.len(), self.stack.len()));
                self.out.push('{');
                self.stack.push(Frame::Map {
                    count: 0,
                    at_key: true,
                });
                if self.stack.len() > crate::json::MAX_DEPTH {
                    self.error = Some((mark, "nesting too deep"));
                }
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let close = if matches!(ev, Event::SequenceEnd) {
                    ']'
                } else {
                    '}'
                };
                self.stack.pop();
                self.out.push(close);
                if let Some((anchor, start, _)) = self.open_anchors.pop() {
                    self.end_value(anchor, start);
                }
            }
            Event::Alias(id) => {
                if !self.begin_value(mark, false) {
                    return;
                }
                let start = self.out.len();
                match self.anchors.get(&id) {
                    Some(text) if self.out.len() + text.len() <= self.limit => {
                        let text = text.clone();
                        self.out.push_str(&text);
                    }
                    Some(_) => self.error = Some((mark, "aliases expand beyond the size limit")),
                    None => self.error = Some((mark, "alias to an unknown anchor")),
                }
                self.end_value(0, start);
            }
            _ => {}
        }
    }
}

impl Builder {
    /// Separators and keys before a value; false when the value is to be skipped (a second
    /// document, or a non-scalar key).
    fn begin_value(&mut self, mark: Marker, scalar: bool) -> bool {
        if self.documents > 1 {
            return false;
        }
        if !scalar && matches!(self.stack.last(), Some(Frame::Map { at_key: true, .. })) {
            self.error = Some((mark, "a mapping key that is not a scalar"));
            return false;
        }
        if self.out.len() > self.limit {
            self.error = Some((mark, "document larger than the size limit"));
            return false;
        }
        let offset = u32::try_from(self.out.len()).unwrap_or(u32::MAX);
        let line = u32::try_from(mark.line()).unwrap_or(u32::MAX);
        let col = u32::try_from(mark.col()).unwrap_or(u32::MAX);
        match self.stack.last_mut() {
            Some(Frame::Seq { count }) => {
                if *count > 0 {
                    self.out.push(',');
                }
                self.path.push(Seg::Index(*count));
                *count += 1;
            }
            // Keys are written by `scalar`; a value's key was pushed on the path there.
            Some(Frame::Map { at_key, count }) if *at_key && *count > 0 => self.out.push(','),
            Some(Frame::Map { .. }) | None => {}
        }
        self.marks.push((offset, line, col));
        self.chars.push(mark.index());
        true
    }

    fn end_value(&mut self, anchor: usize, start: usize) {
        if anchor > 0
            && let Some(text) = self.out.get(start..)
        {
            self.anchors.insert(anchor, text.to_owned());
        }
        match self.stack.last_mut() {
            Some(Frame::Seq { .. }) => {
                self.path.pop();
            }
            Some(Frame::Map { at_key, count }) => {
                if *at_key {
                    *at_key = false;
                } else {
                    *at_key = true;
                    *count += 1;
                    self.path.pop();
                }
            }
            None => {}
        }
    }

    /// Writes one scalar (as a key when a mapping expects one); returns whether it is a
    /// `!!binary` value.
    fn scalar(&mut self, value: &str, style: TScalarStyle, tag: Option<&Tag>) -> bool {
        let is_key = matches!(self.stack.last(), Some(Frame::Map { at_key: true, .. }));
        let core_tag = tag
            .filter(|t| t.handle == "tag:yaml.org,2002:" || t.handle == "!!")
            .map(|t| t.suffix.as_str());
        if is_key {
            write_json_str(&mut self.out, value);
            self.out.push(':');
            self.path.push(Seg::Key(value.to_owned()));
            return false;
        }
        if core_tag == Some("binary") {
            let compact: String = value.chars().filter(|c| !c.is_whitespace()).collect();
            write_json_str(&mut self.out, &compact);
            return true;
        }
        let plain = style == TScalarStyle::Plain;
        let resolved = match core_tag {
            Some("str") => None,
            Some("null") => Some(String::from("null")),
            Some("bool" | "int" | "float") => resolve_plain(value),
            _ if plain && tag.is_none() => resolve_plain(value),
            _ => None,
        };
        match resolved {
            Some(json) => self.out.push_str(&json),
            None => write_json_str(&mut self.out, value),
        }
        false
    }

    fn render_path(&self) -> String {
        let mut out = String::from("$");
        for seg in &self.path {
            match seg {
                Seg::Key(k) => push_key(&mut out, k),
                Seg::Index(i) => {
                    out.push('[');
                    out.push_str(&i.to_string());
                    out.push(']');
                }
            }
        }
        out
    }
}

/// The JSON text of a plain scalar that is not a string (YAML 1.1 resolution), or `None`.
fn resolve_plain(value: &str) -> Option<String> {
    match value {
        "" | "~" | "null" | "Null" | "NULL" => return Some(String::from("null")),
        "true" | "True" | "TRUE" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" => {
            return Some(String::from("true"));
        }
        "false" | "False" | "FALSE" | "no" | "No" | "NO" | "off" | "Off" | "OFF" => {
            return Some(String::from("false"));
        }
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return Some(String::from("Infinity"));
        }
        "-.inf" | "-.Inf" | "-.INF" => return Some(String::from("-Infinity")),
        ".nan" | ".NaN" | ".NAN" => return Some(String::from("NaN")),
        _ => {}
    }
    let unsigned = value.strip_prefix(['-', '+']).unwrap_or(value);
    let negative = value.starts_with('-');
    let sign = if negative { "-" } else { "" };
    if !unsigned.is_empty() && unsigned.bytes().all(|b| b.is_ascii_digit()) {
        if unsigned.len() > 1 && unsigned.starts_with('0') {
            return None;
        }
        return Some(format!("{sign}{unsigned}"));
    }
    // Floats: digits with a dot and/or an exponent.
    let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
        Some(at) => (unsigned.get(..at)?, Some(unsigned.get(at + 1..)?)),
        None => (unsigned, None),
    };
    let (int_part, frac_part) = mantissa.split_once('.')?;
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if !(digits(int_part) && digits(frac_part)) || (int_part.is_empty() && frac_part.is_empty()) {
        return None;
    }
    let mut out = String::from(sign);
    out.push_str(if int_part.is_empty() { "0" } else { int_part });
    out.push('.');
    out.push_str(if frac_part.is_empty() { "0" } else { frac_part });
    if let Some(exp) = exponent {
        let exp_digits = exp.strip_prefix(['-', '+']).unwrap_or(exp);
        if exp_digits.is_empty() || !digits(exp_digits) {
            return None;
        }
        out.push('e');
        out.push_str(exp);
    }
    Some(out)
}

fn write_json_str(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

// ---- writing ------------------------------------------------------------------------------

/// Writes a document as block-style YAML; strings at `binary_paths` get `!!binary`.
pub(crate) fn emit(doc: &Document<'_>, binary_paths: &[String]) -> Vec<u8> {
    let mut out = String::with_capacity(doc.text().len());
    let mut path = String::from("$");
    let root = doc.root();
    match root.kind() {
        Kind::Object | Kind::Array if !root.is_empty() => {
            emit_block(&mut out, root, 0, &mut path, binary_paths);
        }
        _ => {
            emit_inline(&mut out, root, 0, &path, binary_paths);
            out.push('\n');
        }
    }
    out.into_bytes()
}

fn emit_block(out: &mut String, node: Node<'_>, indent: usize, path: &mut String, bins: &[String]) {
    let pad = " ".repeat(indent);
    match node.kind() {
        Kind::Object => {
            for (key, value) in node.members() {
                let k = key.as_str().unwrap_or_default();
                let len = path.len();
                push_key(path, &k);
                out.push_str(&pad);
                write_yaml_str(out, &k);
                out.push(':');
                emit_child(out, value, indent, true, path, bins);
                path.truncate(len);
            }
        }
        Kind::Array => {
            for (i, value) in node.elements().enumerate() {
                let len = path.len();
                path.push('[');
                path.push_str(&i.to_string());
                path.push(']');
                out.push_str(&pad);
                out.push('-');
                emit_child(out, value, indent, false, path, bins);
                path.truncate(len);
            }
        }
        _ => {}
    }
}

/// A value after `key:` or `-`.
fn emit_child(
    out: &mut String,
    value: Node<'_>,
    indent: usize,
    in_map: bool,
    path: &mut String,
    bins: &[String],
) {
    match value.kind() {
        Kind::Object if !value.is_empty() => {
            if in_map {
                out.push('\n');
                emit_block(out, value, indent + 2, path, bins);
            } else {
                // `- key: value` with the following keys aligned under the first.
                out.push(' ');
                let mut nested = String::new();
                emit_block(&mut nested, value, indent + 2, path, bins);
                out.push_str(nested.get(indent + 2..).unwrap_or(""));
            }
        }
        Kind::Array if !value.is_empty() => {
            out.push('\n');
            // PyYAML writes a mapping's sequence at the key's indentation.
            let child = if in_map { indent } else { indent + 2 };
            emit_block(out, value, child, path, bins);
        }
        _ => {
            out.push(' ');
            emit_inline(out, value, indent, path, bins);
            out.push('\n');
        }
    }
}

fn emit_inline(out: &mut String, node: Node<'_>, indent: usize, path: &str, bins: &[String]) {
    match node.kind() {
        Kind::Null => out.push_str("null"),
        Kind::Bool => out.push_str(node.raw()),
        Kind::Number => match node.raw() {
            "NaN" => out.push_str(".nan"),
            "Infinity" => out.push_str(".inf"),
            "-Infinity" => out.push_str("-.inf"),
            raw => out.push_str(raw),
        },
        Kind::String => {
            let s = node.as_str().unwrap_or_default();
            if bins.iter().any(|p| p == path) && is_base64(&s) {
                out.push_str("!!binary |");
                let pad = " ".repeat(indent + 2);
                for chunk in s.as_bytes().chunks(76) {
                    out.push('\n');
                    out.push_str(&pad);
                    out.push_str(std::str::from_utf8(chunk).unwrap_or(""));
                }
            } else {
                write_yaml_str(out, &s);
            }
        }
        Kind::Array => out.push_str("[]"),
        Kind::Object => out.push_str("{}"),
    }
}

fn is_base64(s: &str) -> bool {
    s.bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='))
}

/// A string, plain when it reads back as the same string, double-quoted otherwise.
fn write_yaml_str(out: &mut String, s: &str) {
    if is_plain_safe(s) {
        out.push_str(s);
        return;
    }
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() || c == '\u{feff}' || c == '\u{2028}' || c == '\u{2029}' => {
                let code = u32::from(c);
                if code <= 0xFF {
                    let _ = write!(out, "\\x{code:02x}");
                } else {
                    let _ = write!(out, "\\u{code:04x}");
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

fn is_plain_safe(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    first.is_ascii_alphabetic()
        && !s.ends_with(' ')
        && !s.ends_with(':')
        && !s.contains(": ")
        && !s.contains(" #")
        && s.chars().all(|c| {
            c.is_ascii_alphanumeric()
                || matches!(
                    c,
                    ' ' | '_' | '-' | '.' | '/' | ':' | ';' | '=' | '+' | '(' | ')' | ','
                )
        })
        && resolve_plain(s).is_none()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json(yaml: &str) -> String {
        project(yaml, 1 << 20).unwrap().json
    }

    #[test]
    fn resolves_scalars_as_yaml_one_one() {
        assert_eq!(
            json("a: 1\nb: -2.5\nc: yes\nd: ~\ne: '1'\nf: x y\ng: 0755\nh: .inf\n"),
            r#"{"a":1,"b":-2.5,"c":true,"d":null,"e":"1","f":"x y","g":"0755","h":Infinity}"#
        );
    }

    #[test]
    fn tags_construct_nothing_and_binary_is_kept_with_its_path() {
        let p = project(
            "--- !ruby/struct:VCR::HTTPInteraction\nbody: !!binary |\n  aGVs\n  bG8=\nx: !!python/object/apply:os.system ['true']\n",
            1 << 20,
        )
        .unwrap();
        assert_eq!(p.json, r#"{"body":"aGVsbG8=","x":["true"]}"#);
        assert_eq!(p.binary_paths, ["$.body"]);
    }

    #[test]
    fn aliases_expand_within_the_limit() {
        assert_eq!(json("a: &x [1, 2]\nb: *x\n"), r#"{"a":[1,2],"b":[1,2]}"#);
        let bomb = "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c]\n";
        assert!(project(bomb, 10_000).is_err());
    }

    #[test]
    fn writes_back_the_same_value_tree() {
        let yaml = "interactions:\n- request:\n    body: null\n    headers:\n      Accept:\n      - '*/*'\n    uri: http://127.0.0.1/a?b=1\n  response:\n    body:\n      string: !!binary |\n        aGVsbG8=\n    status:\n      code: 200\n      message: OK\nversion: 1\n";
        let p = project(yaml, 1 << 20).unwrap();
        let doc = Document::parse(p.json.as_bytes()).unwrap();
        let written = String::from_utf8(emit(&doc, &p.binary_paths)).unwrap();
        let again = project(&written, 1 << 20).unwrap();
        assert_eq!(again.json, p.json, "{written}");
        assert_eq!(again.binary_paths, p.binary_paths);
        assert!(written.contains("string: !!binary |"), "{written}");
    }

    #[test]
    fn broken_yaml_is_an_error_with_a_place() {
        let err = project("a: [1, 2\nb: c\n", 1 << 20).unwrap_err();
        assert!(err.location.line >= 1);
    }
}
