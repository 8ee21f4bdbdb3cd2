//! [`DetectorSet`]: every detector over one string, after one shared look at the string.
//!
//! Run one by one, 22 detectors scan every string 22 times, although almost every string can
//! only match a few of them (`Paris` holds no digit, no `@`, no 20-character token). The set
//! first makes one pass over the bytes with a 256-entry class table (which byte classes occur,
//! how many ASCII digits), looks up which detectors' [`Needs`] that meets as bit masks, measures
//! token runs and digit stretches only when a remaining detector asks for them, then calls only
//! the detectors left. A detector's needs are necessary conditions of any match it can report,
//! so skipping it never changes a result: the set reports exactly what the detectors report
//! one by one, in the same order.

use super::pii::phone_key;
use super::profile::{TextProfile, class, classes_and_digits, longest_token_run, low16};
use super::{Detector, DetectorId, FieldContext, Match, Needs};

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

/// By byte: which halves of [`DigitGroups::of`]'s counter word go on (all ones) or restart,
/// and what a digit adds to both.
const fn group_steps() -> [(u64, u64); 256] {
    let mut table = [(0u64, 0u64); 256];
    let mut i = 0;
    while i < 256 {
        let class = GROUP_BYTES[i];
        let mut keep = 0;
        if class & DIGITS_DASHES != 0 {
            keep |= 0xFFFF_FFFF;
        }
        if class & PHONE_BYTES != 0 {
            keep |= 0xFFFF_FFFF << 32;
        }
        let add = if i >= b'0' as usize && i <= b'9' as usize {
            1 | 1 << 32
        } else {
            0
        };
        table[i] = (keep, add);
        i += 1;
    }
    table
}

static GROUP_STEPS: [(u64, u64); 256] = group_steps();

/// The most digits in one stretch of text made only of [`DIGITS_DASHES`] bytes, and of
/// [`PHONE_BYTES`] bytes. Every match of the payment card, SSN and phone detectors is such a
/// stretch (see `pii/card.rs`, `pii/ssn.rs`, `pii/phone.rs`), so these bound what they can find.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct DigitGroups {
    digits_dashes: usize,
    phone: usize,
}

/// The fewest digits any number grammar needs in one stretch (a phone under a phone key).
const LEAST_GROUP_DIGITS: usize = 7;

impl DigitGroups {
    /// The most digits in one stretch of each class, where that is at least
    /// [`LEAST_GROUP_DIGITS`] (smaller counts may read as less, even 0: no grammar tells them
    /// apart). Both classes' stretches lie inside runs of [`PHONE_BYTES`], so only runs of at
    /// least that many bytes are counted; they are found by looking at windows of that length
    /// from their end, which steps over text of words and short numbers a window at a time.
    fn of(text: &str) -> DigitGroups {
        if u32::try_from(text.len()).is_err() {
            // a half could overflow: claim enough for every detector
            return DigitGroups {
                digits_dashes: usize::MAX,
                phone: usize::MAX,
            };
        }
        let b = text.as_bytes();
        let outside = |c: &u8| GROUP_BYTES[usize::from(*c)] & PHONE_BYTES == 0;
        let mut most = DigitGroups::default();
        // `i` never follows a phone byte
        let mut i = 0;
        while let Some(window) = b.get(i..i + LEAST_GROUP_DIGITS) {
            if let Some(k) = window.iter().rposition(outside) {
                i += k + 1;
                continue;
            }
            let rest = b.get(i + LEAST_GROUP_DIGITS..).unwrap_or_default();
            let end = i + LEAST_GROUP_DIGITS + rest.iter().position(outside).unwrap_or(rest.len());
            let run = DigitGroups::counted(b.get(i..end).unwrap_or_default());
            most.digits_dashes = most.digits_dashes.max(run.digits_dashes);
            most.phone = most.phone.max(run.phone);
            i = end + 1;
        }
        most
    }

    /// The most digits in one stretch of each class in `b` (shorter than 4 GiB), exactly, in
    /// one pass. Both counts live in one word (digits-and-dashes in the low half, phone in the
    /// high half), so each byte costs one add and one mask; the high half's maximum is the
    /// maximum of the whole word.
    fn counted(b: &[u8]) -> DigitGroups {
        const LOW: u64 = 0xFFFF_FFFF;
        let (mut count, mut most_phone, mut most_dashes) = (0u64, 0u64, 0u64);
        for &c in b {
            let (keep, add) = GROUP_STEPS[usize::from(c)];
            count = (count + add) & keep;
            most_phone = most_phone.max(count);
            most_dashes = most_dashes.max(count & LOW);
        }
        let size = |n: u64| usize::try_from(n).unwrap_or(usize::MAX);
        DigitGroups {
            digits_dashes: size(most_dashes),
            phone: size(most_phone >> 32),
        }
    }
}

