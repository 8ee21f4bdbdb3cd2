//! Email addresses: a local part, `@`, a dotted domain with a real top-level label.

use super::super::text::{at, before, find_byte, run_end, run_start};
use super::super::{Detector, DetectorId, FieldContext, Match, Needs, class};
use super::push;

/// Email addresses: `local@domain.tld`, the TLD alphabetic, at least two letters and not a
/// file extension (`icon@2x.png` is an asset name).
#[derive(Clone, Copy, Debug, Default)]
pub struct Email;

/// Bytes of a local part (bit 0) and of a domain label (bit 1), one lookup a byte.
const LOCAL: u8 = 1;
const LABEL: u8 = 1 << 1;

const fn email_table() -> [u8; 256] {
    let mut table = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        #[expect(clippy::cast_possible_truncation, reason = "i < 256")]
        let c = i as u8;
        let mut bits = 0;
        if c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'%' | b'+' | b'-') {
            bits |= LOCAL;
        }
        if c.is_ascii_alphanumeric() || c == b'-' {
            bits |= LABEL;
        }
        table[i] = bits;
        i += 1;
    }
    table
}

static EMAIL_BYTES: [u8; 256] = email_table();

fn is_local(c: u8) -> bool {
    EMAIL_BYTES[usize::from(c)] & LOCAL != 0
}

fn is_label(c: u8) -> bool {
    EMAIL_BYTES[usize::from(c)] & LABEL != 0
}

/// Whether a top-level label is a file extension (`icon@2x.png` is an asset name): one
/// comparison of the lowercased label, padded to four bytes, with each extension.
fn is_file_extension(label: &[u8]) -> bool {
    if !(2..=4).contains(&label.len()) {
        return false;
    }
    let mut word = [0u8; 4];
    for (w, c) in word.iter_mut().zip(label) {
        *w = c.to_ascii_lowercase();
    }
    matches!(
        &word,
        b"png\0"
            | b"jpg\0"
            | b"jpeg"
            | b"gif\0"
            | b"svg\0"
            | b"webp"
            | b"ico\0"
            | b"bmp\0"
            | b"tif\0"
            | b"tiff"
            | b"js\0\0"
            | b"css\0"
            | b"map\0"
            | b"pdf\0"
    )
}

fn email_at(b: &[u8], at_sign: usize, floor: usize) -> Option<(usize, usize)> {
    let mut start = run_start(b, at_sign, floor, is_local);
    if at_sign - start > 64 || (start > floor && is_local(before(b, start))) {
        return None;
    }
    while start < at_sign && matches!(at(b, start), b'.' | b'-' | b'+') {
        start += 1;
    }
    if start == at_sign || before(b, at_sign) == b'.' {
        return None;
    }
    let mut i = at_sign + 1;
    let mut labels = 0;
    let mut end = None;
    loop {
        let label_end = run_end(b, i, is_label);
        if label_end == i || at(b, i) == b'-' || before(b, label_end) == b'-' || label_end - i > 63
        {
            break;
        }
        labels += 1;
        let label = b.get(i..label_end).unwrap_or_default();
        if labels >= 2
            && label.len() >= 2
            && label.iter().all(u8::is_ascii_alphabetic)
            && !is_file_extension(label)
        {
            end = Some(label_end);
        }
        if at(b, label_end) == b'.' && at(b, label_end + 1).is_ascii_alphanumeric() {
            i = label_end + 1;
        } else {
            break;
        }
    }
    let end = end?;
    (at(b, end) != b'@').then_some((start, end))
}

impl Detector for Email {
    fn id(&self) -> DetectorId {
        DetectorId::Email
    }

    fn needs(&self) -> Needs {
        Needs::bytes(class::AT | class::DOT).len(6)
    }

    fn find(&self, text: &str, _context: &FieldContext<'_>, out: &mut Vec<Match>) {
        let b = text.as_bytes();
        let mut from = 0;
        let mut floor = 0;
        while let Some(p) = find_byte(b, from, b'@') {
            from = p + 1;
            if let Some((start, end)) = email_at(b, p, floor) {
                push(out, DetectorId::Email, start, end);
                from = end;
                floor = end;
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Phone
