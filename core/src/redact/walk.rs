//! The walk: visits every place of a document where a secret can sit, by scope, and turns rule
//! matches into edits and findings.
//!
//! Scopes of a Timetracer cassette: the incoming request (path, headers, query, body,
//! `client_ip`), its response (headers, body), every event (`signature.url`, `signature.query`,
//! `signature.body_hash`, result headers, body and error) and `error_info`. Session, policies
//! and stats hold no captured data and are not visited. Any other JSON document is walked as
//! one body.
//!
//! Allocation-light: key words are computed once per distinct key and cached, numbers and
//! booleans are skipped, and a string costs a few byte scans plus the detectors unless
//! something matches.
//!
//! This file holds the walk's state and the generic JSON walk; `scopes` the cassette's scopes
//! and hashes, `strings` matching inside strings and writing edits and findings, `keys` the
//! path and the key cache, `formats` the scopes of HAR and VCR-style cassettes.

use std::borrow::Cow;
use std::ops::Range;
use std::rc::Rc;
use std::sync::{Arc, OnceLock};

use crate::format;
use crate::json::{Document, Kind, Node, Span};

use super::deferred_hash::DeferredHash;
use super::detect::classes_and_digits;
use super::edits::{Edit, Edits, SharedText, drop_member_spans};
use super::engine::{RULE_KEY, Redactor};
use super::json_path::PathTable;
use super::keywords::KeyWords;
use super::operators::{self, Operator};
use super::report::{Extra, FindingContext, FindingData, Findings, Seg};
use super::text;
use crate::growth::more_room;

use keys::FxMap;

mod formats;
mod keys;
mod scopes;
mod strings;

/// Deepest nesting of JSON inside strings that is opened.
const MAX_NESTED_DEPTH: u8 = 4;
/// Largest inflated gzip looked into while scanning a body.
const MAX_SCAN_INFLATED: usize = 64 << 20;

/// Text bytes per edit or finding the vectors start with room for.
const INITIAL_BYTES_PER_ENTRY: usize = 2048;
/// Replacement bytes per edit the edits start with room for (a mask token is about this long).
const INITIAL_TEXT_PER_EDIT: usize = 24;
/// At most one entry per this many text bytes is reserved ahead by extrapolation (denser text
/// grows by doubling): a dense start before a long quiet stretch (headers, then a large body)
/// reserves no more than about twice the text's size for findings, which matters in a browser.
const MIN_BYTES_PER_ENTRY: usize = 64;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum CookieKind {
    None,
    Cookie,
    SetCookie,
}

/// What the policy thinks of one key or header name.
#[derive(Debug)]
struct KeyInfo {
    words: KeyWords,
    /// Label of the sensitive phrase found (key rules), e.g. `PASSWORD`.
    sensitive: Option<Rc<str>>,
    /// Label of the sensitive phrase found among header phrases.
    header_sensitive: Option<Rc<str>>,
    allowed: bool,
    cookie: CookieKind,
}

/// One match inside a string, before overlaps are resolved.
#[derive(Clone, Debug)]
struct Cand {
    range: Range<usize>,
    rule: usize,
    /// Token label for pseudonyms of key rules (the phrase, `API_KEY`).
    label: Option<Rc<str>>,
    field: Option<String>,
}

/// Where findings of a nested document (JSON inside a string) are reported.
#[derive(Clone, Debug)]
struct Outer {
    /// The string's node in the outermost walk's path table.
    json_path: u32,
    context: Arc<FindingContext>,
    span: Span,
    field_prefix: &'static str,
}

