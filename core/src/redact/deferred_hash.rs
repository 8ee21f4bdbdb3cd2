//! Body hashes computed on the written output. The `hash` of a body whose data changed is the
//! hash of the redacted data text; hashing it while walking means feeding the source between
//! edits and each replacement piece by piece (a hundred thousand small pieces in a PII-dense
//! body, which costs SHA-256 about a third more than one stretch). When the whole output is
//! written anyway ([`super::Redactor::redact`]), the walk leaves a placeholder of the final
//! length, and the hash is taken over the finished data in one stretch, then written over the
//! placeholder.

use sha2::Digest as _;

use crate::json::Span;

use super::edits::Edit;
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

/// Computes each deferred hash over `out` (the source with `edits` applied) and writes it over
/// its placeholder, in `out` and in its edit. `edits` are sorted and apart.
pub(crate) fn fill(out: &mut [u8], edits: &mut [Edit], hashes: &[DeferredHash], key: &[u8]) {
    let places = output_offsets(edits, hashes);
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
        let index = edits.partition_point(|e| e.span.start < h.hash.start);
        if let Some(edit) = edits.get_mut(index)
            && edit.span == h.hash
        {
            edit.replacement = text.into();
        }
    }
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

/// Where each hash's data start, data end and hash start land in the output (three entries per
/// hash, in that order): one sweep over the edits, in the order of the offsets.
fn output_offsets(edits: &[Edit], hashes: &[DeferredHash]) -> Vec<Option<usize>> {
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
    let (mut next, mut added, mut removed) = (0, 0usize, 0usize);
    for (at, side, slot) in marks {
        while let Some(e) = edits.get(next) {
            let before = match side {
                Side::Start => e.span.start < at,
                Side::End => e.span.end <= at,
            };
            if !before {
                break;
            }
            added += e.replacement.len();
            removed += e.span.end - e.span.start;
            next += 1;
        }
        if let Some(place) = places.get_mut(slot) {
            *place = (at + added).checked_sub(removed);
        }
    }
    places
}
