//! The parsed form of a JSON document: the source text plus a flat tape of entries.
//!
//! Every value is one entry that knows its byte span in the source. Containers are followed by
//! their children (object members as key entry, then the value's entries), and every entry
//! knows the index just past its subtree, so skipping a value is O(1). Nothing is copied out
//! of the source: strings are decoded only when asked for, and only when they hold escapes.

use std::borrow::Cow;

use super::escape;

/// What kind of JSON value an entry holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Null,
    Bool,
    Number,
    String,
    Array,
    Object,
}

/// A string entry whose raw text holds at least one backslash escape.
pub(crate) const STR_ESCAPED: u32 = 1;
/// A string entry with a byte outside printable ASCII (which Python's writer escapes).
pub(crate) const STR_NON_ASCII: u32 = 2;

/// A container that was skimmed, not parsed: it has no children on the tape.
pub(crate) const SKIMMED: u32 = 1 << 31;

/// One value on the tape. Offsets are byte positions in the source; `next` is the tape index
/// just past this value's subtree; `aux` is the child count of a container or the flags of a
/// string.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Entry {
    pub(crate) start: u32,
    pub(crate) end: u32,
    pub(crate) next: u32,
    pub(crate) aux: u32,
    pub(crate) kind: Kind,
}

/// A byte range of the source text, `start..end`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

/// A [`Span`] in 32-bit offsets, for lists with an entry every few dozen bytes (edits,
/// findings): documents stay under 4 GiB (see `JsonErrorKind::TooLarge`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Span32 {
    pub start: u32,
    pub end: u32,
}

impl Span32 {
    /// `span`, if both its offsets fit in 32 bits.
    pub(crate) fn checked(span: Span) -> Option<Span32> {
        Some(Span32 {
            start: u32::try_from(span.start).ok()?,
            end: u32::try_from(span.end).ok()?,
        })
    }

    /// `span`, offsets past 32 bits held at `u32::MAX`.
    pub(crate) fn saturating(span: Span) -> Span32 {
        Span32 {
            start: u32::try_from(span.start).unwrap_or(u32::MAX),
            end: u32::try_from(span.end).unwrap_or(u32::MAX),
        }
    }

    pub(crate) fn span(self) -> Span {
        Span {
            start: self.start as usize,
            end: self.end as usize,
        }
    }
}

/// A stable handle to one value of a [`Document`] (its index on the tape).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeId(pub(crate) u32);

/// A parsed JSON document that keeps its source text, so it re-encodes losslessly and every
/// value has a byte span. The text is owned (`Document<'static>`, from [`Document::parse`]) or
/// borrowed from the caller's bytes ([`Document::parse_borrowed`]).
#[derive(Clone, Debug)]
pub struct Document<'t> {
    pub(crate) text: Cow<'t, str>,
    pub(crate) tape: Vec<Entry>,
}

impl<'t> Document<'t> {
    /// The source text the document was parsed from.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The top-level value.
    pub fn root(&self) -> Node<'_> {
        Node {
            doc: self,
            index: 0,
        }
    }

    /// The value behind a handle taken earlier from this document.
    ///
    /// Returns `None` when the handle does not belong to this document.
    pub fn node(&self, id: NodeId) -> Option<Node<'_>> {
        ((id.0 as usize) < self.tape.len()).then_some(Node {
            doc: self,
            index: id.0,
        })
    }

    /// How many values the document holds (containers, keys and scalars).
    pub fn value_count(&self) -> usize {
        self.tape.len()
    }

    /// 1-based line and column (in characters) of a byte offset in the source.
    pub fn line_column(&self, offset: usize) -> (u32, u32) {
        line_column(self.text.as_bytes(), offset)
    }

    /// The source text, the parsed structure freed.
    pub fn into_text(self) -> Cow<'t, str> {
        self.text
    }

    /// The document with a text of its own (a copy when it was borrowed).
    pub fn into_owned(self) -> Document<'static> {
        Document {
            text: Cow::Owned(self.text.into_owned()),
            tape: self.tape,
        }
    }
}