pub(crate) struct Walk<'r, 'd> {
    r: &'r Redactor,
    doc: &'d Document<'d>,
    scan: bool,
    depth: u8,
    base: Vec<Seg<'static>>,
    outer: Option<Outer>,
    /// Where the walk is; rendered only when a finding is reported.
    path: Vec<Seg<'d>>,
    /// `path[..rendered_lens.len()]` rendered (after `$`): findings in one object share
    /// their prefix, so each renders only the steps that changed since the last one.
    rendered: String,
    rendered_lens: Vec<usize>,
    /// The steps of finding paths, and the node of each of `path[..path_nodes.len()]` in it
    /// (made the first time a finding needs them).
    paths: PathTable,
    path_nodes: Vec<u32>,
    /// What the findings share; `paths` goes there when the walk finishes.
    context: Arc<FindingContext>,
    /// Body hashes left for the caller to compute on the output (see `deferred_hash`).
    deferred: Option<Vec<DeferredHash>>,
    edits: Edits,
    findings: Vec<FindingData>,
    /// The fields and fingerprints of the findings that have them.
    extras: Vec<Extra>,
    keys: FxMap<&'d str, Rc<KeyInfo>>,
    /// A direct-mapped cache in front of `keys`, indexed by a few bytes of the key: records
    /// repeat a handful of keys, so most lookups are one short comparison instead of a hash
    /// of the whole key and a probe.
    recent: Vec<Option<(&'d str, Rc<KeyInfo>)>>,
    no_key: Rc<KeyInfo>,
    matches: Vec<super::detect::Match>,
    /// Emptied candidate vectors kept for their capacity (a string with matches needs two).
    spare_cands: Vec<Vec<Cand>>,
    /// [`Walk::push_whole_mask`] by rule.
    mask_literals: Vec<MaskLiteral>,
    /// A replacement being built (see `emit_string`), kept for its capacity.
    scratch: String,
    order: Progress,
}

/// The literal a rule writes over a whole string, once known.
#[derive(Clone, Copy, Debug, Default)]
enum MaskLiteral {
    #[default]
    Unknown,
    /// The rule's token depends on the value or on a match.
    NotAMask,
    /// The token, as the first such edit wrote it.
    Written(SharedText),
}

/// Whether edits and findings were produced in document order so far.
struct Progress {
    edits_sorted: bool,
    /// The furthest end of an edit so far.
    edits_end: usize,
    findings_sorted: bool,
    findings_start: usize,
}

impl<'r, 'd> Walk<'r, 'd> {
    pub(crate) fn new(r: &'r Redactor, doc: &'d Document<'d>, scan: bool) -> Walk<'r, 'd> {
        Walk {
            r,
            doc,
            scan,
            depth: 0,
            base: Vec::new(),
            outer: None,
            path: Vec::new(),
            rendered: String::from("$"),
            rendered_lens: Vec::new(),
            paths: PathTable::default(),
            path_nodes: Vec::new(),
            context: Arc::new(FindingContext {
                paths: OnceLock::new(),
                labels: Arc::clone(&r.labels),
            }),
            deferred: None,
            // A small start: once full, the vectors are sized by how far into the document they
            // filled up (see `more_room`), so a PII-dense body copies them about once.
            edits: Edits::with_capacity(
                doc.text().len() / INITIAL_BYTES_PER_ENTRY,
                doc.text().len() / INITIAL_BYTES_PER_ENTRY * INITIAL_TEXT_PER_EDIT,
            ),
            findings: Vec::with_capacity(doc.text().len() / INITIAL_BYTES_PER_ENTRY),
            extras: Vec::new(),
            keys: FxMap::default(),
            recent: Vec::new(),
            no_key: Rc::new(KeyInfo {
                words: KeyWords::default(),
                sensitive: None,
                header_sensitive: None,
                allowed: false,
                cookie: CookieKind::None,
            }),
            matches: Vec::new(),
            spare_cands: Vec::new(),
            mask_literals: Vec::new(),
            scratch: String::new(),
            order: Progress {
                edits_sorted: true,
                edits_end: 0,
                findings_sorted: true,
                findings_start: 0,
            },
        }
    }

    /// Walks the whole document.
    pub(crate) fn run(&mut self) {
        let root = self.doc.root();
        match format::detect(self.doc).filter(|_| self.outer.is_none()) {
            Some(crate::model::Format::Timetracer) => self.walk_cassette(root),
            // HAR and VCR-style scopes live in `formats.rs`.
            Some(other) => self.walk_format(root, other),
            None => self.walk_value(root, None),
        }
    }

    /// Leaves body hashes to be computed on the written output: their edits hold placeholders
    /// of the final length, listed by [`Walk::take_deferred`].
    pub(crate) fn defer_hashes(&mut self) {
        self.deferred = Some(Vec::new());
    }

