//! Timetracer's file naming (`<METHOD>__<route>__<id8>.json` in a `YYYY-MM-DD` folder), its
//! `recorded_at` timestamps and session ids, computed from values the caller passes in.

use std::fmt::Write as _;

/// Timetracer's `sanitize_route`: strip `/` at both ends, drop `{` and `}`, turn every
/// character outside `[A-Za-z0-9]` into `_`, collapse runs of `_`, strip `_` at both ends,
/// `root` when nothing is left, lower case.
pub fn sanitize_route(route: &str) -> String {
    let mut out = String::with_capacity(route.len());
    for c in route.trim_matches('/').chars() {
        if c == '{' || c == '}' {
            continue;
        }
        let c = if c.is_ascii_alphanumeric() {
            c.to_ascii_lowercase()
        } else {
            '_'
        };
        if c == '_' && out.ends_with('_') {
            continue;
        }
        out.push(c);
    }
    let trimmed = out.trim_matches('_');
    if trimmed.is_empty() {
        String::from("root")
    } else {
        trimmed.to_owned()
    }
}

/// Timetracer's `cassette_filename(method, route, session_id)`: the upper-cased method
/// (`UNKNOWN` when empty), the sanitized route (`unknown` for an empty route) and the first 8
/// characters of the session id, joined by `__`, plus `.json`.
pub fn cassette_file_name(method: &str, route: &str, session_id: &str) -> String {
    let method = if method.is_empty() {
        String::from("UNKNOWN")
    } else {
        method.to_uppercase()
    };
    let route = if route.is_empty() {
        String::from("unknown")
    } else {
        sanitize_route(route)
    };
    let id8: String = session_id.chars().take(8).collect();
    format!("{method}__{route}__{id8}.json")
}

/// A UTC time as Python's `datetime.now(UTC).isoformat()` writes it:
/// `2026-11-30T07:25:12.398484+00:00`, without the fraction when the microseconds are 0.
pub fn format_recorded_at(unix_micros: i64) -> String {
    let secs = unix_micros.div_euclid(1_000_000);
    let micros = unix_micros.rem_euclid(1_000_000);
    let (year, month, day) = civil_from_days(secs.div_euclid(86_400));
    let second_of_day = secs.rem_euclid(86_400);
    let (h, m, s) = (
        second_of_day / 3600,
        second_of_day / 60 % 60,
        second_of_day % 60,
    );
    let mut out = format!("{year:04}-{month:02}-{day:02}T{h:02}:{m:02}:{s:02}");
    if micros != 0 {
        let _ = write!(out, ".{micros:06}");
    }
    out.push_str("+00:00");
    out
}

/// The `YYYY-MM-DD` folder Timetracer files a cassette in (the UTC date).
pub fn date_dir(unix_micros: i64) -> String {
    let (year, month, day) = civil_from_days(unix_micros.div_euclid(86_400_000_000));
    format!("{year:04}-{month:02}-{day:02}")
}

/// A version 4 UUID (lowercase, with dashes) from 16 random bytes the caller supplies.
pub fn session_id_from_random(mut bytes: [u8; 16]) -> String {
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let mut out = String::with_capacity(36);
    for (i, byte) in bytes.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            out.push('-');
        }
        let _ = write!(out, "{byte:02x}");
    }
    out
}

/// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (
        year,
        u32::try_from(month).unwrap_or(1),
        u32::try_from(day).unwrap_or(1),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_timestamps_as_python_isoformat() {
        // 2026-11-30T07:38:30.761107+00:00 (starlette_httpx/GET__profile_5).
        let micros = 1_796_024_310_761_107;
        assert_eq!(
            format_recorded_at(micros),
            "2026-11-30T07:38:30.761107+00:00"
        );
        assert_eq!(date_dir(micros), "2026-11-30");
        assert_eq!(format_recorded_at(0), "1970-01-01T00:00:00+00:00");
        assert_eq!(
            format_recorded_at(951_782_400_000_001),
            "2000-02-29T00:00:00.000001+00:00"
        );
    }

    #[test]
    fn makes_version_4_uuids() {
        let id = session_id_from_random([0xff; 16]);
        assert_eq!(id, "ffffffff-ffff-4fff-bfff-ffffffffffff");
        assert_eq!(
            session_id_from_random([0; 16]),
            "00000000-0000-4000-8000-000000000000"
        );
    }
}
