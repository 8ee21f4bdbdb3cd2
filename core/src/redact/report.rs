//! What a redaction or a scan reports: one [`Finding`] per redacted (or redactable) value,
//! placed by JSON path and byte span, and never holding the value itself.

use std::borrow::Cow;
use std::fmt::Write as _;

use crate::json::Span;

use super::edits::Edit;
use super::json_path::JsonPath;

/// One value a rule matched. File-independent: the caller knows which file it scanned.
///
/// Holds no part of the value. [`super::operators::preview`] makes a masked preview for a
/// user interface, separately.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Finding {
    /// Where the value sits: `$.request.headers["x-api-key"]`. A match inside a string
    /// (a query parameter, a cookie, JSON inside a string) adds `field` below.
    pub json_path: JsonPath,
    /// Which part of the string, when the match is inside one: the query parameter or cookie
    /// name (`query:api_key`, `cookie:session`, `userinfo`), or the JSON path inside a string
    /// holding JSON (`json:$.token`). Names only, never values.
    pub field: Option<String>,
    /// The rule that matched: a detector name (`email`), `sensitive_key`, `sensitive_header`,
    /// `cookie`, `url_userinfo`, `body_hash`, `parameter_hash`, `request_body_hash`, or the name
    /// of a policy pattern.
    pub rule: Cow<'static, str>,
    /// What the policy does with it (the policy spelling: `mask`, `keep_last:4`, ...).
    pub operator: Cow<'static, str>,
    /// Byte span in the source text of the JSON value holding the match (strings include their
    /// quotes). For matches found inside decoded base64 or gzip data, the span of that data.
    #[serde(serialize_with = "span_as_pair")]
    pub span: Span,
    /// Keyed fingerprint of rule and value (16 hex digits of HMAC-SHA256), for baselines; only
    /// when the redactor has a key, because an unkeyed hash of a short secret can be reversed.
    pub fingerprint: Option<String>,
}

fn span_as_pair<S: serde::Serializer>(span: &Span, s: S) -> Result<S::Ok, S::Error> {
    use serde::Serialize as _;
    [span.start, span.end].serialize(s)
}

/// The result of redacting one document.
#[derive(Clone, Debug, Default)]
pub struct Redaction {
    /// The redacted bytes (gzip again if the input was gzip).
    pub output: Vec<u8>,
    /// The edits made to the (inflated) source text, sorted and not overlapping.
    pub edits: Vec<Edit>,
    /// Every change, in document order.
    pub findings: Vec<Finding>,
}

impl Redaction {
    /// Whether anything changed.
    pub fn changed(&self) -> bool {
        !self.edits.is_empty()
    }
}

/// One step of a JSON path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Seg<'a> {
    Key(Cow<'a, str>),
    Index(usize),
}

/// Renders a path: identifier-like keys as `.key`, others as `["key"]`.
#[cfg(test)]
pub(crate) fn render_path(prefix: &str, segs: &[Seg<'_>]) -> String {
    let mut out = String::from(prefix);
    for seg in segs {
        render_seg(&mut out, seg);
    }
    out
}

/// Appends one step to a rendered path.
pub(crate) fn render_seg(out: &mut String, seg: &Seg<'_>) {
    match seg {
        Seg::Index(i) => {
            // by hand: `write!` costs more than the rest of a finding's path
            let mut digits = [0u8; 20];
            let mut n = *i;
            let mut k = digits.len();
            loop {
                k -= 1;
                if let Some(d) = digits.get_mut(k) {
                    // n % 10 < 10
                    *d = b'0' + u8::try_from(n % 10).unwrap_or(0);
                }
                n /= 10;
                if n == 0 || k == 0 {
                    break;
                }
            }
            out.push('[');
            out.push_str(std::str::from_utf8(digits.get(k..).unwrap_or_default()).unwrap_or("0"));
            out.push(']');
        }
        Seg::Key(k) => {
            if !k.is_empty() && k.bytes().all(|b| IDENT[usize::from(b)]) {
                out.reserve(k.len() + 1);
                out.push('.');
                out.push_str(k);
            } else {
                out.push_str("[\"");
                for c in k.chars() {
                    match c {
                        '"' => out.push_str("\\\""),
                        '\\' => out.push_str("\\\\"),
                        c if c.is_control() => {
                            let _ = write!(out, "\\u{:04x}", u32::from(c));
                        }
                        c => out.push(c),
                    }
                }
                out.push_str("\"]");
            }
        }
    }
}

/// Bytes of a key written as `.key`: ASCII letters, digits and `_`.
static IDENT: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        #[expect(clippy::cast_possible_truncation, reason = "b < 256")]
        let c = b as u8;
        table[b] = c.is_ascii_alphanumeric() || c == b'_';
        b += 1;
    }
    table
};

