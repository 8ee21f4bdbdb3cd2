//! Growing a buffer that a pass over a document fills (a parse tape, a redaction's edits and
//! findings): sized from the rate it fills at, so a large document copies it about once
//! instead of at every doubling.

/// What to reserve before adding `needed` to a buffer holding `len` of `capacity`: when the
/// document is `position` bytes (of `total`) in, room for what the rest of it will likely
/// bring at the same rate, with an eighth to spare (at most `limit` more), so a large document
/// copies its buffers once instead of at every doubling. Zero when it fits, when no progress
/// is known, or when that is no more than doubling (the push grows as usual).
pub(crate) fn more_room(
    (len, capacity): (usize, usize),
    needed: usize,
    position: usize,
    total: usize,
    limit: usize,
) -> usize {
    if len.saturating_add(needed) <= capacity || position == 0 || position >= total {
        return 0;
    }
    let expected = u64::try_from(len)
        .unwrap_or(u64::MAX)
        .saturating_mul(u64::try_from(total).unwrap_or(u64::MAX))
        / u64::try_from(position).unwrap_or(u64::MAX);
    let expected = usize::try_from(expected).unwrap_or(usize::MAX);
    let target = expected
        .saturating_add(expected / 8)
        .min(len.saturating_add(limit));
    if target > len.saturating_mul(2) && target >= len.saturating_add(needed) {
        target - len
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::more_room;

    #[test]
    fn extrapolates_the_rate_with_an_eighth_to_spare() {
        // 100 entries in the first tenth: 1,000 expected, 1,125 with the spare.
        assert_eq!(more_room((100, 100), 1, 1_000, 10_000, 10_000), 1_025);
        // ... but never more than `limit` ahead
        assert_eq!(more_room((100, 100), 1, 1_000, 10_000, 500), 500);
    }

    #[test]
    fn leaves_the_rest_to_ordinary_growth() {
        assert_eq!(more_room((10, 100), 1, 1_000, 10_000, 10_000), 0, "it fits");
        assert_eq!(
            more_room((100, 100), 1, 0, 10_000, 10_000),
            0,
            "no progress known"
        );
        assert_eq!(
            more_room((100, 100), 1, 10_000, 10_000, 10_000),
            0,
            "at the end"
        );
        // 100 at 6,000 of 10,000: 187 expected, less than doubling
        assert_eq!(more_room((100, 100), 1, 6_000, 10_000, 10_000), 0);
    }
}
