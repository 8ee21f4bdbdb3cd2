//! Scopes of the formats other than Timetracer (see `format`): where their captured data sits.
//!
//! - HAR (per entry, request and response): `url`, `redirectURL`, `headers` and `cookies`
//!   (`[{name, value}]`: header names decide as in a Timetracer cassette, cookie values are
//!   cookies), `queryString` and `postData.params` (names are keys), `postData.text` and
//!   `content.text` (bodies; base64 content is looked into by scan).
//! - VCR.py, Ruby VCR, Betamax, go-vcr (per interaction): `uri`/`url`, header maps whose values
//!   are lists, `body` (a string or `{string | base64_string}`), go-vcr `form`.
//!
//! A header or parameter the policy drops goes with its whole list element.

use std::rc::Rc;

use super::{Cand, CookieKind, KeyInfo, Walk, first_secret};
use crate::json::{Kind, Node, Span};
use crate::model::Format;
use crate::redact::edits::Edit;
use crate::redact::engine::{RULE_COOKIE, RULE_KEY};
use crate::redact::operators::{self, Operator};
use crate::redact::report::Seg;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Pairs {
    Headers,
    Params,
    Cookies,
}

impl<'d> Walk<'_, 'd> {
    pub(super) fn walk_format(&mut self, root: Node<'d>, format: Format) {
        match format {
            Format::Har => self.walk_har(root),
            _ => self.walk_vcr(root),
        }
    }

    // ---- HAR ------------------------------------------------------------------------------

    fn walk_har(&mut self, root: Node<'d>) {
        if root.get("log").is_none() {
            self.walk_har_entry(root);
            return;
        }
        for (k, log) in root.members().filter(|(k, _)| k.key_equals("log")) {
            self.push_key(k);
            for (k, entries) in log.members().filter(|(k, _)| k.key_equals("entries")) {
                self.push_key(k);
                for (i, entry) in entries.elements().enumerate() {
                    self.push_seg(Seg::Index(i));
                    self.walk_har_entry(entry);
                    self.pop_seg();
                }
                self.pop_seg();
            }
            self.pop_seg();
        }
    }

    fn walk_har_entry(&mut self, entry: Node<'d>) {
        for (k, v) in entry.members() {
            if k.key_equals("request") || k.key_equals("response") {
                self.push_key(k);
                self.walk_har_message(v);
                self.pop_seg();
            }
        }
    }

    fn walk_har_message(&mut self, message: Node<'d>) {
        for (k, v) in message.members() {
            self.push_key(k);
            match k.as_str().as_deref() {
                Some("headers") => self.walk_pairs(v, Pairs::Headers),
                Some("cookies") => self.walk_pairs(v, Pairs::Cookies),
                Some("queryString") => self.walk_pairs(v, Pairs::Params),
                Some("url" | "redirectURL") => {
                    let info = self.key_info(k);
                    self.walk_value(v, Some(&info));
                }
                Some("postData") => {
                    for (k, v) in v.members() {
                        self.push_key(k);
                        match k.as_str().as_deref() {
                            Some("params") => self.walk_pairs(v, Pairs::Params),
                            Some("text") => self.walk_value(v, None),
                            _ => {}
                        }
                        self.pop_seg();
                    }
                }
                Some("content") => {
                    let base64 = v
                        .get("encoding")
                        .and_then(|e| e.as_str())
                        .is_some_and(|e| e == "base64");
                    for (k, text) in v.members().filter(|(k, _)| k.key_equals("text")) {
                        self.push_key(k);
                        self.walk_value(text, None);
                        if self.scan {
                            self.scan_encoded(text, base64);
                        }
                        self.pop_seg();
                    }
                }
                _ => {}
            }
            self.pop_seg();
        }
    }

    /// `[{name, value}]`: the name decides as a header name or a key would.
    fn walk_pairs(&mut self, list: Node<'d>, kind: Pairs) {
        if list.kind() != Kind::Array {
            self.walk_value(list, None);
            return;
        }
        let mut drops = Vec::new();
        for (i, item) in list.elements().enumerate() {
            self.push_seg(Seg::Index(i));
            let name = item.get("name").filter(|n| n.kind() == Kind::String);
            let value = item.members().find(|(k, _)| k.key_equals("value"));
            if let (Some(name), Some((vk, v))) = (name, value) {
                let info = self.key_info(name);
                self.push_key(vk);
                let name = name.as_str().unwrap_or_default();
                if !(info.allowed || self.path_is_allowed())
                    && self.pair_value(v, &info, kind, &name)
                {
                    drops.push(i);
                }
                self.pop_seg();
            } else {
                self.walk_value(item, None);
            }
            self.pop_seg();
        }
        self.drop_elements(list, &drops);
    }

    /// One header, parameter or cookie value (a string, or a list of them); returns whether
    /// the policy drops it.
    fn pair_value(&mut self, v: Node<'d>, info: &Rc<KeyInfo>, kind: Pairs, name: &str) -> bool {
        let mut local = Vec::new();
        match (kind, v.kind()) {
            (Pairs::Cookies, Kind::String) => self.cookie_value(v, name, &mut local),
            (Pairs::Headers, Kind::String) if info.cookie != CookieKind::None => {
                self.cookie_header(v, info.cookie == CookieKind::SetCookie, &mut local, 0);
            }
            (Pairs::Headers, Kind::String) if info.header_sensitive.is_some() => {
                self.sensitive_header(v, info, &mut local, 0);
            }
            (Pairs::Params, _) if info.sensitive.is_some() => {
                if self.rule_op(RULE_KEY) == Operator::Drop {
                    if let Some(value) = first_secret(v) {
                        local.push(0);
                        self.finding(v, RULE_KEY, None, &value);
                    }
                } else {
                    self.mask_subtree(v, info);
                }
            }
            (_, Kind::Array) => {
                // Polly.js writes repeated headers as a list of values.
                let mut element_drops = Vec::new();
                for (i, e) in v.elements().enumerate() {
                    self.push_seg(Seg::Index(i));
                    if self.pair_value(e, info, kind, name) {
                        element_drops.push(i);
                    }
                    self.pop_seg();
                }
                self.drop_elements(v, &element_drops);
            }
            _ => self.walk_value(v, Some(info)),
        }
        !local.is_empty()
    }

    /// A HAR cookie's value: the whole string is the cookie value.
    fn cookie_value(&mut self, v: Node<'d>, name: &str, drops: &mut Vec<usize>) {
        let Some(s) = v.as_str() else { return };
        if s.is_empty() || operators::is_redacted(&s) || self.r.allow_values.contains(s.as_ref()) {
            return;
        }
        let field = Some(format!("cookie:{name}"));
        if self.rule_op(RULE_COOKIE) == Operator::Drop {
            drops.push(0);
            self.finding(v, RULE_COOKIE, field, &s);
            return;
        }
        let cands = [Cand {
            range: 0..s.len(),
            rule: RULE_COOKIE,
            label: None,
            field,
        }];
        self.emit_string(v, &s, &cands);
    }

    /// Drops elements of an array with the commas between them.
    fn drop_elements(&mut self, array: Node<'d>, dropped: &[usize]) {
        if dropped.is_empty() {
            return;
        }
        let elements: Vec<Node<'d>> = array.elements().collect();
        if elements.is_empty() {
            return;
        }
        let whole = array.span();
        if dropped.len() >= elements.len() {
            self.push_edit(Edit {
                span: Span {
                    start: whole.start + 1,
                    end: whole.end.saturating_sub(1),
                },
                replacement: "",
            });
            return;
        }
        let mut trailing_from = elements.len();
        while trailing_from > 0 && dropped.contains(&(trailing_from - 1)) {
            trailing_from -= 1;
        }
        for &i in dropped {
            if i >= trailing_from {
                continue;
            }
            if let (Some(e), Some(next)) = (elements.get(i), elements.get(i + 1)) {
                self.push_edit(Edit {
                    span: Span {
                        start: e.span().start,
                        end: next.span().start,
                    },
                    replacement: "",
                });
            }
        }
        if trailing_from < elements.len()
            && let (Some(kept), Some(last)) = (elements.get(trailing_from - 1), elements.last())
        {
            self.push_edit(Edit {
                span: Span {
                    start: kept.span().end,
                    end: last.span().end,
                },
                replacement: "",
            });
        }
    }

    // ---- VCR-style ------------------------------------------------------------------------

    fn walk_vcr(&mut self, root: Node<'d>) {
        for (k, list) in root.members() {
            if !(k.key_equals("interactions") || k.key_equals("http_interactions")) {
                continue;
            }
            self.push_key(k);
            for (i, item) in list.elements().enumerate() {
                self.push_seg(Seg::Index(i));
                for (k, v) in item.members() {
                    if k.key_equals("request") || k.key_equals("response") {
                        self.push_key(k);
                        self.walk_vcr_message(v);
                        self.pop_seg();
                    }
                }
                self.pop_seg();
            }
            self.pop_seg();
        }
    }

    fn walk_vcr_message(&mut self, message: Node<'d>) {
        for (k, v) in message.members() {
            self.push_key(k);
            match k.as_str().as_deref() {
                Some("headers" | "trailer") => self.walk_header_map(v),
                Some("form") => self.walk_value(v, None),
                Some("uri" | "url") => {
                    let info = self.key_info(k);
                    self.walk_value(v, Some(&info));
                }
                Some("body") => self.walk_vcr_body(v),
                _ => {}
            }
            self.pop_seg();
        }
    }

    fn walk_vcr_body(&mut self, body: Node<'d>) {
        match body.kind() {
            Kind::Object => {
                for (k, v) in body.members() {
                    let base64 = k.key_equals("base64_string");
                    if k.key_equals("string") || base64 {
                        self.push_key(k);
                        self.walk_value(v, None);
                        if self.scan {
                            self.scan_encoded(v, base64);
                        }
                        self.pop_seg();
                    }
                }
            }
            _ => self.walk_value(body, None),
        }
    }

    /// `{name: [values]}` (or `{name: value}`): names decide as header names.
    fn walk_header_map(&mut self, headers: Node<'d>) {
        if headers.kind() != Kind::Object {
            self.walk_value(headers, None);
            return;
        }
        let mut drops = Vec::new();
        for (i, (k, v)) in headers.members().enumerate() {
            let info = self.key_info(k);
            self.push_key(k);
            let name = k.as_str().unwrap_or_default();
            if !(info.allowed || self.path_is_allowed())
                && self.pair_value(v, &info, Pairs::Headers, &name)
            {
                drops.push(i);
            }
            self.pop_seg();
        }
        self.drop_members(headers, &drops);
    }
}
