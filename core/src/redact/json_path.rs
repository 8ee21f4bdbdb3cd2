//! Finding paths without a string per finding. A PII-dense body yields a finding every few
//! dozen bytes, each at its own path; rendering and allocating each path cost more than finding
//! the value. The walk records the steps leading to findings once, as a tree shared by all the
//! findings of a document, and a finding renders its path only when asked.

use std::borrow::Cow;

use super::report::{Seg, render_seg};

/// The node standing for `$` (no step).
pub(crate) const ROOT: u32 = u32::MAX;

/// The steps of a document's finding paths: each node is one step under its parent node; key
/// text lives in one buffer, so adding a step allocates nothing most of the time.
#[derive(Debug, Default)]
pub(crate) struct PathTable {
    nodes: Vec<PathNode>,
    keys: String,
}

/// One step: a key, `keys[start..end]`, or an index (`start` is [`INDEX`], `end` the index).
/// Twelve bytes: a PII-dense body adds one for about every finding.
#[derive(Clone, Copy, Debug)]
struct PathNode {
    parent: u32,
    start: u32,
    end: u32,
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
            Seg::Key(k) => {
                let start = self.keys.len();
                self.keys.push_str(k);
                (u32::try_from(start), u32::try_from(self.keys.len()))
            }
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
