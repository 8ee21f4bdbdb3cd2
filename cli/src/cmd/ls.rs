//! `tapedeck ls`: one row per cassette, oldest first.

use std::io::Write as _;
use std::process::ExitCode;

use tapedeck_core::index::{Filter, sort_by_time};

use crate::args::LsArgs;
use crate::load::{Loaded, Tally, load_all};
use crate::output::{ms, short_time, write_table};

pub fn run(args: &LsArgs) -> anyhow::Result<ExitCode> {
    let filter = Filter {
        method: args.method.clone(),
        status: args.status,
        min_duration_ms: args.slow,
        text: args.grep.clone(),
        ..Filter::default()
    }
    .normalized();
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
            Ok(file_rows) => rows.extend(file_rows.into_iter().filter(|row| filter.matches(row))),
            Err(failed) => tally.report(&failed),
        }
    }
    sort_by_time(&mut rows);
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if args.json {
        for row in &rows {
            serde_json::to_writer(&mut out, row)?;
            out.write_all(b"\n")?;
        }
    } else {
        let mut table = vec![
            [
                "TIME",
                "METHOD",
                "PATH",
                "STATUS",
                "DURATION",
                "DEPENDENCIES",
                "FILE",
            ]
            .map(String::from)
            .to_vec(),
        ];
        table.extend(rows.iter().map(|row| {
            let path = if row.query.is_empty() {
                row.path.clone()
            } else {
                format!("{}?{}", row.path, row.query)
            };
            vec![
                short_time(&row.recorded_at),
                if row.method.is_empty() {
                    String::from("-")
                } else {
                    row.method.clone()
                },
                if path.is_empty() {
                    String::from("-")
                } else {
                    path
                },
                row.status.to_string(),
                ms(row.duration_ms),
                row.dependencies.to_compact_string(),
                row.file.clone(),
            ]
        }));
        write_table(&mut out, &table)?;
    }
    out.flush()?;
    Ok(tally.exit_code())
}
