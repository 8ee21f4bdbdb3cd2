//! A reproducible labelled evaluation set for the detectors, and its scorer.
//!
//! [`generate`] builds, from a seed and a tiny PRNG (splitmix64), positives for every detector
//! in several shapes and positions (alone, inside a sentence, at the start or end, in JSON-ish
//! text, in a query string or log line, next to punctuation, under a key) and hard negatives
//! (UUIDs, epoch times, order numbers, version strings, hex digests, base64 images, ISO dates,
//! words such as `message` or `trace_id`, and the strings Timetracer gets wrong). Every case
//! lists every match any detector should report, as byte ranges.
//!
//! [`evaluate`] runs detectors over the cases and counts exact-span true positives, false
//! positives and false negatives per detector; [`score_table`] renders the counts.
//!
//! Pure: no I/O, no clock, no randomness source. The set committed under
//! `core/tests/fixtures/labelled/set.jsonl` is `generate(FIXED_SEED)`.

use std::fmt::Write as _;

use super::detect::{Detector, DetectorId, FieldContext, Match};

mod generate;

pub use generate::generate;

/// The seed of the committed set.
pub const FIXED_SEED: u64 = 0x7A9E_DEC0_2024_0115;

/// One text with the context it is found under and every match expected in it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LabelledCase {
    pub text: String,
    /// Lower-cased key words the text sits under (empty for free text).
    pub key_words: Vec<String>,
    /// Every expected match, sorted by start then detector.
    pub expected: Vec<Match>,
}

/// Exact-span counts for one detector.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DetectorScore {
    pub detector: DetectorId,
    pub true_positives: usize,
    pub false_positives: usize,
    pub false_negatives: usize,
}

fn ratio(hits: usize, total: usize) -> f64 {
    if total == 0 {
        return 1.0;
    }
    let hits = f64::from(u32::try_from(hits).unwrap_or(u32::MAX));
    let total = f64::from(u32::try_from(total).unwrap_or(u32::MAX));
    hits / total
}

impl DetectorScore {
    /// TP / (TP + FP); 1.0 when the detector reported nothing.
    pub fn precision(&self) -> f64 {
        ratio(
            self.true_positives,
            self.true_positives + self.false_positives,
        )
    }

    /// TP / (TP + FN); 1.0 when nothing was expected.
    pub fn recall(&self) -> f64 {
        ratio(
            self.true_positives,
            self.true_positives + self.false_negatives,
        )
    }
}

/// Whether a detector missed an expected match or reported an unexpected one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MissKind {
    FalsePositive,
    FalseNegative,
}

/// One disagreement between a detector and the labels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Miss {
    pub case_index: usize,
    pub kind: MissKind,
    pub found: Match,
}

fn run_case(
    detectors: &[Box<dyn Detector>],
    case: &LabelledCase,
    found: &mut Vec<Match>,
    mut visit: impl FnMut(DetectorId, Option<MissKind>, Match),
) {
    let words: Vec<&str> = case.key_words.iter().map(String::as_str).collect();
    let context = FieldContext { key_words: &words };
    for detector in detectors {
        let id = detector.id();
        found.clear();
        detector.find(&case.text, &context, found);
        for m in found.iter() {
            let kind = if case.expected.contains(m) {
                None
            } else {
                Some(MissKind::FalsePositive)
            };
            visit(id, kind, *m);
        }
        for m in case.expected.iter().filter(|m| m.detector == id) {
            if !found.contains(m) {
                visit(id, Some(MissKind::FalseNegative), *m);
            }
        }
    }
}

/// Scores `detectors` on `cases`: one row per detector, in the order given.
pub fn evaluate(detectors: &[Box<dyn Detector>], cases: &[LabelledCase]) -> Vec<DetectorScore> {
    let mut scores: Vec<DetectorScore> = detectors
        .iter()
        .map(|d| DetectorScore {
            detector: d.id(),
            true_positives: 0,
            false_positives: 0,
            false_negatives: 0,
        })
        .collect();
    let mut found = Vec::new();
    for case in cases {
        run_case(detectors, case, &mut found, |id, kind, _| {
            if let Some(score) = scores.iter_mut().find(|s| s.detector == id) {
                match kind {
                    None => score.true_positives += 1,
                    Some(MissKind::FalsePositive) => score.false_positives += 1,
                    Some(MissKind::FalseNegative) => score.false_negatives += 1,
                }
            }
        });
    }
    scores
}

/// Every disagreement, in case order (for reports and failing tests).
pub fn misses(detectors: &[Box<dyn Detector>], cases: &[LabelledCase]) -> Vec<Miss> {
    let mut out = Vec::new();
    let mut found = Vec::new();
    for (case_index, case) in cases.iter().enumerate() {
        run_case(detectors, case, &mut found, |_, kind, m| {
            if let Some(kind) = kind {
                out.push(Miss {
                    case_index,
                    kind,
                    found: m,
                });
            }
        });
    }
    out
}

/// A plain-text table: detector, TP, FP, FN, precision, recall, and a total row.
pub fn score_table(scores: &[DetectorScore]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<22} {:>6} {:>6} {:>6} {:>9} {:>9}",
        "detector", "TP", "FP", "FN", "precision", "recall"
    );
    let mut total = (0, 0, 0);
    for s in scores {
        total.0 += s.true_positives;
        total.1 += s.false_positives;
        total.2 += s.false_negatives;
        let _ = writeln!(
            out,
            "{:<22} {:>6} {:>6} {:>6} {:>9.3} {:>9.3}",
            s.detector.name(),
            s.true_positives,
            s.false_positives,
            s.false_negatives,
            s.precision(),
            s.recall()
        );
    }
    let _ = writeln!(
        out,
        "{:<22} {:>6} {:>6} {:>6} {:>9.3} {:>9.3}",
        "total",
        total.0,
        total.1,
        total.2,
        ratio(total.0, total.0 + total.1),
        ratio(total.0, total.0 + total.2)
    );
    out
}
