//! Small edits of a policy's TOML text that keep every other byte: the viewer's "turn this
//! detector off" and "never redact this value" change the user's policy file without losing
//! its comments, order or spacing.
//!
//! A line scanner, not a TOML writer: it finds the `[detectors]` or `[allow]` table and the
//! key in it, and rewrites or inserts only those lines. It reads the usual shapes (a header
//! per table, one `key = value` per line, arrays over several lines with comments, strings of
//! every kind). Every edit is then checked by parsing the result: the intended change must
//! hold and the rest of the parsed [`Policy`] must be unchanged. When that fails (dotted keys
//! such as `detectors.email = ...`, a `[detectors.email]` table, `allow = { ... }`), the edit
//! returns an error asking for a hand edit rather than a file that means something else.
//!
//! Errors never quote the value being allowed: it came from a cassette.

use std::fmt::Write as _;
use std::ops::Range;

use super::detect::DetectorId;
use super::policy::{DetectorSetting, DetectorTable, Policy, PolicyError};

const HAND_EDIT: &str = "the policy text could not be edited automatically; edit it by hand";

/// Whether a detector runs under `policy`: a detector the policy does not list runs.
pub fn detector_enabled(policy: &Policy, detector: &str) -> bool {
    match policy.detectors.get(detector) {
        None | Some(DetectorSetting::Operator(_)) => true,
        Some(DetectorSetting::Enabled(enabled)) => *enabled,
        Some(DetectorSetting::Table(table)) => table.enabled,
    }
}

/// Turns one detector on or off in a policy's text, keeping its operator.
///
/// A `name = ...` line in `[detectors]` gets a new value (`"hmac"` turned off becomes
/// `{ enabled = false, operator = "hmac" }`, and `"hmac"` again when turned back on);
/// otherwise `name = false` (or `true`) goes on the line after the `[detectors]` header, or
/// in a `[detectors]` table appended at the end. Commented lines are left alone. A detector
/// already in the wanted state leaves the text as it is.
///
/// Fails on an unknown detector (naming it), on text that is not a valid policy (the parse
/// error), and when the edit cannot be made by lines (see the module docs).
pub fn set_detector_enabled(
    text: &str,
    detector: &str,
    enabled: bool,
) -> Result<String, PolicyError> {
    let rule = format!("detectors.{detector}");
    if DetectorId::from_name(detector).is_none() {
        return Err(PolicyError::new(rule, "unknown detector"));
    }
    let before = Policy::from_toml(text)?;
    if detector_enabled(&before, detector) == enabled {
        return Ok(text.to_owned());
    }
    let operator = detector_operator(&before, detector);
    let mut expected = before;
    expected.detectors.insert(
        detector.to_owned(),
        detector_setting(operator.clone(), enabled),
    );
    let value = detector_value(operator.as_deref(), enabled);
    let edited = write_detector(text, detector, &value).ok_or_else(|| hand_edit(&rule))?;
    checked(edited, &expected, &rule)
}

/// Adds an exact value to `[allow] values`, so it is never redacted.
///
/// The value is written as a TOML basic string (quotes, backslashes and control characters
/// escaped) at the end of the array, which may be empty, on one line or over several lines
/// with comments. A missing `values` key goes on the line after the `[allow]` header, a
/// missing `[allow]` table at the end. A value already allowed leaves the text as it is.
///
/// Fails on text that is not a valid policy (the parse error) and when the edit cannot be
/// made by lines (see the module docs).
pub fn allow_value(text: &str, value: &str) -> Result<String, PolicyError> {
    const RULE: &str = "allow.values";
    let before = Policy::from_toml(text)?;
    if before.allow.values.iter().any(|allowed| allowed == value) {
        return Ok(text.to_owned());
    }
    let mut expected = before;
    expected.allow.values.push(value.to_owned());
    let edited = write_allowed_value(text, &basic_string(value)).ok_or_else(|| hand_edit(RULE))?;
    checked(edited, &expected, RULE)
}

fn hand_edit(rule: &str) -> PolicyError {
    PolicyError::new(rule, HAND_EDIT)
}

/// The edited text, if it parses to exactly the policy intended.
fn checked(edited: String, expected: &Policy, rule: &str) -> Result<String, PolicyError> {
    match Policy::from_toml(&edited) {
        Ok(policy) if policy == *expected => Ok(edited),
        _ => Err(hand_edit(rule)),
    }
}

