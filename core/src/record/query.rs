//! Query strings and URLs the way Timetracer's capture reads them (Python's `parse_qs` and
//! `urlparse`).

use crate::json::Value;

/// Python's `parse_qsl(query)` with its defaults: pairs split on `&`, name and value on the
/// first `=`, `+` as space, percent-decoded as UTF-8 (invalid sequences become U+FFFD), pairs
/// without `=` or with an empty value dropped.
pub fn parse_qsl(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter_map(|pair| {
            let (name, value) = pair.split_once('=')?;
            (!value.is_empty()).then(|| (unquote_plus(name), unquote_plus(value)))
        })
        .collect()
}

/// The inbound `request.query` of FastAPI, Starlette and Flask recordings: the first value of
/// each name, in order of first appearance.
pub fn first_values(query: &str) -> Vec<(String, Value)> {
    let mut out: Vec<(String, Value)> = Vec::new();
    for (name, value) in parse_qsl(query) {
        if !out.iter().any(|(k, _)| *k == name) {
            out.push((name, Value::String(value)));
        }
    }
    out
}

/// The outbound `signature.query` of the httpx plugin: a name with one value maps to a string,
/// a repeated name to a list of its values.
pub fn grouped_values(query: &str) -> Vec<(String, Value)> {
    let mut groups: Vec<(String, Vec<String>)> = Vec::new();
    for (name, value) in parse_qsl(query) {
        match groups.iter_mut().find(|(k, _)| *k == name) {
            Some((_, values)) => values.push(value),
            None => groups.push((name, vec![value])),
        }
    }
    groups
        .into_iter()
        .map(|(name, mut values)| {
            let value = if values.len() == 1 {
                Value::String(values.remove(0))
            } else {
                Value::Array(values.into_iter().map(Value::String).collect())
            };
            (name, value)
        })
        .collect()
}

/// Splits a URL into `scheme://netloc/path` (Timetracer's normalized `signature.url`) and its
/// query string; a fragment is dropped.
pub fn split_url(url: &str) -> (&str, &str) {
    let without_fragment = url.split_once('#').map_or(url, |(u, _)| u);
    match without_fragment.split_once('?') {
        Some((base, query)) => (base, query),
        None => (without_fragment, ""),
    }
}

fn unquote_plus(text: &str) -> String {
    crate::url::percent_decode(text).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_queries_as_python_parse_qs() {
        assert_eq!(
            parse_qsl("a=1&b=&c&d=x+y%21&e=%E2%9C%93"),
            vec![
                ("a".to_owned(), "1".to_owned()),
                ("d".to_owned(), "x y!".to_owned()),
                ("e".to_owned(), "✓".to_owned()),
            ]
        );
        assert_eq!(
            grouped_values("tag=a&tag=b&q=x"),
            vec![
                (
                    "tag".to_owned(),
                    Value::Array(vec![Value::from("a"), Value::from("b")])
                ),
                ("q".to_owned(), Value::from("x")),
            ]
        );
        assert_eq!(
            first_values("tag=a&tag=b"),
            vec![("tag".to_owned(), Value::from("a"))]
        );
    }

    #[test]
    fn splits_urls_at_the_query() {
        assert_eq!(
            split_url("http://127.0.0.1:8080/search?q=1#top"),
            ("http://127.0.0.1:8080/search", "q=1")
        );
        assert_eq!(split_url("http://h/p"), ("http://h/p", ""));
    }
}
