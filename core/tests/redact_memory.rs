//! How much heap a redaction takes beyond its input and its result. A long-lived process
//! (a service, the browser's worker, a benchmark) redacts file after file: when one call's
//! transient heap grows past what glibc keeps, the heap is given back and faulted in again on
//! every call, which costs a PII-dense 10 MB body more than a third of its time. The parsed
//! structure is freed before the output is written, so the output takes its place, and the
//! redaction's own lists are sized from the rate they fill at instead of doubling.
//!
//! One test in its own binary: the counting allocator sees every thread of the process.
#![expect(
    unsafe_code,
    reason = "a counting global allocator forwards to the system allocator"
)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use tapedeck_core::redact::RedactorBuilder;

#[path = "../benches/support/pii.rs"]
mod pii;

/// Bytes allocated now, and the most since the last reset.
static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

struct Counting;

impl Counting {
    fn grew(size: usize) {
        let now = CURRENT.fetch_add(size, Ordering::Relaxed) + size;
        PEAK.fetch_max(now, Ordering::Relaxed);
    }
}

// SAFETY: every call forwards to `System` with the caller's arguments unchanged.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        Counting::grew(layout.size());
        // SAFETY: as the caller promised for `layout`.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        CURRENT.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: `ptr` came from `System` with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // A moving reallocation holds both blocks for a moment.
        Counting::grew(new_size);
        // SAFETY: as the caller promised for `ptr` and `layout`.
        let moved = unsafe { System.realloc(ptr, layout, new_size) };
        CURRENT.fetch_sub(layout.size(), Ordering::Relaxed);
        moved
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

#[test]
fn a_pii_dense_redaction_peaks_below_twice_its_input() {
    let input = pii::cassette(2 << 20);
    let redactor = RedactorBuilder::new().build().unwrap();
    // a first call sets up what the redactor caches, as in a long-lived process
    drop(redactor.redact(&input).unwrap());

    let base = CURRENT.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    let redaction = redactor.redact(&input).unwrap();
    let peak = PEAK.load(Ordering::Relaxed) - base;
    let held = CURRENT.load(Ordering::Relaxed) - base;
    assert!(redaction.findings.len() > 10_000, "a PII-dense input");
    drop(redaction);

    // In hundredths of the input's size.
    let percent = |bytes: usize| bytes * 100 / input.len();
    // Measured at 187 (the parsed structure, then the output in its place, about 100; the
    // findings, edits and path table the rest). Holding the parsed structure and the output
    // at once reaches 291.
    assert!(
        percent(peak) < 210,
        "peak heap {peak} bytes is {}% of the input",
        percent(peak)
    );
    assert!(
        percent(held) < 200,
        "the result holds {held} bytes, {}% of the input",
        percent(held)
    );
}
