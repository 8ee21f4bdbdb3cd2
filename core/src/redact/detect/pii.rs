//! Personal data: email addresses, phone numbers, US social security numbers, payment cards,
//! IBANs and IP addresses.
//!
//! Each detector validates what it finds (ranges, Luhn, issuer lengths, mod-97, octets), which
//! is where Timetracer goes wrong (its section 8.4): it calls any 9-digit string an SSN, any
//! 10-15 digit string a phone (epoch seconds, timestamps, Amex numbers), misses SSNs inside
//! sentences, cards that are not 4x4 digits, `::` IPv6 forms and international phones.

#![expect(
    clippy::many_single_char_names,
    reason = "byte scanners: b is the text, d a digit run start, i an index, e a run end, c a byte"
)]

use memchr::memchr;

use super::text::{at, before, find_digit, is_word, key_has, run_end, run_start};
use super::{Detector, DetectorId, FieldContext, Match, Needs, class};

fn push(out: &mut Vec<Match>, detector: DetectorId, start: usize, end: usize) {
    out.push(Match {
        start,
        end,
        detector,
    });
}

fn is_digit(c: u8) -> bool {
    c.is_ascii_digit()
}

/// A number may not start right after a letter, or after a separator that follows a digit
/// (it would be the tail of a longer number: `2024-123-45-6789`, `0.4111...`).
fn number_starts_at(b: &[u8], start: usize) -> bool {
    let p = before(b, start);
    if is_word(p) || p == b'+' {
        return false;
    }
    let continues = matches!(p, b'.' | b'-' | b'/' | b':' | b',');
    !(continues && before(b, start.saturating_sub(1)).is_ascii_digit())
}

/// A number may not end before a letter, or before a separator that a digit follows.
fn number_ends_at(b: &[u8], end: usize) -> bool {
    let c = at(b, end);
    if is_word(c) {
        return false;
    }
    !(matches!(c, b'.' | b'-' | b'/' | b':') && at(b, end + 1).is_ascii_digit())
}

/// Iterates over digit runs `(start, end)`; `visit` returns where to continue (at least past
/// the run's start).
fn digit_runs(b: &[u8], mut visit: impl FnMut(usize, usize) -> usize) {
    let mut from = 0;
    while let Some(d) = find_digit(b, from) {
        let e = run_end(b, d + 1, is_digit);
        if d > 0 && before(b, d).is_ascii_digit() {
            from = e;
            continue;
        }
        from = visit(d, e).max(d + 1);
    }
}

// ---------------------------------------------------------------------------------------------
// Email

/// Email addresses: `local@domain.tld`, the TLD alphabetic, at least two letters and not a
/// file extension (`icon@2x.png` is an asset name).
#[derive(Clone, Copy, Debug, Default)]
pub struct Email;

fn is_local(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'%' | b'+' | b'-')
}

fn is_label(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'-'
}

