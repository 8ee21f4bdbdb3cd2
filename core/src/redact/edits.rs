//! Surgical edits: byte spans of the source and what replaces them. Everything outside the
//! spans is copied byte for byte, so a diff of a redacted file shows only the redactions.

use crate::json::{Node, Span, Span32};

/// One edit: replace the bytes `span` of the source with `replacement` (valid JSON text in the
/// writer's escaping, or nothing when a member is dropped). [`Edits`] holds them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Edit<'e> {
    pub span: Span,
    pub replacement: &'e str,
}

/// An edit as [`Edits`] stores it: its source span and where its replacement sits in the
/// shared text. Sixteen bytes: there is one every few dozen bytes of a PII-dense document.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Stored {
    span: Span32,
    text: Span32,
}

/// A replacement already in an [`Edits`]' text (see [`Edits::push_shared`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct SharedText(Span32);

/// The edit `stored` reads as, its replacement in `text`.
fn view(text: &str, stored: Stored) -> Edit<'_> {
    Edit {
        span: stored.span.span(),
        replacement: text
            .get(stored.text.start as usize..stored.text.end as usize)
            .unwrap_or_default(),
    }
}

/// The edits of one document, every replacement in one shared text. A PII-dense document has
/// an edit every few dozen bytes: one buffer makes them no allocation and no free each.
///
/// The redactor returns them sorted by position and not overlapping, as [`Edits::apply`] takes
/// them.
#[derive(Clone, Debug, Default)]
pub struct Edits {
    items: Vec<Stored>,
    text: String,
    /// An edit was refused: see [`Edits::overflowed`].
    overflowed: bool,
}

impl Edits {
    pub fn new() -> Edits {
        Edits::default()
    }

    /// Room for `edits` edits and `text` bytes of replacement.
    pub fn with_capacity(edits: usize, text: usize) -> Edits {
        Edits {
            items: Vec::with_capacity(edits),
            text: String::with_capacity(text),
            overflowed: false,
        }
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The `index`-th edit.
    pub fn get(&self, index: usize) -> Option<Edit<'_>> {
        self.items
            .get(index)
            .map(|&stored| view(&self.text, stored))
    }

