//! The waterfall of one cassette: dependency calls placed on lanes by start offset and
//! duration, render-agnostic (the viewer draws it, the CLI could print it).
//!
//! Calls that overlap in time go on separate lanes; a call that starts after another has
//! ended reuses the lowest free lane, so sequential calls share one lane and a fan-out of
//! eight concurrent calls takes eight.

use crate::model::Event;

/// Narrowest bar, in percent of the scale, so zero-length calls stay visible.
pub const MIN_WIDTH_PCT: f64 = 0.5;

/// One dependency call on the waterfall.
#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    /// Index of the event in `Cassette::events`.
    pub event_index: usize,
    /// 0-based lane, top to bottom.
    pub lane: usize,
    pub start_ms: f64,
    pub duration_ms: f64,
    /// Left edge in percent of the scale (0..=100).
    pub left_pct: f64,
    /// Width in percent of the scale, at least [`MIN_WIDTH_PCT`].
    pub width_pct: f64,
    /// The call raised or answered an HTTP error status.
    pub error: bool,
}

/// The laid-out waterfall.
#[derive(Clone, Debug, PartialEq)]
pub struct Timeline {
    /// Length of the scale in ms: the request's duration, or the end of the last call if a
    /// call outlived the recorded response.
    pub scale_ms: f64,
    pub request_ms: f64,
    pub lanes: usize,
    /// One bar per event, in event order.
    pub bars: Vec<Bar>,
    /// Tick marks in ms (0 first), at a round step.
    pub ticks_ms: Vec<f64>,
}

impl Timeline {
    /// Lays out the events of one request that took `request_ms`.
    pub fn layout(events: &[Event], request_ms: f64) -> Timeline {
        let clean = |v: f64| if v.is_finite() && v > 0.0 { v } else { 0.0 };
        let request_ms = clean(request_ms);
        let spans: Vec<(f64, f64)> = events
            .iter()
            .map(|e| (clean(e.start_offset_ms), clean(e.duration_ms)))
            .collect();
        let last_end = spans.iter().map(|(s, d)| s + d).fold(0.0, f64::max);
        let scale_ms = request_ms.max(last_end);

        // Place calls in start order (ties by recording order) on the lowest free lane.
        let mut order: Vec<usize> = (0..events.len()).collect();
        order.sort_by(|&a, &b| spans[a].0.total_cmp(&spans[b].0).then(a.cmp(&b)));
        let mut lane_ends: Vec<f64> = Vec::new();
        let mut lanes = vec![0; events.len()];
        for i in order {
            let (start, duration) = spans[i];
            let lane = if let Some(free) = lane_ends.iter().position(|end| *end <= start) {
                free
            } else {
                lane_ends.push(0.0);
                lane_ends.len() - 1
            };
            // A zero-length call still occupies its instant, so a second one at the same
            // moment gets its own lane.
            lane_ends[lane] = start + duration.max(f64::EPSILON);
            lanes[i] = lane;
        }

        let pct = |ms: f64| {
            if scale_ms > 0.0 {
                ms / scale_ms * 100.0
            } else {
                0.0
            }
        };
        let bars = events
            .iter()
            .enumerate()
            .map(|(i, event)| {
                let (start_ms, duration_ms) = spans[i];
                let left_pct = pct(start_ms).min(100.0 - MIN_WIDTH_PCT);
                Bar {
                    event_index: i,
                    lane: lanes[i],
                    start_ms,
                    duration_ms,
                    left_pct,
                    width_pct: pct(duration_ms).max(MIN_WIDTH_PCT).min(100.0 - left_pct),
                    error: event.is_error(),
                }
            })
            .collect();
        Timeline {
            scale_ms,
            request_ms,
            lanes: lane_ends.len(),
            bars,
            ticks_ms: ticks(scale_ms),
        }
    }
}

/// Tick marks from 0 to at least `scale_ms` at a step of 1, 2 or 5 times a power of ten,
/// giving about three to seven ticks.
pub fn ticks(scale_ms: f64) -> Vec<f64> {
    if !(scale_ms.is_finite() && scale_ms > 0.0) {
        return vec![0.0];
    }
    let raw = scale_ms / 6.0;
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= raw)
        .unwrap_or(magnitude * 10.0);
    let mut out = Vec::new();
    let mut t = 0.0;
    while t <= scale_ms + step * 1e-9 && out.len() < 20 {
        out.push(t);
        t += step;
    }
    out
}

