//! IPv4 (octets 0-255) and IPv6 (full and `::` forms) addresses.

#![expect(
    clippy::many_single_char_names,
    reason = "byte scanners: b is the text, d a digit run start, i an index, e a run end, c a byte"
)]

use memchr::memchr;

use super::super::text::{at, before, find_byte, is_word, run_end, run_start};
use super::super::{Detector, DetectorId, FieldContext, Match, Needs, class};
use super::{is_digit, push};

/// IPv4 addresses: four decimal octets 0-255 without leading zeros, not part of a longer dotted
/// number (`1.2.3.4.5`) or a word (`v1.2.3.4`).
#[derive(Clone, Copy, Debug, Default)]
pub struct Ipv4;

fn ipv4_at(b: &[u8], d: usize) -> Option<usize> {
    let p = before(b, d);
    let pp = before(b, d.saturating_sub(1));
    if is_word(p)
        || p == b'.'
        || (p == b':' && (pp.is_ascii_hexdigit() || pp == b':'))
        || (p == b'-' && pp.is_ascii_digit())
    {
        return None;
    }
    let mut i = d;
    for k in 0..4 {
        // an octet: 1 to 3 digits, no leading zero, at most 255
        let start = i;
        let mut value = 0u32;
        while let Some(&c) = b.get(i).filter(|c| c.is_ascii_digit()) {
            if i - start == 3 {
                return None;
            }
            value = value * 10 + u32::from(c - b'0');
            i += 1;
        }
        let len = i - start;
        if len == 0 || (len > 1 && at(b, start) == b'0') || value > 255 {
            return None;
        }
        if k < 3 {
            if at(b, i) != b'.' {
                return None;
            }
            i += 1;
        }
    }
    let c = at(b, i);
    let continues = (c == b'.' && at(b, i + 1).is_ascii_digit()) || is_word(c);
    (!continues).then_some(i)
}

impl Detector for Ipv4 {
    fn id(&self) -> DetectorId {
        DetectorId::Ipv4
    }

    fn needs(&self) -> Needs {
        Needs::bytes(class::DOT).digits(4).len(7)
    }

    fn find(&self, text: &str, _context: &FieldContext<'_>, out: &mut Vec<Match>) {
        let b = text.as_bytes();
        // Every address starts with a run of 1 to 3 digits before a dot: go from dot to dot
        // (the same candidates, in the same order, as walking the digit runs).
        let mut from = 0;
        while let Some(dot) = find_byte(b, from, b'.') {
            let d = run_start(b, dot, from, is_digit);
            from = dot + 1;
            if (1..=3).contains(&(dot - d))
                && let Some(end) = ipv4_at(b, d)
            {
                push(out, DetectorId::Ipv4, d, end);
                from = end;
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// IPv6

/// IPv6 addresses: eight groups, or fewer with one `::`, optionally ending in a dotted IPv4;
/// validated group by group, so `Vec::new`, times (`10:30:00`) and MAC addresses are not
/// addresses.
#[derive(Clone, Copy, Debug, Default)]
pub struct Ipv6;

fn is_v6(c: u8) -> bool {
    c.is_ascii_hexdigit() || c == b':' || c == b'.'
}

fn v6_groups(part: &[u8], last_of_address: bool) -> Option<usize> {
    if part.is_empty() {
        return Some(0);
    }
    let mut count = 0;
    let pieces = part.split(|&c| c == b':');
    let total = part.split(|&c| c == b':').count();
    for (i, piece) in pieces.enumerate() {
        if piece.contains(&b'.') {
            if !(last_of_address && i + 1 == total) {
                return None;
            }
            let end = ipv4_at(piece, 0)?;
            if end != piece.len() {
                return None;
            }
            count += 2;
        } else if (1..=4).contains(&piece.len()) && piece.iter().all(u8::is_ascii_hexdigit) {
            count += 1;
        } else {
            return None;
        }
    }
    Some(count)
}

/// Whether `s` is a whole IPv6 address.
pub(crate) fn ipv6_valid(s: &[u8]) -> bool {
    if s.len() < 3 || s.len() > 45 {
        return false;
    }
    let double = s.windows(2).position(|w| w == b"::");
    match double {
        None => v6_groups(s, true) == Some(8),
        Some(k) => {
            let head = s.get(..k).unwrap_or_default();
            let tail = s.get(k + 2..).unwrap_or_default();
            if tail.first() == Some(&b':') || tail.windows(2).any(|w| w == b"::") {
                return false;
            }
            let h = v6_groups(head, tail.is_empty());
            let t = v6_groups(tail, true);
            matches!((h, t), (Some(h), Some(t)) if (1..=7).contains(&(h + t)))
        }
    }
}

impl Detector for Ipv6 {
    fn id(&self) -> DetectorId {
        DetectorId::Ipv6
    }

    fn needs(&self) -> Needs {
        Needs::bytes(class::COLON).len(3)
    }

    fn find(&self, text: &str, _context: &FieldContext<'_>, out: &mut Vec<Match>) {
        let b = text.as_bytes();
        let mut from = 0;
        let mut floor = 0;
        while let Some(k) = memchr(b':', b.get(from..).unwrap_or_default()) {
            let p = from + k;
            let mut start = run_start(b, p, floor, is_v6);
            let mut end = run_end(b, p, is_v6);
            from = end.max(p + 1);
            if is_word(before(b, start)) {
                if at(b, start) == b':' && at(b, start + 1) != b':' {
                    start += 1;
                } else {
                    continue;
                }
            }
            if is_word(at(b, end)) {
                continue;
            }
            while end > start && before(b, end) == b'.' {
                end -= 1;
            }
            if before(b, end) == b':' && before(b, end - 1) != b':' {
                end -= 1;
            }
            if at(b, start) == b':' && at(b, start + 1) != b':' {
                start += 1;
            }
            if end > start && ipv6_valid(b.get(start..end).unwrap_or_default()) {
                push(out, DetectorId::Ipv6, start, end);
                floor = end;
            }
        }
    }
}