    pub fn iter(&self) -> EditsIter<'_> {
        EditsIter {
            items: self.items.iter(),
            text: &self.text,
        }
    }

    /// Adds an edit at the end. Offsets are kept in 32 bits, as the parser's are: an edit
    /// past 4 GiB of source, or one taking the replacements past 4 GiB in all, is refused
    /// and noted (see [`Edits::overflowed`]).
    #[inline]
    pub fn push(&mut self, edit: Edit<'_>) {
        let text_start = self.text.len();
        let text = Span {
            start: text_start,
            end: text_start.saturating_add(edit.replacement.len()),
        };
        let (Some(span), Some(text)) = (Span32::checked(edit.span), Span32::checked(text)) else {
            self.overflowed = true;
            return;
        };
        self.text.push_str(edit.replacement);
        self.items.push(Stored { span, text });
    }

    /// Whether an edit was refused for an offset beyond 32 bits: the edits are then
    /// incomplete, and a redactor reports the document as too large instead of using them.
    pub fn overflowed(&self) -> bool {
        self.overflowed
    }

    /// Notes that edits of a part of the document were refused.
    pub(crate) fn set_overflowed(&mut self) {
        self.overflowed = true;
    }

    /// The source with the edits applied. An edit that overlaps the one before it, or lies
    /// outside the source, is skipped.
    pub fn apply(&self, source: &str) -> String {
        let mut out = String::with_capacity(source.len());
        let mut pos = 0;
        for edit in self {
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
            out.push_str(edit.replacement);
            pos = edit.span.end;
        }
        out.push_str(source.get(pos..).unwrap_or(""));
        out
    }

    /// Sorts the edits by position and drops any that overlaps one before it; returns how many
    /// were dropped.
    pub fn sort_and_separate(&mut self) -> usize {
        // Edits are almost always made in order: checking first skips the sort's scratch buffer.
        if !self.items.is_sorted_by_key(|e| e.span) {
            self.items.sort_by_key(|e| e.span);
        }
        let before = self.items.len();
        let mut end = 0;
        self.items.retain(|e| {
            let keep = e.span.start >= end;
            if keep {
                end = e.span.end;
            }
            keep
        });
        before - self.items.len()
    }

    /// Sorted edits from the first that starts at or after `offset`.
    pub fn starting_from(&self, offset: usize) -> EditsIter<'_> {
        let first = self
            .items
            .partition_point(|e| (e.span.start as usize) < offset);
        EditsIter {
            items: self.items.get(first..).unwrap_or_default().iter(),
            text: &self.text,
        }
    }

    /// The index of the edit of exactly `span` in sorted edits.
    pub(crate) fn position_of(&self, span: Span) -> Option<usize> {
        let index = self
            .items
            .partition_point(|e| (e.span.start as usize) < span.start);
        self.items
            .get(index)
            .filter(|e| e.span.span() == span)
            .map(|_| index)
    }

    /// Gives the `index`-th edit a new replacement (added to the text: the old one may be
    /// shared with other edits).
    pub(crate) fn set_replacement(&mut self, index: usize, replacement: &str) {
        let text_start = self.text.len();
        let text = Span {
            start: text_start,
            end: text_start.saturating_add(replacement.len()),
        };
        let (Some(stored), Some(text)) = (self.items.get_mut(index), Span32::checked(text)) else {
            self.overflowed = true;
            return;
        };
        self.text.push_str(replacement);
        stored.text = text;
    }

    /// The replacement of the last edit, for later edits with the same one.
    pub(crate) fn last_text(&self) -> Option<SharedText> {
        self.items.last().map(|stored| SharedText(stored.text))
    }

    /// Adds an edit whose replacement is already in the text: one copy for every edit that
    /// writes the same mask token.
    #[inline]
    pub(crate) fn push_shared(&mut self, span: Span, text: SharedText) {
        let Some(span) = Span32::checked(span) else {
            self.overflowed = true;
            return;
        };
        self.items.push(Stored { span, text: text.0 });
    }

    /// Room for `edits` more edits and `text` more bytes of replacement.
    pub(crate) fn reserve(&mut self, edits: usize, text: usize) {
        self.items.reserve(edits);
        self.text.reserve(text);
    }

    /// How many edits and replacement bytes there are, and room for each.
    pub(crate) fn sizes(&self) -> [(usize, usize); 2] {
        [
            (self.items.len(), self.items.capacity()),
            (self.text.len(), self.text.capacity()),
        ]
    }
}

/// Equal when they make the same edits, however their text is laid out.
impl PartialEq for Edits {
    fn eq(&self, other: &Edits) -> bool {
        self.iter().eq(other.iter())
    }
}

impl Eq for Edits {}

impl<'e> IntoIterator for &'e Edits {
    type Item = Edit<'e>;
    type IntoIter = EditsIter<'e>;

    fn into_iter(self) -> EditsIter<'e> {
        self.iter()
    }
}

impl<'a> FromIterator<Edit<'a>> for Edits {
    fn from_iter<I: IntoIterator<Item = Edit<'a>>>(iter: I) -> Edits {
        let mut edits = Edits::new();
        edits.extend(iter);
        edits
    }
}

impl<'a> Extend<Edit<'a>> for Edits {
    fn extend<I: IntoIterator<Item = Edit<'a>>>(&mut self, iter: I) {
        for edit in iter {
            self.push(edit);
        }
    }
}

/// The edits of an [`Edits`], in order.
#[derive(Clone, Debug)]
pub struct EditsIter<'e> {
    items: std::slice::Iter<'e, Stored>,
    text: &'e str,
}

impl<'e> Iterator for EditsIter<'e> {
    type Item = Edit<'e>;

