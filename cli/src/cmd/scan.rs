//! `tapedeck scan`: find what the policy would redact, without writing. Exit 0 when clean, 1
//! when anything is found, 2 on errors.

use std::collections::BTreeSet;
use std::io::Write as _;
use std::process::ExitCode;

use anyhow::Context as _;
use rayon::prelude::*;
use tapedeck_core::format::gzip;
use tapedeck_core::redact::{Finding, Findings};

use crate::args::ScanArgs;
use crate::cmd::redact::{build_redactor, progress};
use crate::fsio;

/// One finding placed in a file.
struct Located {
    file: String,
    line: usize,
    column: usize,
    finding: Finding,
}

/// What identifies a finding in a baseline: file, place, rule and keyed fingerprint (never
/// the value).
type BaselineKey = (String, String, Option<String>, String, Option<String>);

fn key_of(l: &Located) -> BaselineKey {
    (
        l.file.clone(),
        l.finding.json_path(),
        l.finding.field().map(str::to_owned),
        l.finding.rule().to_owned(),
        l.finding.fingerprint().map(str::to_owned),
    )
}

pub fn run(args: &ScanArgs) -> anyhow::Result<ExitCode> {
    let redactor = build_redactor(&args.policy)?;
    let files = fsio::collect_files(&args.inputs.paths)?;
    let baseline = match &args.baseline {
        Some(path) => read_baseline(path)?,
        None => BTreeSet::new(),
    };
    let bar = progress(files.len());
    let results: Vec<anyhow::Result<Vec<Located>>> = files
        .par_iter()
        .map(|path| {
            let name = fsio::display_name(path);
            let result = fsio::read_input(path).and_then(|bytes| {
                let findings = redactor
                    .scan(&bytes)
                    .with_context(|| format!("{name}: cannot scan"))?;
                Ok(locate(&name, &bytes, findings))
            });
            bar.inc(1);
            result
        })
        .collect();
    bar.finish_and_clear();

    let mut failed = false;
    let mut found = Vec::new();
    for result in results {
        match result {
            Ok(list) => found.extend(list),
            Err(err) => {
                failed = true;
                eprintln!("tapedeck: {err:#}");
            }
        }
    }
    if let Some(path) = &args.write_baseline {
        let mut bytes = serde_json::to_vec_pretty(&baseline_json(&found))?;
        bytes.push(b'\n');
        fsio::write_atomic(path, &bytes)?;
    }
    found.retain(|l| !in_baseline(&baseline, l));

    let mut out = std::io::stdout().lock();
    if args.sarif {
        serde_json::to_writer_pretty(&mut out, &sarif(&found))?;
        writeln!(out)?;
    } else if args.json {
        for l in &found {
            serde_json::to_writer(&mut out, &finding_json(l))?;
            writeln!(out)?;
        }
    } else {
        for l in &found {
            let f = &l.finding;
            let field = f.field().map(|s| format!(" {s}")).unwrap_or_default();
            writeln!(
                out,
                "{}:{}:{}: {} ({}) at {}{field}",
                l.file,
                l.line,
                l.column,
                f.rule(),
                f.operator(),
                f.json_path()
            )?;
        }
    }
    if !args.json && !args.sarif {
        let files: BTreeSet<&str> = found.iter().map(|l| l.file.as_str()).collect();
        eprintln!("{} findings in {} files", found.len(), files.len());
    }
    Ok(if failed {
        ExitCode::from(2)
    } else if found.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// Adds line and column (1-based, in characters) of each finding's span.
fn locate(name: &str, bytes: &[u8], findings: Findings) -> Vec<Located> {
    let text = if gzip::is_gzip(bytes) {
        gzip::inflate(bytes, tapedeck_core::format::MAX_INFLATED_BYTES).unwrap_or_default()
    } else {
        bytes.to_vec()
    };
    findings
        .into_iter()
        .map(|finding| {
            let before = text.get(..finding.span().start).unwrap_or(&text);
            let line = before.split(|b| *b == b'\n').count();
            let line_start = before
                .iter()
                .rposition(|b| *b == b'\n')
                .map_or(0, |i| i + 1);
            let column = before
                .get(line_start..)
                .unwrap_or(&[])
                .iter()
                .filter(|b| (**b & 0xC0) != 0x80)
                .count()
                + 1;
            Located {
                file: name.to_owned(),
                line,
                column,
                finding,
            }
        })
        .collect()
}

fn finding_json(l: &Located) -> serde_json::Value {
    let f = &l.finding;
    serde_json::json!({
        "file": l.file,
        "line": l.line,
        "column": l.column,
        "json_path": f.json_path(),
        "field": f.field(),
        "rule": f.rule(),
        "operator": f.operator(),
        "fingerprint": f.fingerprint(),
    })
}

fn baseline_json(found: &[Located]) -> serde_json::Value {
    let entries: Vec<serde_json::Value> = found
        .iter()
        .map(|l| {
            serde_json::json!({
                "file": l.file,
                "json_path": l.finding.json_path(),
                "field": l.finding.field(),
                "rule": l.finding.rule(),
                "fingerprint": l.finding.fingerprint(),
            })
        })
        .collect();
    serde_json::json!({ "version": 1, "findings": entries })
}

fn read_baseline(path: &std::path::Path) -> anyhow::Result<BTreeSet<BaselineKey>> {
    let bytes = fsio::read_input(path)?;
    let value: serde_json::Value = serde_json::from_slice(&bytes)
        .with_context(|| format!("{}: not a baseline file", path.display()))?;
    let text =
        |v: &serde_json::Value, k: &str| v.get(k).and_then(|x| x.as_str()).map(str::to_owned);
    let mut out = BTreeSet::new();
    for entry in value
        .get("findings")
        .and_then(|f| f.as_array())
        .map(Vec::as_slice)
        .unwrap_or_default()
    {
        out.insert((
            text(entry, "file").unwrap_or_default(),
            text(entry, "json_path").unwrap_or_default(),
            text(entry, "field"),
            text(entry, "rule").unwrap_or_default(),
            text(entry, "fingerprint"),
        ));
    }
    Ok(out)
}

/// A baseline entry matches on file, place and rule; when both sides have a fingerprint it
/// must match too, so a changed secret at the same place is reported again.
fn in_baseline(baseline: &BTreeSet<BaselineKey>, l: &Located) -> bool {
    let key = key_of(l);
    if baseline.contains(&key) {
        return true;
    }
    baseline.iter().any(|b| {
        b.0 == key.0
            && b.1 == key.1
            && b.2 == key.2
            && b.3 == key.3
            && (b.4.is_none() || key.4.is_none())
    })
}

fn sarif(found: &[Located]) -> serde_json::Value {
    let rules: BTreeSet<&str> = found.iter().map(|l| l.finding.rule()).collect();
    let rules: Vec<serde_json::Value> = rules
        .into_iter()
        .map(|r| {
            serde_json::json!({
                "id": r,
                "shortDescription": { "text": format!("value matched by the {r} redaction rule") },
            })
        })
        .collect();
    let results: Vec<serde_json::Value> = found
        .iter()
        .map(|l| {
            let f = &l.finding;
            let field = f.field().map(|s| format!(" ({s})")).unwrap_or_default();
            let mut result = serde_json::json!({
                "ruleId": f.rule(),
                "level": "error",
                "message": { "text": format!("{} at {}{field} would be redacted ({})", f.rule(), f.json_path(), f.operator()) },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": l.file.replace('\\', "/") },
                        "region": { "startLine": l.line, "startColumn": l.column },
                    },
                    "logicalLocations": [{ "fullyQualifiedName": f.json_path() }],
                }],
            });
            if let (Some(fp), Some(obj)) = (&f.fingerprint(), result.as_object_mut()) {
                obj.insert(
                    String::from("partialFingerprints"),
                    serde_json::json!({ "tapedeckValue/v1": fp }),
                );
            }
            result
        })
        .collect();
    serde_json::json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "tapedeck",
                "informationUri": "https://example.invalid/tapedeck",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "results": results,
        }],
    })
}
