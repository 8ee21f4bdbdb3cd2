//! `tapedeck validate`: every problem in every file; exit 1 when any is found.

use std::io::Write as _;
use std::process::ExitCode;

use tapedeck_core::{Problem, Severity};

use crate::args::ValidateArgs;
use crate::load::{Loaded, load_all};

struct FileReport {
    name: String,
    problems: Vec<Problem>,
    unreadable: Option<String>,
}

#[derive(serde::Serialize)]
struct JsonProblem<'a> {
    file: &'a str,
    severity: Severity,
    json_path: &'a str,
    line: u32,
    column: u32,
    message: String,
}

pub fn run(args: &ValidateArgs) -> anyhow::Result<ExitCode> {
    let reports = load_all(
        &args.inputs.paths,
        tapedeck_core::decode_file,
        |path, loaded| {
            let name = crate::fsio::display_name(path);
            match loaded {
                Loaded::Ok(rows) => FileReport {
                    name,
                    problems: rows.into_iter().flat_map(|row| row.warnings).collect(),
                    unreadable: None,
                },
                Loaded::Invalid(err) => FileReport {
                    name,
                    problems: err.problems,
                    unreadable: None,
                },
                Loaded::Unreadable(err) => FileReport {
                    name,
                    problems: Vec::new(),
                    unreadable: Some(format!("{err:#}")),
                },
            }
        },
    )?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let (mut with_problems, mut unreadable) = (0, 0);
    for report in &reports {
        if let Some(err) = &report.unreadable {
            unreadable += 1;
            eprintln!("tapedeck: {err}");
            continue;
        }
        if !report.problems.is_empty() {
            with_problems += 1;
        }
        for problem in &report.problems {
            if args.json {
                serde_json::to_writer(
                    &mut out,
                    &JsonProblem {
                        file: &report.name,
                        severity: problem.severity,
                        json_path: &problem.location.json_path,
                        line: problem.location.line,
                        column: problem.location.column,
                        message: problem.kind.to_string(),
                    },
                )?;
                out.write_all(b"\n")?;
            } else {
                let severity = match problem.severity {
                    Severity::Error => "error",
                    Severity::Warning => "warning",
                };
                writeln!(out, "{}: {severity}: {problem}", report.name)?;
            }
        }
    }
    if !args.json {
        let valid = reports.len() - with_problems - unreadable;
        writeln!(
            out,
            "{} files: {valid} valid, {with_problems} with problems, {unreadable} unreadable",
            reports.len()
        )?;
    }
    out.flush()?;
    Ok(if unreadable > 0 {
        ExitCode::from(2)
    } else if with_problems > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