/// The built-in number grammar of one detector, beyond its [`Needs`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Grammar {
    /// A payment card: 13 digits in one digits-and-dashes stretch.
    Card,
    /// An SSN: 9 digits in one digits-and-dashes stretch.
    Ssn,
    /// A phone: 10 digits in one phone stretch (North American and trunk forms), 8 after a `+`,
    /// 7 under a phone key (see `phone_valid` in `pii/phone.rs`).
    Phone,
}

/// Bit masks of a set's detectors (bit `i` for detector `i`) by what they need, so the
/// candidates for a text are a few table lookups and ANDs.
struct Plan {
    /// Detectors whose needed classes in the low (high) byte of [`Needs::bytes`] are all among
    /// the given byte of classes present.
    by_low: [u64; 256],
    by_high: [u64; 256],
    digits: Thresholds,
    len: Thresholds,
    run: Thresholds,
    /// Detectors needing a token run.
    wants_run: u64,
    card: u64,
    ssn: u64,
    phone: u64,
}

/// `at[v]`: the detectors whose threshold is at most `v`; the last entry holds for larger `v`.
struct Thresholds {
    at: Vec<u64>,
    /// The distinct thresholds above zero, ascending, each with the detectors that have it.
    steps: Vec<(usize, u64)>,
}

impl Thresholds {
    fn new(thresholds: &[usize]) -> Thresholds {
        let mask = |keep: &dyn Fn(usize) -> bool| {
            (0..thresholds.len())
                .filter(|&i| thresholds.get(i).copied().is_some_and(keep))
                .fold(0u64, |mask, i| mask | 1 << i)
        };
        let top = thresholds.iter().copied().max().unwrap_or(0);
        let at = (0..=top).map(|v| mask(&|t| t <= v)).collect();
        let mut distinct: Vec<usize> = thresholds.iter().copied().filter(|&t| t > 0).collect();
        distinct.sort_unstable();
        distinct.dedup();
        let steps = distinct
            .into_iter()
            .map(|v| (v, mask(&|t| t == v)))
            .collect();
        Thresholds { at, steps }
    }

    #[inline]
    fn get(&self, v: usize) -> u64 {
        self.at
            .get(v)
            .or_else(|| self.at.last())
            .copied()
            .unwrap_or(0)
    }

    /// The least threshold above zero of the detectors in `mask` (1 if none has one).
    fn least_in(&self, mask: u64) -> usize {
        self.steps
            .iter()
            .find(|&&(_, m)| m & mask != 0)
            .map_or(1, |&(v, _)| v)
    }
}

impl Plan {
    /// For at most 64 detectors.
    fn new(needs: &[Needs], grammar: &[Option<Grammar>]) -> Option<Box<Plan>> {
        if needs.len() > 64 {
            return None;
        }
        let mask_of = |keep: &dyn Fn(usize) -> bool| {
            (0..needs.len())
                .filter(|&i| keep(i))
                .fold(0u64, |mask, i| mask | 1 << i)
        };
        let bytes_of = |i: usize| needs.get(i).map_or(0, |n| n.bytes);
        let mut by_low = [0u64; 256];
        let mut by_high = [0u64; 256];
        for (present, (low, high)) in (0u16..).zip(by_low.iter_mut().zip(by_high.iter_mut())) {
            *low = mask_of(&|i| bytes_of(i) & 0xFF & !present == 0);
            *high = mask_of(&|i| (bytes_of(i) >> 8) & !present == 0);
        }
        let grammar_mask = |g: Grammar| mask_of(&|i| grammar.get(i) == Some(&Some(g)));
        Some(Box::new(Plan {
            by_low,
            by_high,
            digits: Thresholds::new(&needs.iter().map(|n| n.digits).collect::<Vec<_>>()),
            len: Thresholds::new(&needs.iter().map(|n| n.len).collect::<Vec<_>>()),
            run: Thresholds::new(&needs.iter().map(|n| n.token_run).collect::<Vec<_>>()),
            wants_run: mask_of(&|i| needs.get(i).is_some_and(|n| n.token_run > 0)),
            card: grammar_mask(Grammar::Card),
            ssn: grammar_mask(Grammar::Ssn),
            phone: grammar_mask(Grammar::Phone),
        }))
    }