/// A step of an allow-list path pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum PatSeg {
    Key(String),
    Index(usize),
    /// `.*` or `[*]`: any one step.
    Any,
}

/// Parses `$.request.headers.host`, `$.events[*].result.body.data.id`,
/// `$.request.headers["x-api-key"]`.
pub(crate) fn parse_path_pattern(text: &str) -> Result<Vec<PatSeg>, String> {
    let rest = text
        .strip_prefix('$')
        .ok_or_else(|| String::from("a JSON path starts with $"))?;
    let bytes = rest.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes.get(i) {
            Some(b'.') => {
                let start = i + 1;
                let mut end = start;
                while end < bytes.len() && !matches!(bytes.get(end), Some(b'.' | b'[')) {
                    end += 1;
                }
                let name = rest.get(start..end).unwrap_or("");
                if name.is_empty() {
                    return Err(String::from("empty key after '.'"));
                }
                out.push(if name == "*" {
                    PatSeg::Any
                } else {
                    PatSeg::Key(name.to_owned())
                });
                i = end;
            }
            Some(b'[') => {
                let close = rest
                    .get(i..)
                    .and_then(|r| {
                        if r.starts_with("[\"") {
                            r.get(2..)?.find("\"]").map(|p| p + 3)
                        } else {
                            r.find(']')
                        }
                    })
                    .ok_or_else(|| String::from("unclosed '['"))?;
                let inner = rest.get(i + 1..i + close).unwrap_or("");
                if inner == "*" {
                    out.push(PatSeg::Any);
                } else if let Some(quoted) =
                    inner.strip_prefix('"').and_then(|s| s.strip_suffix('"'))
                {
                    out.push(PatSeg::Key(
                        quoted.replace("\\\"", "\"").replace("\\\\", "\\"),
                    ));
                } else {
                    let index = inner
                        .parse()
                        .map_err(|_| String::from("expected [N], [*] or [\"key\"]"))?;
                    out.push(PatSeg::Index(index));
                }
                i += close + 1;
            }
            _ => return Err(String::from("expected '.' or '[' between steps")),
        }
    }
    Ok(out)
}

/// Whether a path starts with a pattern (so allowing a container allows all inside it).
pub(crate) fn path_allowed(pattern: &[PatSeg], base: &[Seg<'_>], path: &[Seg<'_>]) -> bool {
    let total = base.len() + path.len();
    if pattern.len() > total {
        return false;
    }
    pattern.iter().enumerate().all(|(i, p)| {
        let seg = if i < base.len() {
            base.get(i)
        } else {
            path.get(i - base.len())
        };
        match (p, seg) {
            (PatSeg::Any, Some(_)) => true,
            (PatSeg::Key(k), Some(Seg::Key(s))) => k == s,
            (PatSeg::Index(n), Some(Seg::Index(m))) => n == m,
            _ => false,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::borrow::Cow;

    #[test]
    fn renders_and_matches_paths() {
        let segs = vec![
            Seg::Key(Cow::Borrowed("request")),
            Seg::Key(Cow::Borrowed("headers")),
            Seg::Key(Cow::Borrowed("x-api-key")),
        ];
        assert_eq!(render_path("$", &segs), "$.request.headers[\"x-api-key\"]");
        let pattern = parse_path_pattern("$.request.headers[\"x-api-key\"]").unwrap();
        assert!(path_allowed(&pattern, &[], &segs));
        let any = parse_path_pattern("$.*.headers").unwrap();
        assert!(path_allowed(&any, &segs[..1], &segs[1..]));
        let events = parse_path_pattern("$.events[*].result").unwrap();
        assert_eq!(
            events,
            vec![
                PatSeg::Key(String::from("events")),
                PatSeg::Any,
                PatSeg::Key(String::from("result"))
            ]
        );
        assert!(!path_allowed(&events, &[], &segs));
        assert!(parse_path_pattern("request").is_err());
        assert!(parse_path_pattern("$[x]").is_err());
    }
}
