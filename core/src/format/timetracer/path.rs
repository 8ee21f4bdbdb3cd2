//! JSON paths built on the stack while reading and rendered only when a problem is reported.

#[derive(Clone, Copy)]
enum Segment<'a> {
    Root,
    Key(&'a str),
    Index(usize),
}

/// A path as a linked list of segments borrowed from the caller's frames: free to extend,
/// paid for only when rendered.
#[derive(Clone, Copy)]
pub(crate) struct JsonPath<'a> {
    parent: Option<&'a JsonPath<'a>>,
    segment: Segment<'a>,
}

impl<'a> JsonPath<'a> {
    pub(crate) fn root() -> Self {
        JsonPath {
            parent: None,
            segment: Segment::Root,
        }
    }

    pub(crate) fn key(&'a self, key: &'a str) -> JsonPath<'a> {
        JsonPath {
            parent: Some(self),
            segment: Segment::Key(key),
        }
    }

    pub(crate) fn index(&'a self, index: usize) -> JsonPath<'a> {
        JsonPath {
            parent: Some(self),
            segment: Segment::Index(index),
        }
    }

    /// `$.events[2].signature`
    pub(crate) fn render(&self) -> String {
        let mut segments = Vec::new();
        let mut at = Some(self);
        while let Some(path) = at {
            segments.push(path.segment);
            at = path.parent;
        }
        let mut out = String::new();
        for segment in segments.into_iter().rev() {
            match segment {
                Segment::Root => out.push('$'),
                Segment::Key(key) => crate::json::push_key(&mut out, key),
                Segment::Index(i) => {
                    out.push('[');
                    out.push_str(&i.to_string());
                    out.push(']');
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::JsonPath;

    #[test]
    fn renders_keys_indices_and_odd_keys() {
        let root = JsonPath::root();
        let events = root.key("events");
        let third = events.index(2);
        let odd = third.key("a b");
        assert_eq!(odd.render(), "$.events[2][\"a b\"]");
        assert_eq!(root.render(), "$");
    }
}