    /// The detectors that can match `text`, whose [`classes_and_digits`] are `classes`.
    fn candidates(&self, text: &str, classes: (u32, usize), context: &FieldContext<'_>) -> u64 {
        let b = text.as_bytes();
        let (bits, digits) = classes;
        let [low, high] = low16(bits).to_le_bytes();
        let mut cands = self.by_low[usize::from(low)]
            & self.by_high[usize::from(high)]
            & self.digits.get(digits)
            & self.len.get(b.len());
        if cands & self.wants_run != 0 {
            let least = self.run.least_in(cands & self.wants_run);
            cands &= self.run.get(longest_token_run(b, least));
        }
        let numbers = self.card | self.ssn | self.phone;
        if cands & numbers != 0 {
            let g = DigitGroups::of(text);
            let plus = bits & class::PLUS != 0;
            if g.digits_dashes < 13 {
                cands &= !self.card;
            }
            if g.digits_dashes < 9 {
                cands &= !self.ssn;
            }
            // Asked last: the key words are looked at only for a 7 to 9 digit stretch.
            let phone = g.phone >= 10
                || (g.phone >= 8 && plus)
                || (g.phone >= 7 && cands & self.phone != 0 && phone_key(context));
            if !phone {
                cands &= !self.phone;
            }
        }
        cands
    }
}

/// Detectors run together over one string, each only when the string can hold its matches.
pub struct DetectorSet {
    detectors: Vec<Box<dyn Detector>>,
    needs: Vec<Needs>,
    /// What every detector needs at least: a text below it skips the profile too.
    min_len: usize,
    /// The built-in number grammar by detector, for a set of built-in detectors (`None`
    /// otherwise).
    grammar: Vec<Option<Grammar>>,
    /// `None` for sets of more than 64 detectors, which check each detector's needs in turn.
    plan: Option<Box<Plan>>,
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
        let grammar = vec![None; detectors.len()];
        let plan = Plan::new(&needs, &grammar);
        DetectorSet {
            detectors,
            needs,
            min_len,
            grammar,
            plan,
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
        for (detector, grammar) in self.detectors.iter().zip(self.grammar.iter_mut()) {
            *grammar = match detector.id() {
                DetectorId::PaymentCard => Some(Grammar::Card),
                DetectorId::Ssn => Some(Grammar::Ssn),
                DetectorId::Phone => Some(Grammar::Phone),
                _ => None,
            };
        }
        self.plan = Plan::new(&self.needs, &self.grammar);
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
        self.each_applicable(text, None, context, |_, detector| {
            detector.find(text, context, out);
        });
    }

    /// Calls `sink(index, matches)` for each detector (by its index in the set) that found
    /// something in `text`, in order. `scratch` is reused between detectors and calls.
    pub fn find_each(
        &self,
        text: &str,
        context: &FieldContext<'_>,
        scratch: &mut Vec<Match>,
        sink: impl FnMut(usize, &[Match]),
    ) {
        self.find_each_classified(text, None, context, scratch, sink);
    }

    /// [`DetectorSet::find_each`] for a caller that already has the text's
    /// [`classes_and_digits`] (the walk, which routes strings by them).
    pub(crate) fn find_each_classified(
        &self,
        text: &str,
        classes: Option<(u32, usize)>,
        context: &FieldContext<'_>,
        scratch: &mut Vec<Match>,
        mut sink: impl FnMut(usize, &[Match]),
    ) {
        self.each_applicable(text, classes, context, |i, detector| {
            scratch.clear();
            detector.find(text, context, scratch);
            if !scratch.is_empty() {
                sink(i, scratch);
            }
        });
    }

