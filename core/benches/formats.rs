//! Decode throughput per format (bytes per second) on the recorded fixtures, each scaled up:
//! a HAR file with many entries, VCR-style files with many interactions.
#![expect(
    clippy::expect_used,
    reason = "a benchmark that cannot set up has nothing to measure"
)]

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use tapedeck_core::json::{Document, Value, encode_compact};

/// (name, bytes, key of the list to scale)
const FIXTURES: &[(&str, &[u8], &[&str])] = &[
    (
        "har (chromium)",
        include_bytes!("../tests/fixtures/formats/chromium.har"),
        &["log", "entries"],
    ),
    (
        "har (polly)",
        include_bytes!("../tests/fixtures/formats/polly.har"),
        &["log", "entries"],
    ),
    (
        "vcrpy json",
        include_bytes!("../tests/fixtures/formats/vcrpy.json"),
        &["interactions"],
    ),
    (
        "betamax json",
        include_bytes!("../tests/fixtures/formats/betamax.json"),
        &["http_interactions"],
    ),
    (
        "ruby vcr json",
        include_bytes!("../tests/fixtures/formats/ruby-vcr.json"),
        &["http_interactions"],
    ),
    (
        "vcrpy yaml",
        include_bytes!("../tests/fixtures/formats/vcrpy.yaml"),
        &["interactions"],
    ),
    (
        "ruby vcr yaml",
        include_bytes!("../tests/fixtures/formats/ruby-vcr.yml"),
        &["http_interactions"],
    ),
    (
        "go-vcr yaml",
        include_bytes!("../tests/fixtures/formats/go-vcr.yaml"),
        &["interactions"],
    ),
];

/// Repeats the list at `path` until the file holds about `target` bytes, in its own format.
fn scaled(bytes: &[u8], path: &[&str], target: usize) -> Vec<u8> {
    let rows = tapedeck_core::decode_file("bench", bytes).expect("fixture decodes");
    let doc: &Document<'_> = &rows.first().expect("a row").cassette.document;
    let whole = if rows.len() > 1 || rows[0].cassette.entry.is_some() {
        Document::parse(bytes).expect("json").root().to_value()
    } else {
        doc.root().to_value()
    };
    let factor = (target / bytes.len()).max(1);
    let mut value = whole;
    if let Some(Value::Array(items)) = list_at(&mut value, path) {
        let copy = items.clone();
        for _ in 1..factor {
            items.extend(copy.iter().cloned());
        }
    }
    let json = encode_compact(&value, false);
    let yaml = !matches!(
        bytes.iter().find(|b| !b.is_ascii_whitespace()),
        Some(b'{' | b'[')
    );
    if yaml {
        // Written back as YAML through the format's own encoder.
        let decoded = tapedeck_core::decode_file("bench", &json).expect("scaled json decodes");
        let mut cassette = decoded.into_iter().next().expect("a row").cassette;
        cassette.syntax = rows[0].cassette.syntax.clone();
        tapedeck_core::encode(&cassette)
    } else {
        json
    }
}

fn list_at<'v>(value: &'v mut Value, path: &[&str]) -> Option<&'v mut Value> {
    let Some((first, rest)) = path.split_first() else {
        return Some(value);
    };
    let Value::Object(members) = value else {
        return None;
    };
    let slot = members.iter_mut().find(|(k, _)| k == first)?;
    list_at(&mut slot.1, rest)
}

fn bench_formats(c: &mut Criterion) {
    let target = if cfg!(debug_assertions) {
        64 << 10
    } else {
        8 << 20
    };
    let mut group = c.benchmark_group("decode_file");
    group.sample_size(10);
    for (name, bytes, path) in FIXTURES {
        let input = scaled(bytes, path, target);
        group.throughput(Throughput::Bytes(input.len() as u64));
        group.bench_function(format!("{name} ({} KiB)", input.len() >> 10), |b| {
            b.iter(|| {
                let rows = tapedeck_core::decode_file("bench", &input).expect("decodes");
                std::hint::black_box(rows.len());
            });
        });
    }
    group.finish();
}

criterion_group!(benches, bench_formats);
criterion_main!(benches);
