//! Body hashes computed on the written output. The `hash` of a body whose data changed is the
//! hash of the redacted data text; hashing it while walking means feeding the source between
//! edits and each replacement piece by piece (a hundred thousand small pieces in a PII-dense
//! body, which costs SHA-256 about a third more than one stretch). When the whole output is
//! written anyway ([`super::Redactor::redact`]), the walk leaves a placeholder of the final
//! length, and the hash is taken over the finished data in one stretch, then written over the
//! placeholder.

use sha2::Digest as _;

use crate::json::Span;

use super::edits::{Edit, Edits};
use super::operators::{self, KeyedHash};
use super::policy::BodyHashMode;

/// A body hash left to compute: the source spans of the body's data and of its `hash` value
/// (whose edit holds a placeholder of the final length).
#[derive(Clone, Copy, Debug)]
pub(crate) struct DeferredHash {
    pub data: Span,
    pub hash: Span,
    pub mode: BodyHashMode,
}

/// The hash value's prefix, by mode; `None` when the mode writes no hash.
fn prefix(mode: BodyHashMode) -> Option<&'static str> {
    match mode {
        BodyHashMode::Rehash => Some("sha256:"),
        BodyHashMode::Hmac => Some("hmac-sha256:"),
        BodyHashMode::Keep | BodyHashMode::Drop => None,
    }
}

/// The JSON literal standing in for a hash until it is computed: as long as the real one.
pub(crate) fn placeholder(mode: BodyHashMode) -> Option<String> {
    hash_literal(mode, &[0; 32])
}

/// The JSON literal of a body hash: `"sha256:<hex>"` or `"hmac-sha256:<hex>"`; `None` when the
/// mode writes no hash.
pub(crate) fn hash_literal(mode: BodyHashMode, digest: &[u8]) -> Option<String> {
    let prefix = prefix(mode)?;
    let mut out = String::with_capacity(prefix.len() + 2 * digest.len() + 2);
    out.push('"');
    out.push_str(prefix);
    operators::push_hex(&mut out, digest);
    out.push('"');
    Some(out)
}

/// The source with `edits` applied (sorted and apart, as [`Edits::apply`] takes them),
/// each deferred hash computed over its written data and written over its placeholder, in the
/// output and in its edit. The hashes' places in the output are noted while it is written.
pub(crate) fn write_output(
    source: &[u8],
    edits: &mut Edits,
    hashes: &[DeferredHash],
    key: &[u8],
) -> Vec<u8> {
    let (mut out, places) = apply_placing(source, edits, hashes);
    for (h, place) in hashes.iter().zip(places.chunks_exact(3)) {
        let &[Some(data_start), Some(data_end), Some(hash_start)] = place else {
            debug_assert!(false, "a deferred hash outside the output");
            continue;
        };
        let Some(data) = out.get(data_start..data_end) else {
            continue;
        };
        let Some(text) = literal(h.mode, data, key) else {
            continue;
        };
        let Some(slot) = out.get_mut(hash_start..hash_start + text.len()) else {
            continue;
        };
        slot.copy_from_slice(text.as_bytes());
        if let Some(index) = edits.position_of(h.hash) {
            edits.set_replacement(index, &text);
        }
    }
    out
}

/// The hash literal of `data` under `mode`.
fn literal(mode: BodyHashMode, data: &[u8], key: &[u8]) -> Option<String> {
    match mode {
        BodyHashMode::Hmac => {
            let mut mac = KeyedHash::new(key, "body_hash");
            mac.update(data);
            hash_literal(mode, &mac.finish())
        }
        BodyHashMode::Rehash => hash_literal(mode, &sha2::Sha256::digest(data)),
        BodyHashMode::Keep | BodyHashMode::Drop => None,
    }
}

/// Which edits at a source offset come before it in the output: for the start of a span,
/// those starting before it; for its end, all ending by then (a whole-value edit included).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Side {
    Start,
    End,
}

/// [`Edits::apply`] on bytes, noting where each hash's data start, data end and hash
/// start land in the output (three entries per hash, in that order) as the edits go by.
fn apply_placing(
    source: &[u8],
    edits: &Edits,
    hashes: &[DeferredHash],
) -> (Vec<u8>, Vec<Option<usize>>) {
    let mut marks: Vec<(usize, Side, usize)> = hashes
        .iter()
        .enumerate()
        .flat_map(|(i, h)| {
            [
                (h.data.start, Side::Start, 3 * i),
                (h.data.end, Side::End, 3 * i + 1),
                (h.hash.start, Side::Start, 3 * i + 2),
            ]
        })
        .collect();
    marks.sort_unstable();
    let mut places = vec![None; marks.len()];
    let mut out = Vec::with_capacity(source.len());
    let mut pos = 0;
    let mut edits = edits.iter().peekable();
    for (at, side, slot) in marks {
        // Write the edits that come before this offset, then note where it lands: past them,
        // the output is `out.len() - pos` longer than the source read so far.
        while let Some(edit) = edits.next_if(|e| match side {
            Side::Start => e.span.start < at,
            Side::End => e.span.end <= at,
        }) {
            pos = apply_one(source, &edit, pos, &mut out);
        }
        if let Some(place) = places.get_mut(slot) {
            *place = (at + out.len()).checked_sub(pos);
        }
    }
    for edit in edits {
        pos = apply_one(source, &edit, pos, &mut out);
    }
    out.extend_from_slice(source.get(pos..).unwrap_or_default());
    (out, places)
}

/// Writes the source from `pos` up to `edit` and its replacement; gives where the source goes
/// on. An edit that overlaps the one before it, or lies outside the source, is skipped.
fn apply_one(source: &[u8], edit: &Edit<'_>, pos: usize, out: &mut Vec<u8>) -> usize {
    if edit.span.start < pos || edit.span.end < edit.span.start {
        debug_assert!(false, "overlapping or inverted edit");
        return pos;
    }
    let (Some(before), Some(_)) = (
        source.get(pos..edit.span.start),
        source.get(edit.span.start..edit.span.end),
    ) else {
        debug_assert!(false, "edit outside the source");
        return pos;
    };
    out.extend_from_slice(before);
    out.extend_from_slice(edit.replacement.as_bytes());
    edit.span.end
}