    /// The body hashes left to compute (see [`Walk::defer_hashes`]).
    pub(crate) fn take_deferred(&mut self) -> Vec<DeferredHash> {
        self.deferred.take().unwrap_or_default()
    }

    /// The edits (sorted, overlaps removed) and findings.
    pub(crate) fn finish(mut self) -> (Edits, Findings) {
        // Both lists are almost always built in document order (tracked as they grow), and
        // then there is nothing to sort or drop: no pass over a hundred thousand entries.
        if !self.order.edits_sorted {
            let dropped = self.edits.sort_and_separate();
            debug_assert_eq!(dropped, 0, "the walker produced overlapping edits");
        }
        if !self.order.findings_sorted {
            self.findings.sort_by_key(|f| f.span().start);
        }
        // The findings' paths become readable (a nested walk's findings name nodes of the
        // outermost walk's table, set when that walk finishes).
        if self.outer.is_none() {
            // Set once: a walk finishes once.
            let _ = self.context.paths.set(std::mem::take(&mut self.paths));
        }
        (
            self.edits,
            Findings::new(self.context, self.findings, self.extras),
        )
    }

    /// Records an edit, noting whether the edits are still sorted and apart.
    #[inline]
    fn push_edit(&mut self, edit: Edit<'_>) {
        self.before_edit(edit.span, edit.replacement.len());
        self.edits.push(edit);
    }

    /// Records an edit whose replacement an earlier one wrote.
    #[inline]
    fn push_shared_edit(&mut self, span: Span, text: SharedText) {
        self.before_edit(span, 0);
        self.edits.push_shared(span, text);
    }

    /// Makes room for an edit of `span` with `text_len` new bytes of replacement, noting
    /// whether the edits are still sorted and apart.
    #[inline]
    fn before_edit(&mut self, span: Span, text_len: usize) {
        let [(edits, edits_room), (text, text_room)] = self.edits.sizes();
        if edits >= edits_room || text.saturating_add(text_len) > text_room {
            self.reserve_edits(span.start, text_len);
        }
        let order = &mut self.order;
        order.edits_sorted &= span.start >= order.edits_end;
        order.edits_end = order.edits_end.max(span.end);
    }

    /// Room for one more edit with `text_len` bytes of replacement, at `position` (see
    /// `more_room`).
    #[cold]
    #[inline(never)]
    fn reserve_edits(&mut self, position: usize, text_len: usize) {
        let [edits, text] = self.edits.sizes();
        let total = self.doc.text().len();
        let more_edits = more_room(edits, 1, position, total, total / MIN_BYTES_PER_ENTRY);
        let more_text = more_room(text, text_len, position, total, total);
        self.edits
            .reserve(more_edits.max(1), more_text.max(text_len));
    }

    /// Records a finding, noting whether the findings are still sorted by start.
    #[inline]
    fn push_finding(&mut self, finding: FindingData) {
        if self.findings.len() == self.findings.capacity() {
            self.reserve_findings(finding.span().start);
        }
        let order = &mut self.order;
        order.findings_sorted &= finding.span().start >= order.findings_start;
        order.findings_start = order.findings_start.max(finding.span().start);
        self.findings.push(finding);
    }

    /// Room for one more finding, whose span starts at `start` (see `more_room`).
    #[cold]
    #[inline(never)]
    fn reserve_findings(&mut self, start: usize) {
        // Findings of a nested document carry the outer span: its own progress is its edits'.
        let position = if self.outer.is_none() {
            start
        } else {
            self.order.edits_end
        };
        let total = self.doc.text().len();
        let sizes = (self.findings.len(), self.findings.capacity());
        let more = more_room(sizes, 1, position, total, total / MIN_BYTES_PER_ENTRY);
        self.findings.reserve(more.max(1));
    }

    // ---- generic JSON ---------------------------------------------------------------------

