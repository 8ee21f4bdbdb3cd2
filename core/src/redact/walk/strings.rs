//! Matching inside strings (URLs, query strings, forms, detectors, patterns) and writing what
//! matched: one edit for the whole string literal, one finding per match.

use std::ops::Range;
use std::rc::Rc;

use crate::json::{Node, Span};

use super::super::detect::FieldContext;
use super::super::edits::Edit;
use super::super::engine::{RULE_KEY, RULE_USERINFO};
use super::super::keywords::{KeyWords, phrase_label};
use super::super::operators::{self, Operator, Replace};
use super::super::report::FindingData;
use super::super::text;
use super::{Cand, MaskLiteral, Walk, drop_member_spans, is_plain, python_str};

impl<'d> Walk<'_, 'd> {
    /// Every match in `s`, overlaps resolved (structured matches first, then detectors, then
    /// patterns), sorted by position.
    /// `classes` are the string's [`classes_and_digits`]: one pass over its bytes both routes it
    /// and profiles it for the detectors.
    pub(super) fn text_candidates(
        &mut self,
        s: &str,
        words: &KeyWords,
        classes: (u32, usize),
    ) -> Vec<Cand> {
        let route = text::Routing::from_classes(classes.0);
        let mut cands = self.take_cands();
        let bytes = s.as_bytes();
        let mut origins = Vec::new();
        // a form holds '=' and no whitespace
        let form_like =
            route.holds(text::Routing::EQUALS) && !route.holds(text::Routing::WHITESPACE);
        // most strings hold no ':' at all: one look before building a substring finder
        if route.holds(text::Routing::COLON) && memchr::memmem::find(bytes, b"://").is_some() {
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
        } else if let Some(query) = (!route.holds(text::Routing::WHITESPACE))
            .then(|| text::path_query(s))
            .flatten()
        {
            self.query_candidates(s, query, &mut cands);
        } else if form_like && bytes.len() < 64 * 1024 && text::looks_like_form(s) {
            self.query_candidates(s, 0..s.len(), &mut cands);
        }
        self.detect(s, Some(classes), words, 0, &mut cands);
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
    pub(super) fn take_cands(&mut self) -> Vec<Cand> {
        self.spare_cands.pop().unwrap_or_default()
    }

    /// Returns a candidate vector for reuse.
    pub(super) fn give_cands(&mut self, mut cands: Vec<Cand>) {
        cands.clear();
        self.spare_cands.push(cands);
    }

    /// Detectors and patterns over `s`; ranges shifted by `offset`.
    pub(super) fn detect(
        &mut self,
        s: &str,
        classes: Option<(u32, usize)>,
        words: &KeyWords,
        offset: usize,
        out: &mut Vec<Cand>,
    ) {
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
            .find_each_classified(s, classes, &ctx, &mut self.matches, |index, found| {
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
    pub(super) fn query_candidates(&mut self, s: &str, range: Range<usize>, out: &mut Vec<Cand>) {
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
            self.detect(&value, None, &words, 0, &mut found);
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
    pub(super) fn emit_string(&mut self, node: Node<'d>, s: &str, cands: &[Cand]) {
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
                replacement: "",
            });
            return;
        }
        if let [c] = cands
            && c.range == (0..s.len())
            && self.push_whole_mask(node.span(), c.rule)
        {
            // A masked whole value: the same literal every time, whatever the value was.
            self.finding(node, c.rule, c.field.clone(), s);
            return;
        }
        // Text the writer leaves unescaped (printable ASCII but quote and backslash) stays so
        // with tokens in it: build the JSON literal directly. Anything else is escaped after.
        let mut plain = is_plain(s);
        // Built in a buffer kept across strings, then copied into the edits' shared text.
        let mut out = std::mem::take(&mut self.scratch);
        out.clear();
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
        let escaped;
        let replacement = if plain {
            out.push('"');
            &out
        } else if is_plain(s) {
            // a token label (a policy phrase) brought other letters: escape after all
            escaped = python_str(out.get(1..).unwrap_or_default());
            &escaped
        } else {
            escaped = python_str(&out);
            &escaped
        };
        self.push_edit(Edit {
            span: node.span(),
            replacement,
        });
        self.scratch = out;
    }

    /// Records the edit replacing the whole string at `span` matched by `rule`, when the rule
    /// masks (its token depends neither on the value nor on a match's label); returns whether
    /// it did. The literal is rendered once per rule, and every such edit shares its text.
    pub(super) fn push_whole_mask(&mut self, span: Span, rule: usize) -> bool {
        match self.mask_literals.get(rule) {
            Some(MaskLiteral::Written(text)) => {
                let text = *text;
                self.push_shared_edit(span, text);
                return true;
            }
            Some(MaskLiteral::NotAMask) => return false,
            Some(MaskLiteral::Unknown) | None => {}
        }
        let Some(r) = self.r.rules.get(rule) else {
            return false;
        };
        if self.mask_literals.len() <= rule {
            self.mask_literals.resize(rule + 1, MaskLiteral::Unknown);
        }
        let literal = if matches!(r.operator, Operator::Mask | Operator::MaskPlain) {
            let mut token = String::new();
            let c = Cand {
                range: 0..0,
                rule,
                label: None,
                field: None,
            };
            self.replace_into(&c, "", &mut token);
            let literal = python_str(&token);
            self.push_edit(Edit {
                span,
                replacement: &literal,
            });
            self.edits
                .last_text()
                .map_or(MaskLiteral::Unknown, MaskLiteral::Written)
        } else {
            MaskLiteral::NotAMask
        };
        if let Some(slot) = self.mask_literals.get_mut(rule) {
            *slot = literal;
        }
        matches!(literal, MaskLiteral::Written(_))
    }

    /// Writes the replacement of `value`; returns whether it is plain ASCII (only a label
    /// made from a policy phrase can bring other characters).
    pub(super) fn replace_into(&self, c: &Cand, value: &str, out: &mut String) -> bool {
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

    pub(super) fn finding(
        &mut self,
        node: Node<'d>,
        rule: usize,
        field: Option<String>,
        value: &str,
    ) {
        let Some(r) = self.r.rules.get(rule) else {
            return;
        };
        let fingerprint = self.r.fingerprint(&r.name, value);
        let node_id = self.path_node();
        let field = self.field(field);
        let label = u32::try_from(rule).unwrap_or(u32::MAX);
        let span = self.report_span(node);
        let finding = FindingData::new(node_id, label, span, field, fingerprint, &mut self.extras);
        self.push_finding(finding);
    }

    pub(super) fn drop_members(&mut self, object: Node<'d>, dropped: &[usize]) {
        if dropped.is_empty() {
            return;
        }
        for span in drop_member_spans(object, dropped) {
            self.push_edit(Edit {
                span,
                replacement: "",
            });
        }
    }
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
