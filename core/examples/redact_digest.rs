//! Prints a digest of everything the redaction engine produces on the benchmark's 10 MB PII
//! cassette and on every corpus cassette: outputs, edits, findings (path, rule, operator,
//! field, span, fingerprint) and scan results, without a key and with one, then the outputs
//! and edits under each `body_hash` mode. A speed change must leave every line the same: run
//! it before and after.
//!
//! Usage: `cargo run --release -p tapedeck_core --example redact_digest [CORPUS_DIR]`
//! (default `../shared/corpus/timetracer-1.6.0`).
#![expect(
    clippy::disallowed_methods,
    clippy::disallowed_macros,
    reason = "a development program: reads the corpus and prints"
)]

use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};

use tapedeck_core::redact::{DEFAULT_POLICY, Finding, Policy, Redactor, RedactorBuilder};

#[path = "../benches/support/pii.rs"]
mod pii;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| String::from("../shared/corpus/timetracer-1.6.0"));
    let mut files = Vec::new();
    cassettes(Path::new(&dir), &mut files)?;
    files.sort();
    let mut inputs = vec![pii::cassette(10 << 20)];
    for file in &files {
        inputs.push(std::fs::read(file)?);
    }
    for key in [None, Some(b"k".to_vec())] {
        let mut builder = RedactorBuilder::new();
        if let Some(key) = key.clone() {
            builder = builder.with_key(key);
        }
        let redactor = builder.build()?;
        let (digest, findings) = everything(&redactor, &inputs);
        println!(
            "key={} inputs={} findings={findings}: {digest:016x}",
            key.is_some(),
            inputs.len()
        );
    }
    for mode in ["rehash", "hmac", "drop", "keep"] {
        let policy =
            DEFAULT_POLICY.replace("body_hash = \"rehash\"", &format!("body_hash = \"{mode}\""));
        let redactor = RedactorBuilder::new()
            .with_policy(Policy::from_toml(&policy)?)
            .with_key(b"k".to_vec())
            .build()?;
        let mut h = DefaultHasher::new();
        for input in &inputs {
            if let Ok(red) = redactor.redact(input) {
                red.output.hash(&mut h);
                for e in &red.edits {
                    (e.span, e.replacement).hash(&mut h);
                }
            }
        }
        println!("body_hash={mode}: {:016x}", h.finish());
    }
    Ok(())
}

/// The digest of redacting and scanning every input, and the number of redaction findings.
fn everything(redactor: &Redactor, inputs: &[Vec<u8>]) -> (u64, usize) {
    let mut h = DefaultHasher::new();
    let mut count = 0;
    for input in inputs {
        match redactor.redact(input) {
            Err(e) => e.to_string().hash(&mut h),
            Ok(red) => {
                red.output.hash(&mut h);
                for e in &red.edits {
                    (e.span, e.replacement).hash(&mut h);
                }
                count += red.findings.len();
                for f in &red.findings {
                    finding(&f, &mut h);
                }
            }
        }
        match redactor.scan(input) {
            Err(e) => e.to_string().hash(&mut h),
            Ok(found) => {
                for f in &found {
                    finding(&f, &mut h);
                }
            }
        }
    }
    (h.finish(), count)
}

fn finding(f: &Finding, h: &mut DefaultHasher) {
    (
        f.json_path(),
        f.rule(),
        f.operator(),
        f.field(),
        f.span(),
        f.fingerprint(),
    )
        .hash(h);
}

/// The `.json` and `.gz` files under `dir`.
fn cassettes(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            cassettes(&path, out)?;
        } else if path.extension().is_some_and(|x| x == "json" || x == "gz") {
            out.push(path);
        }
    }
    Ok(())
}
