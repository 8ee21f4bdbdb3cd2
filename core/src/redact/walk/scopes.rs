//! The scopes of a Timetracer cassette: the incoming request and its response, every event
//! (signature and result), and the hashes of bodies and parameters; each hands its values to
//! the generic walk with what the key or header name says about them.

use sha2::Digest as _;

use crate::json::{Kind, Node};

use super::super::deferred_hash::{self, DeferredHash};
use super::super::edits::Edit;
use super::super::engine::{RULE_COOKIE, RULE_HEADER};
use super::super::operators::{self, Operator};
use super::super::policy::{BodyHashMode, SignatureHashMode};
use super::super::report::{FindingData, Seg};
use super::super::text;
use super::{Cand, CookieKind, KeyInfo, Walk, python_str};

impl<'d> Walk<'_, 'd> {
    pub(super) fn walk_cassette(&mut self, root: Node<'d>) {
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

    pub(super) fn walk_exchange(&mut self, obj: Node<'d>) {
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

    pub(super) fn walk_events(&mut self, events: Node<'d>) {
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

    pub(super) fn walk_signature(&mut self, sig: Node<'d>, http: bool) {
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

    pub(super) fn walk_result(&mut self, result: Node<'d>) {
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
    pub(super) fn walk_headers(&mut self, headers: Node<'d>) {
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

    pub(super) fn cookie_header(
        &mut self,
        v: Node<'d>,
        set_cookie: bool,
        drops: &mut Vec<usize>,
        i: usize,
    ) {
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

    pub(super) fn sensitive_header(
        &mut self,
        v: Node<'d>,
        info: &KeyInfo,
        drops: &mut Vec<usize>,
        i: usize,
    ) {
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
    pub(super) fn walk_body(&mut self, body: Node<'d>) {
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

    pub(super) fn body_hash(&mut self, body: Node<'d>, data: Node<'d>, before: usize) {
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
        if mode == BodyHashMode::Drop {
            // Nothing to compute: the member goes.
            self.body_hash_finding(hash, hash_operator(mode));
            self.drop_members(body, &[index]);
            self.pop_seg();
            return;
        }
        if self.defer_body_hash(data, hash, mode) {
            self.pop_seg();
            return;
        }
        // Hash the redacted data text, as it will stand in the file, without building it.
        let new_edits = self.edits.iter().skip(before);
        let mut resorted: Vec<Edit<'_>> = Vec::new();
        if !self.order.edits_sorted {
            resorted.extend(new_edits.clone());
            resorted.sort_by_key(|e| e.span.start);
        }
        let in_place = self.order.edits_sorted.then_some(new_edits);
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
        let literal = if mode == BodyHashMode::Hmac {
            deferred_hash::hash_literal(mode, &mac.finish())
        } else {
            deferred_hash::hash_literal(mode, &sha.finalize())
        };
        self.body_hash_finding(hash, hash_operator(mode));
        if let Some(text) = literal {
            self.push_edit(Edit {
                span: hash.span(),
                replacement: &text,
            });
        }
        self.pop_seg();
    }

    /// Leaves the hash of `data` to be computed on the output (see `deferred_hash`), when the
    /// caller asked for it and the mode writes a hash; returns whether it did.
    pub(super) fn defer_body_hash(
        &mut self,
        data: Node<'d>,
        hash: Node<'d>,
        mode: BodyHashMode,
    ) -> bool {
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
            replacement: &placeholder,
        });
        true
    }

    pub(super) fn body_hash_finding(&mut self, hash: Node<'d>, operator: &'static str) {
        let label = self.r.hash_label("body_hash", operator);
        let node = self.path_node();
        let field = self.field(None);
        let span = self.report_span(hash);
        let finding = FindingData::new(node, label, span, field, None, &mut self.extras);
        self.push_finding(finding);
    }

    /// `signature.body_hash`; returns whether the member is to be dropped.
    pub(super) fn signature_hash(&mut self, v: Node<'d>, http: bool) -> bool {
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
        let node = self.path_node();
        let field = self.field(None);
        let span = self.report_span(v);
        let finding = FindingData::new(node, label, span, field, None, &mut self.extras);
        self.push_finding(finding);
        match replacement {
            Some(text) => {
                self.push_edit(Edit {
                    span: v.span(),
                    replacement: &python_str(&text),
                });
                false
            }
            None => true,
        }
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
