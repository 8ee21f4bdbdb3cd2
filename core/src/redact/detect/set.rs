//! [`DetectorSet`]: every detector over one string, after one shared look at the string.
//!
//! Run one by one, 22 detectors scan every string 22 times, although almost every string can
//! only match a few of them (`Paris` holds no digit, no `@`, no 20-character token). The set
//! first makes one pass over the bytes with a 256-entry class table ([`TextProfile`]: which
//! byte classes occur, how many ASCII digits, the longest run of token characters), then calls
//! only the detectors whose [`Needs`] the profile meets. A detector's needs are necessary
//! conditions of any match it can report, so skipping it never changes a result: the set
//! reports exactly what the detectors report one by one, in the same order.

use super::{Detector, DetectorId, FieldContext, Match};

/// Byte classes of the profile (bits of [`Needs::bytes`]).
pub mod class {
    /// An ASCII digit.
    pub const DIGIT: u16 = 1;
    /// An ASCII capital letter.
    pub const UPPER: u16 = 1 << 1;
    /// An ASCII small letter.
    pub const LOWER: u16 = 1 << 2;
    /// `@`.
    pub const AT: u16 = 1 << 3;
    /// `.`.
    pub const DOT: u16 = 1 << 4;
    /// `:`.
    pub const COLON: u16 = 1 << 5;
    /// `-`.
    pub const DASH: u16 = 1 << 6;
    /// `_`.
    pub const UNDERSCORE: u16 = 1 << 7;
    /// A space.
    pub const SPACE: u16 = 1 << 8;
    /// `b` or `B` (the `Bearer` and `Basic` schemes).
    pub const LETTER_B: u16 = 1 << 9;
    /// `[A-Za-z0-9+/_-]`: counted in runs ([`super::TextProfile::longest_token_run`]).
    pub(crate) const TOKEN: u16 = 1 << 15;
}

const fn class_table() -> [u16; 256] {
    let mut table = [0u16; 256];
    let mut i = 0;
    while i < 256 {
        #[expect(clippy::cast_possible_truncation, reason = "i < 256")]
        let c = i as u8;
        let mut bits = 0;
        if c.is_ascii_digit() {
            bits |= class::DIGIT | class::TOKEN;
        }
        if c.is_ascii_uppercase() {
            bits |= class::UPPER | class::TOKEN;
        }
        if c.is_ascii_lowercase() {
            bits |= class::LOWER | class::TOKEN;
        }
        bits |= match c {
            b'@' => class::AT,
            b'.' => class::DOT,
            b':' => class::COLON,
            b'-' => class::DASH | class::TOKEN,
            b'_' => class::UNDERSCORE | class::TOKEN,
            b'+' | b'/' => class::TOKEN,
            b' ' => class::SPACE,
            b'b' | b'B' => class::LETTER_B,
            _ => 0,
        };
        table[i] = bits;
        i += 1;
    }
    table
}

static CLASSES: [u16; 256] = class_table();

/// What one pass over a string found: the byte classes present, the ASCII digit count and
/// the longest run of token characters (`[A-Za-z0-9+/_-]`, the class of every vendor token,
/// key and generic secret).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TextProfile {
    pub bytes: u16,
    pub digits: usize,
    pub longest_token_run: usize,
    pub len: usize,
}

impl TextProfile {
    /// One branch-free pass over `text`.
    pub fn of(text: &str) -> TextProfile {
        let mut bytes = 0u16;
        let mut digits = 0usize;
        let mut run = 0usize;
        let mut longest = 0usize;
        for &c in text.as_bytes() {
            let bits = CLASSES[usize::from(c)];
            bytes |= bits;
            digits += usize::from(bits & class::DIGIT);
            run = if bits & class::TOKEN == 0 { 0 } else { run + 1 };
            longest = longest.max(run);
        }
        TextProfile {
            bytes,
            digits,
            longest_token_run: longest,
            len: text.len(),
        }
    }

    /// Whether a detector with these needs can match the text.
    #[inline]
    pub fn meets(&self, needs: &Needs) -> bool {
        self.bytes & needs.bytes == needs.bytes
            && self.digits >= needs.digits
            && self.longest_token_run >= needs.token_run
            && self.len >= needs.len
    }
}

/// Necessary conditions of any match a detector reports: byte classes that must all occur, a
/// least number of ASCII digits, a least longest token run and a least text length. The
/// default needs nothing (the detector always runs).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Needs {
    /// [`class`] bits that must all be present.
    pub bytes: u16,
    pub digits: usize,
    pub token_run: usize,
    pub len: usize,
}

impl Needs {
    /// Always run.
    pub const NOTHING: Needs = Needs {
        bytes: 0,
        digits: 0,
        token_run: 0,
        len: 0,
    };

    pub const fn bytes(bytes: u16) -> Needs {
        Needs {
            bytes,
            ..Needs::NOTHING
        }
    }

    #[must_use]
    pub const fn digits(self, digits: usize) -> Needs {
        Needs { digits, ..self }
    }

