//! Finding the parts of a string that hold structured secrets: URL userinfo, query strings and
//! form bodies, cookies. Pure byte-range helpers; the walker decides what to do with them.

use std::ops::Range;

use super::detect::class;

/// One `name=value` pair of a query string, form body or cookie header.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Pair {
    /// Range of the raw name.
    pub name: Range<usize>,
    /// Range of the raw value (empty when there is no `=`).
    pub value: Range<usize>,
}

/// The parts of one URL inside a string.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct UrlParts {
    /// The secret part of the userinfo: the password, or the whole userinfo when it has none.
    pub userinfo_secret: Option<Range<usize>>,
    /// The query string, without `?` and fragment.
    pub query: Option<Range<usize>>,
    /// Scheme, `://` and host with port: never redacted, so replay can still match the URL.
    pub origin: Range<usize>,
}

/// Every `scheme://` URL in `text`, with its parts.
pub(crate) fn find_urls(text: &str) -> Vec<UrlParts> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    for at in memchr::memmem::find_iter(bytes, b"://") {
        // The scheme must be letters (and + . -) right before "://".
        let mut start = at;
        while start > 0
            && bytes
                .get(start - 1)
                .is_some_and(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'.' | b'-'))
        {
            start -= 1;
        }
        if start == at || !bytes.get(start).is_some_and(u8::is_ascii_alphabetic) {
            continue;
        }
        let after = at + 3;
        let end = bytes
            .get(after..)
            .and_then(|rest| rest.iter().position(|b| is_url_end(*b)))
            .map_or(bytes.len(), |p| after + p);
        let authority_end = bytes
            .get(after..end)
            .and_then(|rest| rest.iter().position(|b| matches!(b, b'/' | b'?' | b'#')))
            .map_or(end, |p| after + p);
        let mut parts = UrlParts::default();
        if let Some(authority) = bytes.get(after..authority_end)
            && let Some(at_sign) = memchr::memrchr(b'@', authority)
        {
            let userinfo = after..after + at_sign;
            let secret = match memchr::memchr(b':', authority.get(..at_sign).unwrap_or(&[])) {
                Some(colon) => after + colon + 1..after + at_sign,
                None => userinfo,
            };
            if !secret.is_empty() {
                parts.userinfo_secret = Some(secret);
            }
        }
        parts.query = query_of(bytes, authority_end, end);
        parts.origin = start..authority_end;
        out.push(parts);
    }
    out
}

fn is_url_end(b: u8) -> bool {
    b.is_ascii_whitespace() || matches!(b, b'"' | b'\'' | b'<' | b'>' | b'`' | b'\\')
}

/// The query range (after `?`, before `#`) within `start..end`.
fn query_of(bytes: &[u8], start: usize, end: usize) -> Option<Range<usize>> {
    let q = memchr::memchr(b'?', bytes.get(start..end)?)? + start + 1;
    let q_end = memchr::memchr(b'#', bytes.get(q..end)?).map_or(end, |p| q + p);
    (q < q_end).then_some(q..q_end)
}

/// Which of the bytes that send a string to a scanner it holds, read from its byte classes
/// (the detectors' one pass over it, `detect::classes_and_digits`).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Routing(u32);

impl Routing {
    /// `[` (a redaction token).
    pub const BRACKET: u32 = class::BRACKET;
    /// `:` (a URL).
    pub const COLON: u32 = class::COLON as u32;
    /// `=` (a form or query string).
    pub const EQUALS: u32 = class::EQUALS;
    /// ASCII whitespace (never in a form, a bare query string or a path).
    pub const WHITESPACE: u32 = class::WHITESPACE;

    /// The routing of a string whose classes are `classes`.
    pub fn from_classes(classes: u32) -> Routing {
        Routing(classes)
    }

    /// Whether the string holds one of `bytes` (a [`Routing`] constant or several).
    pub fn holds(self, bytes: u32) -> bool {
        self.0 & bytes != 0
    }
}

/// The query of a path like `/search?q=x` (no scheme).
pub(crate) fn path_query(text: &str) -> Option<Range<usize>> {
    if !text.starts_with('/') || text.bytes().any(|b| b.is_ascii_whitespace()) {
        return None;
    }
    query_of(text.as_bytes(), 0, text.len())
}

/// Whether the whole string looks like a form body or bare query string: no whitespace, and
/// every `&`-separated piece is `name=value` with a plain name.
pub(crate) fn looks_like_form(text: &str) -> bool {
    let bytes = text.as_bytes();
    if memchr::memchr(b'=', bytes).is_none() || bytes.iter().any(u8::is_ascii_whitespace) {
        return false;
    }
    text.split('&').all(|piece| {
        piece.split_once('=').is_some_and(|(name, _)| {
            !name.is_empty()
                && name.bytes().all(|b| {
                    b.is_ascii_alphanumeric()
                        || matches!(b, b'_' | b'-' | b'.' | b'%' | b'[' | b']' | b'+')
                })
        })
    })
}

/// The `name=value` pairs of a query string or form body in `range` of `text`.
pub(crate) fn query_pairs(text: &str, range: Range<usize>) -> Vec<Pair> {
    split_pairs(text, range, b'&', false)
}

