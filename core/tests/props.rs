//! Property tests: encoding and decoding are inverses, and no input makes decoding panic.

use proptest::prelude::*;
use tapedeck_core::json::{Document, Number, Value, encode_compact, encode_document, encode_value};

fn number() -> impl Strategy<Value = Number> {
    prop_oneof![
        any::<i64>().prop_map(Number::from),
        any::<u64>().prop_map(Number::from),
        any::<f64>().prop_map(Number::from_f64),
        Just(Number::from_f64(f64::NAN)),
        Just(Number::from_f64(f64::NEG_INFINITY)),
    ]
}

fn text() -> impl Strategy<Value = String> {
    // Control characters, quotes, backslashes, non-ASCII and astral characters.
    prop_oneof![
        "[a-z_]{0,8}",
        any::<String>(),
        "[\\x00-\\x1f\"\\\\/\u{7f}é✓😀]{0,6}",
    ]
}

fn value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        number().prop_map(Value::Number),
        text().prop_map(Value::String),
    ];
    leaf.prop_recursive(6, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((text(), inner), 0..6).prop_map(Value::Object),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn decode_of_encode_gives_the_value_back(v in value()) {
        let bytes = encode_value(&v);
        let doc = Document::parse(&bytes).unwrap();
        prop_assert_eq!(doc.root().to_value(), v);
    }

    #[test]
    fn python_layout_is_a_fixed_point(v in value()) {
        let bytes = encode_value(&v);
        let doc = Document::parse(&bytes).unwrap();
        prop_assert_eq!(encode_document(&doc), bytes);
    }

    #[test]
    fn compact_input_is_rewritten_in_python_layout(v in value()) {
        let compact = encode_compact(&v, false);
        let doc = Document::parse(&compact).unwrap();
        prop_assert_eq!(encode_document(&doc), encode_value(&v));
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        let _ = tapedeck_core::decode("fuzz", &bytes);
    }

    #[test]
    fn mutated_cassettes_never_panic(cut in 0usize..4000, byte in any::<u8>(), at in 0usize..4000) {
        let mut bytes = include_bytes!("fixtures/malformed/bom.json")[3..].to_vec();
        let at = at % bytes.len();
        bytes[at] = byte;
        bytes.truncate(cut.max(1));
        let _ = tapedeck_core::decode("fuzz", &bytes);
    }
}
