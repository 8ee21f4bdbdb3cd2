//! `tapedeck stats`: totals, error counts, duration percentiles and dependency calls.

use std::io::Write as _;
use std::process::ExitCode;

use tapedeck_core::index::Stats;

use crate::args::StatsArgs;
use crate::load::{Loaded, Tally, load_all};
use crate::output::{ms, write_table};

pub fn run(args: &StatsArgs) -> anyhow::Result<ExitCode> {
    let mut tally = Tally::default();
    let results = load_all(
        &args.inputs.paths,
        tapedeck_core::summarize_file,
        |_, loaded| match loaded {
            Loaded::Ok(row) => Ok(row),
            other => Err(other),
        },
    )?;
    let mut rows = Vec::with_capacity(results.len());
    for result in results {
        match result {
            Ok(file_rows) => rows.extend(file_rows),
            Err(failed) => tally.report(&failed),
        }
    }
    let stats = Stats::compute(&rows);
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if args.json {
        serde_json::to_writer_pretty(&mut out, &stats)?;
        out.write_all(b"\n")?;
    } else {
        write_text(&mut out, &stats)?;
    }
    out.flush()?;
    Ok(tally.exit_code())
}

fn write_text(out: &mut impl std::io::Write, s: &Stats) -> std::io::Result<()> {
    writeln!(out, "Cassettes:        {}", s.total)?;
    writeln!(out, "Success:          {}", s.success)?;
    writeln!(
        out,
        "Errors:           {} ({} without response)",
        s.errors, s.no_response
    )?;
    writeln!(
        out,
        "Duration:         p50 {}  p95 {}  max {}",
        ms(s.p50_ms),
        ms(s.p95_ms),
        ms(s.max_ms)
    )?;
    writeln!(
        out,
        "Dependency calls: {} ({} failed)",
        s.dependency_calls, s.dependency_errors
    )?;
    if !s.dependencies_by_type.0.is_empty() {
        writeln!(out, "\nBy type:")?;
        for (kind, n) in &s.dependencies_by_type.0 {
            writeln!(out, "  {kind:<14}{n}")?;
        }
        writeln!(out, "\nBy library:")?;
        for (lib, n) in &s.dependencies_by_lib.0 {
            writeln!(out, "  {lib:<14}{n}")?;
        }
    }
    if !s.slowest_endpoints.is_empty() {
        writeln!(out, "\nSlowest endpoints:")?;
        let mut table = vec![
            ["ENDPOINT", "COUNT", "ERRORS", "P50", "MAX"]
                .map(String::from)
                .to_vec(),
        ];
        table.extend(s.slowest_endpoints.iter().map(|e| {
            vec![
                e.endpoint.clone(),
                e.count.to_string(),
                e.errors.to_string(),
                ms(e.p50_ms),
                ms(e.max_ms),
            ]
        }));
        let mut buf = Vec::new();
        write_table(&mut buf, &table)?;
        for line in String::from_utf8_lossy(&buf).lines() {
            writeln!(out, "  {line}")?;
        }
    }
    Ok(())
}