fn detector_operator(policy: &Policy, detector: &str) -> Option<String> {
    match policy.detectors.get(detector)? {
        DetectorSetting::Enabled(_) => None,
        DetectorSetting::Operator(operator) => Some(operator.clone()),
        DetectorSetting::Table(table) => table.operator.clone(),
    }
}

/// The setting a detector has after the edit: the shortest spelling that keeps its operator.
fn detector_setting(operator: Option<String>, enabled: bool) -> DetectorSetting {
    match (operator, enabled) {
        (None, enabled) => DetectorSetting::Enabled(enabled),
        (Some(operator), true) => DetectorSetting::Operator(operator),
        (Some(operator), false) => DetectorSetting::Table(DetectorTable {
            enabled: false,
            operator: Some(operator),
        }),
    }
}

/// [`detector_setting`] as TOML text.
fn detector_value(operator: Option<&str>, enabled: bool) -> String {
    match (operator, enabled) {
        (None, enabled) => enabled.to_string(),
        (Some(operator), true) => basic_string(operator),
        (Some(operator), false) => format!(
            "{{ enabled = false, operator = {} }}",
            basic_string(operator)
        ),
    }
}

/// `value` as a TOML basic string: `"` and `\` escaped, control characters as escapes.
fn basic_string(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\u{c}' => out.push_str("\\f"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => {
                // Writing to a String cannot fail.
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn write_detector(text: &str, detector: &str, value: &str) -> Option<String> {
    let statements = statements(text)?;
    if let Some(existing) = pair_in_table(&statements, "detectors", detector) {
        return replace(text, existing, value);
    }
    let line = format!("{detector} = {value}");
    match table_header(&statements, "detectors") {
        Some(header) => insert_line_after(text, header.line.end, &line),
        None => Some(append_table(text, "detectors", &line)),
    }
}

fn write_allowed_value(text: &str, item: &str) -> Option<String> {
    let statements = statements(text)?;
    if let Some(array) = pair_in_table(&statements, "allow", "values") {
        return append_to_array(text, array.start, item);
    }
    let line = format!("values = [{item}]");
    match table_header(&statements, "allow") {
        Some(header) => insert_line_after(text, header.line.end, &line),
        None => Some(append_table(text, "allow", &line)),
    }
}

// ---------------------------------------------------------------------------------------------
// Text surgery

/// The newline the text already uses.
fn newline(text: &str) -> &'static str {
    if text.contains("\r\n") { "\r\n" } else { "\n" }
}

fn replace(text: &str, span: Range<usize>, with: &str) -> Option<String> {
    apply(text, vec![(span, with.to_owned())])
}

/// `text` with each span replaced; spans must not overlap.
fn apply(text: &str, mut edits: Vec<(Range<usize>, String)>) -> Option<String> {
    edits.sort_by_key(|(span, _)| span.start);
    let mut out = String::with_capacity(text.len() + 64);
    let mut done = 0;
    for (span, with) in edits {
        out.push_str(text.get(done..span.start)?);
        out.push_str(&with);
        done = span.end;
    }
    out.push_str(text.get(done..)?);
    Some(out)
}

/// Inserts a line at `line_end` (the end of a line, after its newline if it has one).
fn insert_line_after(text: &str, line_end: usize, line: &str) -> Option<String> {
    let nl = newline(text);
    let before = text.get(..line_end)?;
    let inserted = if before.ends_with('\n') {
        format!("{line}{nl}")
    } else {
        format!("{nl}{line}")
    };
    apply(text, vec![(line_end..line_end, inserted)])
}

fn append_table(text: &str, name: &str, line: &str) -> String {
    let nl = newline(text);
    let mut out = text.to_owned();
    if !out.is_empty() && !out.ends_with('\n') {
        out.push_str(nl);
    }
    if !out.is_empty() && !out.ends_with(&format!("{nl}{nl}")) {
        out.push_str(nl);
    }
    let _ = write!(out, "[{name}]{nl}{line}{nl}");
    out
}