/// 1-based line and column (in characters) of a byte offset in some text.
pub(crate) fn line_column(bytes: &[u8], offset: usize) -> (u32, u32) {
    let offset = offset.min(bytes.len());
    let before = &bytes[..offset];
    let line = memchr::memchr_iter(b'\n', before).count() + 1;
    let line_start = memchr::memrchr(b'\n', before).map_or(0, |i| i + 1);
    // Count characters, not bytes: continuation bytes do not start a character.
    let column = before[line_start..]
        .iter()
        .filter(|b| (**b & 0xC0) != 0x80)
        .count()
        + 1;
    (
        u32::try_from(line).unwrap_or(u32::MAX),
        u32::try_from(column).unwrap_or(u32::MAX),
    )
}

/// A borrowed view of one value in a [`Document`].
#[derive(Clone, Copy)]
pub struct Node<'d> {
    doc: &'d Document<'d>,
    index: u32,
}

impl std::fmt::Debug for Node<'_> {
    // Deliberately prints no content: values may be secrets.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Node")
            .field("index", &self.index)
            .field("kind", &self.kind())
            .field("span", &self.span())
            .finish()
    }
}

impl<'d> Node<'d> {
    fn entry(&self) -> &'d Entry {
        &self.doc.tape[self.index as usize]
    }

    fn at(&self, index: u32) -> Node<'d> {
        Node {
            doc: self.doc,
            index,
        }
    }

    /// The document this value belongs to.
    pub fn document(&self) -> &'d Document<'d> {
        self.doc
    }

    /// A handle that finds this value again through [`Document::node`].
    pub fn id(&self) -> NodeId {
        NodeId(self.index)
    }

    pub fn kind(&self) -> Kind {
        self.entry().kind
    }

    /// Byte span of the value in the source (strings include their quotes).
    pub fn span(&self) -> Span {
        let e = self.entry();
        Span {
            start: e.start as usize,
            end: e.end as usize,
        }
    }

    /// The value's source text, exactly as written.
    pub fn raw(&self) -> &'d str {
        let e = self.entry();
        &self.doc.text[e.start as usize..e.end as usize]
    }

    pub fn is_null(&self) -> bool {
        self.kind() == Kind::Null
    }

    pub fn as_bool(&self) -> Option<bool> {
        (self.kind() == Kind::Bool).then(|| self.raw() == "true")
    }

    /// The decoded string, borrowed from the source unless it holds escapes. A lone surrogate
    /// escape (valid in Python's JSON, not in Rust strings) decodes to U+FFFD.
    pub fn as_str(&self) -> Option<Cow<'d, str>> {
        let e = self.entry();
        if e.kind != Kind::String {
            return None;
        }
        // One slice between the quotes (every slice of a `str` checks both its ends).
        let inner = &self.doc.text[e.start as usize + 1..e.end as usize - 1];
        if e.aux & STR_ESCAPED == 0 {
            Some(Cow::Borrowed(inner))
        } else {
            Some(Cow::Owned(escape::unescape(inner)))
        }
    }

    /// The number's source text (`12`, `-0.5`, `1e-07`, `NaN`, `Infinity`).
    pub fn as_number_text(&self) -> Option<&'d str> {
        (self.kind() == Kind::Number).then(|| self.raw())
    }

    /// The number as a float (`NaN` and `Infinity` included); `None` for non-numbers.
    pub fn as_f64(&self) -> Option<f64> {
        let text = self.as_number_text()?;
        match text {
            "NaN" => Some(f64::NAN),
            "Infinity" => Some(f64::INFINITY),
            "-Infinity" => Some(f64::NEG_INFINITY),
            _ => text.parse().ok(),
        }
    }

    /// The number as an integer when it is written as one and fits in `i64`.
    pub fn as_i64(&self) -> Option<i64> {
        self.as_number_text()?.parse().ok()
    }

    /// Children of an array or members of an object, in source order.
    pub fn len(&self) -> usize {
        match self.kind() {
            Kind::Array | Kind::Object => (self.entry().aux & !SKIMMED) as usize,
            _ => 0,
        }
    }

    /// Whether this container was only skimmed (see [`Document::parse_skimming_bodies`]):
    /// its source text is known, its children are not on the tape.
    pub fn is_skimmed(&self) -> bool {
        matches!(self.kind(), Kind::Array | Kind::Object) && self.entry().aux & SKIMMED != 0
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Elements of an array (empty for anything else).
    pub fn elements(&self) -> Elements<'d> {
        let remaining = if self.kind() == Kind::Array {
            self.entry().aux & !SKIMMED
        } else {
            0
        };
        Elements {
            doc: self.doc,
            next: self.index + 1,
            remaining,
        }
    }

    /// Members of an object as `(key, value)` in source order, duplicates included.
    pub fn members(&self) -> Members<'d> {
        let remaining = if self.kind() == Kind::Object {
            self.entry().aux & !SKIMMED
        } else {
            0
        };
        Members {
            doc: self.doc,
            next: self.index + 1,
            remaining,
        }
    }

    /// The value of `key` in an object. With duplicate keys the last one wins, as in Python.
    pub fn get(&self, key: &str) -> Option<Node<'d>> {
        let mut found = None;
        for (k, v) in self.members() {
            if k.key_equals(key) {
                found = Some(v);
            }
        }
        found
    }

    /// Whether this string entry equals `key` once decoded (cheap when it holds no escapes).
    pub fn key_equals(&self, key: &str) -> bool {
        let e = self.entry();
        if e.kind != Kind::String {
            return false;
        }
        if e.aux & STR_ESCAPED == 0 {
            // Length first: most keys differ in length, and then no bytes are compared.
            (e.end - e.start) as usize == key.len() + 2
                && &self.doc.text.as_bytes()[e.start as usize + 1..e.end as usize - 1]
                    == key.as_bytes()
        } else {
            self.as_str().is_some_and(|s| s == key)
        }
    }

    /// Element `i` of an array.
    pub fn index(&self, i: usize) -> Option<Node<'d>> {
        self.elements().nth(i)
    }

    /// Whether this string entry holds a backslash escape (its raw text is not its value).
    pub(crate) fn has_escapes(&self) -> bool {
        self.entry().aux & STR_ESCAPED != 0
    }

    /// Flags of a string entry (escapes, non-ASCII) used by the encoder.
    pub(crate) fn string_flags(&self) -> u32 {
        self.entry().aux
    }

    /// The node just past this value's subtree on the tape.
    pub(crate) fn next_index(&self) -> u32 {
        self.entry().next
    }
}

/// Iterator over array elements.
pub struct Elements<'d> {
    doc: &'d Document<'d>,
    next: u32,
    remaining: u32,
}

impl<'d> Iterator for Elements<'d> {
    type Item = Node<'d>;
    fn next(&mut self) -> Option<Node<'d>> {
        if self.remaining == 0 {
            return None;
        }
        self.remaining -= 1;
        let node = Node {
            doc: self.doc,
            index: self.next,
        };
        self.next = node.next_index();
        Some(node)
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.remaining as usize, Some(self.remaining as usize))
    }
}

impl ExactSizeIterator for Elements<'_> {}

/// Iterator over object members.
pub struct Members<'d> {
    doc: &'d Document<'d>,
    next: u32,
    remaining: u32,
}

impl<'d> Iterator for Members<'d> {
    type Item = (Node<'d>, Node<'d>);
    fn next(&mut self) -> Option<Self::Item> {
        if self.remaining == 0 {
            return None;
        }
        self.remaining -= 1;
        let key = Node {
            doc: self.doc,
            index: self.next,
        };
        let value = key.at(self.next + 1);
        self.next = value.next_index();
        Some((key, value))
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.remaining as usize, Some(self.remaining as usize))
    }
}

impl ExactSizeIterator for Members<'_> {}