    #[must_use]
    pub const fn token_run(self, token_run: usize) -> Needs {
        Needs { token_run, ..self }
    }

    #[must_use]
    pub const fn len(self, len: usize) -> Needs {
        Needs { len, ..self }
    }
}

/// Bytes a payment card or an SSN is written with: digits, spaces and dashes.
const DIGITS_DASHES: u8 = 1;
/// Bytes a phone number is written with: digits, spaces, dashes, dots, parentheses and `+`.
const PHONE_BYTES: u8 = 1 << 1;

const fn group_table() -> [u8; 256] {
    let mut table = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        #[expect(clippy::cast_possible_truncation, reason = "i < 256")]
        let c = i as u8;
        table[i] = match c {
            b'0'..=b'9' | b' ' | b'-' => DIGITS_DASHES | PHONE_BYTES,
            b'.' | b'(' | b')' | b'+' => PHONE_BYTES,
            _ => 0,
        };
        i += 1;
    }
    table
}

static GROUP_BYTES: [u8; 256] = group_table();

/// What the built-in number detectors need beyond their [`Needs`]: every match of the payment
/// card, SSN and phone detectors is a stretch of text made only of the bytes in its class
/// ([`DIGITS_DASHES`] for cards and SSNs, [`PHONE_BYTES`] for phones) holding at least this
/// many digits (cards 13, SSNs 9, phones 7: see `pii/card.rs`, `pii/ssn.rs`, `pii/phone.rs`).
/// Only used for the built-in detectors, whose grammar this states.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct DigitGroups {
    digits_dashes: usize,
    phone: usize,
}

impl DigitGroups {
    /// The most digits in one stretch of each class, in one pass.
    fn of(text: &str) -> DigitGroups {
        let (mut dashes, mut phone) = (0usize, 0usize);
        let mut most = DigitGroups::default();
        for &c in text.as_bytes() {
            let bits = GROUP_BYTES[usize::from(c)];
            let digit = usize::from(c.is_ascii_digit());
            dashes = if bits & DIGITS_DASHES == 0 {
                0
            } else {
                dashes + digit
            };
            phone = if bits & PHONE_BYTES == 0 {
                0
            } else {
                phone + digit
            };
            most.digits_dashes = most.digits_dashes.max(dashes);
            most.phone = most.phone.max(phone);
        }
        most
    }

    /// Whether it meets `needs` (every stretch count at least the one asked for).
    fn meets(self, needs: DigitGroups) -> bool {
        self.digits_dashes >= needs.digits_dashes && self.phone >= needs.phone
    }
}

/// Detectors run together over one string, each only when the string can hold its matches.
pub struct DetectorSet {
    detectors: Vec<Box<dyn Detector>>,
    needs: Vec<Needs>,
    /// What every detector needs at least: a text below it skips the profile too.
    min_len: usize,
    /// [`DigitGroups`] needs by detector, for a set of built-in detectors (all zero otherwise,
    /// and then never computed).
    groups: Vec<DigitGroups>,
    /// The least ASCII digit count at which some detector has a [`DigitGroups`] need.
    groups_from_digits: usize,
}

impl std::fmt::Debug for DetectorSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list()
            .entries(self.detectors.iter().map(|d| d.id().name()))
            .finish()
    }
}

impl DetectorSet {
    /// A set of `detectors`, kept in the order given.
    pub fn new(detectors: Vec<Box<dyn Detector>>) -> DetectorSet {
        let needs: Vec<Needs> = detectors.iter().map(|d| d.needs()).collect();
        let min_len = needs.iter().map(|n| n.len).min().unwrap_or(0);
        let groups = vec![DigitGroups::default(); detectors.len()];
        DetectorSet {
            detectors,
            needs,
            min_len,
            groups,
            groups_from_digits: usize::MAX,
        }
    }

    /// The built-in detectors ([`super::builtin`]).
    pub fn builtin() -> DetectorSet {
        DetectorSet::new(super::builtin()).with_builtin_grammar()
    }

    /// For a set made of (some of) the built-in detectors, as [`super::builtin`] returns them:
    /// also skips the number detectors on texts without a long enough stretch of digits in
    /// their byte class ([`DigitGroups`]). Never for detectors a caller brought, even under a
    /// built-in id, since their matches may look otherwise.
    pub(crate) fn with_builtin_grammar(mut self) -> DetectorSet {
        for (detector, groups) in self.detectors.iter().zip(self.groups.iter_mut()) {
            *groups = match detector.id() {
                DetectorId::PaymentCard => DigitGroups {
                    digits_dashes: 13,
                    phone: 0,
                },
                DetectorId::Ssn => DigitGroups {
                    digits_dashes: 9,
                    phone: 0,
                },
                DetectorId::Phone => DigitGroups {
                    digits_dashes: 0,
                    phone: 7,
                },
                _ => continue,
            };
            // A stretch holds no more digits than the whole text: with fewer, no need is met.
            let least = groups.digits_dashes.max(groups.phone);
            self.groups_from_digits = self.groups_from_digits.min(least);
        }
        self
    }

