//! `tapedeck detectors`: precision and recall of each built-in detector on the labelled set.
//!
//! The set is `redact::labelled::generate(FIXED_SEED)` (the same cases as the committed
//! `core/tests/fixtures/labelled/set.jsonl`); a match counts only with its exact span. Each
//! detector is scored on its own, and the command checks that the [`DetectorSet`] fast path
//! that `redact` and `scan` use reports the same matches on every case (an error, exit 2, if
//! not). Exit 1 when any detector is below 1.0 precision or recall: the set is built so every
//! detector scores 1.0, so anything less is a regression.

use std::io::Write as _;
use std::process::ExitCode;

use tapedeck_core::redact::detect::{DetectorSet, FieldContext, Match};
use tapedeck_core::redact::labelled::{
    DetectorScore, FIXED_SEED, LabelledCase, evaluate, generate, score_table,
};

use crate::args::DetectorsArgs;

pub fn run(args: &DetectorsArgs) -> anyhow::Result<ExitCode> {
    let cases = generate(FIXED_SEED);
    let set = DetectorSet::builtin();
    let scores = evaluate(set.detectors(), &cases);
    let agrees = set_agrees_with_each_detector(&set, &cases);
    let mut out = std::io::stdout().lock();
    if args.json {
        for s in &scores {
            let row = serde_json::json!({
                "detector": s.detector.name(),
                "true_positives": s.true_positives,
                "false_positives": s.false_positives,
                "false_negatives": s.false_negatives,
                "precision": s.precision(),
                "recall": s.recall(),
            });
            writeln!(out, "{row}")?;
        }
    } else {
        writeln!(
            out,
            "{} labelled cases (seed {FIXED_SEED:#x}), exact spans\n",
            cases.len()
        )?;
        write!(out, "{}", score_table(&scores))?;
    }
    out.flush()?;
    if !agrees {
        anyhow::bail!("the detector set's fast path disagrees with the detectors run one by one");
    }
    let perfect = |s: &DetectorScore| s.precision() >= 1.0 && s.recall() >= 1.0;
    Ok(if scores.iter().all(perfect) {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// Whether the set reports, on every case, what its detectors report one by one (the scores
/// above are computed one by one).
fn set_agrees_with_each_detector(set: &DetectorSet, cases: &[LabelledCase]) -> bool {
    let mut fast: Vec<Match> = Vec::new();
    let mut slow: Vec<Match> = Vec::new();
    cases.iter().all(|case| {
        let words: Vec<&str> = case.key_words.iter().map(String::as_str).collect();
        let context = FieldContext { key_words: &words };
        fast.clear();
        slow.clear();
        set.find_all(&case.text, &context, &mut fast);
        for detector in set.detectors() {
            detector.find(&case.text, &context, &mut slow);
        }
        fast == slow
    })
}