const FILE_EXTENSIONS: [&[u8]; 14] = [
    b"png", b"jpg", b"jpeg", b"gif", b"svg", b"webp", b"ico", b"bmp", b"tif", b"tiff", b"js",
    b"css", b"map", b"pdf",
];

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
            && !FILE_EXTENSIONS
                .iter()
                .any(|e| label.eq_ignore_ascii_case(e))
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
        while let Some(k) = memchr(b'@', b.get(from..).unwrap_or_default()) {
            let p = from + k;
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

/// Phone numbers: E.164 with `+` (`+14155550123`, `+44 20 7946 0958`), North American national
/// forms (`(415) 555-0123`, `415-555-0123`, `415.555.0123`, `1-800-555-0199`) and trunk-prefix
/// national forms (`020 7946 0958`). A bare digit run (`1732950000`, `20240115123045`) is a
/// phone only under a phone-ish key (`phone`, `mobile`, `tel`, `fax`, ...).
#[derive(Clone, Copy, Debug, Default)]
pub struct Phone;

const MAX_GROUPS: usize = 8;

#[derive(Clone, Copy, Debug, Default)]
struct Group {
    start: usize,
    end: usize,
    /// The separator before this group: 0 for the first, `)` when it follows `(ddd)` directly.
    sep_before: u8,
    paren: bool,
}

impl Group {
    fn len(&self) -> usize {
        self.end - self.start
    }
    fn visual_start(&self) -> usize {
        if self.paren {
            self.start - 1
        } else {
            self.start
        }
    }
    fn visual_end(&self) -> usize {
        if self.paren { self.end + 1 } else { self.end }
    }
}

fn phone_groups(b: &[u8], d: usize, groups: &mut [Group; MAX_GROUPS]) -> usize {
    let mut n = 0;
    let mut i = d;
    let mut sep = 0u8;
    let mut paren = before(b, d) == b'(';
    loop {
        let e = run_end(b, i, is_digit);
        let mut next = e;
        if paren {
            if at(b, e) == b')' {
                next = e + 1;
            } else if n == 0 {
                paren = false;
            } else {
                break;
            }
        }
        if let Some(slot) = groups.get_mut(n) {
            *slot = Group {
                start: i,
                end: e,
                sep_before: sep,
                paren,
            };
        }
        n += 1;
        if n == MAX_GROUPS || e - i > 15 {
            break;
        }
        let c = at(b, next);
        let (sep_c, after) = if matches!(c, b' ' | b'-' | b'.') {
            (c, next + 1)
        } else if paren {
            (b')', next)
        } else {
            break;
        };
        if at(b, after).is_ascii_digit() {
            paren = false;
            i = after;
        } else if at(b, after) == b'(' && at(b, after + 1).is_ascii_digit() && sep_c != b')' {
            paren = true;
            i = after + 1;
        } else {
            break;
        }
        sep = sep_c;
    }
    n
}

const PHONE_WORDS: [&str; 11] = [
    "tel",
    "fax",
    "cell",
    "sms",
    "msisdn",
    "phone",
    "phones",
    "mobile",
    "telephone",
    "cellphone",
    "telefon",
];

fn phone_valid(b: &[u8], gs: &[Group], in_context: bool) -> bool {
    let Some(first) = gs.first() else {
        return false;
    };
    let digits: usize = gs.iter().map(Group::len).sum();
    let lens =
        |want: &[usize]| gs.len() == want.len() && gs.iter().zip(want).all(|(g, w)| g.len() == *w);
    let seps = || gs.iter().skip(1).map(|g| g.sep_before);
    let first_digit = at(b, first.start);
    if first.start > 0 && before(b, first.visual_start()) == b'+' {
        return (8..=15).contains(&digits) && (first_digit != b'1' || digits == 11);
    }
    let all_seps = |f: fn(u8) -> bool| seps().all(f);
    let same_sep = || {
        let mut it = seps();
        let first_sep = it.next();
        it.all(|s| Some(s) == first_sep)
    };
    let nanp = if lens(&[3, 3, 4]) {
        (first.paren
            && gs
                .get(2)
                .is_some_and(|g| matches!(g.sep_before, b' ' | b'-' | b'.')))
            || (!first.paren && same_sep())
    } else if lens(&[1, 3, 3, 4]) && first_digit == b'1' {
        let rest = gs.get(1..).unwrap_or_default();
        rest.iter()
            .skip(1)
            .all(|g| g.sep_before == rest.get(1).map_or(0, |h| h.sep_before))
            || gs.get(1).is_some_and(|g| g.paren)
    } else {
        false
    };
    let trunk = first_digit == b'0'
        && gs.len() >= 2
        && (10..=11).contains(&digits)
        && same_sep()
        && all_seps(|s| matches!(s, b' ' | b'-' | b')'))
        && gs.iter().all(|g| (2..=6).contains(&g.len()));
    let contextual =
        in_context && (7..=15).contains(&digits) && all_seps(|s| matches!(s, b' ' | b'-' | b')'));
    nanp || trunk || contextual
}

impl Detector for Phone {
    fn id(&self) -> DetectorId {
        DetectorId::Phone
    }

    fn needs(&self) -> Needs {
        Needs::NOTHING.digits(7).len(7)
    }

    fn find(&self, text: &str, context: &FieldContext<'_>, out: &mut Vec<Match>) {
        let b = text.as_bytes();
        // the key is only consulted once a candidate needs it: most values have no digits
        let mut in_context_cache = None;
        let mut in_context = || {
            *in_context_cache
                .get_or_insert_with(|| key_has(context, &PHONE_WORDS, &["phone", "mobile"]))
        };
        let mut groups = [Group::default(); MAX_GROUPS];
        digit_runs(b, |d, e| {
            // A single run is a phone only after `+`/`(` or, under a phone key, when long
            // enough; anything else needs a separator after the run.
            let lone = !matches!(at(b, e), b' ' | b'-' | b'.' | b')');
            if lone && !matches!(before(b, d), b'+' | b'(') && !(e - d >= 7 && in_context()) {
                return e;
            }
            let in_context = in_context();
            let n = phone_groups(b, d, &mut groups);
            let gs = groups.get(..n).unwrap_or_default();
            let Some(last) = gs.last() else {
                return run_end(b, d, is_digit);
            };
            let consumed = last.visual_end();
            let mut g = 0;
            while g < n {
                let mut matched = None;
                for k in (g + 1..=n).rev() {
                    let Some(slice) = gs.get(g..k) else { continue };
                    let (Some(head), Some(tail)) = (slice.first(), slice.last()) else {
                        continue;
                    };
                    let plus = before(b, head.visual_start()) == b'+';
                    let start = if plus {
                        head.visual_start() - 1
                    } else {
                        head.visual_start()
                    };
                    if g == 0 && !number_starts_at(b, start) {
                        continue;
                    }
                    if k < n && gs.get(k).is_none_or(|x| x.sep_before != b' ') {
                        continue;
                    }
                    if k == n && !number_ends_at(b, tail.visual_end()) {
                        continue;
                    }
                    if phone_valid(b, slice, in_context) {
                        matched = Some((start, tail.visual_end(), k));
                        break;
                    }
                }
                if let Some((start, end, k)) = matched {
                    push(out, DetectorId::Phone, start, end);
                    g = k;
                } else {
                    g += 1;
                }
                // A number never starts mid-sequence: in `DE89 3704 0044 0532 0130 00` the
                // inner groups are not a phone.
                if g > 0 {
                    break;
                }
            }
            consumed
        });
    }
}

// ---------------------------------------------------------------------------------------------
// SSN

/// US social security numbers in valid ranges (area not 000, 666 or 900-999; group not 00;
/// serial not 0000). `123-45-6789` is found anywhere; `123 45 6789` and a bare 9-digit run only
/// under an ssn-ish key, since a bare 9-digit run is usually an id or a zip+4.
#[derive(Clone, Copy, Debug, Default)]
pub struct Ssn;

fn digits_value(b: &[u8], start: usize, len: usize) -> u32 {
    (start..start + len).fold(0, |acc, i| {
        acc * 10 + u32::from(at(b, i).wrapping_sub(b'0'))
    })
}

fn ssn_ranges_ok(area: u32, group: u32, serial: u32) -> bool {
    area != 0 && area != 666 && area < 900 && group != 0 && serial != 0
}

fn ssn_in_context(context: &FieldContext<'_>) -> bool {
    key_has(
        context,
        &["ssn", "ssns", "socialsecurity", "socialsecuritynumber"],
        &[],
    ) || (key_has(context, &["social"], &[]) && key_has(context, &["security"], &[]))
}

fn ssn_at(b: &[u8], d: usize, in_context: bool) -> Option<usize> {
    if !number_starts_at(b, d) {
        return None;
    }
    let e1 = run_end(b, d, is_digit);
    let (group_at, serial_at, end) = if e1 - d == 3 {
        let sep = at(b, e1);
        if !(sep == b'-' || (in_context && sep == b' ')) {
            return None;
        }
        let e2 = run_end(b, e1 + 1, is_digit);
        if e2 - e1 - 1 != 2 || at(b, e2) != sep {
            return None;
        }
        let e3 = run_end(b, e2 + 1, is_digit);
        if e3 - e2 - 1 != 4 {
            return None;
        }
        (e1 + 1, e2 + 1, e3)
    } else if e1 - d == 9 && in_context {
        (d + 3, d + 5, e1)
    } else {
        return None;
    };
    let ok = ssn_ranges_ok(
        digits_value(b, d, 3),
        digits_value(b, group_at, 2),
        digits_value(b, serial_at, 4),
    );
    (ok && number_ends_at(b, end)).then_some(end)
}

impl Detector for Ssn {
    fn id(&self) -> DetectorId {
        DetectorId::Ssn
    }

    fn needs(&self) -> Needs {
        Needs::NOTHING.digits(9).len(9)
    }

    fn find(&self, text: &str, context: &FieldContext<'_>, out: &mut Vec<Match>) {
        let b = text.as_bytes();
        let mut in_context_cache = None;
        let mut in_context = || *in_context_cache.get_or_insert_with(|| ssn_in_context(context));
        digit_runs(b, |d, e| {
            let shaped =
                (e - d == 3 && matches!(at(b, e), b'-' | b' ')) || (e - d == 9 && in_context());
            if !shaped {
                return e;
            }
            let in_context = in_context();
            if let Some(end) = ssn_at(b, d, in_context) {
                push(out, DetectorId::Ssn, d, end);
                end
            } else {
                e
            }
        });
    }
}

// ---------------------------------------------------------------------------------------------
// Payment card

/// Payment card numbers: 13-19 digits, contiguous or in groups separated by one space or dash,
/// passing Luhn and an issuer's prefix and length (Visa, Mastercard, Amex, Discover, JCB,
/// Diners, `UnionPay`).
#[derive(Clone, Copy, Debug, Default)]
pub struct PaymentCard;

/// Luhn check over ASCII digits.
pub(crate) fn luhn_ok(digits: &[u8]) -> bool {
    let mut sum = 0u32;
    for (i, &c) in digits.iter().rev().enumerate() {
        let mut v = u32::from(c.wrapping_sub(b'0'));
        if i % 2 == 1 {
            v *= 2;
            if v > 9 {
                v -= 9;
            }
        }
        sum += v;
    }
    sum.is_multiple_of(10)
}

/// Issuer prefix and length rules over ASCII digits.
pub(crate) fn card_issuer_ok(digits: &[u8]) -> bool {
    let len = digits.len();
    let prefix = |n: usize| -> u32 {
        digits
            .iter()
            .take(n)
            .fold(0, |acc, &c| acc * 10 + u32::from(c.wrapping_sub(b'0')))
    };
    let (p1, p2, p3, p4, p6) = (prefix(1), prefix(2), prefix(3), prefix(4), prefix(6));
    let long = (16..=19).contains(&len);
    let visa = p1 == 4 && matches!(len, 13 | 16 | 19);
    let mastercard = ((51..=55).contains(&p2) || (2221..=2720).contains(&p4)) && len == 16;
    let amex = (p2 == 34 || p2 == 37) && len == 15;
    let discover =
        (p4 == 6011 || (644..=649).contains(&p3) || p2 == 65 || (622_126..=622_925).contains(&p6))
            && long;
    let jcb = (3528..=3589).contains(&p4) && long;
    let diners =
        ((300..=305).contains(&p3) || matches!(p2, 36 | 38 | 39)) && (14..=19).contains(&len);
    let unionpay = p2 == 62 && long;
    visa || mastercard || amex || discover || jcb || diners || unionpay
}

fn card_ok(b: &[u8], groups: &[(usize, usize)]) -> bool {
    let mut digits = [0u8; 19];
    let mut n = 0;
    for &(s, e) in groups {
        for i in s..e {
            let Some(slot) = digits.get_mut(n) else {
                return false;
            };
            *slot = at(b, i);
            n += 1;
        }
    }
    if !(13..=19).contains(&n) {
        return false;
    }
    let digits = digits.get(..n).unwrap_or_default();
    if groups.len() > 1 {
        let first_ok = groups.first().is_some_and(|&(s, e)| e - s == 4);
        // groups of 3 to 6 digits; the last may be shorter (`4222 2222 2222 2`, a 13-digit Visa)
        let inner_ok = groups
            .iter()
            .rev()
            .skip(1)
            .all(|&(s, e)| (3..=6).contains(&(e - s)));
        if !first_ok || !inner_ok || groups.last().is_some_and(|&(s, e)| e - s > 6) {
            return false;
        }
    }
    card_issuer_ok(digits) && luhn_ok(digits)
}

impl Detector for PaymentCard {
    fn id(&self) -> DetectorId {
        DetectorId::PaymentCard
    }

    fn needs(&self) -> Needs {
        Needs::NOTHING.digits(13).len(13)
    }

    fn find(&self, text: &str, _context: &FieldContext<'_>, out: &mut Vec<Match>) {
        let b = text.as_bytes();
        digit_runs(b, |d, e| {
            let grouped = e - d == 4 && matches!(at(b, e), b' ' | b'-');
            // inner groups of a longer digit sequence (a grouped IBAN) never start a card
            let mid_sequence = matches!(before(b, d), b' ' | b'-')
                && before(b, d.saturating_sub(1)).is_ascii_digit();
            if mid_sequence || (!grouped && !(13..=19).contains(&(e - d))) {
                return e;
            }
            let mut groups = [(0usize, 0usize); MAX_GROUPS];
            let mut n = 0;
            let mut sep = 0u8;
            let mut i = d;
            loop {
                let e = run_end(b, i, is_digit);
                if let Some(slot) = groups.get_mut(n) {
                    *slot = (i, e);
                }
                n += 1;
                let c = at(b, e);
                if n < MAX_GROUPS
                    && (c == b' ' || c == b'-')
                    && (sep == 0 || sep == c)
                    && at(b, e + 1).is_ascii_digit()
                {
                    sep = c;
                    i = e + 1;
                } else {
                    break;
                }
            }
            let gs = groups.get(..n).unwrap_or_default();
            let consumed = gs.last().map_or(d + 1, |g| g.1);
            let mut g = 0;
            while g < n {
                // Only whole sequences start a card: inner groups of a grouped IBAN are not one.
                if g > 0 {
                    break;
                }
                let mut matched = None;
                for k in (g + 1..=n).rev() {
                    if k < n && sep != b' ' {
                        continue;
                    }
                    let Some(slice) = gs.get(g..k) else { continue };
                    let (Some(head), Some(tail)) = (slice.first(), slice.last()) else {
                        continue;
                    };
                    if g == 0 && !number_starts_at(b, head.0) {
                        continue;
                    }
                    if k == n && !number_ends_at(b, tail.1) {
                        continue;
                    }
                    if card_ok(b, slice) {
                        matched = Some((head.0, tail.1, k));
                        break;
                    }
                }
                if let Some((start, end, k)) = matched {
                    push(out, DetectorId::PaymentCard, start, end);
                    g = k;
                } else {
                    g += 1;
                }
            }
            consumed
        });
    }
}

// ---------------------------------------------------------------------------------------------
// IBAN

/// International bank account numbers: country code, two check digits and the country's BBAN
/// length, compact or in groups of four, with the mod-97 check.
#[derive(Clone, Copy, Debug, Default)]
pub struct Iban;

/// IBAN lengths by country (ISO 13616 registry).
const IBAN_LENGTHS: [(&[u8; 2], usize); 78] = [
    (b"AD", 24),
    (b"AE", 23),
    (b"AL", 28),
    (b"AT", 20),
    (b"AZ", 28),
    (b"BA", 20),
    (b"BE", 16),
    (b"BG", 22),
    (b"BH", 22),
    (b"BR", 29),
    (b"BY", 28),
    (b"CH", 21),
    (b"CR", 22),
    (b"CY", 28),
    (b"CZ", 24),
    (b"DE", 22),
    (b"DK", 18),
    (b"DO", 28),
    (b"EE", 20),
    (b"EG", 29),
    (b"ES", 24),
    (b"FI", 18),
    (b"FO", 18),
    (b"FR", 27),
    (b"GB", 22),
    (b"GE", 22),
    (b"GI", 23),
    (b"GL", 18),
    (b"GR", 27),
    (b"GT", 28),
    (b"HR", 21),
    (b"HU", 28),
    (b"IE", 22),
    (b"IL", 23),
    (b"IQ", 23),
    (b"IS", 26),
    (b"IT", 27),
    (b"JO", 30),
    (b"KW", 30),
    (b"KZ", 20),
    (b"LB", 28),
    (b"LC", 32),
    (b"LI", 21),
    (b"LT", 20),
    (b"LU", 20),
    (b"LV", 21),
    (b"MC", 27),
    (b"MD", 24),
    (b"ME", 22),
    (b"MK", 19),
    (b"MR", 27),
    (b"MT", 31),
    (b"MU", 30),
    (b"NL", 18),
    (b"NO", 15),
    (b"PK", 24),
    (b"PL", 28),
    (b"PS", 29),
    (b"PT", 25),
    (b"QA", 29),
    (b"RO", 24),
    (b"RS", 22),
    (b"SA", 24),
    (b"SC", 31),
    (b"SE", 24),
    (b"SI", 19),
    (b"SK", 24),
    (b"SM", 27),
    (b"ST", 25),
    (b"SV", 28),
    (b"TL", 23),
    (b"TN", 24),
    (b"TR", 26),
    (b"UA", 29),
    (b"VA", 22),
    (b"VG", 24),
    (b"XK", 20),
    (b"LY", 25),
];

/// The IBAN length for a country code, if the country uses IBANs.
pub(crate) fn iban_length(country: [u8; 2]) -> Option<usize> {
    IBAN_LENGTHS
        .iter()
        .find(|(c, _)| **c == country)
        .map(|&(_, n)| n)
}

/// Mod-97 over an IBAN's characters (country code first, as written).
pub(crate) fn iban_mod97(chars: &[u8]) -> u32 {
    let (head, tail) = chars.split_at(chars.len().min(4));
    tail.iter().chain(head).fold(0u32, |rem, &c| {
        if c.is_ascii_digit() {
            (rem * 10 + u32::from(c - b'0')) % 97
        } else {
            (rem * 100 + u32::from(c.to_ascii_uppercase().wrapping_sub(b'A')) + 10) % 97
        }
    })
}

fn iban_at(b: &[u8], d: usize) -> Option<usize> {
    let start = d.checked_sub(2)?;
    let country = [at(b, start), at(b, start + 1)];
    if !country.iter().all(u8::is_ascii_uppercase)
        || !at(b, d + 1).is_ascii_digit()
        || before(b, start).is_ascii_alphanumeric()
    {
        return None;
    }
    let len = iban_length(country)?;
    let grouped = at(b, d + 2) == b' ';
    let mut chars = [0u8; 34];
    let mut n = 0;
    let mut i = start;
    while n < len {
        if grouped && n > 0 && n % 4 == 0 {
            if at(b, i) != b' ' {
                return None;
            }
            i += 1;
        }
        let c = at(b, i);
        if !(c.is_ascii_uppercase() || c.is_ascii_digit()) {
            return None;
        }
        *chars.get_mut(n)? = c;
        n += 1;
        i += 1;
    }
    if at(b, i).is_ascii_alphanumeric()
        || (grouped && at(b, i) == b' ' && at(b, i + 1).is_ascii_digit() && len % 4 != 0)
    {
        return None;
    }
    (iban_mod97(chars.get(..n)?) == 1).then_some(i)
}

impl Detector for Iban {
    fn id(&self) -> DetectorId {
        DetectorId::Iban
    }

    fn needs(&self) -> Needs {
        Needs::bytes(class::UPPER).digits(2).len(15)
    }

    fn find(&self, text: &str, _context: &FieldContext<'_>, out: &mut Vec<Match>) {
        let b = text.as_bytes();
        digit_runs(b, |d, e| {
            if !before(b, d).is_ascii_uppercase() {
                return e;
            }
            if let Some(end) = iban_at(b, d) {
                push(out, DetectorId::Iban, d - 2, end);
                end
            } else {
                e
            }
        });
    }
}

// ---------------------------------------------------------------------------------------------
// IPv4

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
        let e = run_end(b, i, is_digit);
        let len = e - i;
        if len == 0 || len > 3 || (len > 1 && at(b, i) == b'0') || digits_value(b, i, len) > 255 {
            return None;
        }
        if k < 3 {
            if at(b, e) != b'.' {
                return None;
            }
            i = e + 1;
        } else {
            i = e;
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
        digit_runs(b, |d, e| {
            if e - d > 3 || at(b, e) != b'.' {
                return e;
            }
            if let Some(end) = ipv4_at(b, d) {
                push(out, DetectorId::Ipv4, d, end);
                end
            } else {
                e
            }
        });
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

#[cfg(test)]
mod tests {
    use super::*;

    fn spans(d: &dyn Detector, text: &str, words: &[&str]) -> Vec<&'static str> {
        let context = FieldContext { key_words: words };
        let mut out = Vec::new();
        d.find(text, &context, &mut out);
        // leak is fine in tests: gives 'static slices for easy comparison
        out.iter()
            .map(|m| &*Box::leak(text[m.start..m.end].to_owned().into_boxed_str()))
            .collect()
    }

    #[test]
    fn finds_emails_in_several_positions() {
        assert_eq!(spans(&Email, "user@example.com", &[]), ["user@example.com"]);
        assert_eq!(
            spans(&Email, "mail me at a.b+c@sub.example.co.uk, please.", &[]),
            ["a.b+c@sub.example.co.uk"]
        );
        assert_eq!(
            spans(&Email, r#"{"to":"x_y-z@mail.example.io"}"#, &[]),
            ["x_y-z@mail.example.io"]
        );
        assert_eq!(
            spans(&Email, "Zoë 😀 ada@example.com.", &[]),
            ["ada@example.com"]
        );
        assert_eq!(spans(&Email, "a@b.io;c@d.org", &[]), ["a@b.io", "c@d.org"]);
    }

    #[test]
    fn rejects_email_lookalikes() {
        for text in [
            "icon@2x.png",
            "@handle",
            "user@localhost",
            "npm i left-pad@1.3.0",
            "a@b",
            "x@.com",
            "name@-bad.com",
            "@@@",
            "",
        ] {
            assert!(spans(&Email, text, &[]).is_empty(), "{text}");
        }
    }

    #[test]
    fn finds_phones_in_many_shapes() {
        for (text, want) in [
            ("+14155550123", "+14155550123"),
            ("call +44 20 7946 0958 now", "+44 20 7946 0958"),
            ("(415) 555-0123", "(415) 555-0123"),
            ("Phone: 555.123.4567.", "555.123.4567"),
            ("1-800-555-0199", "1-800-555-0199"),
            ("+1-555-123-4567 ext 9", "+1-555-123-4567"),
            ("tel:020 7946 0958", "020 7946 0958"),
            ("x (415)555-0123)", "(415)555-0123"),
            ("+1 (415) 555-0123", "+1 (415) 555-0123"),
        ] {
            assert_eq!(spans(&Phone, text, &[]), [want], "{text}");
        }
    }

    #[test]
    fn bare_digit_runs_are_phones_only_under_phone_keys() {
        // Timetracer calls these phones (10-15 digits); they are epoch seconds, timestamps,
        // order numbers.
        for text in [
            "1732950000",
            "20240115123045",
            "5551234567",
            "order 123456789012",
        ] {
            assert!(spans(&Phone, text, &[]).is_empty(), "{text}");
        }
        assert_eq!(spans(&Phone, "5551234567", &["mobile"]), ["5551234567"]);
        assert_eq!(
            spans(&Phone, "4155550123", &["phone", "number"]),
            ["4155550123"]
        );
    }

    #[test]
    fn rejects_phone_lookalikes() {
        for text in [
            "2024-01-15",
            "2024-01-15T10:30:00Z",
            "192.168.100.200",
            "123-45-6789",
            "4111 1111 1111 1111",
            "v415-555-0123",
            "415-555-01234",
            "1234.56",
            "+1 555",
            "12:30:45",
            "2024-555-123-4567",
        ] {
            assert!(spans(&Phone, text, &[]).is_empty(), "{text}");
        }
    }

    #[test]
    fn finds_valid_ssns_only() {
        assert_eq!(spans(&Ssn, "123-45-6789", &[]), ["123-45-6789"]);
        assert_eq!(
            spans(&Ssn, "ssn 078-05-1120 inside text.", &[]),
            ["078-05-1120"]
        );
        assert_eq!(spans(&Ssn, "(123-45-6789)", &[]), ["123-45-6789"]);
        for text in [
            "000-12-3456",
            "666-12-3456",
            "900-12-3456",
            "123-00-4567",
            "123-45-0000",
            "1123-45-6789",
            "123-45-67890",
            "123-45-6789-1",
            "a123-45-6789",
            // Timetracer calls any 9-digit string an SSN; without an ssn key these are ids.
            "123456789",
            "123 45 6789",
        ] {
            assert!(spans(&Ssn, text, &[]).is_empty(), "{text}");
        }
        assert_eq!(spans(&Ssn, "123456789", &["ssn"]), ["123456789"]);
        assert_eq!(
            spans(&Ssn, "123 45 6789", &["social", "security", "number"]),
            ["123 45 6789"]
        );
        assert!(spans(&Ssn, "000000000", &["ssn"]).is_empty());
    }

    #[test]
    fn finds_cards_of_every_issuer() {
        for card in [
            "4111111111111111",
            "4111 1111 1111 1111",
            "4111-1111-1111-1111",
            "5555555555554444",
            "2223003122003222",
            "378282246310005",
            "3782 822463 10005",
            "6011111111111117",
            "3530111333300000",
            "30569309025904",
            "4222222222222",
            "6200000000000005",
        ] {
            assert_eq!(spans(&PaymentCard, card, &[]), [card]);
            let sentence = format!("paid with {card}, thanks");
            assert_eq!(spans(&PaymentCard, &sentence, &[]), [card]);
        }
        assert_eq!(
            spans(
                &PaymentCard,
                "4111 1111 1111 1111 and 4242 4242 4242 4242",
                &[]
            ),
            ["4111 1111 1111 1111", "4242 4242 4242 4242"]
        );
        assert_eq!(
            spans(&PaymentCard, "card 4111 1111 1111 1111 12 25", &[]),
            ["4111 1111 1111 1111"]
        );
    }

    #[test]
    fn rejects_card_lookalikes() {
        for text in [
            "1234-5678-9012-3456",
            "4111111111111112",
            "1732950000123",
            "0.4111111111111111",
            "41111111111111111111",
            "9111111111111111",
            "4111 1111-1111 1111",
            "34343434343434",
        ] {
            assert!(spans(&PaymentCard, text, &[]).is_empty(), "{text}");
        }
    }

    #[test]
    fn finds_ibans_compact_and_grouped() {
        assert_eq!(
            spans(&Iban, "IBAN GB82WEST12345698765432", &[]),
            ["GB82WEST12345698765432"]
        );
        assert_eq!(
            spans(&Iban, "to GB82 WEST 1234 5698 7654 32.", &[]),
            ["GB82 WEST 1234 5698 7654 32"]
        );
        assert_eq!(
            spans(&Iban, "DE89370400440532013000", &[]),
            ["DE89370400440532013000"]
        );
        for text in [
            "GB83WEST12345698765432",
            "XX82WEST12345698765432",
            "aGB82WEST12345698765432",
            "GB82WEST1234569876543",
        ] {
            assert!(spans(&Iban, text, &[]).is_empty(), "{text}");
        }
    }

    #[test]
    fn finds_ipv4_and_rejects_versions() {
        assert_eq!(spans(&Ipv4, "192.168.1.1", &[]), ["192.168.1.1"]);
        assert_eq!(spans(&Ipv4, "my ip is 8.8.8.8, ok", &[]), ["8.8.8.8"]);
        assert_eq!(spans(&Ipv4, "host 10.0.0.1:8080.", &[]), ["10.0.0.1"]);
        for text in [
            "10.0.0.256",
            "999.1.1.1",
            "v1.2.3.4",
            "1.2.3",
            "1.2.3.4.5",
            "01.2.3.4",
            "x1.2.3.4y",
        ] {
            assert!(spans(&Ipv4, text, &[]).is_empty(), "{text}");
        }
    }

    #[test]
    fn finds_ipv6_full_and_compressed() {
        for text in [
            "2001:0db8:85a3:0000:0000:8a2e:0370:7334",
            "::1",
            "fe80::1",
            "2001:db8::8a2e:370:7334",
            "::ffff:192.168.1.1",
        ] {
            assert_eq!(spans(&Ipv6, text, &[]), [text]);
        }
        assert_eq!(
            spans(&Ipv6, "from fe80::1ab:2cd, ok", &[]),
            ["fe80::1ab:2cd"]
        );
        assert_eq!(spans(&Ipv6, r#"{"ip":"fe80::1"}"#, &[]), ["fe80::1"]);
        assert_eq!(spans(&Ipv6, "ip:fe80::1", &[]), ["fe80::1"]);
        for text in [
            "Vec::new",
            "10:30:00",
            "00:1a:2b:3c:4d:5e",
            "1:2:3:4:5:6:7:8:9",
            "a:::b",
            "std::fmt",
            "::",
            "2024-01-15T10:30:00Z",
        ] {
            assert!(spans(&Ipv6, text, &[]).is_empty(), "{text}");
        }
    }

    #[test]
    fn never_panics_on_odd_input() {
        let detectors: [&dyn Detector; 7] =
            [&Email, &Phone, &Ssn, &PaymentCard, &Iban, &Ipv4, &Ipv6];
        for text in [
            "@", "(", "+", ":", "::", "(1", "+(", "1-", "GB8", "é@é.é", "1.", "9", ")",
        ] {
            for d in detectors {
                let _ = spans(d, text, &["phone", "ssn"]);
            }
        }
    }
}
