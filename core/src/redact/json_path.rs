//! Finding paths without a string per finding. A PII-dense body yields a finding every few
//! dozen bytes, each at its own path; rendering and allocating each path cost more than finding
//! the value. The walk records the steps leading to findings once, as a tree shared by all the
//! findings of a document, and a finding renders its path only when asked.

use std::borrow::Cow;
use std::num::TryFromIntError;

use super::report::{Seg, render_seg};

/// The node standing for `$` (no step).
pub(crate) const ROOT: u32 = u32::MAX;

/// The steps of a document's finding paths: each node is one step under its parent node; key
/// text lives in one buffer, so adding a step allocates nothing most of the time.
#[derive(Debug, Default)]
pub(crate) struct PathTable {
    nodes: Vec<PathNode>,
    keys: String,
    /// Where in `keys` the text of a recently added key slice went, by the slice's address
    /// and length (see [`PathTable::push`]).
    copied: Vec<(usize, usize, u32, u32)>,
}

/// Entries of [`PathTable::copied`] (a power of two).
const COPIED_SLOTS: usize = 256;

/// One step: a key, `keys[start..end]`, or an index (`start` is [`INDEX`], `end` the index).
/// Twelve bytes: a PII-dense body adds one for about every finding.
#[derive(Clone, Copy, Debug)]
struct PathNode {
    parent: u32,
    start: u32,
    end: u32,
}

/// The slot of [`PathTable::copied`] for a slice at `addr`.
fn copied_slot(addr: usize) -> usize {
    let mixed = u64::try_from(addr)
        .unwrap_or_default()
        .wrapping_mul(0x9E37_79B9_7F4A_7C15)
        >> 56;
    usize::try_from(mixed).unwrap_or_default() & (COPIED_SLOTS - 1)
}

/// [`PathNode::start`] of an index step.
const INDEX: u32 = u32::MAX;

#[derive(Clone, Copy, Debug)]
enum Step {
    Key { start: usize, end: usize },
    Index(usize),
}

impl PathNode {
    fn step(self) -> Step {
        if self.start == INDEX {
            Step::Index(self.end as usize)
        } else {
            Step::Key {
                start: self.start as usize,
                end: self.end as usize,
            }
        }
    }
}

impl PathTable {
    /// Adds the step `seg` under `parent` and returns the new node. A table that would outgrow
    /// `u32` node numbers or key text (far beyond any document) answers [`ROOT`] instead.
    pub(crate) fn push(&mut self, parent: u32, seg: &Seg<'_>) -> u32 {
        let Ok(node) = u32::try_from(self.nodes.len()) else {
            return ROOT;
        };
        if node == ROOT {
            return ROOT;
        }
        let (start, end) = match seg {
            Seg::Key(Cow::Borrowed(k)) => match self.copied_range(k) {
                Some(range) => (Ok(range.0), Ok(range.1)),
                None => self.copy_key(k, true),
            },
            // an owned key's address says nothing once it is freed: not remembered
            Seg::Key(Cow::Owned(k)) => self.copy_key(k, false),
            Seg::Index(i) => (Ok(INDEX), u32::try_from(*i)),
        };
        let (Ok(start), Ok(end)) = (start, end) else {
            return ROOT;
        };
        if start == INDEX && !matches!(seg, Seg::Index(_)) {
            return ROOT;
        }
        self.nodes.push(PathNode { parent, start, end });
        node
    }

    /// How many steps there are, and room for how many.
    pub(crate) fn sizes(&self) -> (usize, usize) {
        (self.nodes.len(), self.nodes.capacity())
    }

    /// Room for `steps` more steps.
    pub(crate) fn reserve(&mut self, steps: usize) {
        self.nodes.reserve(steps);
    }

