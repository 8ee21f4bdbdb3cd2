//! What a redaction or a scan reports: one [`Finding`] per redacted (or redactable) value,
//! placed by JSON path and byte span, and never holding the value itself.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::sync::{Arc, OnceLock};

use crate::json::{Span, Span32};

use super::edits::Edits;
use super::json_path::PathTable;

/// A rule's name and its operator's spelling, as findings report them.
#[derive(Clone, Debug)]
pub(crate) struct RuleLabel {
    pub name: Cow<'static, str>,
    pub operator: Cow<'static, str>,
}

/// What the findings of one document share: the steps of their paths (set once the walk that
/// finds them finishes) and the labels of the redactor's rules. A finding is a few numbers
/// pointing into it, so a PII-dense body makes no string per finding.
#[derive(Debug)]
pub(crate) struct FindingContext {
    pub paths: OnceLock<PathTable>,
    pub labels: Arc<[RuleLabel]>,
}

/// One value a rule matched. File-independent: the caller knows which file it scanned.
///
/// Holds no part of the value. [`super::operators::preview`] makes a masked preview for a
/// user interface, separately. Serializes as `{json_path, field, rule, operator, span,
/// fingerprint}`.
#[derive(Clone)]
pub struct Finding {
    context: Arc<FindingContext>,
    place: Place,
    extra: Option<Box<Extra>>,
}

/// Where a finding is and what matched it: its path's node in `context.paths`, its index into
/// `context.labels`, and its span.
#[derive(Clone, Copy)]
struct Place {
    node: u32,
    label: u32,
    span: Span32,
}

/// What a finding holds of its own: a few numbers pointing into its [`FindingContext`].
/// 20 bytes and nothing to free: a PII-dense body has a finding every few dozen bytes, and
/// their vector is memory the redaction touches fresh (offsets fit in `u32`, as the parser's
/// do).
#[derive(Clone, Copy)]
pub(crate) struct FindingData {
    place: Place,
    /// One more than the index of the finding's [`Extra`] in its list's extras; 0 when it has
    /// none (most findings).
    extra: u32,
}

/// A finding's field and fingerprint, when either is there.
#[derive(Clone, Debug, Default)]
pub(crate) struct Extra {
    field: Option<Box<str>>,
    fingerprint: Option<Box<str>>,
}

impl FindingData {
    /// A finding; its field and fingerprint, when either is there, go to `extras`.
    pub(crate) fn new(
        node: u32,
        label: u32,
        span: Span,
        field: Option<String>,
        fingerprint: Option<String>,
        extras: &mut Vec<Extra>,
    ) -> FindingData {
        let extra = if field.is_some() || fingerprint.is_some() {
            extras.push(Extra {
                field: field.map(String::into_boxed_str),
                fingerprint: fingerprint.map(String::into_boxed_str),
            });
            u32::try_from(extras.len()).unwrap_or(0)
        } else {
            0
        };
        FindingData {
            place: Place {
                node,
                label,
                span: Span32::saturating(span),
            },
            extra,
        }
    }

    /// Moves the finding's extra from `from` (the extras of its own list) to the end of `to`.
    pub(crate) fn move_extra(&mut self, from: &mut [Extra], to: &mut Vec<Extra>) {
        let Some(extra) = self.extra_index().and_then(|i| from.get_mut(i)) else {
            return;
        };
        to.push(std::mem::take(extra));
        self.extra = u32::try_from(to.len()).unwrap_or(0);
    }

    fn extra_index(self) -> Option<usize> {
        usize::try_from(self.extra.checked_sub(1)?).ok()
    }

    pub(crate) fn span(&self) -> Span {
        self.place.span.span()
    }

    pub(crate) fn set_span(&mut self, span: Span) {
        self.place.span = Span32::saturating(span);
    }
}

impl Finding {
    /// Where the value sits: `$.request.headers["x-api-key"]`. A match inside a string
    /// (a query parameter, a cookie, JSON inside a string) adds [`Finding::field`].
    pub fn json_path(&self) -> String {
        match self.context.paths.get() {
            Some(paths) => paths.render(self.place.node),
            None => String::from("$"),
        }
    }

    /// Which part of the string, when the match is inside one: the query parameter or cookie
    /// name (`query:api_key`, `cookie:session`, `userinfo`), or the JSON path inside a string
    /// holding JSON (`json:$.token`). Names only, never values.
    pub fn field(&self) -> Option<&str> {
        self.extra.as_ref().and_then(|e| e.field.as_deref())
    }

    /// The rule that matched: a detector name (`email`), `sensitive_key`, `sensitive_header`,
    /// `cookie`, `url_userinfo`, `body_hash`, `parameter_hash`, `request_body_hash`, or the name
    /// of a policy pattern.
    pub fn rule(&self) -> &str {
        self.rule_label().map_or("", |l| &l.name)
    }

    /// What the policy does with it (the policy spelling: `mask`, `keep_last:4`, ...).
    pub fn operator(&self) -> &str {
        self.rule_label().map_or("", |l| &l.operator)
    }

    /// Byte span in the source text of the JSON value holding the match (strings include their
    /// quotes). For matches found inside decoded base64 or gzip data, the span of that data.
    pub fn span(&self) -> Span {
        self.place.span.span()
    }