    /// Any JSON value: key rules on object members, detectors on strings.
    fn walk_value(&mut self, node: Node<'d>, parent: Option<&Rc<KeyInfo>>) {
        match node.kind() {
            Kind::Object => {
                let mut drops = Vec::new();
                for (i, (k, v)) in node.members().enumerate() {
                    let info = self.enter_key(k);
                    if info.allowed || self.path_is_allowed() {
                        self.pop_seg();
                        continue;
                    }
                    if info.sensitive.is_some() {
                        if self.rule_op(RULE_KEY) == Operator::Drop {
                            if let Some(value) = first_secret(v) {
                                drops.push(i);
                                self.finding(v, RULE_KEY, None, &value);
                            }
                        } else {
                            self.mask_subtree(v, &info);
                        }
                    } else {
                        self.walk_value(v, Some(&info));
                    }
                    self.pop_seg();
                }
                self.drop_members(node, &drops);
            }
            Kind::Array => {
                for (i, e) in node.elements().enumerate() {
                    self.push_seg(Seg::Index(i));
                    self.walk_value(e, parent);
                    self.pop_seg();
                }
            }
            Kind::String => {
                let info = parent.map_or_else(|| Rc::clone(&self.no_key), Rc::clone);
                self.string_node(node, &info);
            }
            Kind::Number | Kind::Bool | Kind::Null => {}
        }
    }

    /// Everything under a sensitive key: strings and numbers are replaced, booleans and null
    /// kept, containers keep their shape.
    fn mask_subtree(&mut self, node: Node<'d>, info: &Rc<KeyInfo>) {
        match node.kind() {
            Kind::Object => {
                for (k, v) in node.members() {
                    let inner = self.enter_key(k);
                    if !inner.allowed && !self.path_is_allowed() {
                        self.mask_subtree(v, info);
                    }
                    self.pop_seg();
                }
            }
            Kind::Array => {
                for (i, e) in node.elements().enumerate() {
                    self.push_seg(Seg::Index(i));
                    self.mask_subtree(e, info);
                    self.pop_seg();
                }
            }
            Kind::String | Kind::Number => {
                let value: Cow<'d, str> = if node.kind() == Kind::String {
                    node.as_str().unwrap_or_default()
                } else {
                    Cow::Borrowed(node.raw())
                };
                if value.is_empty()
                    || operators::is_redacted(&value)
                    || self.allowed_value(&value)
                    || self.path_is_allowed()
                {
                    return;
                }
                if !self.scan && self.push_whole_mask(node.span(), RULE_KEY) {
                    // What `emit_string` does for one whole-value match of a masking rule,
                    // without building the match (most values under sensitive keys).
                    self.finding(node, RULE_KEY, None, &value);
                    return;
                }
                let cands = [Cand {
                    range: 0..value.len(),
                    rule: RULE_KEY,
                    label: info.sensitive.clone(),
                    field: None,
                }];
                self.emit_string(node, &value, &cands);
            }
            Kind::Bool | Kind::Null => {}
        }
    }

    /// A string value: JSON inside it, URLs, query strings, forms, detectors and patterns.
    fn string_node(&mut self, node: Node<'d>, info: &KeyInfo) {
        let Some(s) = node.as_str() else { return };
        let classes = classes_and_digits(s.as_bytes());
        // a redaction token holds '['
        if s.is_empty()
            || (text::Routing::from_classes(classes.0).holds(text::Routing::BRACKET)
                && operators::is_redacted(&s))
            || self.allowed_value(&s)
        {
            return;
        }
        if self.r.json_in_strings
            && self.depth < MAX_NESTED_DEPTH
            && looks_like_json(&s)
            && let Ok(inner) = Document::parse(s.as_bytes())
        {
            self.nested(node, &inner, "json:");
            return;
        }
        let cands = self.text_candidates(&s, &info.words, classes);
        if !cands.is_empty() && !self.path_is_allowed() {
            self.emit_string(node, &s, &cands);
        }
        self.give_cands(cands);
    }

    /// Redacts a JSON document held in a string and re-encodes the string.
    fn nested(&mut self, node: Node<'d>, inner_doc: &Document<'_>, field_prefix: &'static str) {
        let outer = self.outer.clone().unwrap_or_else(|| Outer {
            json_path: self.path_node(),
            context: Arc::clone(&self.context),
            span: node.span(),
            field_prefix,
        });
        let mut inner = Walk::new(self.r, inner_doc, self.scan);
        inner.context = Arc::clone(&outer.context);
        inner.depth = self.depth + 1;
        inner.base.clone_from(&self.base);
        inner.base.extend(self.path.iter().map(owned_seg));
        inner.outer = Some(outer);
        inner.walk_value(inner_doc.root(), None);
        let (edits, findings) = inner.finish();
        if edits.overflowed() {
            self.edits.set_overflowed();
        }
        let (items, mut extras) = findings.into_parts();
        for mut finding in items {
            finding.move_extra(&mut extras, &mut self.extras);
            self.push_finding(finding);
        }
        if !edits.is_empty() && field_prefix == "json:" {
            let replacement = if self.scan {
                String::new()
            } else {
                python_str(&edits.apply(inner_doc.text()))
            };
            self.push_edit(Edit {
                span: node.span(),
                replacement: &replacement,
            });
        }
    }

