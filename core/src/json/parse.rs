//! An iterative JSON parser that builds the tape of a [`Document`].
//!
//! It accepts exactly what Python's `json.loads` accepts (which is what Timetracer reads and
//! writes): standard JSON plus the bare `NaN`, `Infinity` and `-Infinity` literals, big
//! integers, duplicate keys and lone surrogate escapes. It never recurses, so deep nesting
//! cannot overflow the stack; the depth limit is Python's own order of magnitude.

mod path;

use std::borrow::Cow;

use super::scan;
use super::tape::{Document, Entry, Kind, SKIMMED, STR_ESCAPED, STR_NON_ASCII, line_column};
use super::{JsonError, JsonErrorKind, MAX_DEPTH, MAX_INT_DIGITS};
use crate::growth::more_room;

pub(crate) use path::push_key;

struct Frame {
    entry: u32,
    count: u32,
    is_object: bool,
}

struct Parser<'a> {
    src: &'a [u8],
    pos: usize,
    tape: Vec<Entry>,
    stack: Vec<Frame>,
    /// Skim object/array values of the [`SKIMMED_KEYS`] (bodies, headers) instead of parsing
    /// them, for callers that only need the structure around them.
    skim_bodies: bool,
    skim_next: bool,
}

/// Parses `bytes` as one JSON document, borrowing them as its text.
pub(crate) fn parse(bytes: &[u8]) -> Result<Document<'_>, JsonError> {
    parse_with(bytes, false)
}

/// Parses `bytes`; with `skim_bodies`, containers under the [`SKIMMED_KEYS`] are only checked for
/// balanced brackets and strings and become one entry with no children (see
/// [`Document::is_skimmed`]).
pub(crate) fn parse_with(bytes: &[u8], skim_bodies: bool) -> Result<Document<'_>, JsonError> {
    check_input(bytes)?;
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            // Parse the valid prefix to learn where in the document the bad byte sits.
            let at = e.valid_up_to();
            let path = match Parser::new(&bytes[..at]).run() {
                Err(prefix_error) => prefix_error.json_path,
                Ok(_) => String::from("$"),
            };
            return Err(error_at(bytes, at, path, JsonErrorKind::InvalidUtf8));
        }
    };
    let tape = tape_of(bytes, skim_bodies)?;
    Ok(Document {
        text: Cow::Borrowed(text),
        tape,
    })
}

/// [`parse_with`] for bytes the document may keep: valid UTF-8 becomes its text without a
/// copy (an inflated gzip file, a YAML projection).
pub(crate) fn parse_owned_with(
    bytes: Vec<u8>,
    skim_bodies: bool,
) -> Result<Document<'static>, JsonError> {
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        // Not UTF-8: the borrowed parse finds and places the error as for any input.
        Err(e) => return parse_with(e.as_bytes(), skim_bodies).map(Document::into_owned),
    };
    check_input(text.as_bytes())?;
    let tape = tape_of(text.as_bytes(), skim_bodies)?;
    Ok(Document {
        text: Cow::Owned(text),
        tape,
    })
}

/// What is wrong with the input as a whole, before any parsing: empty, a byte order mark, or
/// too large for the tape's 32-bit offsets.
fn check_input(bytes: &[u8]) -> Result<(), JsonError> {
    let kind = if bytes.is_empty() {
        JsonErrorKind::Empty
    } else if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        JsonErrorKind::Bom
    } else if u32::try_from(bytes.len()).is_err() {
        JsonErrorKind::TooLarge
    } else {
        return Ok(());
    };
    Err(error_at(bytes, 0, String::from("$"), kind))
}

/// The tape of UTF-8 `bytes`.
fn tape_of(bytes: &[u8], skim_bodies: bool) -> Result<Vec<Entry>, JsonError> {
    let mut parser = Parser::new(bytes);
    parser.skim_bodies = skim_bodies;
    parser.run().map_err(|failure| *failure)
}

fn error_at(src: &[u8], offset: usize, json_path: String, kind: JsonErrorKind) -> JsonError {
    let (line, column) = line_column(src, offset);
    JsonError {
        kind,
        offset,
        json_path,
        line,
        column,
    }
}

/// Text bytes per tape entry the tape starts with room for.
const INITIAL_BYTES_PER_ENTRY: usize = 256;
/// Text bytes per tape entry a growing tape reserves ahead at most (see `Parser::grow_tape`).
const MIN_BYTES_PER_ENTRY: usize = 8;

/// Members whose object/array values a skimming parse steps over: bodies, headers and the
/// bookkeeping a summary row never shows. Keys are compared as written (with quotes).
const SKIMMED_KEYS: [&[u8]; 5] = [
    b"\"data\"",
    b"\"body\"",
    b"\"headers\"",
    b"\"policies\"",
    b"\"stats\"",
];

