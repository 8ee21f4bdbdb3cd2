//! The redaction benchmark's input: a Timetracer cassette whose response body is a nested JSON
//! document of PII-laden records (the shape of Timetracer's own baseline), generated from a
//! fixed seed. Shared by `benches/redact.rs` and `examples/pii_cassette.rs` (which writes it to
//! a file so the browser's engine can be measured on the very same bytes).

/// A small deterministic generator (64-bit LCG), so every run redacts the same bytes.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        let i = usize::try_from(self.next()).unwrap_or(0) % items.len();
        items[i]
    }
}

fn record(rng: &mut Rng, i: u64, out: &mut String, indent: &str) {
    use std::fmt::Write as _;
    let first = rng.pick(&["ada", "bob", "carol", "dave", "erin", "frank"]);
    let city = rng.pick(&["Paris", "Lyon", "Berlin", "Austin", "Osaka"]);
    let n = rng.next() % 10_000;
    let _ = write!(
        out,
        "{indent}{{\n{indent}  \"id\": {i},\n{indent}  \"name\": \"{first} {n}\",\n{indent}  \"email\": \"{first}.{n}@example.com\",\n{indent}  \"phone\": \"+1 415 555 {n:04}\",\n{indent}  \"ssn\": \"123-45-{n:04}\",\n{indent}  \"card\": {{\n{indent}    \"number\": \"4111111111111111\",\n{indent}    \"exp_month\": 12\n{indent}  }},\n{indent}  \"address\": {{\n{indent}    \"street\": \"{n} Main St\",\n{indent}    \"city\": \"{city}\"\n{indent}  }},\n{indent}  \"notes\": \"called on 2026-11-30, mail {first}@example.org, ip 10.0.{}.{}\",\n{indent}  \"tags\": [\n{indent}    \"vip\",\n{indent}    \"trace_id-{n}\"\n{indent}  ],\n{indent}  \"message\": \"order {n} shipped to {city} with tracking 1Z{n:06}\",\n{indent}  \"active\": true,\n{indent}  \"score\": {}.5\n{indent}}}",
        n % 256,
        (n / 7) % 256,
        n % 100
    );
}

/// A Timetracer cassette of about `target_bytes`, in Python's `indent=2` layout.
pub fn cassette(target_bytes: usize) -> Vec<u8> {
    let mut rng = Rng(0x7A9E_DEC4);
    let mut records = String::with_capacity(target_bytes + 4096);
    let mut i = 0;
    while records.len() < target_bytes {
        if i > 0 {
            records.push_str(",\n");
        }
        record(&mut rng, i, &mut records, "          ");
        i += 1;
    }
    format!(
        "{{\n  \"schema_version\": \"1.0\",\n  \"session\": {{\n    \"id\": \"7a9e0000-0000-4000-8000-000000000000\",\n    \"recorded_at\": \"2026-11-30T07:25:12+00:00\"\n  }},\n  \"request\": {{\n    \"method\": \"GET\",\n    \"path\": \"/customers\"\n  }},\n  \"response\": {{\n    \"status\": 200,\n    \"duration_ms\": 1.0,\n    \"body\": {{\n      \"_captured\": true,\n      \"encoding\": \"json\",\n      \"data\": {{\n        \"customers\": [\n{records}\n        ]\n      }},\n      \"size_bytes\": {},\n      \"hash\": \"sha256:00\"\n    }}\n  }},\n  \"events\": []\n}}",
        records.len()
    )
    .into_bytes()
}
