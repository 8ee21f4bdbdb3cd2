//! Where the walk is (its path, rendered or recorded in the path table only when a finding
//! needs it) and what the policy thinks of each key, cached per distinct key.

use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::rc::Rc;

use crate::json::{Node, Span};

use super::super::json_path::ROOT;
use super::super::keywords::{KeyWords, phrase_label};
use super::super::operators::Operator;
use super::super::report::{Seg, path_allowed, render_seg};
use super::{CookieKind, INITIAL_BYTES_PER_ENTRY, KeyInfo, MIN_BYTES_PER_ENTRY, Walk};
use crate::growth::more_room;

/// A small fast hash for the key cache (keys are short and not attacker-chosen in a way that
/// matters: the cache lives for one document).
#[derive(Default)]
pub(super) struct FxHasher(u64);

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

pub(super) type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

impl<'d> Walk<'_, 'd> {
    /// [`Walk::key_info`] and [`Walk::push_key`] in one, slicing the key's text once (every
    /// member of every record comes here).
    #[inline]
    pub(super) fn enter_key(&mut self, k: Node<'d>) -> Rc<KeyInfo> {
        let text = key_text(k);
        let (info, first) = self.key_info_of(k, text);
        // The path holds the cached first occurrence of the key (the same text): the path
        // table then meets the same slice record after record and copies its text once.
        let seg = if k.has_escapes() {
            k.as_str().unwrap_or_default()
        } else {
            Cow::Borrowed(first)
        };
        self.push_seg(Seg::Key(seg));
        info
    }

    #[inline]
    pub(super) fn push_key(&mut self, k: Node<'d>) {
        self.push_seg(Seg::Key(k.as_str().unwrap_or_default()));
    }

    #[inline]
    pub(super) fn push_seg(&mut self, seg: Seg<'d>) {
        self.path.push(seg);
    }

    #[inline]
    pub(super) fn pop_seg(&mut self) {
        self.path.pop();
        if self.rendered_lens.len() > self.path.len() {
            if let Some(&len) = self.rendered_lens.get(self.path.len()) {
                self.rendered.truncate(len);
            }
            self.rendered_lens.truncate(self.path.len());
        }
        self.path_nodes.truncate(self.path.len());
    }

    /// The node of the path findings here report, adding the steps not in the table yet (in a
    /// nested walk, the outer string's node).
    #[inline]
    pub(super) fn path_node(&mut self) -> u32 {
        if let Some(outer) = &self.outer {
            return outer.json_path;
        }
        if self.path_nodes.len() == self.path.len() {
            // every step already in the table (a finding next to an earlier one)
            return self.path_nodes.last().copied().unwrap_or(ROOT);
        }
        self.add_path_nodes()
    }

    /// [`Walk::path_node`] when steps of the path are not in the table yet.
    #[inline(never)]
    fn add_path_nodes(&mut self) -> u32 {
        let missing = self.path.len().saturating_sub(self.path_nodes.len());
        let (len, capacity) = self.paths.sizes();
        if len.saturating_add(missing) > capacity {
            self.reserve_path_nodes(missing);
        }
        for seg in self.path.get(self.path_nodes.len()..).unwrap_or_default() {
            let parent = self.path_nodes.last().copied().unwrap_or(ROOT);
            let node = self.paths.push(parent, seg);
            self.path_nodes.push(node);
        }
        self.path_nodes.last().copied().unwrap_or(ROOT)
    }

    /// Room in the path table for `missing` more steps, and for the rest of the document's at
    /// the rate so far (see `more_room`): sized once, instead of doubling into twice the room.
    #[cold]
    #[inline(never)]
    fn reserve_path_nodes(&mut self, missing: usize) {
        let total = self.doc.text().len();
        let (len, _) = self.paths.sizes();
        if len == 0 {
            // A start like the findings': filled, it is a fair sample of the rate.
            self.paths
                .reserve(missing.max(total / INITIAL_BYTES_PER_ENTRY));
            return;
        }
        // Findings come in document order: the furthest one tells how far in the walk is.
        let position = self.order.findings_start;
        let limit = total / MIN_BYTES_PER_ENTRY;
        let more = more_room(self.paths.sizes(), missing, position, total, limit);
        self.paths.reserve(more.max(missing));
    }

    /// `$` and the current path, rendered after `prefix`.
    pub(super) fn render_path(&mut self, prefix: &str) -> String {
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

    #[inline]
    pub(super) fn field(&mut self, field: Option<String>) -> Option<String> {
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
    #[inline]
    pub(super) fn allowed_value(&self, value: &str) -> bool {
        !self.r.allow_values.is_empty() && self.r.allow_values.contains(value)
    }

    #[inline]
    pub(super) fn report_span(&self, node: Node<'d>) -> Span {
        self.outer.as_ref().map_or_else(|| node.span(), |o| o.span)
    }

    #[inline]
    pub(super) fn path_is_allowed(&self) -> bool {
        !self.r.allow_paths.is_empty()
            && self
                .r
                .allow_paths
                .iter()
                .any(|p| path_allowed(p, &self.base, &self.path))
    }

    pub(super) fn rule_op(&self, rule: usize) -> Operator {
        self.r
            .rules
            .get(rule)
            .map_or(Operator::Mask, |r| r.operator)
    }

    pub(super) fn key_info(&mut self, k: Node<'d>) -> Rc<KeyInfo> {
        self.key_info_of(k, key_text(k)).0
    }

    /// [`Walk::key_info`] of `k`, whose raw text between the quotes is `cache_key`, and the
    /// slice of that text the cache holds (an earlier occurrence of the key, or this one).
    #[inline]
    fn key_info_of(&mut self, k: Node<'d>, cache_key: &'d str) -> (Rc<KeyInfo>, &'d str) {
        let slot = recent_slot(cache_key);
        if let Some(Some((seen, info))) = self.recent.get(slot)
            && same_text(seen.as_bytes(), cache_key.as_bytes())
        {
            return (Rc::clone(info), seen);
        }
        (self.key_info_missed(k, cache_key, slot), cache_key)
    }

    /// A key not in the direct-mapped cache: kept out of line, so the hit above stays a few
    /// instructions inlined into every member's visit.
    #[cold]
    #[inline(never)]
    fn key_info_missed(&mut self, k: Node<'d>, cache_key: &'d str, slot: usize) -> Rc<KeyInfo> {
        let info = self.key_info_uncached(k, cache_key);
        if self.recent.is_empty() {
            self.recent.resize(RECENT_KEYS, None);
        }
        if let Some(entry) = self.recent.get_mut(slot) {
            *entry = Some((cache_key, Rc::clone(&info)));
        }
        info
    }

    pub(super) fn key_info_uncached(&mut self, k: Node<'d>, cache_key: &'d str) -> Rc<KeyInfo> {
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

/// `a == b`, comparing keys of up to 16 bytes (almost all) with two overlapping word loads
/// instead of a call to `memcmp`, whose setup costs more than such a comparison.
#[inline]
fn same_text(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    if n != b.len() {
        return false;
    }
    let word8 = |s: &[u8], at: usize| s.get(at..at + 8).and_then(|w| <[u8; 8]>::try_from(w).ok());
    let word4 = |s: &[u8], at: usize| s.get(at..at + 4).and_then(|w| <[u8; 4]>::try_from(w).ok());
    match n {
        4..8 => word4(a, 0) == word4(b, 0) && word4(a, n - 4) == word4(b, n - 4),
        8..=16 => word8(a, 0) == word8(b, 0) && word8(a, n - 8) == word8(b, n - 8),
        // shorter than a word, or long: plain equality
        _ => a == b,
    }
}

/// The raw text of a key between its quotes (escapes left as written): the key caches' key.
fn key_text(k: Node<'_>) -> &str {
    // One slice of the document's text (a slice of a slice checks both ends twice).
    let span = k.span();
    k.document()
        .text()
        .get(span.start + 1..span.end.saturating_sub(1))
        .unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::same_text;

    #[test]
    fn word_comparison_of_keys_is_byte_equality() {
        // Every length up to past the word paths, with a difference at every position.
        for n in 0..24 {
            let a: Vec<u8> = (0..n).map(|i| b'a' + (i % 26)).collect();
            assert!(same_text(&a, &a.clone()), "len {n}");
            for at in 0..a.len() {
                let mut b = a.clone();
                b[at] ^= 0x20;
                assert!(!same_text(&a, &b), "len {n}, differs at {at}");
            }
            let longer = [a.as_slice(), b"x"].concat();
            assert!(!same_text(&a, &longer), "len {n} vs {}", n + 1);
        }
    }
}