/// Adds `item` after the last element of the array starting at `open`, in the array's style:
/// inline (`["a", "b"]`) or one element per line.
fn append_to_array(text: &str, open: usize, item: &str) -> Option<String> {
    let shape = ArrayShape::scan(text, open)?;
    let nl = newline(text);
    let edits = match shape.last_item {
        None if !text.get(shape.inside.clone())?.contains('\n') => {
            vec![(shape.inside, item.to_owned())]
        }
        None => {
            let at = line_start(text, shape.inside.end);
            let indent = format!("{}    ", indentation(text, at));
            vec![(at..at, format!("{indent}{item},{nl}"))]
        }
        Some(last) => {
            let after_last = shape.comma_after_last.map_or(last.end, |comma| comma + 1);
            match next_line_within(text, after_last, shape.inside.end) {
                Some(next_line) => {
                    let indent = indentation(text, line_start(text, last.start));
                    let comma = if shape.comma_after_last.is_some() {
                        ","
                    } else {
                        ""
                    };
                    let mut edits =
                        vec![(next_line..next_line, format!("{indent}{item}{comma}{nl}"))];
                    if shape.comma_after_last.is_none() {
                        edits.push((last.end..last.end, String::from(",")));
                    }
                    edits
                }
                None => vec![(last.end..last.end, format!(", {item}"))],
            }
        }
    };
    apply(text, edits)
}

fn line_start(text: &str, at: usize) -> usize {
    text.as_bytes()
        .get(..at)
        .and_then(|before| before.iter().rposition(|&b| b == b'\n'))
        .map_or(0, |newline| newline + 1)
}

fn indentation(text: &str, line_start: usize) -> &str {
    let rest = text.get(line_start..).unwrap_or("");
    let width = rest.len() - rest.trim_start_matches([' ', '\t']).len();
    rest.get(..width).unwrap_or("")
}

/// If only spaces and a comment follow `at` on its line, and the line ends before `limit`:
/// where the next line starts.
fn next_line_within(text: &str, at: usize, limit: usize) -> Option<usize> {
    let mut cursor = Cursor {
        text: text.as_bytes(),
        pos: at,
    };
    cursor.skip_spaces();
    cursor.skip_comment();
    if cursor.peek() == Some(b'\r') {
        cursor.pos += 1;
    }
    (cursor.peek() == Some(b'\n') && cursor.pos < limit).then_some(cursor.pos + 1)
}

// ---------------------------------------------------------------------------------------------
// Scanning

/// One top-level line (or several, for a value spread over lines) of the policy text.
#[derive(Debug)]
struct Statement {
    /// From the line's start to after its newline.
    line: Range<usize>,
    /// The table the statement sits in (its own name for a header).
    table: Vec<String>,
    kind: StatementKind,
}

#[derive(Debug)]
enum StatementKind {
    /// Blank or comment only.
    Blank,
    /// `[name]`.
    Header,
    /// `[[name]]`.
    ArrayHeader,
    /// `key = value`: the key's dotted parts (quotes removed) and the value's span.
    Pair {
        key: Vec<String>,
        value: Range<usize>,
    },
}

fn table_header<'s>(statements: &'s [Statement], table: &str) -> Option<&'s Statement> {
    statements
        .iter()
        .find(|s| matches!(s.kind, StatementKind::Header) && s.table == [table])
}

/// The value span of `key = ...` directly in `[table]`.
fn pair_in_table(statements: &[Statement], table: &str, key: &str) -> Option<Range<usize>> {
    statements.iter().find_map(|s| match &s.kind {
        StatementKind::Pair { key: k, value } if s.table == [table] && *k == [key] => {
            Some(value.clone())
        }
        _ => None,
    })
}

/// The statements of a TOML text, or `None` where the scanner cannot follow it (then the
/// caller asks for a hand edit; `Policy::from_toml` has already accepted the text).
fn statements(text: &str) -> Option<Vec<Statement>> {
    let mut cursor = Cursor {
        text: text.as_bytes(),
        pos: 0,
    };
    let mut table = Vec::new();
    let mut out = Vec::new();
    while cursor.pos < text.len() {
        let start = cursor.pos;
        cursor.skip_spaces();
        let kind = match cursor.peek() {
            None | Some(b'#' | b'\r' | b'\n') => StatementKind::Blank,
            Some(b'[') => {
                let (name, array) = cursor.header()?;
                table = name;
                if array {
                    StatementKind::ArrayHeader
                } else {
                    StatementKind::Header
                }
            }
            Some(_) => {
                let key = cursor.key()?;
                cursor.skip_spaces();
                cursor.eat(b"=")?;
                cursor.skip_spaces();
                let value_start = cursor.pos;
                cursor.skip_value()?;
                StatementKind::Pair {
                    key,
                    value: value_start..cursor.pos,
                }
            }
        };
        cursor.end_line()?;
        out.push(Statement {
            line: start..cursor.pos,
            table: table.clone(),
            kind,
        });
    }
    Some(out)
}

