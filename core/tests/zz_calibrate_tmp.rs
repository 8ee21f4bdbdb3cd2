use tapedeck_core::redact::detect::*;
fn sm(s: &mut u64) -> u64 {
    *s = s.wrapping_add(0x9E3779B97F4A7C15);
    let mut z = *s;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D049BB133111EB);
    z ^ (z >> 31)
}
#[test]
fn calibrate() {
    let alphabets = [
        (
            "b62",
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
        ),
        (
            "b64",
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/",
        ),
        ("b36", "abcdefghijklmnopqrstuvwxyz0123456789"),
    ];
    let mut s = 42u64;
    for (name, a) in alphabets {
        let a = a.as_bytes();
        for len in [20usize, 24, 32, 40, 64] {
            let mut pass = 0;
            let mut ent = 0.0;
            let mut tr = 0.0;
            let mut wd = 0.0;
            let mut fails = Vec::new();
            for _ in 0..2000 {
                let t: Vec<u8> = (0..len)
                    .map(|_| a[(sm(&mut s) % a.len() as u64) as usize])
                    .collect();
                ent += shannon_entropy(&t);
                tr += class_transition_rate(&t);
                wd += wordy_share(&t);
                if looks_random(&t) {
                    pass += 1
                } else if fails.len() < 3 {
                    fails.push(String::from_utf8(t).unwrap())
                }
            }
            eprintln!(
                "{name} len {len}: pass {pass}/2000 H {:.2} (log2 {:.2}) tr {:.2} wordy {:.2} fails {:?}",
                ent / 2000.0,
                (len as f64).log2(),
                tr / 2000.0,
                wd / 2000.0,
                fails
            );
        }
    }
    for id in [
        "getUserByIdHandlerV2Factory",
        "AbstractSingletonProxyFactoryBean2",
        "Content-Security-Policy-Report-Only",
        "X-Amzn-Trace-Id-Root-1-5759e988",
        "application/vnd.api+json",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8s9T0",
        "user_id_2024_01_15_batch",
        "OrderService_v2_HandleRequest",
        "MyComponent2Props_Default",
        "kubernetes-pod-7d9f8b6c5d-x2k4p",
        "iVBORw0KGgoAAAANSUhEUgAA",
        "ThisIsATestTokenValue123",
        "SGVsbG8gV29ybGQgaG93IGFyZSB5b3U",
    ] {
        let t = id.as_bytes();
        eprintln!(
            "{id}: H {:.2} tr {:.2} wordy {:.2} random {}",
            shannon_entropy(t),
            class_transition_rate(t),
            wordy_share(t),
            looks_random(t)
        );
    }
}
