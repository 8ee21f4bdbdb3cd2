//! URL pieces shared by redaction, replay and recording.

use std::borrow::Cow;

/// Percent-decodes a form or query component as Python's `unquote_plus` does: `+` is a space,
/// `%XX` a byte, malformed escapes stay as written, and invalid UTF-8 becomes U+FFFD. Borrows
/// when there is nothing to decode.
pub fn percent_decode(raw: &str) -> Cow<'_, str> {
    if !raw.bytes().any(|b| b == b'%' || b == b'+') {
        return Cow::Borrowed(raw);
    }
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = bytes
                    .get(i + 1..i + 3)
                    .and_then(|h| std::str::from_utf8(h).ok())
                    .and_then(|h| u8::from_str_radix(h, 16).ok());
                if let Some(decoded) = hex {
                    out.push(decoded);
                    i += 3;
                    continue;
                }
                out.push(b'%');
            }
            other => out.push(other),
        }
        i += 1;
    }
    Cow::Owned(String::from_utf8_lossy(&out).into_owned())
}

#[cfg(test)]
mod tests {
    use super::percent_decode;

    #[test]
    fn decodes_like_unquote_plus() {
        assert_eq!(percent_decode("x+y%21%E2%9C%93"), "x y!✓");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz%4"), "%zz%4");
        assert!(matches!(
            percent_decode("plain"),
            std::borrow::Cow::Borrowed("plain")
        ));
    }
}