    /// Scan only: the data of a base64 body (or base64 of gzip) decoded and looked into.
    fn scan_encoded(&mut self, data: Node<'d>, base64: bool) {
        let Some(s) = data.as_str() else { return };
        if !(base64 || s.starts_with("H4sI")) {
            return;
        }
        let Some(mut bytes) = decode_base64(&s) else {
            return;
        };
        let mut prefix = "base64:";
        if format::gzip::is_gzip(&bytes) {
            let Ok(inflated) = format::gzip::inflate(&bytes, MAX_SCAN_INFLATED) else {
                return;
            };
            bytes = inflated;
            prefix = "base64+gzip:";
        }
        let Ok(decoded) = std::str::from_utf8(&bytes) else {
            return;
        };
        if let Ok(inner) = Document::parse(decoded.as_bytes()) {
            self.nested(data, &inner, prefix);
            return;
        }
        let cands = self.text_candidates(
            decoded,
            &KeyWords::default(),
            classes_and_digits(decoded.as_bytes()),
        );
        for c in cands {
            let field = Some(format!("{prefix}text"));
            let value = decoded.get(c.range.clone()).unwrap_or("");
            self.finding(data, c.rule, field, value);
        }
    }
}

/// Some string or number under `node` that a key rule would redact (for findings of drops).
fn first_secret(node: Node<'_>) -> Option<String> {
    match node.kind() {
        Kind::String => node
            .as_str()
            .filter(|s| !s.is_empty() && !operators::is_redacted(s))
            .map(Cow::into_owned),
        Kind::Number => Some(node.raw().to_owned()),
        Kind::Object => node.members().find_map(|(_, v)| first_secret(v)),
        Kind::Array => node.elements().find_map(first_secret),
        Kind::Bool | Kind::Null => None,
    }
}

fn owned_seg(seg: &Seg<'_>) -> Seg<'static> {
    match seg {
        Seg::Key(k) => Seg::Key(Cow::Owned(k.to_string())),
        Seg::Index(i) => Seg::Index(*i),
    }
}

fn looks_like_json(s: &str) -> bool {
    // Most strings start with a letter or a digit: ruled out without trimming.
    match s.as_bytes().first() {
        None => return false,
        Some(&b) if b.is_ascii() && b != b'{' && b != b'[' && !char::from(b).is_whitespace() => {
            return false;
        }
        Some(_) => {}
    }
    let t = s.trim();
    (t.starts_with('{') && t.ends_with('}'))
        || (t.starts_with('[') && t.ends_with(']') && t.len() > 2)
}

/// Whether the writer (Python `ensure_ascii`) writes `s` without escapes.
fn is_plain(s: &str) -> bool {
    crate::json::is_plain_text(s.as_bytes())
}

/// A string as a JSON literal in the writer's escaping (Python `ensure_ascii`).
fn python_str(s: &str) -> String {
    if is_plain(s) {
        let mut out = String::with_capacity(s.len() + 2);
        out.push('"');
        out.push_str(s);
        out.push('"');
        return out;
    }
    let mut out = Vec::with_capacity(s.len() + 8);
    crate::json::escape::write_python_str(&mut out, s);
    String::from_utf8(out).unwrap_or_default()
}

fn decode_base64(s: &str) -> Option<Vec<u8>> {
    use base64::Engine as _;
    let compact: String = s.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    base64::engine::general_purpose::STANDARD
        .decode(&compact)
        .or_else(|_| base64::engine::general_purpose::URL_SAFE.decode(&compact))
        .or_else(|_| base64::engine::general_purpose::STANDARD_NO_PAD.decode(&compact))
        .ok()
}