    #[inline]
    fn next(&mut self) -> Option<Edit<'e>> {
        let stored = self.items.next()?;
        Some(view(self.text, *stored))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.items.size_hint()
    }
}

impl DoubleEndedIterator for EditsIter<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        let stored = self.items.next_back()?;
        Some(view(self.text, *stored))
    }
}

impl ExactSizeIterator for EditsIter<'_> {}

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
        let edits: Edits = drop_member_spans(doc.root(), dropped)
            .into_iter()
            .map(|span| Edit {
                span,
                replacement: "",
            })
            .collect();
        let out = edits.apply(text);
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
        let edits: Edits = [
            Edit {
                span: Span { start: 1, end: 2 },
                replacement: "X",
            },
            Edit {
                span: Span { start: 3, end: 3 },
                replacement: "+",
            },
        ]
        .into_iter()
        .collect();
        assert_eq!(edits.apply("abcd"), "aXc+d");
        assert_eq!(edits.len(), 2);
        assert_eq!(
            edits
                .iter()
                .rev()
                .map(|e| e.replacement)
                .collect::<String>(),
            "+X"
        );
    }

    fn span(start: usize, end: usize) -> Span {
        Span { start, end }
    }

    #[test]
    fn sorts_and_drops_overlapping_edits() {
        let mut edits: Edits = [(4, 6, "b"), (0, 2, "a"), (5, 7, "overlaps b"), (2, 2, "+")]
            .into_iter()
            .map(|(start, end, replacement)| Edit {
                span: span(start, end),
                replacement,
            })
            .collect();
        assert_eq!(edits.sort_and_separate(), 1);
        let kept: Vec<(usize, &str)> = edits
            .iter()
            .map(|e| (e.span.start, e.replacement))
            .collect();
        assert_eq!(kept, [(0, "a"), (2, "+"), (4, "b")]);
        assert_eq!(edits.apply("0123456789"), "a+23b6789");
        assert_eq!(edits.position_of(span(4, 6)), Some(2));
        assert_eq!(edits.position_of(span(4, 5)), None);
        let from: Vec<usize> = edits.starting_from(1).map(|e| e.span.start).collect();
        assert_eq!(from, [2, 4]);
    }

    #[cfg(target_pointer_width = "64")]
    #[test]
    fn refuses_an_edit_past_32_bit_offsets() {
        let mut edits = Edits::new();
        edits.push(Edit {
            span: span(0, 1),
            replacement: "x",
        });
        assert!(!edits.overflowed());
        let far = usize::try_from(u64::from(u32::MAX) + 1).unwrap();
        edits.push(Edit {
            span: span(far, far + 1),
            replacement: "y",
        });
        assert!(edits.overflowed());
        assert_eq!(edits.len(), 1, "the refused edit is not kept");
        assert_eq!(edits.apply("ab"), "xb");
    }

    #[test]
    fn replaces_a_replacement_and_shares_texts() {
        let mut edits: Edits = [(0, 1, "\"xx\""), (2, 3, "\"yy\"")]
            .into_iter()
            .map(|(start, end, replacement)| Edit {
                span: span(start, end),
                replacement,
            })
            .collect();
        edits.set_replacement(0, "\"ab\"");
        edits.set_replacement(1, "\"longer\"");
        edits.set_replacement(7, "ignored");
        let texts: Vec<&str> = edits.iter().map(|e| e.replacement).collect();
        assert_eq!(texts, ["\"ab\"", "\"longer\""]);
        let same: Edits = edits.iter().collect();
        assert_eq!(same, edits, "equal whatever the text's layout");
        let mut shared = Edits::new();
        shared.push(Edit {
            span: span(0, 1),
            replacement: "\"T\"",
        });
        let token = shared.last_text().unwrap();
        shared.push_shared(span(2, 3), token);
        shared.set_replacement(0, "\"U\"");
        assert_eq!(shared.apply("a,b"), "\"U\",\"T\"", "the shared text stays");
        assert_eq!(edits.apply("a,b"), "\"ab\",\"longer\"");
    }
}
