//! Surgical edits: byte spans of the source and what replaces them. Everything outside the
//! spans is copied byte for byte, so a diff of a redacted file shows only the redactions.

use compact_str::CompactString;

use crate::json::{Node, Span};

/// Replace the bytes `span` of the source with `replacement` (valid JSON text in the writer's
/// escaping, or nothing when a member is dropped).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    pub span: Span,
    /// Short replacements (a mask token) are held inline: a PII-dense document has an edit
    /// every few dozen bytes, and most of them are the same few tokens.
    pub replacement: CompactString,
}

/// Applies edits sorted by position and not overlapping (what the redactor returns). An edit
/// that overlaps the one before it, or lies outside the source, is skipped.
pub fn apply_edits(source: &str, edits: &[Edit]) -> String {
    let mut out = String::with_capacity(source.len());
    let mut pos = 0;
    for edit in edits {
        if edit.span.start < pos || edit.span.end < edit.span.start {
            debug_assert!(false, "overlapping or inverted edit");
            continue;
        }
        let (Some(before), Some(_)) = (
            source.get(pos..edit.span.start),
            source.get(edit.span.start..edit.span.end),
        ) else {
            debug_assert!(false, "edit outside the source");
            continue;
        };
        out.push_str(before);
        out.push_str(&edit.replacement);
        pos = edit.span.end;
    }
    out.push_str(source.get(pos..).unwrap_or(""));
    out
}

/// Sorts edits by position. Callers build them without overlaps; a nested edit inside another
/// one (which the walker never produces) would be dropped by [`apply_edits`].
pub fn sort_edits(edits: &mut [Edit]) {
    // The walk emits edits almost in order; checking first skips the sort's scratch buffer.
    if !edits.is_sorted_by_key(|e| (e.span.start, e.span.end)) {
        edits.sort_by_key(|e| (e.span.start, e.span.end));
    }
}

/// The spans that remove the members at `dropped` (indices, ascending) from `object`, taking
/// the right comma and whitespace with them, so the rest keeps its layout: dropping `b` from
/// `{"a": 1, "b": 2}` gives `{"a": 1}`, dropping everything gives `{}`.
pub fn drop_member_spans(object: Node<'_>, dropped: &[usize]) -> Vec<Span> {
    let members: Vec<(Node<'_>, Node<'_>)> = object.members().collect();
    let mut spans = Vec::new();
    if dropped.is_empty() || members.is_empty() {
        return spans;
    }
    let whole = object.span();
    if dropped.len() >= members.len() {
        spans.push(Span {
            start: whole.start + 1,
            end: whole.end.saturating_sub(1),
        });
        return spans;
    }
    // The trailing run of dropped members goes with the comma after the last kept member.
    let mut trailing_from = members.len();
    while trailing_from > 0 && dropped.contains(&(trailing_from - 1)) {
        trailing_from -= 1;
    }
    for &i in dropped {
        if i >= trailing_from {
            break;
        }
        if let (Some((key, _)), Some((next_key, _))) = (members.get(i), members.get(i + 1)) {
            spans.push(Span {
                start: key.span().start,
                end: next_key.span().start,
            });
        }
    }
    if trailing_from < members.len()
        && let (Some((_, kept)), Some((_, last))) = (members.get(trailing_from - 1), members.last())
    {
        spans.push(Span {
            start: kept.span().end,
            end: last.span().end,
        });
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::Document;

    fn drop(text: &str, dropped: &[usize]) -> String {
        let doc = Document::parse(text.as_bytes()).unwrap();
        let edits: Vec<Edit> = drop_member_spans(doc.root(), dropped)
            .into_iter()
            .map(|span| Edit {
                span,
                replacement: CompactString::default(),
            })
            .collect();
        let out = apply_edits(text, &edits);
        assert!(Document::parse(out.as_bytes()).is_ok(), "{out}");
        out
    }

    #[test]
    fn drops_members_with_their_commas() {
        let text = "{\n  \"a\": 1,\n  \"b\": 2,\n  \"c\": 3\n}";
        assert_eq!(drop(text, &[0]), "{\n  \"b\": 2,\n  \"c\": 3\n}");
        assert_eq!(drop(text, &[1]), "{\n  \"a\": 1,\n  \"c\": 3\n}");
        assert_eq!(drop(text, &[2]), "{\n  \"a\": 1,\n  \"b\": 2\n}");
        assert_eq!(drop(text, &[1, 2]), "{\n  \"a\": 1\n}");
        assert_eq!(drop(text, &[0, 2]), "{\n  \"b\": 2\n}");
        assert_eq!(drop(text, &[0, 1]), "{\n  \"c\": 3\n}");
        assert_eq!(drop(text, &[0, 1, 2]), "{}");
        assert_eq!(drop(r#"{"a": {"x": [1]}}"#, &[0]), "{}");
    }

    #[test]
    fn applies_sorted_edits_and_keeps_the_rest() {
        let edits = vec![
            Edit {
                span: Span { start: 1, end: 2 },
                replacement: CompactString::from("X"),
            },
            Edit {
                span: Span { start: 3, end: 3 },
                replacement: CompactString::from("+"),
            },
        ];
        assert_eq!(apply_edits("abcd", &edits), "aXc+d");
    }
}