    /// Where the text of the slice `k` was copied, if it was recently. The walk hands the
    /// same slice of its document (one occurrence per distinct key) for a key met again, and a
    /// slice's address and length name the same text as long as the document lives, which is
    /// the whole life of the table's filling (nested documents add no steps, see
    /// `Walk::path_node`).
    fn copied_range(&self, k: &str) -> Option<(u32, u32)> {
        let addr = k.as_ptr().addr();
        match self.copied.get(copied_slot(addr)) {
            Some(&(a, len, start, end)) if a == addr && len == k.len() => Some((start, end)),
            _ => None,
        }
    }

    /// Copies the text of key `k` and, for a borrowed slice (`remember`), notes where (for
    /// [`PathTable::copied_range`]).
    fn copy_key(
        &mut self,
        k: &str,
        remember: bool,
    ) -> (Result<u32, TryFromIntError>, Result<u32, TryFromIntError>) {
        let start = self.keys.len();
        self.keys.push_str(k);
        let (start, end) = (u32::try_from(start), u32::try_from(self.keys.len()));
        if remember && let (Ok(s), Ok(e)) = (start, end) {
            if self.copied.is_empty() {
                self.copied.resize(COPIED_SLOTS, (0, 0, 0, 0));
            }
            let addr = k.as_ptr().addr();
            if let Some(slot) = self.copied.get_mut(copied_slot(addr)) {
                *slot = (addr, k.len(), s, e);
            }
        }
        (start, end)
    }

    /// `$` and the steps to `node`.
    pub(crate) fn render(&self, node: u32) -> String {
        let mut out = String::new();
        self.render_into(node, &mut out);
        out
    }

    /// Appends the rendering of `node` (`$` and its steps) to `out`.
    fn render_into(&self, node: u32, out: &mut String) {
        // Steps are found leaf first; a short stack puts them back in order.
        let mut chain: Vec<Step> = Vec::new();
        let mut at = node;
        while at != ROOT {
            let Some(n) = usize::try_from(at).ok().and_then(|i| self.nodes.get(i)) else {
                break;
            };
            chain.push(n.step());
            at = n.parent;
        }
        out.push('$');
        for step in chain.iter().rev() {
            let seg = match *step {
                Step::Key { start, end } => {
                    Seg::Key(Cow::Borrowed(self.keys.get(start..end).unwrap_or("")))
                }
                Step::Index(i) => Seg::Index(i),
            };
            render_seg(out, &seg);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_slice_met_again_renders_the_same_and_its_text_is_kept_once() {
        let text = String::from("email");
        let email = text.as_str();
        let mut table = PathTable::default();
        let mut leaves = Vec::new();
        for i in 0..3 {
            let record = table.push(ROOT, &Seg::Index(i));
            leaves.push(table.push(record, &Seg::Key(Cow::Borrowed(email))));
            leaves.push(table.push(record, &Seg::Key(Cow::Owned(String::from("e-mail")))));
        }
        assert_eq!(table.render(leaves[0]), "$[0].email");
        assert_eq!(table.render(leaves[2]), "$[1].email");
        assert_eq!(table.render(leaves[5]), "$[2][\"e-mail\"]");
        // Owned keys are copied each time (and not remembered), a borrowed slice met again
        // only once.
        assert_eq!(table.keys.len(), "email".len() + 3 * "e-mail".len());
    }

    #[test]
    fn renders_shared_steps_per_node() {
        let mut table = PathTable::default();
        let body = table.push(ROOT, &Seg::Key(Cow::Borrowed("body")));
        let first = table.push(body, &Seg::Index(0));
        let email = table.push(first, &Seg::Key(Cow::Borrowed("email")));
        let header = table.push(ROOT, &Seg::Key(Cow::Borrowed("x-api-key")));
        assert_eq!(table.render(email), "$.body[0].email");
        assert_eq!(table.render(first), "$.body[0]");
        assert_eq!(table.render(header), "$[\"x-api-key\"]");
        assert_eq!(table.render(ROOT), "$");
    }
}
