//! IBANs: the country length table and the mod-97 check.

#![expect(
    clippy::many_single_char_names,
    reason = "byte scanners: b is the text, d a digit run start, i an index, e a run end, c a byte"
)]

use super::super::text::{at, before, find_upper};
use super::super::{Detector, DetectorId, FieldContext, Match, Needs, class};
use super::push;

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
        // Every IBAN starts with two capitals and a digit: look for those three bytes rather
        // than at every digit run (the same candidates, in the same order).
        let mut from = 0;
        while let Some(start) = find_upper(b, from) {
            from = start + 1;
            if !(at(b, start + 1).is_ascii_uppercase() && at(b, start + 2).is_ascii_digit()) {
                continue;
            }
            if let Some(end) = iban_at(b, start + 2) {
                push(out, DetectorId::Iban, start, end);
                from = end;
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// IPv4
