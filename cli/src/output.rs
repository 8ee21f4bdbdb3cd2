//! Human-readable formatting shared by subcommands.

use std::io::Write;

/// `2026-11-30T07:38:00.443710+00:00` → `2026-11-30 07:38:00`.
pub fn short_time(recorded_at: &str) -> String {
    match recorded_at.get(..19) {
        Some(head) if recorded_at.len() >= 19 => head.replacen('T', " ", 1),
        _ => recorded_at.to_owned(),
    }
}

/// Milliseconds with one decimal.
pub fn ms(value: f64) -> String {
    format!("{value:.1}ms")
}

/// Writes rows as left-aligned columns separated by two spaces; the last column is not padded.
pub fn write_table(out: &mut impl Write, rows: &[Vec<String>]) -> std::io::Result<()> {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let mut widths = vec![0; columns];
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            widths[i] = widths[i].max(cell.chars().count());
        }
    }
    for row in rows {
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate() {
            if i + 1 == row.len() {
                line.push_str(cell);
            } else {
                line.push_str(cell);
                let pad = widths[i] - cell.chars().count() + 2;
                line.extend(std::iter::repeat_n(' ', pad));
            }
        }
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortens_iso_times() {
        assert_eq!(
            short_time("2026-11-30T07:38:00.443710+00:00"),
            "2026-11-30 07:38:00"
        );
        assert_eq!(short_time("bad"), "bad");
    }

    #[test]
    fn aligns_columns() {
        let mut out = Vec::new();
        write_table(
            &mut out,
            &[
                vec!["A".into(), "BB".into(), "C".into()],
                vec!["AAA".into(), "B".into(), "C".into()],
            ],
        )
        .unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "A    BB  C\nAAA  B   C\n");
    }
}
