//! Throughput of the built-in detectors over PII-laden JSON records, field by field (as the
//! redaction walk calls them) and as one large text.

#![expect(
    clippy::unwrap_used,
    clippy::cast_possible_truncation,
    reason = "benchmark set-up over generated data"
)]

use std::fmt::Write as _;
use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use tapedeck_core::redact::detect::{DetectorSet, FieldContext, Match, builtin};

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn token(&mut self, len: usize) -> String {
        const B62: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        (0..len)
            .map(|_| char::from(B62[usize::try_from(self.below(62)).unwrap()]))
            .collect()
    }
}

/// (key words, value) pairs of one synthetic user record with its order and request data.
fn record(rng: &mut Rng, i: u64) -> Vec<(Vec<&'static str>, String)> {
    let names = ["ada", "grace", "alan", "edsger", "barbara", "donald"];
    let name = names[usize::try_from(rng.below(6)).unwrap()];
    vec![
        (vec!["id"], format!("{:08x}-4b1c-4d2e-9f3a-{:012x}", rng.next() as u32, rng.next() >> 16)),
        (vec!["name"], format!("{name} lovelace")),
        (vec!["email"], format!("{name}.{i}@example.com")),
        (vec!["phone"], format!("+1 415 555 {:04}", rng.below(10_000))),
        (vec!["ssn"], format!("{:03}-{:02}-{:04}", 100 + rng.below(500), 10 + rng.below(89), 1000 + rng.below(8999))),
        (vec!["card", "number"], "4111 1111 1111 1111".to_owned()),
        (vec!["address"], format!("{} Market Street, San Francisco, CA 94105", rng.below(999))),
        (vec!["ip"], format!("10.{}.{}.{}", rng.below(256), rng.below(256), rng.below(256))),
        (vec!["created", "at"], format!("2024-01-{:02}T10:30:00Z", 1 + rng.below(28))),
        (vec!["user", "agent"], "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36".to_owned()),
        (vec!["message"], format!("Order {} shipped to {name} on 2024-01-15; contact support if the parcel has not arrived within five working days.", rng.below(1_000_000))),
        (vec!["session", "token"], rng.token(32)),
        (vec!["trace", "id"], format!("{:016x}{:016x}", rng.next(), rng.next())),
        (vec!["amount"], format!("{}.{:02}", rng.below(1000), rng.below(100))),
    ]
}

fn corpus(target_bytes: usize) -> (Vec<(Vec<&'static str>, String)>, String) {
    let mut rng = Rng(42);
    let mut fields = Vec::new();
    let mut blob = String::new();
    let mut i = 0;
    while blob.len() < target_bytes {
        blob.push('{');
        for (keys, value) in record(&mut rng, i) {
            let _ = write!(blob, "\"{}\": \"{value}\", ", keys.join("_"));
            fields.push((keys, value));
        }
        blob.push_str("}\n");
        i += 1;
    }
    (fields, blob)
}

fn bench(c: &mut Criterion) {
    let target = if cfg!(debug_assertions) {
        16 * 1024
    } else {
        4 * 1024 * 1024
    };
    let (fields, blob) = corpus(target);
    let detectors = builtin();
    let mut out: Vec<Match> = Vec::with_capacity(64);

    let field_bytes: usize = fields.iter().map(|(_, v)| v.len()).sum();
    let mut group = c.benchmark_group("detect");
    group.throughput(Throughput::Bytes(u64::try_from(field_bytes).unwrap()));
    group.bench_function("all_detectors_per_field", |b| {
        b.iter(|| {
            let mut n = 0;
            for (keys, value) in &fields {
                let context = FieldContext { key_words: keys };
                for d in &detectors {
                    out.clear();
                    d.find(black_box(value), &context, &mut out);
                    n += out.len();
                }
            }
            n
        });
    });
    // What the redactor runs: one profile pass per field, then only the detectors it allows.
    let set = DetectorSet::builtin();
    group.bench_function("detector_set_per_field", |b| {
        b.iter(|| {
            let mut n = 0;
            for (keys, value) in &fields {
                let context = FieldContext { key_words: keys };
                out.clear();
                set.find_all(black_box(value), &context, &mut out);
                n += out.len();
            }
            n
        });
    });
    group.throughput(Throughput::Bytes(u64::try_from(blob.len()).unwrap()));
    group.bench_function("detector_set_one_text", |b| {
        b.iter(|| {
            out.clear();
            set.find_all(black_box(&blob), &FieldContext::default(), &mut out);
            out.len()
        });
    });
    group.bench_function("all_detectors_one_text", |b| {
        b.iter(|| {
            let mut n = 0;
            for d in &detectors {
                out.clear();
                d.find(black_box(&blob), &FieldContext::default(), &mut out);
                n += out.len();
            }
            n
        });
    });
    for d in &detectors {
        group.bench_function(format!("one_text/{}", d.id().name()), |b| {
            b.iter(|| {
                out.clear();
                d.find(black_box(&blob), &FieldContext::default(), &mut out);
                out.len()
            });
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
