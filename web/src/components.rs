//! One component per file. Components take small props, parse nothing and never touch the
//! DOM directly (that is `platform`'s job).

pub mod body_view;
pub mod cassette_table;
pub mod copy_button;
pub mod detail;
pub mod error_list;
pub mod event_list;
pub mod filter_bar;
pub mod headers_table;
pub mod json_tree;
pub mod load_buttons;
pub mod redact_view;
pub mod sequence;
pub mod stat_cards;
pub mod waterfall;

/// A decoded cassette shared by the detail components; equal when it is the same cassette.
#[derive(Clone)]
pub struct Doc(pub std::rc::Rc<tapedeck_core::Cassette>);

impl PartialEq for Doc {
    fn eq(&self, other: &Self) -> bool {
        std::rc::Rc::ptr_eq(&self.0, &other.0)
    }
}

impl std::ops::Deref for Doc {
    type Target = tapedeck_core::Cassette;
    fn deref(&self) -> &tapedeck_core::Cassette {
        &self.0
    }
}

/// CSS class of a status badge: `s2`..`s5`, or `s0` for no response.
pub fn status_class(status: i64) -> &'static str {
    match status {
        100..=299 => "status s2",
        300..=399 => "status s3",
        400..=499 => "status s4",
        500..=599 => "status s5",
        _ => "status s0",
    }
}

/// CSS class of a method badge.
pub fn method_class(method: &str) -> String {
    let known = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];
    if known.contains(&method) {
        format!("method m-{}", method.to_ascii_lowercase())
    } else {
        String::from("method m-other")
    }
}

/// Short label of a dependency type for chips.
pub fn kind_label(kind: &str) -> &str {
    match kind {
        "http.client" => "http",
        "db.query" => "db",
        other => other,
    }
}

/// `1,234`
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_numbers_and_classes() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(1234), "1,234");
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(status_class(0), "status s0");
        assert_eq!(status_class(502), "status s5");
        assert_eq!(method_class("<script>"), "method m-other");
    }
}