/// Where an array's elements sit.
struct ArrayShape {
    /// Between `[` and `]`.
    inside: Range<usize>,
    last_item: Option<Range<usize>>,
    /// The comma after the last element, if any.
    comma_after_last: Option<usize>,
}

impl ArrayShape {
    fn scan(text: &str, open: usize) -> Option<ArrayShape> {
        let mut cursor = Cursor {
            text: text.as_bytes(),
            pos: open,
        };
        cursor.eat(b"[")?;
        let mut last_item = None;
        let mut comma_after_last = None;
        loop {
            cursor.skip_blanks_and_comments();
            match cursor.peek()? {
                b']' => break,
                b',' => {
                    if last_item.is_none() || comma_after_last.is_some() {
                        return None;
                    }
                    comma_after_last = Some(cursor.pos);
                    cursor.pos += 1;
                }
                _ => {
                    let start = cursor.pos;
                    cursor.skip_value()?;
                    last_item = Some(start..cursor.pos);
                    comma_after_last = None;
                }
            }
        }
        Some(ArrayShape {
            inside: open + 1..cursor.pos,
            last_item,
            comma_after_last,
        })
    }
}

/// A position in the text's bytes. Every delimiter the scanner looks for is ASCII, so every
/// position it stops at is a character boundary.
struct Cursor<'a> {
    text: &'a [u8],
    pos: usize,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<u8> {
        self.text.get(self.pos).copied()
    }

    fn at(&self, literal: &[u8]) -> bool {
        self.text
            .get(self.pos..)
            .is_some_and(|rest| rest.starts_with(literal))
    }

    fn eat(&mut self, literal: &[u8]) -> Option<()> {
        self.at(literal).then(|| self.pos += literal.len())
    }

    fn skip_spaces(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.pos += 1;
        }
    }

    fn skip_comment(&mut self) {
        if self.peek() == Some(b'#') {
            while !matches!(self.peek(), None | Some(b'\n')) {
                self.pos += 1;
            }
        }
    }

    fn skip_blanks_and_comments(&mut self) {
        loop {
            match self.peek() {
                Some(b' ' | b'\t' | b'\r' | b'\n') => self.pos += 1,
                Some(b'#') => self.skip_comment(),
                _ => return,
            }
        }
    }

    /// Spaces, a comment, then the newline (or the end of the text).
    fn end_line(&mut self) -> Option<()> {
        self.skip_spaces();
        self.skip_comment();
        let _ = self.eat(b"\r");
        match self.peek() {
            None => Some(()),
            Some(b'\n') => {
                self.pos += 1;
                Some(())
            }
            Some(_) => None,
        }
    }

    /// `[name]` or `[[name]]`: the name's parts and whether it is an array of tables.
    fn header(&mut self) -> Option<(Vec<String>, bool)> {
        let array = self.at(b"[[");
        let (open, close): (&[u8], &[u8]) = if array { (b"[[", b"]]") } else { (b"[", b"]") };
        self.eat(open)?;
        let name = self.key()?;
        self.skip_spaces();
        self.eat(close)?;
        Some((name, array))
    }

    /// A dotted key's parts, quotes removed (escapes are kept as written, so an escaped key
    /// matches no plain name and the edit falls back to a hand edit).
    fn key(&mut self) -> Option<Vec<String>> {
        let mut parts = Vec::new();
        loop {
            self.skip_spaces();
            let part = match self.peek()? {
                quote @ (b'"' | b'\'') => self.quoted_key_part(quote)?,
                _ => self.bare_key_part()?,
            };
            parts.push(String::from_utf8_lossy(part).into_owned());
            self.skip_spaces();
            if self.eat(b".").is_none() {
                return Some(parts);
            }
        }
    }

    /// `"part"` or `'part'`, without the quotes.
    fn quoted_key_part(&mut self, quote: u8) -> Option<&[u8]> {
        let start = self.pos + 1;
        self.skip_one_line_string(quote)?;
        self.text.get(start..self.pos.checked_sub(1)?)
    }

    /// Letters, digits, `_` and `-`; at least one.
    fn bare_key_part(&mut self) -> Option<&[u8]> {
        let start = self.pos;
        while self
            .peek()
            .is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        {
            self.pos += 1;
        }
        self.text
            .get(start..self.pos)
            .filter(|part| !part.is_empty())
    }

    /// Any TOML value; `None` if it is cut short.
    fn skip_value(&mut self) -> Option<()> {
        match self.peek()? {
            b'"' if self.at(b"\"\"\"") => self.skip_multi_line_string(b"\"\"\"", b'"'),
            b'\'' if self.at(b"'''") => self.skip_multi_line_string(b"'''", b'\''),
            quote @ (b'"' | b'\'') => self.skip_one_line_string(quote),
            b'[' => self.skip_nested(b']'),
            b'{' => self.skip_nested(b'}'),
            _ => self.skip_bare(),
        }
    }

    /// `"..."` (backslash escapes) or `'...'` (none) on one line.
    fn skip_one_line_string(&mut self, quote: u8) -> Option<()> {
        self.pos += 1;
        loop {
            match self.peek()? {
                b'\\' if quote == b'"' => self.pos += 2,
                b'\n' => return None,
                b if b == quote => {
                    self.pos += 1;
                    return Some(());
                }
                _ => self.pos += 1,
            }
        }
    }

    /// `"""..."""` or `'''...'''`; up to two more quotes may end the content.
    fn skip_multi_line_string(&mut self, delimiter: &[u8], quote: u8) -> Option<()> {
        self.pos += delimiter.len();
        loop {
            if self.eat(delimiter).is_some() {
                for _ in 0..2 {
                    if self.peek() == Some(quote) {
                        self.pos += 1;
                    }
                }
                return Some(());
            }
            match self.peek()? {
                b'\\' if quote == b'"' => self.pos += 2,
                _ => self.pos += 1,
            }
        }
    }

    /// An array or inline table, with whatever it holds.
    fn skip_nested(&mut self, close: u8) -> Option<()> {
        self.pos += 1;
        loop {
            match self.peek()? {
                b if b == close => {
                    self.pos += 1;
                    return Some(());
                }
                b'"' | b'\'' | b'[' | b'{' => self.skip_value()?,
                b'#' => self.skip_comment(),
                _ => self.pos += 1,
            }
        }
    }

    /// A number, boolean or date: up to a space, comment, separator or line end.
    fn skip_bare(&mut self) -> Option<()> {
        let start = self.pos;
        while !matches!(
            self.peek(),
            None | Some(b' ' | b'\t' | b'\r' | b'\n' | b'#' | b',' | b']' | b'}')
        ) {
            self.pos += 1;
        }
        (self.pos > start).then_some(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_strings_escape_what_toml_requires() {
        assert_eq!(basic_string("plain é 😀"), "\"plain é 😀\"");
        assert_eq!(
            basic_string("q\"b\\t\tn\nr\rx\u{1}\u{7f}\u{85}"),
            "\"q\\\"b\\\\t\\tn\\nr\\rx\\u0001\\u007F\\u0085\""
        );
    }

    #[test]
    fn scans_headers_pairs_and_multi_line_values() {
        let text = "a = 1 # one\n[t]\n\"b\" = '''\n[x]\n'''\nc . d = [\n  \"]\", # ]\n]\n[[p]]\n";
        let seen: Vec<(Vec<String>, String)> = statements(text)
            .unwrap()
            .into_iter()
            .map(|s| match s.kind {
                StatementKind::Pair { key, value } => (key, text[value].to_owned()),
                other => (s.table, format!("{other:?}")),
            })
            .collect();
        let expected = [
            (vec!["a"], "1"),
            (vec!["t"], "Header"),
            (vec!["b"], "'''\n[x]\n'''"),
            (vec!["c", "d"], "[\n  \"]\", # ]\n]"),
            (vec!["p"], "ArrayHeader"),
        ];
        let expected: Vec<(Vec<String>, String)> = expected
            .iter()
            .map(|(key, value)| {
                (
                    key.iter().map(|k| (*k).to_owned()).collect(),
                    (*value).to_owned(),
                )
            })
            .collect();
        assert_eq!(seen, expected);
    }

    #[test]
    fn cut_short_text_scans_to_none() {
        for text in ["a = \"x", "a = '''x", "a = [1,", "[t", "= 1", "a = 1 2"] {
            assert!(statements(text).is_none(), "{text:?}");
        }
    }
}
