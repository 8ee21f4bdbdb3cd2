//! URL pieces as Timetracer sees them: `scheme://netloc/path` without the query, and the query
//! parsed as Python's `parse_qsl` does (blank values dropped).

/// A URL split into its origin (`scheme://host:port`, empty for an origin-form target such as
/// `/users/42`) and its path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UrlParts<'a> {
    pub origin: &'a str,
    pub path: &'a str,
}

/// Splits `http://host:port/path` (query and fragment already removed or not) into origin and
/// path. A target without `://` is all path. An absolute URL without a path has path `/`.
pub fn split_url(url: &str) -> UrlParts<'_> {
    let url = strip_query(url).0;
    let Some(scheme_end) = url.find("://") else {
        return UrlParts {
            origin: "",
            path: url,
        };
    };
    let after = scheme_end + 3;
    let path_start = url
        .get(after..)
        .and_then(|rest| rest.find('/'))
        .map_or(url.len(), |i| after + i);
    let (origin, path) = url.split_at(path_start);
    UrlParts {
        origin,
        path: if path.is_empty() { "/" } else { path },
    }
}

/// Splits a URL or target at `?` into the part before and the raw query (fragment dropped).
pub fn strip_query(url: &str) -> (&str, &str) {
    let url = url.split_once('#').map_or(url, |(before, _)| before);
    url.split_once('?').unwrap_or((url, ""))
}

/// Python's `urllib.parse.parse_qsl(query)`: `&`-separated pairs, `+` as space,
/// percent-decoding (invalid UTF-8 replaced), pairs without `=` or with a blank value dropped.
pub fn parse_query(query: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for pair in query.split('&') {
        let Some((name, value)) = pair.split_once('=') else {
            continue;
        };
        if value.is_empty() {
            continue;
        }
        out.push((percent_decode(name), percent_decode(value)));
    }
    out
}

/// Decodes `%XX` escapes and `+` (form encoding); malformed escapes stay as they are.
pub fn percent_decode(text: &str) -> String {
    crate::url::percent_decode(text).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_origin_and_path() {
        assert_eq!(
            split_url("http://127.0.0.1:18080/users/42?x=1"),
            UrlParts {
                origin: "http://127.0.0.1:18080",
                path: "/users/42"
            }
        );
        assert_eq!(split_url("https://api.example").path, "/");
        assert_eq!(split_url("/users/42").origin, "");
        assert_eq!(split_url("users").path, "users");
    }

    #[test]
    fn parses_queries_like_parse_qsl() {
        assert_eq!(
            parse_query("q=a+b&tag=x&tag=y&empty=&flag&e=%C3%A9&bad=%zz"),
            vec![
                ("q".to_owned(), "a b".to_owned()),
                ("tag".to_owned(), "x".to_owned()),
                ("tag".to_owned(), "y".to_owned()),
                ("e".to_owned(), "é".to_owned()),
                ("bad".to_owned(), "%zz".to_owned()),
            ]
        );
    }
}
