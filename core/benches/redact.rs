//! Redaction throughput on a cassette whose response body is a nested JSON document of
//! PII-laden records (the shape of Timetracer's own baseline, 13 MB/s), generated from a fixed
//! seed. 10 MB in release builds; tiny under `debug_assertions` so `cargo test --all-targets`
//! stays fast.
#![expect(
    clippy::expect_used,
    reason = "a benchmark that cannot set up has nothing to measure"
)]

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use tapedeck_core::redact::RedactorBuilder;

#[path = "support/pii.rs"]
mod pii;

fn bench_redact(c: &mut Criterion) {
    let size = if cfg!(debug_assertions) {
        64 << 10
    } else {
        10 << 20
    };
    let input = pii::cassette(size);
    let redactor = RedactorBuilder::new()
        .build()
        .expect("default policy builds");
    let mut group = c.benchmark_group("redact");
    // Reported in MB/s (10^6 bytes), the unit of the target (300 MB/s on one core).
    group.throughput(Throughput::BytesDecimal(input.len() as u64));
    group.sample_size(10);
    group.bench_function("pii_records_10mb", |b| {
        b.iter(|| redactor.redact(&input).expect("redacts"));
    });
    group.bench_function("scan_pii_records_10mb", |b| {
        b.iter(|| redactor.scan(&input).expect("scans"));
    });
    group.finish();
}

criterion_group!(benches, bench_redact);
criterion_main!(benches);
