//! How calls are matched to recordings: which criteria, in which order recordings are taken,
//! what happens on a near miss. [`MatchOptions::default`] is Timetracer's own behaviour.

use super::matchers::{
    BodyHashMatcher, HeadersMatcher, HostMatcher, JsonBodyMatcher, JsonPath, KindMatcher, Matcher,
    MethodMatcher, PathMatcher, QueryMatcher,
};
use crate::model::EventKind;

/// In which order recorded events are handed out.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Ordering {
    /// Timetracer's cursor: each call is compared with the next unconsumed event only.
    #[default]
    Sequential,
    /// Any unconsumed event that matches, the earliest recorded first.
    AnyOrder,
    /// One first-in-first-out queue per signature (type, method, URL path): calls to different
    /// endpoints may interleave freely, repeated calls to one endpoint replay in order. Lookup
    /// is a hash probe, so it stays fast over thousands of recordings.
    PerSignature,
}

impl Ordering {
    pub fn name(self) -> &'static str {
        match self {
            Ordering::Sequential => "sequential",
            Ordering::AnyOrder => "any",
            Ordering::PerSignature => "queue",
        }
    }

    pub fn from_name(name: &str) -> Option<Ordering> {
        match name {
            "sequential" | "strict" => Some(Ordering::Sequential),
            "any" => Some(Ordering::AnyOrder),
            "queue" | "per-signature" => Some(Ordering::PerSignature),
            _ => None,
        }
    }
}

/// Plain settings a [`MatchPolicy`] is built from. The default is Timetracer 1.6.0: events of
/// every type in recording order, matched on type, method and URL without the query (host and
/// port included), strict.
#[derive(Clone, Debug, PartialEq, Eq)]
#[expect(
    clippy::struct_excessive_bools,
    reason = "independent switches, each named after Timetracer's or a peer's option"
)]
pub struct MatchOptions {
    pub ordering: Ordering,
    /// Strict: a near miss is an error. Lenient: Timetracer's `TIMETRACER_STRICT_REPLAY=false`,
    /// the closest recorded event (in sequential order: the next one) is answered anyway and the
    /// differences are reported with it.
    pub strict: bool,
    /// Whether an event may answer again once consumed (when no unconsumed one matches).
    pub allow_repeats: bool,
    /// Compare scheme, host and port (off: a moved upstream still matches).
    pub match_host: bool,
    /// Compare the query (order-insensitive, repeated names kept).
    pub match_query: bool,
    /// Compare these request headers through the recorded `headers_hash`; `None` does not
    /// compare headers.
    pub match_headers: Option<Vec<String>>,
    /// Compare the request body's hash as Timetracer computes it.
    pub match_body_hash: bool,
    /// Compare the request body as JSON (key order ignored), minus these paths; `None` does not.
    pub match_json_body: Option<Vec<String>>,
    /// Only events of these types take part (the others are skipped as if not recorded);
    /// `None` keeps every type, as Timetracer's shared cursor does.
    pub kinds: Option<Vec<EventKind>>,
}

impl Default for MatchOptions {
    fn default() -> Self {
        MatchOptions {
            ordering: Ordering::Sequential,
            strict: true,
            allow_repeats: false,
            match_host: true,
            match_query: false,
            match_headers: None,
            match_body_hash: false,
            match_json_body: None,
            kinds: None,
        }
    }
}

/// A JSON path in the options that does not parse.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("invalid JSON path to ignore (expected `$.a.b`, `$.items[*].id` or `$.list[0]`)")]
pub struct BadJsonPath {
    /// Position of the path in `match_json_body`.
    pub index: usize,
}

/// A frozen list of matchers plus ordering rules, built once from [`MatchOptions`].
#[derive(Debug)]
pub struct MatchPolicy {
    pub(crate) matchers: Vec<Box<dyn Matcher>>,
    pub(crate) options: MatchOptions,
}

impl MatchPolicy {
    /// Timetracer's own matching (the default options).
    pub fn timetracer() -> MatchPolicy {
        MatchPolicy::from_options(MatchOptions::default()).unwrap_or_else(|_| MatchPolicy {
            matchers: Vec::new(),
            options: MatchOptions::default(),
        })
    }

    pub fn from_options(options: MatchOptions) -> Result<MatchPolicy, BadJsonPath> {
        let mut matchers: Vec<Box<dyn Matcher>> = vec![
            Box::new(KindMatcher),
            Box::new(MethodMatcher),
            Box::new(PathMatcher),
        ];
        if options.match_host {
            matchers.push(Box::new(HostMatcher));
        }
        if options.match_query {
            matchers.push(Box::new(QueryMatcher));
        }
        if let Some(names) = &options.match_headers {
            matchers.push(Box::new(HeadersMatcher::new(names.iter().cloned())));
        }
        if options.match_body_hash {
            matchers.push(Box::new(BodyHashMatcher));
        }
        if let Some(paths) = &options.match_json_body {
            let parsed = paths
                .iter()
                .enumerate()
                .map(|(index, p)| JsonPath::parse(p).ok_or(BadJsonPath { index }))
                .collect::<Result<Vec<_>, _>>()?;
            matchers.push(Box::new(JsonBodyMatcher::new(parsed)));
        }
        Ok(MatchPolicy { matchers, options })
    }

    /// Adds a custom criterion after the built-in ones.
    #[must_use]
    pub fn with_matcher(mut self, matcher: Box<dyn Matcher>) -> MatchPolicy {
        self.matchers.push(matcher);
        self
    }

    pub fn options(&self) -> &MatchOptions {
        &self.options
    }

    /// The names of the criteria in use, in order (`type`, `method`, `url`, `host`, ...).
    pub fn matcher_names(&self) -> Vec<&'static str> {
        self.matchers.iter().map(|m| m.name()).collect()
    }
}

impl Default for MatchPolicy {
    fn default() -> Self {
        MatchPolicy::timetracer()
    }
}
