//! `tapedeck ls` and `tapedeck stats` over the corpus scaled to 10,000 files, end to end (the
//! real binary: process start, reading files, decoding on all cores, printing).
#![expect(
    clippy::expect_used,
    reason = "a benchmark that cannot set up has nothing to measure"
)]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};

fn corpus_files() -> Vec<PathBuf> {
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
                out.push(path);
            }
        }
    }
    out.sort();
    assert!(!out.is_empty(), "no corpus found (set TAPEDECK_CORPUS)");
    out
}

/// Copies the corpus round-robin into `count` files under `dir`, 1,000 per folder.
fn scaled_corpus(dir: &Path, count: usize) -> u64 {
    let files = corpus_files();
    let mut total = 0;
    for i in 0..count {
        let source = &files[i % files.len()];
        let folder = dir.join(format!("{:02}", i / 1000));
        std::fs::create_dir_all(&folder).expect("temp folder");
        let ext = if source.to_string_lossy().ends_with(".gz") {
            "json.gz"
        } else {
            "json"
        };
        total += std::fs::copy(source, folder.join(format!("c{i:05}.{ext}"))).expect("copy");
    }
    total
}

fn run(args: &[&str], dir: &Path) {
    let status = Command::new(env!("CARGO_BIN_EXE_tapedeck"))
        .args(args)
        .arg(dir)
        .stdout(Stdio::null())
        .status()
        .expect("tapedeck runs");
    assert!(status.success());
}

fn bench_listing(c: &mut Criterion) {
    let count = if cfg!(debug_assertions) { 100 } else { 10_000 };
    let temp = tempfile::tempdir().expect("temp dir");
    let bytes = scaled_corpus(temp.path(), count);
    let mut group = c.benchmark_group("cli");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(bytes));
    for (name, args) in [
        ("ls", &["ls"][..]),
        ("ls --json", &["ls", "--json"]),
        ("stats", &["stats"]),
    ] {
        group.bench_function(format!("{name} x{count} ({} MB)", bytes >> 20), |b| {
            b.iter(|| run(args, temp.path()));
        });
    }
    group.finish();
}

criterion_group!(benches, bench_listing);
criterion_main!(benches);
