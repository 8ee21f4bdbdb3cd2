//! The JSON path of an error: where in the document the parser stood.

use super::Parser;

impl Parser<'_> {
    /// The JSON path of the value being parsed, from the open containers.
    pub(super) fn path(&self) -> String {
        // Deep documents would give paths of thousands of segments: keep both ends.
        const HEAD: usize = 16;
        const TAIL: usize = 8;
        let mut path = String::from("$");
        let depth = self.stack.len();
        for (i, frame) in self.stack.iter().enumerate() {
            if depth > HEAD + TAIL && i >= HEAD && i < depth - TAIL {
                if i == HEAD {
                    path.push_str("…(");
                    path.push_str(&(depth - HEAD - TAIL).to_string());
                    path.push_str(" levels)…");
                }
                continue;
            }
            if frame.is_object {
                if let Some(key) = self.last_key(i) {
                    let key = &self.tape[key];
                    let raw = &self.src[key.start as usize + 1..key.end as usize - 1];
                    push_key(&mut path, &String::from_utf8_lossy(raw));
                }
            } else {
                path.push('[');
                path.push_str(&frame.count.to_string());
                path.push(']');
            }
        }
        path
    }

    /// The tape index of the last key parsed in the object open at `depth`, if any. Only error
    /// paths need it, so it is found by stepping over the object's members, not tracked.
    fn last_key(&self, depth: usize) -> Option<usize> {
        // A container still open inside this one has no `next` yet: the walk stops at it.
        let open_child = self.stack.get(depth + 1).map(|child| child.entry as usize);
        let mut key = None;
        let mut at = self.stack.get(depth)?.entry as usize + 1;
        while at < self.tape.len() {
            key = Some(at);
            let value = at + 1;
            if value >= self.tape.len() || Some(value) == open_child {
                break;
            }
            at = self.tape[value].next as usize;
        }
        key
    }
}

/// Appends `.key`, or `["key"]` when the key is not a plain identifier; long keys are cut.
pub(crate) fn push_key(path: &mut String, key: &str) {
    const MAX_KEY: usize = 64;
    let plain = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if plain && key.len() <= MAX_KEY {
        path.push('.');
        path.push_str(key);
        return;
    }
    path.push_str("[\"");
    for (i, c) in key.chars().enumerate() {
        if i == MAX_KEY {
            path.push('…');
            break;
        }
        match c {
            '"' => path.push_str("\\\""),
            '\\' => path.push_str("\\\\"),
            c if c.is_control() => path.push('?'),
            c => path.push(c),
        }
    }
    path.push_str("\"]");
}

#[cfg(test)]
mod tests {
    use super::super::{parse, parse_with};

    fn error_path(text: &str) -> String {
        parse(text.as_bytes()).map_or_else(|e| e.json_path, |_| String::from("parsed"))
    }

    /// Error paths name the key of every open object, found again from the tape.
    #[test]
    fn error_paths_name_the_last_key_of_each_open_object() {
        assert_eq!(error_path(r#"{"a": {"b": [1, {"c": tru}]}}"#), "$.a.b[1].c");
        assert_eq!(
            error_path(r#"{"a": 1, "b": {"x": [1, {}], "y" 3}}"#),
            "$.b.y"
        );
        assert_eq!(error_path(r#"{"a": [[1], {"k": 2}], "b": }"#), "$.b");
        assert_eq!(error_path(r#"{"a": {"k": [1, 2]}, bad}"#), "$.a");
        assert_eq!(error_path("{\"a\u{1}\": 1}"), "$");
        assert_eq!(error_path(r#"{"a": 1, "b\q": 2}"#), "$.a");
        assert_eq!(
            error_path(r#"{"x": {"a": "s", "b": {"c": [true, null,]}}}"#),
            "$.x.b.c[2]"
        );
    }

    /// Skimmed containers are stepped over like any other value.
    #[test]
    fn error_paths_step_over_skimmed_values() {
        let text = br#"{"data": {"a": [1, 2]}, "body": [3], "n": x}"#;
        let error = parse_with(text, true).map_or_else(|e| e.json_path, |_| String::new());
        assert_eq!(error, "$.n");
    }
}
