//! Payment cards: Luhn plus issuer prefixes and lengths, grouped or not.

#![expect(
    clippy::many_single_char_names,
    reason = "byte scanners: b is the text, d a digit run start, i an index, e a run end, c a byte"
)]

use super::super::text::{at, before, run_end};
use super::super::{Detector, DetectorId, FieldContext, Match, Needs};
use super::phone::MAX_GROUPS;
use super::{digit_runs, is_digit, number_ends_at, number_starts_at, push};

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
