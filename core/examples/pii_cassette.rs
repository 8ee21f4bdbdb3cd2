//! Writes the redaction benchmark's input (the 10 MB PII cassette of `benches/redact.rs`) to a
//! file and measures the native engine on it, so the browser's engine (wasm, in the redaction
//! worker) can be compared on the very same bytes: `tools/bench-redact-browser.mjs` runs this.
//!
//! Usage: `cargo run --release -p tapedeck_core --example pii_cassette -- OUT.json [MiB]`;
//! prints one JSON line: `{"bytes": N, "native_mb_per_s": X}`.
#![expect(
    clippy::disallowed_methods,
    clippy::disallowed_macros,
    reason = "an example program: writes its output file, reads the clock and prints"
)]

use std::time::Instant;

use tapedeck_core::redact::RedactorBuilder;

#[path = "../benches/support/pii.rs"]
mod pii;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let out = args.next().ok_or("usage: pii_cassette OUT.json [MiB]")?;
    let mib: usize = args.next().map_or(Ok(10), |s| s.parse())?;
    let input = pii::cassette(mib << 20);
    std::fs::write(&out, &input)?;
    let redactor = RedactorBuilder::new().build()?;
    // Best of several runs, as criterion's fastest sample would be.
    let mut best = f64::INFINITY;
    for _ in 0..5 {
        let start = Instant::now();
        let redaction = redactor.redact(&input)?;
        best = best.min(start.elapsed().as_secs_f64());
        std::hint::black_box(redaction);
    }
    #[expect(clippy::cast_precision_loss, reason = "sizes far below 2^52")]
    let rate = input.len() as f64 / best / 1e6;
    println!(
        "{{\"bytes\": {}, \"native_mb_per_s\": {rate:.1}}}",
        input.len()
    );
    Ok(())
}