    /// The detectors, in order.
    pub fn detectors(&self) -> &[Box<dyn Detector>] {
        &self.detectors
    }

    pub fn len(&self) -> usize {
        self.detectors.len()
    }

    pub fn is_empty(&self) -> bool {
        self.detectors.is_empty()
    }

    /// Pushes every detector's matches in `text` into `out`: the same matches, in the same
    /// order, as calling [`Detector::find`] of each detector in turn.
    pub fn find_all(&self, text: &str, context: &FieldContext<'_>, out: &mut Vec<Match>) {
        for i in self.applicable(text) {
            if let Some(detector) = self.detectors.get(i) {
                detector.find(text, context, out);
            }
        }
    }

    /// Indices of the detectors whose needs `text` meets, in order.
    fn applicable(&self, text: &str) -> impl Iterator<Item = usize> + '_ {
        let profile = (text.len() >= self.min_len && !self.detectors.is_empty())
            .then(|| TextProfile::of(text));
        self.needs
            .iter()
            .enumerate()
            .filter(move |(_, needs)| profile.is_some_and(|p| p.meets(needs)))
            .map(|(i, _)| i)
    }

    /// Calls `sink(index, matches)` for each detector (by its index in the set) that found
    /// something in `text`, in order. `scratch` is reused between detectors and calls.
    pub fn find_each(
        &self,
        text: &str,
        context: &FieldContext<'_>,
        scratch: &mut Vec<Match>,
        mut sink: impl FnMut(usize, &[Match]),
    ) {
        if text.len() < self.min_len || self.detectors.is_empty() {
            return;
        }
        let profile = TextProfile::of(text);
        // Only texts with enough digits for a number detector need their digit stretches.
        let groups = (profile.digits >= self.groups_from_digits).then(|| DigitGroups::of(text));
        for (i, ((detector, needs), group_needs)) in self
            .detectors
            .iter()
            .zip(&self.needs)
            .zip(&self.groups)
            .enumerate()
        {
            if !profile.meets(needs)
                || groups.is_some_and(|g| !g.meets(*group_needs))
                || (groups.is_none() && *group_needs != DigitGroups::default())
            {
                continue;
            }
            scratch.clear();
            detector.find(text, context, scratch);
            if !scratch.is_empty() {
                sink(i, scratch);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profiles_classes_digits_and_token_runs() {
        let p = TextProfile::of("mail ada@example.org, ip 10.0.1.2");
        assert_eq!(p.digits, 5);
        assert_eq!(p.longest_token_run, 7);
        assert_ne!(p.bytes & class::AT, 0);
        assert_ne!(p.bytes & class::DOT, 0);
        assert_eq!(p.bytes & class::COLON, 0);
        assert_eq!(p.bytes & class::UPPER, 0);
        let p = TextProfile::of("Zoë sk_live_abc+/-x");
        assert_eq!(p.longest_token_run, 15);
        assert_ne!(p.bytes & class::LETTER_B, 0);
    }

    #[test]
    fn digit_stretches_skip_only_what_cannot_match() {
        let g = DigitGroups::of("called 2026-11-30, ip 10.0.12.34 (415) 555-0123");
        assert_eq!(g.digits_dashes, 8);
        assert_eq!(g.phone, 17);
        let plain = DetectorSet::new(super::super::builtin());
        let grammar = DetectorSet::builtin();
        let context = FieldContext {
            key_words: &["phone", "ssn"],
        };
        for text in [
            "(415) 555-0123",
            "+44 20 7946 0958 or +14155550123",
            "415.555.0123, 1-800-555-0199, 020 7946 0958",
            "ssn 123-45-6789 or 123 45 6789 or 123456789",
            "4111 1111 1111 1111 / 4111-1111-1111-1111 / 4111111111111111 / 3782 822463 10005",
            "order 1234 shipped with tracking 1Z001234, 2026-11-30",
            "4222 2222 2222 2 and DE89 3704 0044 0532 0130 00",
        ] {
            for ctx in [FieldContext::default(), context] {
                let each = |set: &DetectorSet| {
                    let mut found = Vec::new();
                    set.find_each(text, &ctx, &mut Vec::new(), |i, m| {
                        found.push((i, m.to_vec()));
                    });
                    found
                };
                assert_eq!(each(&plain), each(&grammar), "{text}");
            }
        }
    }

    #[test]
    fn skips_detectors_whose_needs_are_not_met() {
        let set = DetectorSet::builtin();
        let mut out = Vec::new();
        set.find_all("Paris", &FieldContext::default(), &mut out);
        assert!(out.is_empty());
        set.find_all(
            "mail ada@example.org from 10.0.1.2",
            &FieldContext::default(),
            &mut out,
        );
        let names: Vec<_> = out.iter().map(|m| m.detector.name()).collect();
        assert_eq!(names, ["email", "ipv4"]);
    }
}