    /// Keyed fingerprint of rule and value (16 hex digits of HMAC-SHA256), for baselines; only
    /// when the redactor has a key, because an unkeyed hash of a short secret can be reversed.
    pub fn fingerprint(&self) -> Option<&str> {
        self.extra.as_ref().and_then(|e| e.fingerprint.as_deref())
    }

    fn rule_label(&self) -> Option<&RuleLabel> {
        usize::try_from(self.place.label)
            .ok()
            .and_then(|i| self.context.labels.get(i))
    }
}

/// The findings of one document, in document order. What they share (their paths' steps and
/// the rule labels) is held once here and each finding is a few numbers, so a PII-dense body
/// costs no reference count per finding; [`Findings::iter`] hands out standalone [`Finding`]s.
#[derive(Clone)]
pub struct Findings {
    context: Arc<FindingContext>,
    items: Vec<FindingData>,
    /// The fields and fingerprints of the findings that have them.
    extras: Vec<Extra>,
}

impl Findings {
    pub(crate) fn new(
        context: Arc<FindingContext>,
        items: Vec<FindingData>,
        extras: Vec<Extra>,
    ) -> Findings {
        Findings {
            context,
            items,
            extras,
        }
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Finding `index`, if there is one.
    pub fn get(&self, index: usize) -> Option<Finding> {
        self.items.get(index).map(|data| self.finding(data))
    }

    /// Each finding, in document order.
    pub fn iter(&self) -> FindingsIter<'_> {
        FindingsIter {
            findings: self,
            items: self.items.iter(),
        }
    }

    /// The findings as a vector of standalone findings.
    pub fn to_vec(&self) -> Vec<Finding> {
        self.iter().collect()
    }

    pub(crate) fn items_mut(&mut self) -> &mut [FindingData] {
        &mut self.items
    }

    /// The findings and the extras they point into.
    pub(crate) fn into_parts(self) -> (Vec<FindingData>, Vec<Extra>) {
        (self.items, self.extras)
    }

    fn finding(&self, data: &FindingData) -> Finding {
        Finding {
            context: Arc::clone(&self.context),
            place: data.place,
            extra: data
                .extra_index()
                .and_then(|i| self.extras.get(i))
                .map(|extra| Box::new(extra.clone())),
        }
    }
}

impl Default for Findings {
    fn default() -> Findings {
        Findings {
            context: Arc::new(FindingContext {
                paths: OnceLock::new(),
                labels: Arc::from(Vec::new()),
            }),
            items: Vec::new(),
            extras: Vec::new(),
        }
    }
}

/// The findings of [`Findings::iter`].
pub struct FindingsIter<'a> {
    findings: &'a Findings,
    items: std::slice::Iter<'a, FindingData>,
}

impl Iterator for FindingsIter<'_> {
    type Item = Finding;
    fn next(&mut self) -> Option<Finding> {
        self.items.next().map(|data| self.findings.finding(data))
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        self.items.size_hint()
    }
}

impl ExactSizeIterator for FindingsIter<'_> {}

impl<'a> IntoIterator for &'a Findings {
    type Item = Finding;
    type IntoIter = FindingsIter<'a>;
    fn into_iter(self) -> FindingsIter<'a> {
        self.iter()
    }
}

impl IntoIterator for Findings {
    type Item = Finding;
    type IntoIter = std::vec::IntoIter<Finding>;
    fn into_iter(self) -> Self::IntoIter {
        self.to_vec().into_iter()
    }
}

impl std::fmt::Debug for Findings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl PartialEq for Findings {
    fn eq(&self, other: &Findings) -> bool {
        self.len() == other.len() && self.iter().zip(other.iter()).all(|(a, b)| a == b)
    }
}

impl serde::Serialize for Findings {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

/// Shows what the indices stand for (path, rule, operator), not the indices.
impl std::fmt::Debug for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Finding")
            .field("json_path", &self.json_path())
            .field("field", &self.field())
            .field("rule", &self.rule())
            .field("operator", &self.operator())
            .field("span", &self.span())
            .field("fingerprint", &self.fingerprint())
            .finish()
    }
}

impl PartialEq for Finding {
    fn eq(&self, other: &Finding) -> bool {
        self.span() == other.span()
            && self.rule() == other.rule()
            && self.operator() == other.operator()
            && self.field() == other.field()
            && self.fingerprint() == other.fingerprint()
            && self.json_path() == other.json_path()
    }
}

impl Eq for Finding {}

impl serde::Serialize for Finding {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct as _;
        let mut out = s.serialize_struct("Finding", 6)?;
        out.serialize_field("json_path", &self.json_path())?;
        out.serialize_field("field", &self.field())?;
        out.serialize_field("rule", self.rule())?;
        out.serialize_field("operator", self.operator())?;
        out.serialize_field("span", &[self.place.span.start, self.place.span.end])?;
        out.serialize_field("fingerprint", &self.fingerprint())?;
        out.end()
    }
}

/// The result of redacting one document.
#[derive(Clone, Debug, Default)]
pub struct Redaction {
    /// The redacted bytes (gzip again if the input was gzip).
    pub output: Vec<u8>,
    /// The edits made to the (inflated) source text, sorted and not overlapping.
    pub edits: Edits,
    /// Every change, in document order.
    pub findings: Findings,
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
    fn findings_stay_small() {
        // A PII-dense body makes a finding every few dozen bytes: their size is memory traffic.
        assert!(size_of::<FindingData>() <= 20);
        assert!(size_of::<Finding>() <= 32);
    }

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
