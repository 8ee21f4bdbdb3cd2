//! US social security numbers in valid area, group and serial ranges.

use super::super::text::{at, key_has, run_end};
use super::super::{Detector, DetectorId, FieldContext, Match, Needs};
use super::{digit_runs, is_digit, number_ends_at, number_starts_at, push};

/// US social security numbers in valid ranges (area not 000, 666 or 900-999; group not 00;
/// serial not 0000). `123-45-6789` is found anywhere; `123 45 6789` and a bare 9-digit run only
/// under an ssn-ish key, since a bare 9-digit run is usually an id or a zip+4.
#[derive(Clone, Copy, Debug, Default)]
pub struct Ssn;

pub(super) fn digits_value(b: &[u8], start: usize, len: usize) -> u32 {
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
