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

use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::ops::Range;
use std::rc::Rc;
use std::sync::{Arc, OnceLock};

use compact_str::CompactString;

use sha2::Digest as _;

use crate::format;
use crate::json::{Document, Kind, Node, Span};

use super::deferred_hash::{self, DeferredHash};
use super::detect::FieldContext;
use super::edits::{Edit, apply_edits, drop_member_spans, sort_edits};
use super::engine::{RULE_COOKIE, RULE_HEADER, RULE_KEY, RULE_USERINFO, Redactor};
use super::json_path::{PathTable, ROOT};
use super::keywords::{KeyWords, phrase_label};
use super::operators::{self, Operator, Replace};
use super::policy::{BodyHashMode, SignatureHashMode};
use super::report::{Finding, FindingContext, Seg, path_allowed, render_seg};
use super::text;

mod formats;

/// Deepest nesting of JSON inside strings that is opened.
const MAX_NESTED_DEPTH: u8 = 4;
/// Largest inflated gzip looked into while scanning a body.
const MAX_SCAN_INFLATED: usize = 64 << 20;

/// Text bytes per edit or finding the vectors start with room for.
const INITIAL_BYTES_PER_ENTRY: usize = 2048;
/// At most one entry per this many text bytes is reserved ahead by extrapolation (denser text
/// grows by doubling): a dense start before a long quiet stretch (headers, then a large body)
/// reserves no more than about twice the text's size for findings, which matters in a browser.
const MIN_BYTES_PER_ENTRY: usize = 64;

/// Before a push into a full `entries`: when the document is `position` bytes (of `total`)
/// in, reserves room for the entries the rest of it will likely bring at the same rate, with
/// an eighth to spare, so a large document copies its vectors once instead of at every
/// doubling. Otherwise (no progress known, or no more than doubling) the push grows as usual.
fn room_for_one_more<T>(entries: &mut Vec<T>, position: usize, total: usize) {
    let len = entries.len();
    if len < entries.capacity() || position == 0 || position >= total {
        return;
    }
    let expected = u64::try_from(len)
        .unwrap_or(u64::MAX)
        .saturating_mul(u64::try_from(total).unwrap_or(u64::MAX))
        / u64::try_from(position).unwrap_or(u64::MAX);
    let expected = usize::try_from(expected).unwrap_or(usize::MAX);
    let target = expected
        .saturating_add(expected / 8)
        .min(len.saturating_add(total / MIN_BYTES_PER_ENTRY));
    if target > len.saturating_mul(2) {
        entries.reserve(target - len);
    }
}

/// A small fast hash for the key cache (keys are short and not attacker-chosen in a way that
/// matters: the cache lives for one document).
#[derive(Default)]
struct FxHasher(u64);

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        for &b in chunks.remainder() {
            self.add(u64::from(b));
        }
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

