//! Decode throughput over the corpus scaled to 10,000 files (bytes per second).
#![expect(
    clippy::disallowed_methods,
    reason = "benchmarks read the corpus from disk; the library itself does no I/O"
)]
#![expect(
    clippy::expect_used,
    reason = "a benchmark that cannot set up has nothing to measure"
)]

use std::path::{Path, PathBuf};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};

fn corpus_files() -> Vec<Vec<u8>> {
    let root = std::env::var_os("TAPEDECK_CORPUS").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus"),
        PathBuf::from,
    );
    let mut out = Vec::new();
    let mut stack = vec![root.join("timetracer-1.6.0/cassettes")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("corpus folder") {
            let path = entry.expect("corpus entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(std::fs::read(&path).expect("corpus file"));
            }
        }
    }
    assert!(!out.is_empty(), "no corpus found (set TAPEDECK_CORPUS)");
    out
}

fn bench_decode(c: &mut Criterion) {
    let corpus = corpus_files();
    // Tiny in debug builds so `cargo test --all-targets` stays fast.
    let count = if cfg!(debug_assertions) { 100 } else { 10_000 };
    let files: Vec<&[u8]> = corpus
        .iter()
        .cycle()
        .take(count)
        .map(Vec::as_slice)
        .collect();
    let total: usize = files.iter().map(|f| f.len()).sum();
    let mut group = c.benchmark_group("decode");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(total as u64));
    group.bench_function(format!("corpus x{count} ({} MB)", total >> 20), |b| {
        b.iter(|| {
            for (i, bytes) in files.iter().enumerate() {
                let decoded = tapedeck_core::decode("bench", bytes).expect("corpus decodes");
                std::hint::black_box((i, decoded.cassette.events.len()));
            }
        });
    });
    group.bench_function("listing (bodies skimmed)", |b| {
        b.iter(|| {
            for bytes in &files {
                let decoded =
                    tapedeck_core::decode_for_listing("bench", bytes).expect("corpus decodes");
                std::hint::black_box(decoded.cassette.events.len());
            }
        });
    });
    let plain: Vec<&[u8]> = files
        .iter()
        .copied()
        .filter(|f| !f.starts_with(&[0x1f, 0x8b]))
        .collect();
    let plain_total: usize = plain.iter().map(|f| f.len()).sum();
    group.throughput(Throughput::Bytes(plain_total as u64));
    group.bench_function("json parse only", |b| {
        b.iter(|| {
            for bytes in &plain {
                let doc = tapedeck_core::json::Document::parse(bytes).expect("corpus parses");
                std::hint::black_box(doc.value_count());
            }
        });
    });
    group.finish();
}

criterion_group!(benches, bench_decode);
criterion_main!(benches);
