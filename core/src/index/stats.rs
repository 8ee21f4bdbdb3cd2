//! Totals and percentiles over summary rows (`tapedeck stats`, the viewer's stat cards).

use super::{Counts, Summary};

/// Per-endpoint timing, for the slowest-endpoints list.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct EndpointStats {
    /// `GET /users/{id}`
    pub endpoint: String,
    pub count: usize,
    pub errors: usize,
    pub p50_ms: f64,
    pub max_ms: f64,
}

/// Statistics over a set of rows.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
pub struct Stats {
    pub total: usize,
    /// Answered with status 1..=399.
    pub success: usize,
    /// Status ≥ 400 or no response.
    pub errors: usize,
    /// Of the errors, those with no response at all (status 0).
    pub no_response: usize,
    pub p50_ms: f64,
    pub p95_ms: f64,
    pub max_ms: f64,
    pub dependency_calls: usize,
    pub dependency_errors: usize,
    pub dependencies_by_type: Counts,
    pub dependencies_by_lib: Counts,
    pub slowest_endpoints: Vec<EndpointStats>,
}

/// How many endpoints the slowest list keeps.
pub const SLOWEST_ENDPOINTS: usize = 10;

/// The nearest-rank percentile of sorted values (`p` in 0..=100); 0 for no values.
pub fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    #[expect(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        clippy::cast_precision_loss,
        reason = "a rank between 1 and len, computed in floating point as the definition does"
    )]
    let rank = ((p / 100.0) * sorted.len() as f64).ceil().max(1.0) as usize;
    sorted[rank.min(sorted.len()) - 1]
}

fn sorted_durations(rows: &[&Summary]) -> Vec<f64> {
    let mut d: Vec<f64> = rows.iter().map(|r| r.duration_ms).collect();
    d.sort_by(f64::total_cmp);
    d
}

impl Stats {
    /// Statistics over the given rows.
    pub fn compute<'a>(rows: impl IntoIterator<Item = &'a Summary>) -> Stats {
        let rows: Vec<&Summary> = rows.into_iter().collect();
        let durations = sorted_durations(&rows);
        let mut stats = Stats {
            total: rows.len(),
            p50_ms: percentile(&durations, 50.0),
            p95_ms: percentile(&durations, 95.0),
            max_ms: durations.last().copied().unwrap_or(0.0),
            ..Stats::default()
        };
        // Group by endpoint in first-seen order; a BTreeMap index keeps it deterministic.
        let mut groups: Vec<(String, Vec<&Summary>)> = Vec::new();
        let mut group_index = std::collections::BTreeMap::new();
        for row in &rows {
            if row.error {
                stats.errors += 1;
                if row.status == 0 {
                    stats.no_response += 1;
                }
            } else {
                stats.success += 1;
            }
            stats.dependency_errors += row.dependency_errors;
            for (kind, n) in &row.dependencies.0 {
                stats.dependencies_by_type.add(kind, *n);
            }
            for (lib, n) in &row.libs.0 {
                stats.dependencies_by_lib.add(lib, *n);
            }
            let key = row.endpoint();
            let slot = *group_index.entry(key.clone()).or_insert_with(|| {
                groups.push((key, Vec::new()));
                groups.len() - 1
            });
            groups[slot].1.push(row);
        }
        stats.dependency_calls = stats.dependencies_by_type.total();
        let mut endpoints: Vec<EndpointStats> = groups
            .into_iter()
            .map(|(endpoint, members)| {
                let durations = sorted_durations(&members);
                EndpointStats {
                    endpoint,
                    count: members.len(),
                    errors: members.iter().filter(|r| r.error).count(),
                    p50_ms: percentile(&durations, 50.0),
                    max_ms: durations.last().copied().unwrap_or(0.0),
                }
            })
            .collect();
        endpoints.sort_by(|a, b| {
            b.max_ms
                .total_cmp(&a.max_ms)
                .then_with(|| a.endpoint.cmp(&b.endpoint))
        });
        endpoints.truncate(SLOWEST_ENDPOINTS);
        stats.slowest_endpoints = endpoints;
        stats
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[expect(clippy::float_cmp, reason = "percentiles pick exact input values")]
    fn nearest_rank_percentiles() {
        let v: Vec<f64> = (1..=20).map(f64::from).collect();
        assert_eq!(percentile(&v, 50.0), 10.0);
        assert_eq!(percentile(&v, 95.0), 19.0);
        assert_eq!(percentile(&v, 100.0), 20.0);
        assert_eq!(percentile(&[7.0], 95.0), 7.0);
        assert_eq!(percentile(&[], 50.0), 0.0);
    }
}
