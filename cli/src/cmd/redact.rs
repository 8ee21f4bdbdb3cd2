//! `tapedeck redact`: redact files, folders and `.gz` cassettes into copies or in place.

use std::io::{IsTerminal as _, Write as _};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context as _, bail};
use rayon::prelude::*;
use tapedeck_core::redact::{DEFAULT_POLICY, Findings, Policy, Redactor, RedactorBuilder};

use crate::args::{PolicyArgs, RedactArgs};
use crate::fsio;

/// Environment variable holding the redaction key.
pub const KEY_ENV: &str = "TAPEDECK_REDACT_KEY";

/// Builds the redactor from `--policy`, `--key`, `--key-file` and `TAPEDECK_REDACT_KEY`.
pub fn build_redactor(args: &PolicyArgs) -> anyhow::Result<Redactor> {
    let policy = match &args.policy {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            Policy::from_toml(&text).with_context(|| format!("in {}", path.display()))?
        }
        None => Policy::default(),
    };
    let key: Option<Vec<u8>> = if let Some(key) = &args.key {
        Some(key.as_bytes().to_vec())
    } else if let Some(path) = &args.key_file {
        let mut bytes =
            std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
        while bytes.last().is_some_and(|b| *b == b'\n' || *b == b'\r') {
            bytes.pop();
        }
        Some(bytes)
    } else {
        std::env::var_os(KEY_ENV).map(|v| v.to_string_lossy().as_bytes().to_vec())
    };
    let mut builder = RedactorBuilder::new().with_policy(policy);
    if let Some(key) = key.filter(|k| !k.is_empty()) {
        builder = builder.with_key(key);
    }
    Ok(builder.build()?)
}

/// A progress bar on stderr, hidden when stderr is not a terminal.
pub fn progress(len: usize) -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::new(len as u64);
    if !std::io::stderr().is_terminal() || len < 2 {
        bar.set_draw_target(indicatif::ProgressDrawTarget::hidden());
    }
    if let Ok(style) = indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} {wide_msg}") {
        bar.set_style(style);
    }
    bar
}

/// One input and where its redacted copy goes.
struct Job {
    input: PathBuf,
    output: Option<PathBuf>,
}

struct Outcome {
    name: String,
    findings: Findings,
    changed: bool,
}

pub fn run(args: &RedactArgs) -> anyhow::Result<ExitCode> {
    if args.print_default_policy {
        let mut out = std::io::stdout().lock();
        out.write_all(DEFAULT_POLICY.as_bytes())?;
        return Ok(ExitCode::SUCCESS);
    }
    if args.output.is_none() && !args.in_place && !args.dry_run {
        bail!("say where to write: -o OUT, --in-place, or --dry-run");
    }
    let redactor = build_redactor(&args.policy)?;
    let jobs = plan(args)?;
    let bar = progress(jobs.len());
    let results: Vec<anyhow::Result<Outcome>> = jobs
        .par_iter()
        .map(|job| {
            let result = redact_one(&redactor, job, args.dry_run);
            bar.inc(1);
            result
        })
        .collect();
    bar.finish_and_clear();

    let mut failed = false;
    let mut outcomes = Vec::new();
    for result in results {
        match result {
            Ok(outcome) => outcomes.push(outcome),
            Err(err) => {
                failed = true;
                eprintln!("tapedeck: {err:#}");
            }
        }
    }
    let to_stdout = args.output.as_deref().is_some_and(fsio::is_stdio);
    if !to_stdout {
        let mut out = std::io::stdout().lock();
        for o in &outcomes {
            let verb = if args.dry_run {
                "would redact"
            } else {
                "redacted"
            };
            if o.changed {
                writeln!(out, "{}: {verb} {} values", o.name, o.findings.len())?;
            } else {
                writeln!(out, "{}: clean", o.name)?;
            }
        }
    }
    if let Some(path) = &args.report {
        let report = report_json(&outcomes);
        let mut bytes = serde_json::to_vec_pretty(&report)?;
        bytes.push(b'\n');
        fsio::write_atomic(path, &bytes)?;
    }
    let changed = outcomes.iter().filter(|o| o.changed).count();
    let values: usize = outcomes.iter().map(|o| o.findings.len()).sum();
    eprintln!(
        "{} {values} values in {changed} of {} files",
        if args.dry_run {
            "would redact"
        } else {
            "redacted"
        },
        outcomes.len()
    );
    Ok(if failed {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}

/// Pairs every input file with its output path: `-o DIR` mirrors each input folder under DIR;
/// one input file with `-o FILE` writes FILE.
fn plan(args: &RedactArgs) -> anyhow::Result<Vec<Job>> {
    let mut jobs = Vec::new();
    let single_file = args.paths.len() == 1
        && args
            .paths
            .first()
            .is_some_and(|p| fsio::is_stdio(p) || p.is_file());
    for root in &args.paths {
        let files = fsio::collect_files(std::slice::from_ref(root))?;
        for file in files {
            let output = if args.dry_run && args.output.is_none() {
                None
            } else if args.in_place {
                if fsio::is_stdio(&file) {
                    bail!("--in-place cannot replace standard input; use -o");
                }
                Some(file.clone())
            } else if let Some(out) = &args.output {
                Some(output_path(out, root, &file, single_file)?)
            } else {
                None
            };
            jobs.push(Job {
                input: file,
                output,
            });
        }
    }
    Ok(jobs)
}

fn output_path(out: &Path, root: &Path, file: &Path, single_file: bool) -> anyhow::Result<PathBuf> {
    let path = if fsio::is_stdio(out) {
        if !single_file {
            bail!("-o - (stdout) takes exactly one input file");
        }
        out.to_path_buf()
    } else if single_file && !out.is_dir() {
        out.to_path_buf()
    } else if root.is_dir() {
        let rel = file.strip_prefix(root).unwrap_or(file);
        out.join(rel)
    } else {
        out.join(file.file_name().unwrap_or(file.as_os_str()))
    };
    if fsio::same_file(&path, file) {
        bail!(
            "{} would overwrite its input; use --in-place to replace originals",
            path.display()
        );
    }
    Ok(path)
}

fn redact_one(redactor: &Redactor, job: &Job, dry_run: bool) -> anyhow::Result<Outcome> {
    let name = fsio::display_name(&job.input);
    let bytes = fsio::read_input(&job.input)?;
    let redaction = redactor
        .redact(&bytes)
        .with_context(|| format!("{name}: cannot redact"))?;
    let changed = redaction.changed();
    if !dry_run && let Some(output) = &job.output {
        // In place, an unchanged file is left alone (not even rewritten).
        let same = fsio::same_file(output, &job.input);
        if changed || !same {
            fsio::write_atomic(output, &redaction.output)?;
        }
    }
    Ok(Outcome {
        name,
        findings: redaction.findings,
        changed,
    })
}

fn report_json(outcomes: &[Outcome]) -> serde_json::Value {
    let files: Vec<serde_json::Value> = outcomes
        .iter()
        .map(|o| {
            let changes: Vec<serde_json::Value> = o
                .findings
                .iter()
                .map(|f| {
                    serde_json::json!({
                        "json_path": f.json_path(),
                        "field": f.field(),
                        "rule": f.rule(),
                        "operator": f.operator(),
                    })
                })
                .collect();
            serde_json::json!({ "file": o.name, "changes": changes })
        })
        .collect();
    let total: usize = outcomes.iter().map(|o| o.findings.len()).sum();
    serde_json::json!({ "version": 1, "total_changes": total, "files": files })
}
