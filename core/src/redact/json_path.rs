//! Finding paths without a string per finding. A PII-dense body yields a finding every few
//! dozen bytes, each at its own path; rendering and allocating each path cost more than finding
//! the value. The walk records the steps leading to findings once, as a tree shared by all the
//! findings of a document, and a [`JsonPath`] renders itself only when asked.

use std::borrow::Cow;
use std::fmt;
use std::sync::{Arc, OnceLock};

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

#[derive(Clone, Copy, Debug)]
struct PathNode {
    parent: u32,
    step: Step,
}

#[derive(Clone, Copy, Debug)]
enum Step {
    /// `keys[start..end]`.
    Key {
        start: usize,
        end: usize,
    },
    Index(usize),
}

impl PathTable {
    /// Adds the step `seg` under `parent` and returns the new node. A table that would outgrow
    /// `u32` node numbers (far beyond any document) answers [`ROOT`] instead.
    pub(crate) fn push(&mut self, parent: u32, seg: &Seg<'_>) -> u32 {
        let Ok(node) = u32::try_from(self.nodes.len()) else {
            return ROOT;
        };
        if node == ROOT {
            return ROOT;
        }
        let step = match seg {
            Seg::Key(k) => {
                let start = self.keys.len();
                self.keys.push_str(k);
                Step::Key {
                    start,
                    end: self.keys.len(),
                }
            }
            Seg::Index(i) => Step::Index(*i),
        };
        self.nodes.push(PathNode { parent, step });
        node
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
            chain.push(n.step);
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

/// Where a finding sits: `$.request.headers["x-api-key"]`. Displays (and serializes) as that
/// text; rendered on demand from the steps its document's findings share, so a redaction with a
/// hundred thousand findings does not build a hundred thousand strings nobody reads.
#[derive(Clone)]
pub struct JsonPath {
    table: SharedPaths,
    node: u32,
}

/// A document's path table, filled in once when its walk finishes: findings are made during
/// the walk and point at it from the start, so finishing touches none of them.
pub(crate) type SharedPaths = Arc<OnceLock<PathTable>>;

impl JsonPath {
    pub(crate) fn new(table: &SharedPaths, node: u32) -> JsonPath {
        JsonPath {
            table: Arc::clone(table),
            node,
        }
    }

    /// The path as text.
    pub fn render(&self) -> String {
        let mut out = String::new();
        match self.table.get() {
            Some(table) => table.render_into(self.node, &mut out),
            None => out.push('$'),
        }
        out
    }
}

impl fmt::Display for JsonPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render())
    }
}

impl fmt::Debug for JsonPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.render(), f)
    }
}

impl PartialEq for JsonPath {
    fn eq(&self, other: &JsonPath) -> bool {
        self.render() == other.render()
    }
}

impl Eq for JsonPath {}

impl PartialEq<str> for JsonPath {
    fn eq(&self, other: &str) -> bool {
        self.render() == other
    }
}

impl PartialEq<&str> for JsonPath {
    fn eq(&self, other: &&str) -> bool {
        self.render() == *other
    }
}

impl From<&JsonPath> for String {
    fn from(path: &JsonPath) -> String {
        path.render()
    }
}

impl serde::Serialize for JsonPath {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.render())
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
        let pending = SharedPaths::default();
        let shared = SharedPaths::default();
        let path = |node| JsonPath::new(&shared, node);
        assert_eq!(JsonPath::new(&pending, email), "$");
        assert!(shared.set(table).is_ok());
        assert_eq!(path(email), "$.body[0].email");
        assert_eq!(path(first).to_string(), "$.body[0]");
        assert_eq!(path(header), "$[\"x-api-key\"]");
        assert_eq!(path(ROOT), "$");
        assert_eq!(format!("{:?}", path(body)), "\"$.body\"");
        assert_eq!(
            serde_json::to_string(&path(email)).unwrap(),
            "\"$.body[0].email\""
        );
    }
}
