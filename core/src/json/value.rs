//! An owned JSON value for building documents in memory (insertion-ordered objects, numbers
//! kept as text so big integers and Python float reprs survive).

use super::tape::{Kind, Node};

/// A JSON number kept as its text.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Number(String);

impl Number {
    /// The number's JSON text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// A float written as Python's `repr` writes it (`1.0`, `1e-07`, `NaN`, `Infinity`).
    pub fn from_f64(value: f64) -> Self {
        Number(python_float_repr(value))
    }

    /// Number text taken from a document as is. The caller guarantees it is a JSON number.
    pub(crate) fn from_raw(text: &str) -> Self {
        Number(text.to_owned())
    }

    pub fn as_f64(&self) -> Option<f64> {
        match self.0.as_str() {
            "NaN" => Some(f64::NAN),
            "Infinity" => Some(f64::INFINITY),
            "-Infinity" => Some(f64::NEG_INFINITY),
            text => text.parse().ok(),
        }
    }
}

impl From<i64> for Number {
    fn from(value: i64) -> Self {
        Number(value.to_string())
    }
}

impl From<u64> for Number {
    fn from(value: u64) -> Self {
        Number(value.to_string())
    }
}

impl From<f64> for Number {
    fn from(value: f64) -> Self {
        Number::from_f64(value)
    }
}

/// An owned JSON value. Objects keep insertion order and may hold duplicate keys.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Number(Number),
    String(String),
    Array(Vec<Value>),
    Object(Vec<(String, Value)>),
}

impl Value {
    /// The value of `key` in an object (last occurrence wins).
    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Object(members) => members.iter().rev().find(|(k, _)| k == key).map(|m| &m.1),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// An object from `(key, value)` pairs, keeping their order.
    pub fn object<K: Into<String>>(members: impl IntoIterator<Item = (K, Value)>) -> Value {
        Value::Object(members.into_iter().map(|(k, v)| (k.into(), v)).collect())
    }

    /// Collapses duplicate keys the way Python's `dict` does: the last value is kept at the
    /// position of the first occurrence. Applied recursively.
    #[must_use]
    pub fn collapse_duplicate_keys(self) -> Value {
        match self {
            Value::Array(items) => Value::Array(
                items
                    .into_iter()
                    .map(Value::collapse_duplicate_keys)
                    .collect(),
            ),
            Value::Object(members) => {
                let mut out: Vec<(String, Value)> = Vec::with_capacity(members.len());
                for (key, value) in members {
                    let value = value.collapse_duplicate_keys();
                    if let Some(slot) = out.iter_mut().find(|(k, _)| *k == key) {
                        slot.1 = value;
                    } else {
                        out.push((key, value));
                    }
                }
                Value::Object(out)
            }
            scalar => scalar,
        }
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::String(s.to_owned())
    }
}
impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::String(s)
    }
}
impl From<bool> for Value {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}
impl From<i64> for Value {
    fn from(n: i64) -> Self {
        Value::Number(n.into())
    }
}
impl From<u64> for Value {
    fn from(n: u64) -> Self {
        Value::Number(n.into())
    }
}
impl From<f64> for Value {
    fn from(n: f64) -> Self {
        Value::Number(n.into())
    }
}
impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Self {
        v.map_or(Value::Null, Into::into)
    }
}

impl Node<'_> {
    /// Copies this value and its subtree out of the document.
    pub fn to_value(&self) -> Value {
        if self.is_skimmed() {
            // Parse the skipped text now; it was checked for balance only.
            return super::Document::parse(self.raw().as_bytes())
                .map_or(Value::Null, |doc| doc.root().to_value());
        }
        match self.kind() {
            Kind::Null => Value::Null,
            Kind::Bool => Value::Bool(self.raw() == "true"),
            Kind::Number => Value::Number(Number::from_raw(self.raw())),
            Kind::String => Value::String(self.as_str().unwrap_or_default().into_owned()),
            Kind::Array => Value::Array(self.elements().map(|e| e.to_value()).collect()),
            Kind::Object => Value::Object(
                self.members()
                    .map(|(k, v)| (k.as_str().unwrap_or_default().into_owned(), v.to_value()))
                    .collect(),
            ),
        }
    }
}

/// Python's `repr(float)`: the shortest digits that round-trip, in fixed notation when the
/// decimal exponent is in -4..16 and in scientific notation (`1e-07`, `1.5e+16`) otherwise.
pub fn python_float_repr(value: f64) -> String {
    if value.is_nan() {
        return String::from("NaN");
    }
    if value.is_infinite() {
        return String::from(if value > 0.0 { "Infinity" } else { "-Infinity" });
    }
    if value == 0.0 {
        return String::from(if value.is_sign_negative() {
            "-0.0"
        } else {
            "0.0"
        });
    }
    // Rust's `{:e}` gives the shortest round-trip digits: "-1.2345e-7".
    let sci = format!("{value:e}");
    let (mantissa, exponent) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let (sign, mantissa) = match mantissa.strip_prefix('-') {
        Some(m) => ("-", m),
        None => ("", mantissa),
    };
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let decimal_point = exponent + 1;
    let mut out = String::from(sign);
    if decimal_point <= -4 || decimal_point > 16 {
        out.push_str(&digits[..1]);
        if digits.len() > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        out.push('e');
        out.push(if exponent < 0 { '-' } else { '+' });
        let magnitude = exponent.unsigned_abs();
        if magnitude < 10 {
            out.push('0');
        }
        out.push_str(&magnitude.to_string());
    } else if decimal_point <= 0 {
        out.push_str("0.");
        for _ in 0..decimal_point.unsigned_abs() {
            out.push('0');
        }
        out.push_str(&digits);
    } else {
        let point = decimal_point.unsigned_abs() as usize;
        if point >= digits.len() {
            out.push_str(&digits);
            for _ in digits.len()..point {
                out.push('0');
            }
            out.push_str(".0");
        } else {
            out.push_str(&digits[..point]);
            out.push('.');
            out.push_str(&digits[point..]);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::python_float_repr as repr;

    #[test]
    fn floats_print_like_python_repr() {
        let cases = [
            (98.6, "98.6"),
            (1e-7, "1e-07"),
            (100_000.0, "100000.0"),
            (0.002, "0.002"),
            (-0.0, "-0.0"),
            (1.0, "1.0"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
            (1e16, "1e+16"),
            (1e15, "1000000000000000.0"),
            (1.5e16, "1.5e+16"),
            (123_456_789.123, "123456789.123"),
            (67.905_127_000_017_27, "67.90512700001727"),
            (1e100, "1e+100"),
            (f64::NAN, "NaN"),
            (f64::NEG_INFINITY, "-Infinity"),
            (5e-324, "5e-324"),
        ];
        for (value, expected) in cases {
            assert_eq!(repr(value), expected, "repr of {value:e}");
        }
    }
}