/// The cookies of a `cookie` header (`a=1; b=2`), or of a `set-cookie` header (only its
/// first pair is a cookie; the rest are attributes).
pub(crate) fn cookie_pairs(text: &str, set_cookie: bool) -> Vec<Pair> {
    let mut pairs = split_pairs(text, 0..text.len(), b';', true);
    if set_cookie {
        pairs.truncate(1);
    }
    pairs
}

fn split_pairs(text: &str, range: Range<usize>, sep: u8, trim: bool) -> Vec<Pair> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut pos = range.start;
    while pos <= range.end {
        let piece_end = bytes
            .get(pos..range.end)
            .and_then(|rest| memchr::memchr(sep, rest))
            .map_or(range.end, |p| pos + p);
        let mut start = pos;
        if trim {
            while start < piece_end && bytes.get(start) == Some(&b' ') {
                start += 1;
            }
        }
        if start < piece_end {
            let eq = bytes
                .get(start..piece_end)
                .and_then(|piece| memchr::memchr(b'=', piece));
            let pair = match eq {
                Some(eq) => Pair {
                    name: start..start + eq,
                    value: start + eq + 1..piece_end,
                },
                None => Pair {
                    name: start..piece_end,
                    value: piece_end..piece_end,
                },
            };
            out.push(pair);
        }
        pos = piece_end + 1;
    }
    out
}

pub(crate) use crate::url::percent_decode;

/// The authorization scheme at the start of a header value (`Bearer`), with the space after
/// it: the mask keeps it so the header still says what kind of credential it was.
pub(crate) fn scheme_prefix_len(value: &str) -> usize {
    match value.split_once(' ') {
        Some((scheme, rest)) if super::operators::is_scheme(scheme) && !rest.trim().is_empty() => {
            scheme.len() + 1
        }
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routing_reads_the_bytes_a_string_holds_from_its_classes() {
        let long = format!("{}=x", "a".repeat(300));
        for text in [
            "",
            "plain",
            "a=1&b=2",
            "https://h/p?q=1",
            "x y",
            "tab\there",
            "form\x0Bfeed",
            "[REDACTED]",
            long.as_str(),
        ] {
            let route =
                Routing::from_classes(super::super::detect::classes_and_digits(text.as_bytes()).0);
            for (byte, flag) in [
                (b'[', Routing::BRACKET),
                (b':', Routing::COLON),
                (b'=', Routing::EQUALS),
            ] {
                assert_eq!(
                    route.holds(flag),
                    text.as_bytes().contains(&byte),
                    "{text:?} {byte}"
                );
            }
            let spaced = text.bytes().any(|b| b.is_ascii_whitespace());
            assert_eq!(route.holds(Routing::WHITESPACE), spaced, "{text:?}");
        }
    }

    fn slice(text: &str, r: &Range<usize>) -> String {
        text[r.clone()].to_owned()
    }

    #[test]
    fn finds_userinfo_and_query_of_urls() {
        let text = "see https://bob:hunter2@db.example.com:5432/x?token=abc&sig=AKIA#frag now";
        let urls = find_urls(text);
        assert_eq!(urls.len(), 1);
        assert_eq!(
            slice(text, urls[0].userinfo_secret.as_ref().unwrap()),
            "hunter2"
        );
        assert_eq!(
            slice(text, urls[0].query.as_ref().unwrap()),
            "token=abc&sig=AKIA"
        );
        let token_user = "https://ghp_token@github.com/a";
        let urls = find_urls(token_user);
        assert_eq!(
            slice(token_user, urls[0].userinfo_secret.as_ref().unwrap()),
            "ghp_token"
        );
        let plain = find_urls("http://127.0.0.1:18080/search");
        assert_eq!(plain[0].origin, 0..22);
        assert_eq!(plain[0].query, None);
        assert!(find_urls("no url :// here").is_empty());
    }

    #[test]
    fn splits_queries_forms_and_cookies() {
        let q = "api_key=KEY123&card=4111&flag&email=bob%40example.com";
        let pairs = query_pairs(q, 0..q.len());
        let names: Vec<String> = pairs.iter().map(|p| slice(q, &p.name)).collect();
        assert_eq!(names, ["api_key", "card", "flag", "email"]);
        assert_eq!(slice(q, &pairs[3].value), "bob%40example.com");
        assert_eq!(percent_decode("bob%40example.com+x"), "bob@example.com x");
        assert!(looks_like_form("a=1&b=2"));
        assert!(!looks_like_form("a = 1"));
        assert!(!looks_like_form("x"));
        let c = "session=abc123; csrftoken=zzz";
        let cookies = cookie_pairs(c, false);
        assert_eq!(slice(c, &cookies[1].value), "zzz");
        let set = "sid=1; Path=/; HttpOnly";
        assert_eq!(cookie_pairs(set, true).len(), 1);
        assert_eq!(path_query("/search?q=1"), Some(8..11));
        assert_eq!(scheme_prefix_len("Bearer abc"), 7);
        assert_eq!(scheme_prefix_len("abc"), 0);
    }
}
