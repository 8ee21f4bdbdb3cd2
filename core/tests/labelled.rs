//! The labelled evaluation set: the committed file equals `generate(FIXED_SEED)`, and every
//! built-in detector keeps its precision and recall on it.
//!
//! Regenerate the committed file after changing the generator:
//! `cargo test -p tapedeck_core --test labelled -- --ignored regenerate_labelled_set`.

#![expect(
    clippy::disallowed_methods,
    reason = "the test reads and writes the committed fixture; core itself stays pure"
)]

use std::fmt::Write as _;
use std::path::PathBuf;

use serde_json::json;
use tapedeck_core::redact::detect::{DetectorId, builtin};
use tapedeck_core::redact::labelled::{
    FIXED_SEED, LabelledCase, MissKind, evaluate, generate, misses, score_table,
};

fn set_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/labelled/set.jsonl")
}

fn to_jsonl(cases: &[LabelledCase]) -> String {
    let mut out = String::new();
    for case in cases {
        let expected: Vec<_> = case
            .expected
            .iter()
            .map(|m| json!({"detector": m.detector.name(), "start": m.start, "end": m.end}))
            .collect();
        let line = json!({"text": case.text, "key_words": case.key_words, "expected": expected});
        out.push_str(&line.to_string());
        out.push('\n');
    }
    out
}

#[test]
#[ignore = "writes the committed fixture; run by hand after changing the generator"]
fn regenerate_labelled_set() {
    let path = set_path();
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, to_jsonl(&generate(FIXED_SEED))).unwrap();
}

#[test]
fn committed_set_equals_the_generator_output() {
    let committed = std::fs::read_to_string(set_path()).expect("run the regenerate test first");
    let generated = to_jsonl(&generate(FIXED_SEED));
    for (i, (c, g)) in committed.lines().zip(generated.lines()).enumerate() {
        assert_eq!(
            c,
            g,
            "set.jsonl line {} differs from generate(FIXED_SEED)",
            i + 1
        );
    }
    assert_eq!(committed.lines().count(), generated.lines().count());
}

#[test]
fn set_has_enough_positives_for_every_detector_and_enough_negatives() {
    let cases = generate(FIXED_SEED);
    for id in DetectorId::ALL {
        let n = cases
            .iter()
            .filter(|c| c.expected.iter().any(|m| m.detector == id))
            .count();
        assert!(n >= 40, "{}: only {n} positive cases", id.name());
    }
    let negatives = cases.iter().filter(|c| c.expected.is_empty()).count();
    assert!(negatives >= 400, "only {negatives} negative cases");
}

/// Every detector reaches 1.0 precision and recall on the committed set; any regression fails.
const PRECISION_FLOOR: f64 = 1.0;
const RECALL_FLOOR: f64 = 1.0;

#[test]
fn detectors_keep_their_precision_and_recall() {
    let detectors = builtin();
    let cases = generate(FIXED_SEED);
    let scores = evaluate(&detectors, &cases);
    let table = score_table(&scores);
    let mut report = String::new();
    for miss in misses(&detectors, &cases).iter().take(40) {
        let case = &cases[miss.case_index];
        let kind = match miss.kind {
            MissKind::FalsePositive => "FP",
            MissKind::FalseNegative => "FN",
        };
        let _ = writeln!(
            report,
            "{kind} {} {:?} in {:?} (keys {:?})",
            miss.found.detector.name(),
            case.text.get(miss.found.start..miss.found.end),
            case.text,
            case.key_words
        );
    }
    for score in &scores {
        assert!(
            score.precision() >= PRECISION_FLOOR && score.recall() >= RECALL_FLOOR,
            "{} below its floor ({PRECISION_FLOOR}, {RECALL_FLOOR})\n{table}\n{report}",
            score.detector.name()
        );
    }
}