    /// Calls `run(index, detector)` for each detector that can match `text`, in order.
    #[inline]
    fn each_applicable(
        &self,
        text: &str,
        classes: Option<(u32, usize)>,
        context: &FieldContext<'_>,
        mut run: impl FnMut(usize, &dyn Detector),
    ) {
        if text.len() < self.min_len || self.detectors.is_empty() {
            return;
        }
        let Some(plan) = &self.plan else {
            // Over 64 detectors: no masks, each detector's needs in turn.
            let profile = TextProfile::of(text);
            for (i, (detector, needs)) in self.detectors.iter().zip(&self.needs).enumerate() {
                if profile.meets(needs) {
                    run(i, detector.as_ref());
                }
            }
            return;
        };
        let classes = classes.unwrap_or_else(|| classes_and_digits(text.as_bytes()));
        let mut cands = plan.candidates(text, classes, context);
        while cands != 0 {
            let i = cands.trailing_zeros() as usize;
            cands &= cands - 1;
            if let Some(detector) = self.detectors.get(i) {
                run(i, detector.as_ref());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digit_stretches_skip_only_what_cannot_match() {
        let g = DigitGroups::of("called 2026-11-30, ip 10.0.12.34 (415) 555-0123");
        assert_eq!(g.digits_dashes, 8);
        assert_eq!(g.phone, 17);
        let g = DigitGroups::counted(b"12a 3-4x5.6.7");
        assert_eq!(g.digits_dashes, 2);
        assert_eq!(g.phone, 3);
        // Below the least count any grammar needs, runs are not counted: reads as 0.
        assert_eq!(DigitGroups::of("12a 3-4x5.6.7"), DigitGroups::default());
        // Every stretch reaching it is counted exactly, wherever it sits.
        let mut rng = 0x2545_f491_4f6c_dd1d_u64;
        for _ in 0..20_000 {
            let text: String = (0..rng % 40)
                .map(|_| {
                    rng ^= rng << 13;
                    rng ^= rng >> 7;
                    rng ^= rng << 17;
                    b"0123456789 -.()+ax"[usize::try_from(rng % 18).unwrap_or(0)] as char
                })
                .collect();
            let (fast, exact) = (
                DigitGroups::of(&text),
                DigitGroups::counted(text.as_bytes()),
            );
            let seen = |n: usize| if n >= LEAST_GROUP_DIGITS { n } else { 0 };
            assert_eq!(
                seen(fast.digits_dashes),
                seen(exact.digits_dashes),
                "{text:?}"
            );
            assert_eq!(seen(fast.phone), seen(exact.phone), "{text:?}");
        }
        let plain = DetectorSet::new(super::super::builtin());
        let grammar = DetectorSet::builtin();
        let context = FieldContext {
            key_words: &["phone", "ssn"],
        };
        for text in [
            "(415) 555-0123",
            "+44 20 7946 0958 or +14155550123",
            "+4420794609",
            "415.555.0123, 1-800-555-0199, 020 7946 0958",
            "5551234 and 55512345 and 555123456",
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
                let one_by_one: Vec<_> = plain
                    .detectors()
                    .iter()
                    .enumerate()
                    .filter_map(|(i, d)| {
                        let mut out = Vec::new();
                        d.find(text, &ctx, &mut out);
                        (!out.is_empty()).then_some((i, out))
                    })
                    .collect();
                assert_eq!(each(&grammar), one_by_one, "{text}");
            }
        }
    }

    #[test]
    fn reports_what_the_detectors_report_one_by_one() {
        // Generated texts dense in digits, separators and scheme letters, with and without a
        // phone and an ssn key: the set's skipping never loses a match.
        const PIECES: [&str; 27] = [
            "4222222222222",
            "415-555-0123",
            "020 7946 0958",
            "1",
            "23",
            "456",
            "7890",
            "0",
            "415",
            "555",
            "0123",
            "078",
            "05",
            "1120",
            " ",
            " ",
            "-",
            "-",
            ".",
            "(",
            ")",
            "+",
            "a",
            "Z",
            "@x.io",
            "b",
            ":",
        ];
        let set = DetectorSet::builtin();
        let mut seed = 0x5EED_u64;
        let mut next = |n: usize| {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            usize::try_from(seed >> 33).unwrap_or(0) % n
        };
        for _ in 0..3000 {
            let len = next(24);
            let text: String = (0..len).map(|_| PIECES[next(PIECES.len())]).collect();
            for words in [&[][..], &["phone"][..], &["ssn"][..]] {
                let ctx = FieldContext { key_words: words };
                let mut found = Vec::new();
                set.find_each(&text, &ctx, &mut Vec::new(), |i, m| {
                    found.push((i, m.to_vec()));
                });
                let one_by_one: Vec<_> = set
                    .detectors()
                    .iter()
                    .enumerate()
                    .filter_map(|(i, d)| {
                        let mut out = Vec::new();
                        d.find(&text, &ctx, &mut out);
                        (!out.is_empty()).then_some((i, out))
                    })
                    .collect();
                assert_eq!(found, one_by_one, "{text:?} {words:?}");
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