/// A parse error, boxed so that the parser's results fit in a register on the success path.
type Failure = Box<JsonError>;

#[expect(
    clippy::cast_possible_truncation,
    reason = "parse() rejects inputs of 4 GiB or more, so every offset fits in u32"
)]
fn offset32(offset: usize) -> u32 {
    offset as u32
}

impl<'a> Parser<'a> {
    fn new(src: &'a [u8]) -> Self {
        Parser {
            src,
            pos: 0,
            // A small start: once full, the tape is sized by how far into the text it filled
            // up (see `Parser::push`). Pretty-printed records hold a value per 10 to 20 bytes,
            // compact ones more: a fixed guess either copies a large tape or wastes one, while
            // a start this small is cheap to copy and still a fair sample of the rate.
            tape: Vec::with_capacity(src.len() / INITIAL_BYTES_PER_ENTRY + 8),
            stack: Vec::new(),
            skim_bodies: false,
            skim_next: false,
        }
    }

    #[cold]
    fn fail<T>(&self, kind: JsonErrorKind) -> Result<T, Failure> {
        Err(Box::new(error_at(self.src, self.pos, self.path(), kind)))
    }

    #[expect(
        clippy::inline_always,
        reason = "called between all tokens; see `member_key`"
    )]
    #[inline(always)]
    fn skip_ws(&mut self) {
        while let Some(&b) = self.src.get(self.pos) {
            // Most calls stand on a token already: one comparison sends them back. (One
            // action for all whitespace: distinct ones became a jump table, predicted worse.)
            if b > b' ' || !matches!(b, b' ' | b'\n' | b'\r' | b'\t') {
                return;
            }
            // Whitespace is mostly a newline and indentation.
            self.pos = scan::skip_spaces(self.src, self.pos + 1);
        }
    }

    fn push(&mut self, kind: Kind, start: usize, aux: u32) {
        if self.tape.len() == self.tape.capacity() {
            self.grow_tape();
        }
        let next = offset32(self.tape.len() + 1);
        self.tape.push(Entry {
            start: offset32(start),
            end: offset32(self.pos),
            next,
            aux,
            kind,
        });
    }

    /// Makes room in a full tape for the entries the rest of the text will likely bring at
    /// the rate so far, with an eighth to spare, so a large document copies its tape about
    /// once instead of at every doubling. Never less than doubling; never more ahead than one
    /// entry per [`MIN_BYTES_PER_ENTRY`] of text (denser text grows by doubling), so a dense
    /// start before a long string reserves at most about two and a half times the text's size.
    #[cold]
    fn grow_tape(&mut self) {
        let len = self.tape.len();
        let total = self.src.len();
        let sizes = (len, self.tape.capacity());
        let more = more_room(sizes, 1, self.pos, total, total / MIN_BYTES_PER_ENTRY);
        // Nothing extrapolated (no progress yet, or no more than doubling): double.
        self.tape.reserve_exact(more.max(len).max(8));
    }

    fn run(mut self) -> Result<Vec<Entry>, Failure> {
        self.skip_ws();
        'value: loop {
            // Expecting a value.
            let Some(&b) = self.src.get(self.pos) else {
                return self.fail(JsonErrorKind::UnexpectedEnd("a value"));
            };
            let skim = std::mem::take(&mut self.skim_next);
            // Strings are the most common values: a branch of their own is better predicted
            // than the jump through the table of all value starts.
            if b == b'"' {
                self.string()?;
            } else if matches!(b, b'{' | b'[') && !skim {
                if self.open_container(b)? {
                    continue 'value;
                }
            } else {
                self.other_value(b)?;
            }
            // After a value: close containers or move on to the next element.
            loop {
                let Some(frame) = self.stack.last_mut() else {
                    self.skip_ws();
                    if self.pos != self.src.len() {
                        return self.fail(JsonErrorKind::TrailingData);
                    }
                    return Ok(self.tape);
                };
                frame.count += 1;
                let is_object = frame.is_object;
                self.skip_ws();
                match self.src.get(self.pos) {
                    Some(b',') => {
                        self.pos += 1;
                        self.skip_ws();
                        if is_object {
                            self.member_key()?;
                        }
                        continue 'value;
                    }
                    Some(b'}') if is_object => {
                        self.pos += 1;
                        self.close_container();
                    }
                    Some(b']') if !is_object => {
                        self.pos += 1;
                        self.close_container();
                    }
                    next => return self.after_value_error(is_object, next.is_none()),
                }
            }
        }
    }

    /// Opens an object or array at its bracket: `true` when a first element follows, `false`
    /// when it was empty and is closed already.
    fn open_container(&mut self, b: u8) -> Result<bool, Failure> {
        if self.stack.len() >= MAX_DEPTH {
            return self.fail(JsonErrorKind::TooDeep(MAX_DEPTH));
        }
        let is_object = b == b'{';
        let start = self.pos;
        self.pos += 1;
        let kind = if is_object { Kind::Object } else { Kind::Array };
        self.push(kind, start, 0);
        self.stack.push(Frame {
            entry: offset32(self.tape.len() - 1),
            count: 0,
            is_object,
        });
        self.skip_ws();
        let close = if is_object { b'}' } else { b']' };
        if self.src.get(self.pos) == Some(&close) {
            self.pos += 1;
            self.close_container();
            Ok(false)
        } else {
            if is_object {
                self.member_key()?;
            }
            Ok(true)
        }
    }

    /// Parses a value that is neither a string nor a container to open: a literal, a number,
    /// or a container to skim.
    fn other_value(&mut self, b: u8) -> Result<(), Failure> {
        match b {
            b'{' | b'[' => self.skim_container(),
            b't' => self.literal(b"true", Kind::Bool),
            b'f' => self.literal(b"false", Kind::Bool),
            b'n' => self.literal(b"null", Kind::Null),
            b'N' => self.literal(b"NaN", Kind::Number),
            b'I' => self.literal(b"Infinity", Kind::Number),
            b'-' | b'0'..=b'9' => self.number(),
            _ => self.fail(JsonErrorKind::Unexpected("a value")),
        }
    }

    /// The error for what follows an element instead of a comma or the closing bracket.
    #[cold]
    fn after_value_error<T>(&mut self, is_object: bool, at_end: bool) -> Result<T, Failure> {
        let expected = if is_object {
            "',' or '}'"
        } else {
            "',' or ']'"
        };
        self.undo_count();
        if at_end {
            self.fail(JsonErrorKind::UnexpectedEnd(expected))
        } else {
            self.fail(JsonErrorKind::Unexpected(expected))
        }
    }

    /// Keeps error paths pointing at the element just parsed, not the one after it.
    fn undo_count(&mut self) {
        if let Some(frame) = self.stack.last_mut() {
            frame.count -= 1;
        }
    }

    fn close_container(&mut self) {
        if let Some(frame) = self.stack.pop() {
            let next = offset32(self.tape.len());
            let entry = &mut self.tape[frame.entry as usize];
            entry.end = offset32(self.pos);
            entry.next = next;
            entry.aux = frame.count;
        }
    }

    /// Parses `"key"` and the `:` after it, at the current position.
    #[expect(
        clippy::inline_always,
        reason = "left to itself the compiler calls this per member; inlined, the parser keeps \
                  its position in a register (measured: 9% fewer instructions with `string`)"
    )]
    #[inline(always)]
    fn member_key(&mut self) -> Result<(), Failure> {
        match self.src.get(self.pos) {
            Some(b'"') => {}
            Some(_) => return self.fail(JsonErrorKind::Unexpected("a string key")),
            None => return self.fail(JsonErrorKind::UnexpectedEnd("a string key")),
        }
        self.string()?;
        if self.skim_bodies {
            let key = &self.tape[self.tape.len() - 1];
            let key = &self.src[key.start as usize..key.end as usize];
            self.skim_next = SKIMMED_KEYS.contains(&key);
        }
        // Python's writers put `": "` after every key.
        if self.src.get(self.pos..self.pos + 2) == Some(b": ") {
            self.pos += 2;
            self.skip_ws();
            return Ok(());
        }
        self.skip_ws();
        match self.src.get(self.pos) {
            Some(b':') => {
                self.pos += 1;
                self.skip_ws();
                Ok(())
            }
            Some(_) => self.fail(JsonErrorKind::Unexpected("':'")),
            None => self.fail(JsonErrorKind::UnexpectedEnd("':'")),
        }
    }

    /// Steps over a whole object or array, tracking only strings and bracket depth, and
    /// records it as one childless entry flagged as skimmed.
    fn skim_container(&mut self) -> Result<(), Failure> {
        let start = self.pos;
        let kind = if self.src[start] == b'{' {
            Kind::Object
        } else {
            Kind::Array
        };
        let mut depth = 0usize;
        loop {
            let Some(stop) = scan::skim_stop(self.src, self.pos) else {
                self.pos = self.src.len();
                return self.fail(JsonErrorKind::UnexpectedEnd("the end of the body"));
            };
            self.pos = stop;
            match self.src[self.pos] {
                b'"' => {
                    self.pos += 1;
                    loop {
                        // An escape may have stepped past the end: `get` finds nothing there.
                        let rest = self.src.get(self.pos..).unwrap_or_default();
                        let Some(j) = memchr::memchr2(b'"', b'\\', rest) else {
                            self.pos = self.src.len();
                            return self.fail(JsonErrorKind::UnexpectedEnd("'\"'"));
                        };
                        self.pos += j;
                        if self.src[self.pos] == b'\\' {
                            self.pos += 2;
                        } else {
                            self.pos += 1;
                            break;
                        }
                    }
                }
                b'{' | b'[' => {
                    depth += 1;
                    if self.stack.len() + depth > MAX_DEPTH {
                        return self.fail(JsonErrorKind::TooDeep(MAX_DEPTH));
                    }
                    self.pos += 1;
                }
                _ => {
                    depth -= 1;
                    self.pos += 1;
                    if depth == 0 {
                        break;
                    }
                }
            }
        }
        self.pos = self.pos.min(self.src.len());
        self.push(kind, start, SKIMMED);
        Ok(())
    }

    /// A fixed word; its length known at compile time, the comparison needs no call.
    fn literal<const N: usize>(&mut self, word: &[u8; N], kind: Kind) -> Result<(), Failure> {
        if self.src.get(self.pos..self.pos + N) == Some(word) {
            let start = self.pos;
            self.pos += N;
            self.push(kind, start, 0);
            Ok(())
        } else {
            self.fail(JsonErrorKind::Unexpected("a value"))
        }
    }

    #[expect(
        clippy::inline_always,
        reason = "one of the two hottest functions; see `member_key`"
    )]
    #[inline(always)]
    fn string(&mut self) -> Result<(), Failure> {
        let start = self.pos;
        self.pos += 1;
        let mut flags = 0;
        loop {
            self.pos = if flags & STR_NON_ASCII == 0 {
                scan::string_stop::<true>(self.src, self.pos)
            } else {
                scan::string_stop::<false>(self.src, self.pos)
            };
            let Some(&byte) = self.src.get(self.pos) else {
                return self.fail(JsonErrorKind::UnexpectedEnd("'\"'"));
            };
            match byte {
                b'"' => {
                    self.pos += 1;
                    self.push(Kind::String, start, flags);
                    return Ok(());
                }
                b'\\' => {
                    flags |= STR_ESCAPED;
                    match self.src.get(self.pos + 1) {
                        Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => {
                            self.pos += 2;
                        }
                        Some(b'u') if super::escape::hex4(self.src, self.pos + 2).is_some() => {
                            self.pos += 6;
                        }
                        None => return self.fail(JsonErrorKind::UnexpectedEnd("'\"'")),
                        Some(_) => return self.fail(JsonErrorKind::BadEscape),
                    }
                }
                0x7F.. => {
                    flags |= STR_NON_ASCII;
                    self.pos += 1;
                }
                _ => return self.fail(JsonErrorKind::ControlInString),
            }
        }
    }

    fn digits(&mut self) -> usize {
        let start = self.pos;
        while self.src.get(self.pos).is_some_and(u8::is_ascii_digit) {
            self.pos += 1;
        }
        self.pos - start
    }

    fn number(&mut self) -> Result<(), Failure> {
        let start = self.pos;
        if self.src[self.pos] == b'-' {
            self.pos += 1;
            if self.src[self.pos..].starts_with(b"Infinity") {
                self.pos += b"Infinity".len();
                self.push(Kind::Number, start, 0);
                return Ok(());
            }
        }
        let int_digits = match self.src.get(self.pos) {
            Some(b'0') => {
                self.pos += 1;
                1
            }
            Some(b'1'..=b'9') => self.digits(),
            _ => return self.fail(JsonErrorKind::BadNumber),
        };
        let mut integer = true;
        if self.src.get(self.pos) == Some(&b'.') {
            self.pos += 1;
            integer = false;
            if self.digits() == 0 {
                return self.fail(JsonErrorKind::BadNumber);
            }
        }
        if matches!(self.src.get(self.pos), Some(b'e' | b'E')) {
            self.pos += 1;
            integer = false;
            if matches!(self.src.get(self.pos), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if self.digits() == 0 {
                return self.fail(JsonErrorKind::BadNumber);
            }
        }
        if integer && int_digits > MAX_INT_DIGITS {
            self.pos = start;
            return self.fail(JsonErrorKind::NumberTooLong(int_digits));
        }
        self.push(Kind::Number, start, 0);
        Ok(())
    }
}