/// A tick label: `0`, `200 ms`, `0.5 s`, `2 s`, with only the decimals the step needs.
pub fn tick_label(ms: f64, step_ms: f64) -> String {
    if ms == 0.0 {
        return String::from("0");
    }
    let decimals = |step: f64| -> usize {
        let d = -step.log10().floor();
        if d.is_finite() && d > 0.0 {
            #[expect(
                clippy::cast_possible_truncation,
                clippy::cast_sign_loss,
                reason = "a small positive count"
            )]
            let d = d as usize;
            d.min(6)
        } else {
            0
        }
    };
    if step_ms >= 500.0 {
        format!("{:.*} s", decimals(step_ms / 1000.0), ms / 1000.0)
    } else {
        format!("{:.*} ms", decimals(step_ms), ms)
    }
}

/// A duration for a scale or tooltip: `850 µs`, `12.3 ms`, `1.24 s`.
pub fn format_ms(ms: f64) -> String {
    if !ms.is_finite() {
        return String::from("-");
    }
    if ms < 1.0 && ms > 0.0 {
        format!("{:.0} µs", ms * 1000.0)
    } else if ms < 10.0 {
        format!("{ms:.2} ms")
    } else if ms < 1000.0 {
        format!("{ms:.1} ms")
    } else {
        format!("{:.2} s", ms / 1000.0)
    }
}

#[cfg(test)]
#[expect(
    clippy::float_cmp,
    reason = "the expected values are computed exactly the same way"
)]
mod tests {
    use super::*;
    use crate::json::NodeId;
    use crate::model::EventKind;

    fn event(start: f64, duration: f64) -> Event {
        Event {
            sequence: 0,
            kind: EventKind::HttpClient,
            lib: String::from("httpx"),
            method: String::from("GET"),
            target: None,
            query: Vec::new(),
            start_offset_ms: start,
            duration_ms: duration,
            status: Some(200),
            headers: Vec::new(),
            body: None,
            error: None,
            error_type: None,
            headers_hash: None,
            body_hash: None,
            node: NodeId(0),
        }
    }

    #[test]
    fn sequential_calls_share_one_lane() {
        let t = Timeline::layout(
            &[event(0.0, 10.0), event(10.0, 5.0), event(20.0, 5.0)],
            30.0,
        );
        assert_eq!(t.lanes, 1);
        assert!(t.bars.iter().all(|b| b.lane == 0));
        assert_eq!(t.bars[1].left_pct, 10.0 / 30.0 * 100.0);
    }

    #[test]
    fn overlapping_calls_take_separate_lanes_in_start_order() {
        // Recorded in completion order: the second event started first.
        let t = Timeline::layout(
            &[event(5.0, 10.0), event(0.0, 20.0), event(16.0, 2.0)],
            20.0,
        );
        assert_eq!(t.lanes, 2);
        assert_eq!(t.bars[1].lane, 0);
        assert_eq!(t.bars[0].lane, 1);
        assert_eq!(t.bars[2].lane, 1);
        assert_eq!(t.bars.len(), 3);
    }

    #[test]
    fn calls_outliving_the_response_widen_the_scale() {
        let t = Timeline::layout(&[event(8.0, 4.0)], 10.0);
        assert_eq!(t.scale_ms, 12.0);
        assert_eq!(t.request_ms, 10.0);
        assert!(t.bars[0].left_pct + t.bars[0].width_pct <= 100.0 + 1e-9);
    }

    #[test]
    fn zero_duration_requests_and_bad_numbers_stay_drawable() {
        let t = Timeline::layout(&[event(0.0, 0.0), event(f64::NAN, -1.0)], 0.0);
        assert_eq!(t.scale_ms, 0.0);
        assert_eq!(t.lanes, 2);
        assert!(t.bars.iter().all(|b| b.width_pct >= MIN_WIDTH_PCT));
        assert_eq!(t.ticks_ms, vec![0.0]);
    }

    #[test]
    fn ticks_use_round_steps() {
        assert_eq!(ticks(100.0), vec![0.0, 20.0, 40.0, 60.0, 80.0, 100.0]);
        assert_eq!(ticks(24.4), vec![0.0, 5.0, 10.0, 15.0, 20.0]);
        assert_eq!(ticks(1200.0).len(), 7);
    }

    #[test]
    fn tick_labels_carry_only_needed_decimals() {
        assert_eq!(tick_label(0.0, 200.0), "0");
        assert_eq!(tick_label(400.0, 200.0), "400 ms");
        assert_eq!(tick_label(1000.0, 500.0), "1.0 s");
        assert_eq!(tick_label(2000.0, 1000.0), "2 s");
        assert_eq!(tick_label(0.5, 0.5), "0.5 ms");
    }

    #[test]
    fn formats_durations_with_units() {
        assert_eq!(format_ms(0.85), "850 µs");
        assert_eq!(format_ms(2.366), "2.37 ms");
        assert_eq!(format_ms(24.41), "24.4 ms");
        assert_eq!(format_ms(1240.0), "1.24 s");
    }
}