impl FxHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

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
    doc: &'d Document,
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
    edits: Vec<Edit>,
    findings: Vec<Finding>,
    keys: FxMap<&'d str, Rc<KeyInfo>>,
    /// A direct-mapped cache in front of `keys`, indexed by a few bytes of the key: records
    /// repeat a handful of keys, so most lookups are one short comparison instead of a hash
    /// of the whole key and a probe.
    recent: Vec<Option<(&'d str, Rc<KeyInfo>)>>,
    no_key: Rc<KeyInfo>,
    matches: Vec<super::detect::Match>,
    /// Emptied candidate vectors kept for their capacity (a string with matches needs two).
    spare_cands: Vec<Vec<Cand>>,
    /// [`Walk::whole_mask`] by rule.
    mask_literals: Vec<Option<CompactString>>,
    order: Progress,
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
    pub(crate) fn new(r: &'r Redactor, doc: &'d Document, scan: bool) -> Walk<'r, 'd> {
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
            // filled up (see `room_for_one_more`), so a PII-dense body copies them about once.
            edits: Vec::with_capacity(doc.text().len() / INITIAL_BYTES_PER_ENTRY),
            findings: Vec::with_capacity(doc.text().len() / INITIAL_BYTES_PER_ENTRY),
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
    pub(crate) fn finish(mut self) -> (Vec<Edit>, Vec<Finding>) {
        // Both lists are almost always built in document order (tracked as they grow), and
        // then there is nothing to sort or drop: no pass over a hundred thousand entries.
        if !self.order.edits_sorted {
            sort_edits(&mut self.edits);
            let mut end = 0;
            self.edits.retain(|e| {
                let keep = e.span.start >= end;
                debug_assert!(keep, "the walker produced overlapping edits");
                if keep {
                    end = e.span.end;
                }
                keep
            });
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
        (self.edits, self.findings)
    }

    /// Records an edit, noting whether the edits are still sorted and apart.
    fn push_edit(&mut self, edit: Edit) {
        room_for_one_more(&mut self.edits, edit.span.start, self.doc.text().len());
        let order = &mut self.order;
        order.edits_sorted &= edit.span.start >= order.edits_end;
        order.edits_end = order.edits_end.max(edit.span.end);
        self.edits.push(edit);
    }

    /// Records a finding, noting whether the findings are still sorted by start.
    fn push_finding(&mut self, finding: Finding) {
        // Findings of a nested document carry the outer span: its own progress is its edits'.
        let position = if self.outer.is_none() {
            finding.span().start
        } else {
            self.order.edits_end
        };
        room_for_one_more(&mut self.findings, position, self.doc.text().len());
        let order = &mut self.order;
        order.findings_sorted &= finding.span().start >= order.findings_start;
        order.findings_start = order.findings_start.max(finding.span().start);
        self.findings.push(finding);
    }

    // ---- scopes of a cassette -------------------------------------------------------------

    fn walk_cassette(&mut self, root: Node<'d>) {
        for (k, v) in root.members() {
            self.push_key(k);
            match k.as_str().as_deref() {
                Some("request" | "response") => self.walk_exchange(v),
                Some("events") => self.walk_events(v),
                Some("error_info") => self.walk_value(v, None),
                _ => {}
            }
            self.pop_seg();
        }
    }

    fn walk_exchange(&mut self, obj: Node<'d>) {
        for (k, v) in obj.members() {
            self.push_key(k);
            match k.as_str().as_deref() {
                Some("headers") => self.walk_headers(v),
                Some("query") => self.walk_value(v, None),
                Some("body") => self.walk_body(v),
                Some("path" | "client_ip") => {
                    let info = self.key_info(k);
                    self.walk_value(v, Some(&info));
                }
                Some("user_agent") if !self.r.allow_keys.iter().any(|a| a == "user-agent") => {
                    let info = self.key_info(k);
                    self.walk_value(v, Some(&info));
                }
                _ => {}
            }
            self.pop_seg();
        }
    }

    fn walk_events(&mut self, events: Node<'d>) {
        for (i, event) in events.elements().enumerate() {
            self.push_seg(Seg::Index(i));
            let http = event
                .get("type")
                .and_then(|t| t.as_str())
                .is_some_and(|t| t == "http.client");
            for (k, v) in event.members() {
                self.push_key(k);
                match k.as_str().as_deref() {
                    Some("signature") => self.walk_signature(v, http),
                    Some("result") => self.walk_result(v),
                    _ => {}
                }
                self.pop_seg();
            }
            self.pop_seg();
        }
    }

    fn walk_signature(&mut self, sig: Node<'d>, http: bool) {
        let mut drops = Vec::new();
        for (i, (k, v)) in sig.members().enumerate() {
            self.push_key(k);
            match k.as_str().as_deref() {
                Some("url") => {
                    let info = self.key_info(k);
                    self.walk_value(v, Some(&info));
                }
                Some("query") => self.walk_value(v, None),
                Some("body_hash") if self.signature_hash(v, http) => drops.push(i),
                _ => {}
            }
            self.pop_seg();
        }
        self.drop_members(sig, &drops);
    }

    fn walk_result(&mut self, result: Node<'d>) {
        for (k, v) in result.members() {
            self.push_key(k);
            match k.as_str().as_deref() {
                Some("headers") => self.walk_headers(v),
                Some("body") => self.walk_body(v),
                Some("error") => {
                    let info = self.key_info(k);
                    self.walk_value(v, Some(&info));
                }
                _ => {}
            }
            self.pop_seg();
        }
    }

    /// Headers: allowed names are skipped, cookies keep their names, sensitive headers are
    /// masked or dropped whole, other values go through the detectors.
    fn walk_headers(&mut self, headers: Node<'d>) {
        if headers.kind() != Kind::Object {
            self.walk_value(headers, None);
            return;
        }
        let mut drops = Vec::new();
        for (i, (k, v)) in headers.members().enumerate() {
            let info = self.key_info(k);
            self.push_key(k);
            if info.allowed || self.path_is_allowed() {
                self.pop_seg();
                continue;
            }
            if v.kind() == Kind::String && info.cookie != CookieKind::None {
                self.cookie_header(v, info.cookie == CookieKind::SetCookie, &mut drops, i);
            } else if v.kind() == Kind::String && info.header_sensitive.is_some() {
                self.sensitive_header(v, &info, &mut drops, i);
            } else {
                self.walk_value(v, Some(&info));
            }
            self.pop_seg();
        }
        self.drop_members(headers, &drops);
    }

    fn cookie_header(&mut self, v: Node<'d>, set_cookie: bool, drops: &mut Vec<usize>, i: usize) {
        let Some(s) = v.as_str() else { return };
        let cands: Vec<Cand> = text::cookie_pairs(&s, set_cookie)
            .into_iter()
            .filter(|p| {
                !p.value.is_empty()
                    && !s
                        .get(p.value.clone())
                        .is_some_and(|val| operators::is_redacted(val) || self.allowed_value(val))
            })
            .map(|p| Cand {
                field: Some(format!("cookie:{}", s.get(p.name.clone()).unwrap_or(""))),
                range: p.value,
                rule: RULE_COOKIE,
                label: None,
            })
            .collect();
        if cands.is_empty() {
            return;
        }
        if self.rule_op(RULE_COOKIE) == Operator::Drop {
            drops.push(i);
            for c in &cands {
                self.finding(
                    v,
                    RULE_COOKIE,
                    c.field.clone(),
                    s.get(c.range.clone()).unwrap_or(""),
                );
            }
            return;
        }
        self.emit_string(v, &s, &cands);
    }

    fn sensitive_header(&mut self, v: Node<'d>, info: &KeyInfo, drops: &mut Vec<usize>, i: usize) {
        let Some(s) = v.as_str() else { return };
        if s.is_empty() || operators::is_redacted(&s) || self.allowed_value(&s) {
            return;
        }
        if self.rule_op(RULE_HEADER) == Operator::Drop {
            drops.push(i);
            self.finding(v, RULE_HEADER, None, &s);
            return;
        }
        let prefix = text::scheme_prefix_len(&s);
        let cands = [Cand {
            range: prefix..s.len(),
            rule: RULE_HEADER,
            label: info.header_sensitive.clone(),
            field: None,
        }];
        self.emit_string(v, &s, &cands);
    }

    /// A body snapshot: its `data` at any depth; then its `hash` when the data changed.
    fn walk_body(&mut self, body: Node<'d>) {
        if body.kind() != Kind::Object {
            self.walk_value(body, None);
            return;
        }
        let base64 = body
            .get("encoding")
            .and_then(|e| e.as_str())
            .is_some_and(|e| e == "base64");
        let before = self.edits.len();
        let mut data_node = None;
        for (k, v) in body.members() {
            if !k.key_equals("data") {
                continue;
            }
            self.push_key(k);
            self.walk_value(v, None);
            if self.scan {
                self.scan_encoded(v, base64);
            }
            self.pop_seg();
            data_node = Some(v);
        }
        if let Some(data) = data_node
            && self.edits.len() > before
        {
            self.body_hash(body, data, before);
        }
    }

    fn body_hash(&mut self, body: Node<'d>, data: Node<'d>, before: usize) {
        let mode = self.r.body_hash;
        if mode == BodyHashMode::Keep {
            return;
        }
        let Some((index, (k, hash))) = body
            .members()
            .enumerate()
            .filter(|(_, (k, _))| k.key_equals("hash"))
            .last()
        else {
            return;
        };
        self.push_key(k);
        if self.path_is_allowed() {
            self.pop_seg();
            return;
        }
        if self.scan {
            // The finding names the operator only: the new hash is never written.
            self.body_hash_finding(hash, hash_operator(mode));
            self.pop_seg();
            return;
        }
        if self.defer_body_hash(data, hash, mode) {
            self.pop_seg();
            return;
        }
        // Hash the redacted data text, as it will stand in the file, without building it.
        let new_edits = self.edits.get(before..).unwrap_or(&[]);
        let mut resorted: Vec<&Edit> = Vec::new();
        if !self.order.edits_sorted {
            resorted.extend(new_edits);
            resorted.sort_by_key(|e| e.span.start);
        }
        let in_place = self.order.edits_sorted.then_some(new_edits.iter());
        let changes = in_place.into_iter().flatten().chain(resorted);
        let span = data.span();
        let src = self.doc.text();
        let mut sha = sha2::Sha256::new();
        let mut mac = operators::KeyedHash::new(&self.r.key, "body_hash");
        let mut feed = |bytes: &[u8]| {
            if mode == BodyHashMode::Hmac {
                mac.update(bytes);
            } else {
                sha.update(bytes);
            }
        };
        let mut pos = span.start;
        for e in changes {
            if e.span.start < pos || e.span.end > span.end {
                continue;
            }
            feed(src.get(pos..e.span.start).unwrap_or("").as_bytes());
            feed(e.replacement.as_bytes());
            pos = e.span.end;
        }
        feed(src.get(pos..span.end).unwrap_or("").as_bytes());
        let (operator, replacement) = match mode {
            BodyHashMode::Keep => return,
            BodyHashMode::Drop => ("drop", None),
            BodyHashMode::Rehash => {
                let mut out = String::from("sha256:");
                operators::push_hex(&mut out, &sha.finalize());
                ("rehash", Some(out))
            }
            BodyHashMode::Hmac => {
                let mut out = String::from("hmac-sha256:");
                operators::push_hex(&mut out, &mac.finish());
                ("hmac", Some(out))
            }
        };
        self.body_hash_finding(hash, operator);
        match replacement {
            Some(text) => self.push_edit(Edit {
                span: hash.span(),
                replacement: python_str(&text).into(),
            }),
            None => self.drop_members(body, &[index]),
        }
        self.pop_seg();
    }

    /// Leaves the hash of `data` to be computed on the output (see `deferred_hash`), when the
    /// caller asked for it and the mode writes a hash; returns whether it did.
    fn defer_body_hash(&mut self, data: Node<'d>, hash: Node<'d>, mode: BodyHashMode) -> bool {
        let (Some(deferred), Some(placeholder)) =
            (&mut self.deferred, deferred_hash::placeholder(mode))
        else {
            return false;
        };
        deferred.push(DeferredHash {
            data: data.span(),
            hash: hash.span(),
            mode,
        });
        self.body_hash_finding(hash, hash_operator(mode));
        self.push_edit(Edit {
            span: hash.span(),
            replacement: placeholder.into(),
        });
        true
    }

    fn body_hash_finding(&mut self, hash: Node<'d>, operator: &'static str) {
        let label = self.r.hash_label("body_hash", operator);
        let node = self.json_path();
        let field = self.field(None);
        let finding = Finding::new(
            &self.context,
            node,
            label,
            self.report_span(hash),
            field,
            None,
        );
        self.push_finding(finding);
    }

    /// `signature.body_hash`; returns whether the member is to be dropped.
    fn signature_hash(&mut self, v: Node<'d>, http: bool) -> bool {
        let (mode, rule) = if http {
            (self.r.request_body_hash, "request_body_hash")
        } else {
            (self.r.parameter_hash, "parameter_hash")
        };
        if mode == SignatureHashMode::Keep || self.path_is_allowed() {
            return false;
        }
        let Some(s) = v.as_str() else { return false };
        if s.is_empty() || operators::is_redacted(&s) || s.starts_with("hmac-sha256:") {
            return false;
        }
        let (operator, replacement) = match mode {
            SignatureHashMode::Keep => return false,
            SignatureHashMode::Drop => ("drop", None),
            SignatureHashMode::Mask => ("mask", Some(String::from(operators::REDACTED))),
            SignatureHashMode::Hmac => {
                let mut out = String::from("hmac-sha256:");
                operators::push_hex(&mut out, &operators::pseudonym_bytes(&self.r.key, rule, &s));
                ("hmac", Some(out))
            }
        };
        let label = self.r.hash_label(rule, operator);
        let node = self.json_path();
        let field = self.field(None);
        let finding = Finding::new(&self.context, node, label, self.report_span(v), field, None);
        self.push_finding(finding);
        match replacement {
            Some(text) => {
                self.push_edit(Edit {
                    span: v.span(),
                    replacement: python_str(&text).into(),
                });
                false
            }
            None => true,
        }
    }

    // ---- generic JSON ---------------------------------------------------------------------

    /// Any JSON value: key rules on object members, detectors on strings.
    fn walk_value(&mut self, node: Node<'d>, parent: Option<&Rc<KeyInfo>>) {
        match node.kind() {
            Kind::Object => {
                let mut drops = Vec::new();
                for (i, (k, v)) in node.members().enumerate() {
                    let info = self.key_info(k);
                    self.push_key(k);
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
                    let inner = self.key_info(k);
                    self.push_key(k);
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
        if s.is_empty() || operators::is_redacted(&s) || self.allowed_value(&s) {
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
        let cands = self.text_candidates(&s, &info.words);
        if !cands.is_empty() && !self.path_is_allowed() {
            self.emit_string(node, &s, &cands);
        }
        self.give_cands(cands);
    }

    /// Redacts a JSON document held in a string and re-encodes the string.
    fn nested(&mut self, node: Node<'d>, inner_doc: &Document, field_prefix: &'static str) {
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
        for finding in findings {
            self.push_finding(finding);
        }
        if !edits.is_empty() && field_prefix == "json:" {
            let replacement = if self.scan {
                CompactString::default()
            } else {
                python_str(&apply_edits(inner_doc.text(), &edits)).into()
            };
            self.push_edit(Edit {
                span: node.span(),
                replacement,
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
        let cands = self.text_candidates(decoded, &KeyWords::default());
        for c in cands {
            let field = Some(format!("{prefix}text"));
            let value = decoded.get(c.range.clone()).unwrap_or("");
            self.finding(data, c.rule, field, value);
        }
    }

    // ---- matching inside strings ----------------------------------------------------------

    /// Every match in `s`, overlaps resolved (structured matches first, then detectors, then
    /// patterns), sorted by position.
    fn text_candidates(&mut self, s: &str, words: &KeyWords) -> Vec<Cand> {
        let mut cands = self.take_cands();
        let bytes = s.as_bytes();
        let mut origins = Vec::new();
        // most strings hold no ':' at all: one memchr before building a substring finder
        if memchr::memchr(b':', bytes).is_some() && memchr::memmem::find(bytes, b"://").is_some() {
            for url in text::find_urls(s) {
                origins.push(url.origin.clone());
                if let Some(secret) = url.userinfo_secret
                    && !s.get(secret.clone()).is_some_and(operators::is_redacted)
                {
                    cands.push(Cand {
                        range: secret,
                        rule: RULE_USERINFO,
                        label: None,
                        field: Some(String::from("userinfo")),
                    });
                }
                if let Some(query) = url.query {
                    self.query_candidates(s, query, &mut cands);
                }
            }
        } else if let Some(query) = text::path_query(s) {
            self.query_candidates(s, query, &mut cands);
        } else if bytes.len() < 64 * 1024 && text::looks_like_form(s) {
            self.query_candidates(s, 0..s.len(), &mut cands);
        }
        self.detect(s, words, 0, &mut cands);
        if cands.is_empty() {
            return cands;
        }
        // Resolve: drop matches inside existing tokens, allowed values and overlaps.
        let tokens = token_ranges(s);
        let mut accepted = self.take_cands();
        for c in cands.drain(..) {
            if c.range.is_empty()
                || tokens.iter().any(|t| overlaps(t, &c.range))
                // Hosts of URLs stay (a loopback address in a dependency URL is not a secret,
                // and replay matches on the URL); their userinfo was handled above.
                || (c.rule != RULE_USERINFO && origins.iter().any(|o| overlaps(o, &c.range)))
                || accepted.iter().any(|a| overlaps(&a.range, &c.range))
                || s.get(c.range.clone())
                    .is_some_and(|v| self.allowed_value(v))
            {
                continue;
            }
            accepted.push(c);
        }
        self.give_cands(cands);
        accepted.sort_by_key(|c| c.range.start);
        accepted
    }

    /// An empty candidate vector, reusing the capacity of an earlier one.
    fn take_cands(&mut self) -> Vec<Cand> {
        self.spare_cands.pop().unwrap_or_default()
    }

    /// Returns a candidate vector for reuse.
    fn give_cands(&mut self, mut cands: Vec<Cand>) {
        cands.clear();
        self.spare_cands.push(cands);
    }

    /// Detectors and patterns over `s`; ranges shifted by `offset`.
    fn detect(&mut self, s: &str, words: &KeyWords, offset: usize, out: &mut Vec<Cand>) {
        let r = self.r;
        if r.detectors.is_empty() && r.patterns.is_empty() {
            return;
        }
        let mut refs: [&str; 8] = [""; 8];
        let mut n = 0;
        for (slot, w) in refs.iter_mut().zip(words.iter()) {
            *slot = w;
            n += 1;
        }
        let ctx = FieldContext {
            key_words: refs.get(..n).unwrap_or(&[]),
        };
        r.detectors
            .find_each(s, &ctx, &mut self.matches, |index, found| {
                let rule = r.detector_rules.get(index).copied().unwrap_or(usize::MAX);
                for m in found {
                    if m.start < m.end && m.end <= s.len() {
                        out.push(Cand {
                            range: offset + m.start..offset + m.end,
                            rule,
                            label: None,
                            field: None,
                        });
                    }
                }
            });
        for p in &r.patterns {
            for m in p.regex.find_iter(s) {
                if !m.range().is_empty() {
                    out.push(Cand {
                        range: offset + m.start()..offset + m.end(),
                        rule: p.rule,
                        label: None,
                        field: None,
                    });
                }
            }
        }
    }

    /// Query or form pairs: a sensitive name masks the value; otherwise the decoded value goes
    /// through the detectors and a match masks the whole raw value.
    fn query_candidates(&mut self, s: &str, range: Range<usize>, out: &mut Vec<Cand>) {
        for pair in text::query_pairs(s, range) {
            let (Some(raw_name), Some(raw_value)) =
                (s.get(pair.name.clone()), s.get(pair.value.clone()))
            else {
                continue;
            };
            if raw_value.is_empty() {
                continue;
            }
            let name = text::percent_decode(raw_name);
            let value = text::percent_decode(raw_value);
            if operators::is_redacted(&value)
                || self
                    .r
                    .allow_keys
                    .iter()
                    .any(|a| a.eq_ignore_ascii_case(&name))
            {
                continue;
            }
            let words = KeyWords::split(&name);
            let field = Some(format!("query:{name}"));
            if let Some(phrase) = self.r.key_phrases.as_ref().and_then(|p| p.find(&words)) {
                out.push(Cand {
                    range: pair.value,
                    rule: RULE_KEY,
                    label: Some(Rc::from(phrase_label(phrase))),
                    field,
                });
                continue;
            }
            let mut found = Vec::new();
            self.detect(&value, &words, 0, &mut found);
            if let Some(first) = found.into_iter().find(|c| {
                value
                    .get(c.range.clone())
                    .is_some_and(|v| !self.allowed_value(v))
            }) {
                out.push(Cand {
                    range: pair.value,
                    rule: first.rule,
                    label: None,
                    field,
                });
            }
        }
    }

    // ---- output ---------------------------------------------------------------------------

    /// Replaces the matched ranges of string `s` (the decoded value of `node`) and records one
    /// edit for the whole literal plus one finding per match.
    fn emit_string(&mut self, node: Node<'d>, s: &str, cands: &[Cand]) {
        if self.scan {
            // A scan reports findings only: the edit is counted (a body hash is reported when
            // its data changed) but its text is never written.
            for c in cands {
                if let Some(value) = s.get(c.range.clone()) {
                    self.finding(node, c.rule, c.field.clone(), value);
                }
            }
            self.push_edit(Edit {
                span: node.span(),
                replacement: CompactString::default(),
            });
            return;
        }
        if let [c] = cands
            && c.range == (0..s.len())
            && let Some(replacement) = self.whole_mask(c)
        {
            // A masked whole value: the same literal every time, whatever the value was.
            self.finding(node, c.rule, c.field.clone(), s);
            self.push_edit(Edit {
                span: node.span(),
                replacement,
            });
            return;
        }
        // Text the writer leaves unescaped (printable ASCII but quote and backslash) stays so
        // with tokens in it: build the JSON literal directly. Anything else is escaped after.
        let mut plain = is_plain(s);
        let mut out = String::with_capacity(s.len() + 24);
        if plain {
            out.push('"');
        }
        let mut pos = 0;
        for c in cands {
            let (Some(before), Some(value)) = (s.get(pos..c.range.start), s.get(c.range.clone()))
            else {
                continue;
            };
            out.push_str(before);
            plain &= self.replace_into(c, value, &mut out);
            pos = c.range.end;
            self.finding(node, c.rule, c.field.clone(), value);
        }
        out.push_str(s.get(pos..).unwrap_or(""));
        let replacement = if plain {
            out.push('"');
            out
        } else if is_plain(s) {
            // a token label (a policy phrase) brought other letters: escape after all
            python_str(out.get(1..).unwrap_or_default())
        } else {
            python_str(&out)
        };
        self.push_edit(Edit {
            span: node.span(),
            replacement: replacement.into(),
        });
    }

    /// The JSON literal replacing a whole string matched by `c` when its rule masks (the token
    /// does not depend on the value), rendered once per rule.
    fn whole_mask(&mut self, c: &Cand) -> Option<CompactString> {
        let rule = self.r.rules.get(c.rule)?;
        if !matches!(rule.operator, Operator::Mask | Operator::MaskPlain) {
            return None;
        }
        if let Some(Some(literal)) = self.mask_literals.get(c.rule) {
            return Some(literal.clone());
        }
        let mut token = String::new();
        self.replace_into(c, "", &mut token);
        let literal = CompactString::from(python_str(&token));
        if self.mask_literals.len() <= c.rule {
            self.mask_literals.resize(c.rule + 1, None);
        }
        if let Some(slot) = self.mask_literals.get_mut(c.rule) {
            *slot = Some(literal.clone());
        }
        Some(literal)
    }

    /// Writes the replacement of `value`; returns whether it is plain ASCII (only a label
    /// made from a policy phrase can bring other characters).
    fn replace_into(&self, c: &Cand, value: &str, out: &mut String) -> bool {
        let Some(rule) = self.r.rules.get(c.rule) else {
            return true;
        };
        let label = match rule.operator {
            Operator::Hmac => c
                .label
                .as_deref()
                .or(rule.label.as_deref())
                .or(Some("REDACTED")),
            _ if self.r.plain_masks => None,
            _ => rule.label.as_deref(),
        };
        Replace {
            operator: rule.operator,
            rule: &rule.name,
            label,
            key: &self.r.key,
        }
        .apply(value, out);
        label.is_none_or(is_plain)
    }

    fn finding(&mut self, node: Node<'d>, rule: usize, field: Option<String>, value: &str) {
        let Some(r) = self.r.rules.get(rule) else {
            return;
        };
        let fingerprint = self.r.fingerprint(&r.name, value);
        let node_id = self.json_path();
        let field = self.field(field);
        let label = u32::try_from(rule).unwrap_or(u32::MAX);
        let finding = Finding::new(
            &self.context,
            node_id,
            label,
            self.report_span(node),
            field,
            fingerprint,
        );
        self.push_finding(finding);
    }

    fn drop_members(&mut self, object: Node<'d>, dropped: &[usize]) {
        if dropped.is_empty() {
            return;
        }
        for span in drop_member_spans(object, dropped) {
            self.push_edit(Edit {
                span,
                replacement: CompactString::default(),
            });
        }
    }

    // ---- paths and keys -------------------------------------------------------------------

    fn push_key(&mut self, k: Node<'d>) {
        self.push_seg(Seg::Key(k.as_str().unwrap_or_default()));
    }

    fn push_seg(&mut self, seg: Seg<'d>) {
        self.path.push(seg);
    }

    fn pop_seg(&mut self) {
        self.path.pop();
        if self.rendered_lens.len() > self.path.len() {
            if let Some(&len) = self.rendered_lens.get(self.path.len()) {
                self.rendered.truncate(len);
            }
            self.rendered_lens.truncate(self.path.len());
        }
        self.path_nodes.truncate(self.path.len());
    }

    /// The current path's node in the path table, adding the steps not there yet.
    fn path_node(&mut self) -> u32 {
        if let Some(outer) = &self.outer {
            return outer.json_path;
        }
        for seg in self.path.get(self.path_nodes.len()..).unwrap_or_default() {
            let parent = self.path_nodes.last().copied().unwrap_or(ROOT);
            let node = self.paths.push(parent, seg);
            self.path_nodes.push(node);
        }
        self.path_nodes.last().copied().unwrap_or(ROOT)
    }

    /// `$` and the current path, rendered after `prefix`.
    fn render_path(&mut self, prefix: &str) -> String {
        for seg in self
            .path
            .get(self.rendered_lens.len()..)
            .unwrap_or_default()
        {
            self.rendered_lens.push(self.rendered.len());
            render_seg(&mut self.rendered, seg);
        }
        let mut out = String::with_capacity(prefix.len() + self.rendered.len());
        out.push_str(prefix);
        out.push_str(&self.rendered);
        out
    }

    /// The node of the path findings here report (the outer string's, in a nested walk).
    fn json_path(&mut self) -> u32 {
        self.path_node()
    }

    fn field(&mut self, field: Option<String>) -> Option<String> {
        match &self.outer {
            None => field,
            Some(outer) => {
                let prefix = outer.field_prefix;
                let mut inner = self.render_path(prefix);
                if let Some(f) = field {
                    inner.push(' ');
                    inner.push_str(&f);
                }
                Some(inner)
            }
        }
    }

    /// Whether `value` is on the policy's allow-list of values.
    fn allowed_value(&self, value: &str) -> bool {
        !self.r.allow_values.is_empty() && self.r.allow_values.contains(value)
    }

    fn report_span(&self, node: Node<'d>) -> Span {
        self.outer.as_ref().map_or_else(|| node.span(), |o| o.span)
    }

    fn path_is_allowed(&self) -> bool {
        !self.r.allow_paths.is_empty()
            && self
                .r
                .allow_paths
                .iter()
                .any(|p| path_allowed(p, &self.base, &self.path))
    }

    fn rule_op(&self, rule: usize) -> Operator {
        self.r
            .rules
            .get(rule)
            .map_or(Operator::Mask, |r| r.operator)
    }

    fn key_info(&mut self, k: Node<'d>) -> Rc<KeyInfo> {
        let cache_key = key_text(k);
        let slot = recent_slot(cache_key);
        if let Some(Some((seen, info))) = self.recent.get(slot)
            && *seen == cache_key
        {
            return Rc::clone(info);
        }
        let info = self.key_info_uncached(k, cache_key);
        if self.recent.is_empty() {
            self.recent.resize(RECENT_KEYS, None);
        }
        if let Some(entry) = self.recent.get_mut(slot) {
            *entry = Some((cache_key, Rc::clone(&info)));
        }
        info
    }

    fn key_info_uncached(&mut self, k: Node<'d>, cache_key: &'d str) -> Rc<KeyInfo> {
        if let Some(info) = self.keys.get(cache_key) {
            return Rc::clone(info);
        }
        let name = k.as_str().unwrap_or_default();
        let words = KeyWords::split(&name);
        let lower = name.to_lowercase();
        let info = Rc::new(KeyInfo {
            sensitive: self
                .r
                .key_phrases
                .as_ref()
                .and_then(|p| p.find(&words))
                .map(|p| Rc::from(phrase_label(p))),
            header_sensitive: self
                .r
                .header_phrases
                .as_ref()
                .and_then(|p| p.find(&words))
                .map(|p| Rc::from(phrase_label(p))),
            allowed: self.r.allow_keys.contains(&lower),
            cookie: match lower.as_str() {
                "cookie" => CookieKind::Cookie,
                "set-cookie" => CookieKind::SetCookie,
                _ => CookieKind::None,
            },
            words,
        });
        self.keys.insert(cache_key, Rc::clone(&info));
        info
    }
}

/// The policy spelling of a body hash mode, as findings report it.
fn hash_operator(mode: BodyHashMode) -> &'static str {
    match mode {
        BodyHashMode::Keep => "keep",
        BodyHashMode::Drop => "drop",
        BodyHashMode::Rehash => "rehash",
        BodyHashMode::Hmac => "hmac",
    }
}

/// Entries of [`Walk::key_info`]'s direct-mapped cache (a power of two).
const RECENT_KEYS: usize = 256;

/// The cache slot of a key: its length and its first and last two bytes, mixed.
fn recent_slot(key: &str) -> usize {
    let b = key.as_bytes();
    let n = b.len();
    let pick = |i: usize| u64::from(b.get(i).copied().unwrap_or(0));
    let mix = (n as u64)
        ^ (pick(0) << 8)
        ^ (pick(1) << 16)
        ^ (pick(n.wrapping_sub(2)) << 24)
        ^ (pick(n.wrapping_sub(1)) << 32);
    let hash = mix.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 56;
    usize::try_from(hash).unwrap_or(0) & (RECENT_KEYS - 1)
}

/// The raw text of a key between its quotes (escapes left as written): the key caches' key.
fn key_text(k: Node<'_>) -> &str {
    let raw = k.raw();
    raw.get(1..raw.len().saturating_sub(1)).unwrap_or(raw)
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
    let t = s.trim();
    (t.starts_with('{') && t.ends_with('}'))
        || (t.starts_with('[') && t.ends_with(']') && t.len() > 2)
}

fn overlaps(a: &Range<usize>, b: &Range<usize>) -> bool {
    a.start < b.end && b.start < a.end
}

/// Ranges of redaction tokens already in `s`.
fn token_ranges(s: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    for i in memchr::memchr_iter(b'[', s.as_bytes()) {
        if let Some(len) = s.get(i..).and_then(operators::token_len) {
            out.push(i..i + len);
        }
    }
    out
}

/// Whether the writer (Python `ensure_ascii`) writes `s` without escapes.
fn is_plain(s: &str) -> bool {
    s.bytes().all(|b| PLAIN[usize::from(b)])
}

static PLAIN: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0x20;
    while b < 0x7F {
        table[b] = b != 0x22 && b != 0x5C;
        b += 1;
    }
    table
};

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
