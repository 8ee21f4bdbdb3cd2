//! Phone numbers: E.164 and national forms; bare digit runs only under a phone-ish key.

#![expect(
    clippy::many_single_char_names,
    reason = "byte scanners: b is the text, d a digit run start, i an index, e a run end, c a byte"
)]

use super::super::text::{at, before, contains_ci, run_end};
use super::super::{Detector, DetectorId, FieldContext, Match, Needs};
use super::{digit_runs, is_digit, number_ends_at, number_starts_at, push};

/// Phone numbers: E.164 with `+` (`+14155550123`, `+44 20 7946 0958`), North American national
/// forms (`(415) 555-0123`, `415-555-0123`, `415.555.0123`, `1-800-555-0199`) and trunk-prefix
/// national forms (`020 7946 0958`). A bare digit run (`1732950000`, `20240115123045`) is a
/// phone only under a phone-ish key (`phone`, `mobile`, `tel`, `fax`, ...).
#[derive(Clone, Copy, Debug, Default)]
pub struct Phone;

pub(super) const MAX_GROUPS: usize = 8;

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

#[cfg(test)]
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

/// Whether the key names a phone: only there is a bare digit run (or one without a North
/// American, trunk or `+` shape) a phone. A key word is one of `PHONE_WORDS` or holds `phone`
/// or `mobile`; the words of the list that hold neither are compared only with key words of
/// their length.
pub(crate) fn phone_key(context: &FieldContext<'_>) -> bool {
    context.key_words.iter().any(|w| {
        let w = w.as_bytes();
        let exact = match w.len() {
            3 => [b"tel", b"fax", b"sms"]
                .iter()
                .any(|e| w.eq_ignore_ascii_case(*e)),
            4 => w.eq_ignore_ascii_case(b"cell"),
            6 => w.eq_ignore_ascii_case(b"msisdn"),
            7 => w.eq_ignore_ascii_case(b"telefon"),
            _ => false,
        };
        exact
            || (w.len() >= 5 && contains_ci(w, 0, w.len(), b"phone"))
            || (w.len() >= 6 && contains_ci(w, 0, w.len(), b"mobile"))
    })
}

/// `in_context` is asked last, only when the groups could be a phone under a phone key: it
/// looks at the key words.
fn phone_valid(b: &[u8], gs: &[Group], in_context: &mut impl FnMut() -> bool) -> bool {
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
    nanp || trunk
        || ((7..=15).contains(&digits)
            && all_seps(|s| matches!(s, b' ' | b'-' | b')'))
            && in_context())
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
        let mut in_context = || *in_context_cache.get_or_insert_with(|| phone_key(context));
        let mut groups = [Group::default(); MAX_GROUPS];
        digit_runs(b, |d, e| {
            // A single run is a phone only after `+`/`(` or, under a phone key, when long
            // enough; anything else needs a separator after the run.
            let lone = !matches!(at(b, e), b' ' | b'-' | b'.' | b')');
            if lone && !matches!(before(b, d), b'+' | b'(') && !(e - d >= 7 && in_context()) {
                return e;
            }
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
                    if phone_valid(b, slice, &mut in_context) {
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

#[cfg(test)]
mod tests {
    use super::super::super::text::key_has;
    use super::*;

    #[test]
    fn phone_keys_are_the_phone_words() {
        for word in [
            "tel",
            "TEL",
            "fax",
            "sms",
            "cell",
            "Cell",
            "msisdn",
            "phone",
            "phones",
            "mobile",
            "telephone",
            "cellphone",
            "telefon",
            "iphone",
            "mobiles",
            "MobileNumber",
            "tels",
            "te",
            "cel",
            "notes",
            "fon",
            "msisdns",
            "telefono",
            "phon",
            "mobil",
            "",
            "xphonex",
        ] {
            let words = [word];
            let context = FieldContext { key_words: &words };
            assert_eq!(
                phone_key(&context),
                key_has(&context, &PHONE_WORDS, &["phone", "mobile"]),
                "{word}"
            );
        }
    }
}
