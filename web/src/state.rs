//! The viewer's state: loaded rows, load errors, filters, sort, selection. A [`Reducible`]
//! struct changed only through [`Action`]s, so all of it is unit-tested natively.
//!
//! Derived data (sorted order, the visible rows, their statistics) is recomputed in the
//! reducer, once per change, and shared by `Rc`: components receive it ready to draw.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::rc::Rc;

use tapedeck_core::index::{
    Counts, Filter, Sort, SortKey, SpeedClass, StatusFilter, Summary, percentile,
};
use tapedeck_core::model::parse_timestamp_micros;
use yew::Reducible;

/// One loaded cassette: its summary row and the (inflated) JSON text, decoded again in full
/// only when it is opened.
#[derive(Debug)]
pub struct Row {
    /// Position in [`AppState::rows`]; stable for the session.
    pub id: u32,
    pub summary: Summary,
    /// The file was gzip-compressed.
    pub compressed: bool,
    pub warnings: usize,
    /// The file's text (inflated when it was gzip), shared by every exchange of the file.
    pub text: Rc<[u8]>,
    /// The file's bytes as loaded, when they differ from `text` (gzip): redaction writes
    /// `.gz` back, and an unchanged file is handed back exactly as it came.
    pub raw: Option<Rc<[u8]>>,
    /// The file's name as loaded, and which exchange of it this row is (HAR files hold many).
    pub source: Rc<str>,
    pub entry: usize,
    /// Method, path, query and file name, lower-cased and joined by line breaks: the text
    /// search runs over this one string (a keystroke over 10,000 rows stays cheap).
    pub search: Box<str>,
}

impl PartialEq for Row {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
    }
}

/// A decoded cassette ready to become a row.
#[derive(Debug)]
pub struct NewRow {
    pub summary: Summary,
    pub compressed: bool,
    pub warnings: usize,
    pub text: Rc<[u8]>,
    pub raw: Option<Rc<[u8]>>,
    pub source: Rc<str>,
    pub entry: usize,
}

/// A file that could not be loaded: its name and why (never its content).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadError {
    pub name: String,
    pub reason: String,
}

/// Loading progress over every file handed in so far.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    pub done: usize,
    pub total: usize,
}

/// The tabs of the detail panel.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Tab {
    #[default]
    Overview,
    Request,
    Response,
    Events,
    Raw,
}

impl Tab {
    pub const ALL: [Tab; 5] = [
        Tab::Overview,
        Tab::Request,
        Tab::Response,
        Tab::Events,
        Tab::Raw,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Tab::Overview => "overview",
            Tab::Request => "request",
            Tab::Response => "response",
            Tab::Events => "events",
            Tab::Raw => "raw",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Tab::Overview => "Overview",
            Tab::Request => "Request",
            Tab::Response => "Response",
            Tab::Events => "Dependencies",
            Tab::Raw => "Raw JSON",
        }
    }

    pub fn from_name(name: &str) -> Option<Tab> {
        Tab::ALL.into_iter().find(|t| t.name() == name)
    }
}

/// Default slow threshold (ms).
pub const DEFAULT_SLOW_MS: f64 = 1000.0;

/// What the person chose to see: filters, sort, the open cassette. It round-trips through
/// the URL hash, so a reload or a shared link restores it.
#[derive(Clone, Debug, PartialEq)]
pub struct View {
    /// Text search (path, query, method, file name).
    pub text: String,
    /// Also search the whole cassette text (bodies, headers).
    pub search_bodies: bool,
    pub method: Option<String>,
    pub status: Option<StatusFilter>,
    pub speed: Option<SpeedClass>,
    pub slow_ms: f64,
    /// `YYYY-MM-DDTHH:MM` in UTC, empty when unset (a `datetime-local` input's value).
    pub from: String,
    pub to: String,
    pub dependency_type: Option<String>,
    pub dependency_lib: Option<String>,
    pub sort: Sort,
    /// File name of the open cassette.
    pub open: Option<String>,
    pub tab: Tab,
}

impl Default for View {
    fn default() -> Self {
        View {
            text: String::new(),
            search_bodies: false,
            method: None,
            status: None,
            speed: None,
            slow_ms: DEFAULT_SLOW_MS,
            from: String::new(),
            to: String::new(),
            dependency_type: None,
            dependency_lib: None,
            sort: Sort::default(),
            open: None,
            tab: Tab::Overview,
        }
    }
}

/// A `datetime-local` value (`YYYY-MM-DDTHH:MM[:SS]`) read as UTC, in µs since the epoch.
pub fn parse_local_input_utc(value: &str) -> Option<i64> {
    let value = value.trim();
    match value.len() {
        16 => parse_timestamp_micros(&format!("{value}:00+00:00")),
        19 => parse_timestamp_micros(&format!("{value}+00:00")),
        _ => None,
    }
}

impl View {
    /// Whether any filter is set (sort and selection aside).
    pub fn has_filters(&self) -> bool {
        let d = View::default();
        self.text != d.text
            || self.method.is_some()
            || self.status.is_some()
            || self.speed.is_some()
            || !self.from.is_empty()
            || !self.to.is_empty()
            || self.dependency_type.is_some()
            || self.dependency_lib.is_some()
    }

    /// Core's filter for everything but the text, which [`Matcher`] handles (it may also
    /// search bodies).
    fn structural_filter(&self) -> Filter {
        Filter {
            method: self.method.clone(),
            status: self.status,
            speed: self.speed,
            slow_ms: Some(self.slow_ms),
            from_micros: parse_local_input_utc(&self.from),
            // The end minute is inclusive.
            to_micros: parse_local_input_utc(&self.to).map(|t| {
                if self.to.trim().len() == 16 {
                    t + 59_999_999
                } else {
                    t + 999_999
                }
            }),
            dependency_type: self.dependency_type.clone(),
            dependency_lib: self.dependency_lib.clone(),
            ..Filter::default()
        }
    }

    /// The URL hash (without `#`) holding every non-default setting.
    pub fn to_hash(&self) -> String {
        let d = View::default();
        let mut parts: Vec<(&str, String)> = Vec::new();
        if !self.text.is_empty() {
            parts.push(("q", self.text.clone()));
        }
        if self.search_bodies {
            parts.push(("bodies", String::from("1")));
        }
        if let Some(m) = &self.method {
            parts.push(("method", m.clone()));
        }
        if let Some(s) = self.status {
            parts.push(("status", s.as_text()));
        }
        if let Some(s) = self.speed {
            parts.push(("speed", speed_name(s).to_owned()));
        }
        if self.slow_ms.to_bits() != d.slow_ms.to_bits() {
            parts.push(("slow", format!("{}", self.slow_ms)));
        }
        if !self.from.is_empty() {
            parts.push(("from", self.from.clone()));
        }
        if !self.to.is_empty() {
            parts.push(("to", self.to.clone()));
        }
        if let Some(t) = &self.dependency_type {
            parts.push(("dep", t.clone()));
        }
        if let Some(l) = &self.dependency_lib {
            parts.push(("lib", l.clone()));
        }
        if self.sort != d.sort {
            parts.push(("sort", self.sort.to_text()));
        }
        if let Some(open) = &self.open {
            parts.push(("open", open.clone()));
            if self.tab != Tab::Overview {
                parts.push(("tab", self.tab.name().to_owned()));
            }
        }
        parts
            .into_iter()
            .map(|(k, v)| format!("{k}={}", percent_encode(&v)))
            .collect::<Vec<_>>()
            .join("&")
    }

    /// Reads a URL hash (with or without `#`); unknown or malformed parts are ignored.
    pub fn from_hash(hash: &str) -> View {
        let mut view = View::default();
        let hash = hash.strip_prefix('#').unwrap_or(hash);
        let hash = hash.strip_prefix('/').unwrap_or(hash);
        for part in hash.split('&').filter(|p| !p.is_empty()) {
            let (key, value) = part.split_once('=').unwrap_or((part, ""));
            let value = percent_decode(value);
            let some = |v: String| (!v.is_empty()).then_some(v);
            match key {
                "q" => view.text = value,
                "bodies" => view.search_bodies = value == "1",
                "method" => view.method = some(value),
                "status" => view.status = value.parse().ok(),
                "speed" => view.speed = speed_from_name(&value),
                "slow" => {
                    if let Ok(ms) = value.parse::<f64>()
                        && ms.is_finite()
                        && ms > 0.0
                    {
                        view.slow_ms = ms;
                    }
                }
                "from" => view.from = value,
                "to" => view.to = value,
                "dep" => view.dependency_type = some(value),
                "lib" => view.dependency_lib = some(value),
                "sort" => view.sort = Sort::from_text(&value).unwrap_or_default(),
                "open" => view.open = some(value),
                "tab" => view.tab = Tab::from_name(&value).unwrap_or_default(),
                _ => {}
            }
        }
        view
    }
}

pub fn speed_name(speed: SpeedClass) -> &'static str {
    match speed {
        SpeedClass::Fast => "fast",
        SpeedClass::Medium => "medium",
        SpeedClass::Slow => "slow",
    }
}

pub fn speed_from_name(name: &str) -> Option<SpeedClass> {
    match name {
        "fast" => Some(SpeedClass::Fast),
        "medium" => Some(SpeedClass::Medium),
        "slow" => Some(SpeedClass::Slow),
        _ => None,
    }
}

fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/' | b':') {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| char::from(b).to_digit(16);
        match (bytes[i], bytes.get(i + 1), bytes.get(i + 2)) {
            (b'%', Some(&h), Some(&l)) if hex(h).is_some() && hex(l).is_some() => {
                let value = hex(h).unwrap_or(0) * 16 + hex(l).unwrap_or(0);
                out.push(u8::try_from(value).unwrap_or(b'?'));
                i += 3;
            }
            (b'+', _, _) => {
                out.push(b' ');
                i += 1;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Case-insensitive (ASCII) substring search over bytes; the needle is already lower-case.
pub fn contains_ignore_ascii_case(haystack: &[u8], needle_lower: &[u8]) -> bool {
    let Some((&first, rest)) = needle_lower.split_first() else {
        return true;
    };
    if haystack.len() < needle_lower.len() {
        return false;
    }
    let upper = first.to_ascii_uppercase();
    let last_start = haystack.len() - needle_lower.len();
    let mut i = 0;
    while i <= last_start {
        let b = haystack[i];
        if (b == first || b == upper)
            && haystack[i + 1..i + needle_lower.len()]
                .iter()
                .zip(rest)
                .all(|(h, n)| h.to_ascii_lowercase() == *n)
        {
            return true;
        }
        i += 1;
    }
    false
}

/// The stat cards: the figures of core's `Stats` the viewer shows, computed in one pass
/// without the per-endpoint grouping, so a keystroke over 10,000 rows stays cheap. Same
/// definitions as `tapedeck stats` (errors: status ≥ 400 or none; nearest-rank percentiles).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CardStats {
    pub total: usize,
    pub success: usize,
    pub errors: usize,
    pub no_response: usize,
    pub p50_ms: f64,
    pub p95_ms: f64,
    pub dependency_calls: usize,
    pub dependencies_by_type: Counts,
}

impl CardStats {
    pub fn compute<'a>(rows: impl Iterator<Item = &'a Summary>) -> CardStats {
        let mut stats = CardStats::default();
        let mut durations = Vec::new();
        for row in rows {
            stats.total += 1;
            if row.error {
                stats.errors += 1;
                if row.status == 0 {
                    stats.no_response += 1;
                }
            } else {
                stats.success += 1;
            }
            durations.push(row.duration_ms);
            for (kind, n) in &row.dependencies.0 {
                stats.dependencies_by_type.add(kind, *n);
            }
        }
        durations.sort_unstable_by(f64::total_cmp);
        stats.p50_ms = percentile(&durations, 50.0);
        stats.p95_ms = percentile(&durations, 95.0);
        stats.dependency_calls = stats.dependencies_by_type.total();
        stats
    }
}

/// Sorted distinct values offered by the filter menus.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Facets {
    pub methods: Vec<String>,
    pub dependency_types: Vec<String>,
    pub dependency_libs: Vec<String>,
}

/// Everything the viewer shows.
#[derive(Clone, Debug, PartialEq)]
pub struct AppState {
    pub rows: Rc<Vec<Rc<Row>>>,
    pub errors: Rc<Vec<LoadError>>,
    pub progress: Progress,
    pub view: View,
    /// Ids of all rows in sort order.
    pub order: Rc<Vec<u32>>,
    /// Ids of the rows that pass the filters, in sort order.
    pub visible: Rc<Vec<u32>>,
    /// Statistics of the visible rows.
    pub stats: Rc<CardStats>,
    /// Keyboard cursor: a position in `visible`.
    pub cursor: Option<usize>,
    pub facets: Rc<Facets>,
    /// The row named by `view.open`, once it is loaded.
    pub open_id: Option<u32>,
    /// Bumped whenever the visible rows change, so the table can scroll back to the top.
    pub filter_generation: u64,
    /// Whether the load error list is shown in full.
    pub errors_expanded: bool,
}

impl Default for AppState {
    fn default() -> Self {
        AppState {
            rows: Rc::default(),
            errors: Rc::default(),
            progress: Progress::default(),
            view: View::default(),
            order: Rc::default(),
            visible: Rc::default(),
            stats: Rc::new(CardStats::default()),
            cursor: None,
            facets: Rc::default(),
            open_id: None,
            filter_generation: 0,
            errors_expanded: false,
        }
    }
}

/// Everything that changes the state.
#[derive(Debug)]
pub enum Action {
    /// More files were handed in (dropped, picked or fetched) and will be loaded.
    BeginLoad(usize),
    /// A batch finished: its rows, its failures, and how many input files it covered.
    Loaded {
        rows: Vec<NewRow>,
        errors: Vec<LoadError>,
        files: usize,
    },
    SetText(String),
    SetSearchBodies(bool),
    SetMethod(Option<String>),
    SetStatus(Option<StatusFilter>),
    SetSpeed(Option<SpeedClass>),
    SetSlowMs(f64),
    SetFrom(String),
    SetTo(String),
    SetDependencyType(Option<String>),
    SetDependencyLib(Option<String>),
    ClearFilters,
    SortBy(SortKey),
    /// Opens the cassette of a row id.
    Open(u32),
    Close,
    /// Moves the keyboard cursor by rows (negative: up); follows with the open cassette.
    MoveCursor(isize),
    /// Opens the row under the cursor.
    OpenCursor,
    SetTab(Tab),
    /// Replaces the view, e.g. from the URL hash after a reload or a back navigation.
    RestoreView(View),
    ToggleErrors,
    ClearErrors,
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut s = Rc::unwrap_or_clone(self);
        s.apply(action);
        Rc::new(s)
    }
}

impl AppState {
    /// Applies one action in place.
    pub fn apply(&mut self, action: Action) {
        match action {
            Action::BeginLoad(n) => self.progress.total += n,
            Action::Loaded {
                rows,
                errors,
                files,
            } => {
                self.progress.done += files;
                self.progress.total = self.progress.total.max(self.progress.done);
                if !errors.is_empty() {
                    Rc::make_mut(&mut self.errors).extend(errors);
                }
                if !rows.is_empty() {
                    self.add_rows(rows);
                }
            }
            Action::SetText(text) => self.set_view(|v| v.text = text),
            Action::SetSearchBodies(on) => self.set_view(|v| v.search_bodies = on),
            Action::SetMethod(m) => self.set_view(|v| v.method = m),
            Action::SetStatus(st) => self.set_view(|v| v.status = st),
            Action::SetSpeed(sp) => self.set_view(|v| v.speed = sp),
            Action::SetSlowMs(ms) => {
                if ms.is_finite() && ms > 0.0 {
                    self.set_view(|v| v.slow_ms = ms);
                }
            }
            Action::SetFrom(t) => self.set_view(|v| v.from = t),
            Action::SetTo(t) => self.set_view(|v| v.to = t),
            Action::SetDependencyType(t) => self.set_view(|v| v.dependency_type = t),
            Action::SetDependencyLib(l) => self.set_view(|v| v.dependency_lib = l),
            Action::ClearFilters => self.set_view(|v| {
                *v = View {
                    sort: v.sort,
                    open: v.open.take(),
                    tab: v.tab,
                    ..View::default()
                };
            }),
            Action::SortBy(key) => {
                self.view.sort = self.view.sort.toggled(key);
                self.resort();
                self.refilter();
            }
            Action::Open(id) => self.open(id),
            Action::Close => {
                self.view.open = None;
                self.open_id = None;
            }
            Action::MoveCursor(delta) => {
                if self.visible.is_empty() {
                    self.cursor = None;
                    return;
                }
                let last = self.visible.len() - 1;
                let next = match self.cursor {
                    None if delta < 0 => last,
                    None => 0,
                    Some(c) => c.saturating_add_signed(delta).min(last),
                };
                self.cursor = Some(next);
                if self.view.open.is_some() {
                    let id = self.visible[next];
                    self.open(id);
                }
            }
            Action::OpenCursor => {
                if let Some(id) = self.cursor.and_then(|c| self.visible.get(c).copied()) {
                    self.open(id);
                }
            }
            Action::SetTab(tab) => self.view.tab = tab,
            Action::RestoreView(view) => {
                let sort_changed = view.sort != self.view.sort;
                self.view = view;
                if sort_changed {
                    self.resort();
                }
                self.open_id = self.find_open();
                self.refilter();
            }
            Action::ToggleErrors => self.errors_expanded = !self.errors_expanded,
            Action::ClearErrors => {
                self.errors = Rc::default();
                self.errors_expanded = false;
            }
        }
    }

    /// The row of an id.
    pub fn row(&self, id: u32) -> Option<&Rc<Row>> {
        self.rows.get(id as usize)
    }

    /// Whether files are still being read or decoded.
    pub fn is_loading(&self) -> bool {
        self.progress.done < self.progress.total
    }

    fn open(&mut self, id: u32) {
        let Some(row) = self.row(id) else { return };
        let name = row.summary.file.clone();
        if self.view.open.as_deref() != Some(name.as_str()) {
            self.view.tab = Tab::Overview;
        }
        self.view.open = Some(name);
        self.open_id = Some(id);
        if let Some(pos) = self.visible.iter().position(|v| *v == id) {
            self.cursor = Some(pos);
        }
    }

    fn set_view(&mut self, change: impl FnOnce(&mut View)) {
        let before = self.view.clone();
        change(&mut self.view);
        if before != self.view {
            self.refilter();
        }
    }

    fn add_rows(&mut self, new_rows: Vec<NewRow>) {
        let rows = Rc::make_mut(&mut self.rows);
        let facets = Rc::make_mut(&mut self.facets);
        let mut methods: BTreeSet<String> = facets.methods.drain(..).collect();
        let mut types: BTreeSet<String> = facets.dependency_types.drain(..).collect();
        let mut libs: BTreeSet<String> = facets.dependency_libs.drain(..).collect();
        let first_new = rows.len();
        for new in new_rows {
            let id = u32::try_from(rows.len()).unwrap_or(u32::MAX);
            if !new.summary.method.is_empty() && !methods.contains(&new.summary.method) {
                methods.insert(new.summary.method.clone());
            }
            for (kind, _) in &new.summary.dependencies.0 {
                if !types.contains(kind) {
                    types.insert(kind.clone());
                }
            }
            for (lib, _) in &new.summary.libs.0 {
                if !libs.contains(lib) {
                    libs.insert(lib.clone());
                }
            }
            let search = search_key(&new.summary);
            rows.push(Rc::new(Row {
                id,
                summary: new.summary,
                compressed: new.compressed,
                warnings: new.warnings,
                text: new.text,
                raw: new.raw,
                search,
                source: new.source,
                entry: new.entry,
            }));
        }
        facets.methods = methods.into_iter().collect();
        facets.dependency_types = types.into_iter().collect();
        facets.dependency_libs = libs.into_iter().collect();
        // Merge the sorted new ids into the existing order instead of sorting everything.
        let sort = self.view.sort;
        let mut fresh: Vec<u32> = (first_new..rows.len())
            .filter_map(|i| u32::try_from(i).ok())
            .collect();
        fresh.sort_by(|a, b| sort.compare(&rows[*a as usize].summary, &rows[*b as usize].summary));
        let old = Rc::make_mut(&mut self.order);
        let mut merged = Vec::with_capacity(old.len() + fresh.len());
        let (mut i, mut j) = (0, 0);
        while i < old.len() && j < fresh.len() {
            let a = &rows[old[i] as usize].summary;
            let b = &rows[fresh[j] as usize].summary;
            if sort.compare(a, b).is_le() {
                merged.push(old[i]);
                i += 1;
            } else {
                merged.push(fresh[j]);
                j += 1;
            }
        }
        merged.extend_from_slice(&old[i..]);
        merged.extend_from_slice(&fresh[j..]);
        *old = merged;
        if self.open_id.is_none() {
            self.open_id = self.find_open();
        }
        self.refilter();
    }

    fn find_open(&self) -> Option<u32> {
        let name = self.view.open.as_deref()?;
        self.rows
            .iter()
            .find(|r| r.summary.file == name)
            .map(|r| r.id)
    }

    fn resort(&mut self) {
        let rows = &self.rows;
        let sort = self.view.sort;
        let order = Rc::make_mut(&mut self.order);
        order.sort_by(|a, b| sort.compare(&rows[*a as usize].summary, &rows[*b as usize].summary));
    }

    /// Recomputes the visible rows, their statistics and the cursor.
    fn refilter(&mut self) {
        let matcher = Matcher::new(&self.view);
        let cursor_id = self.cursor.and_then(|c| self.visible.get(c).copied());
        let visible: Vec<u32> = self
            .order
            .iter()
            .copied()
            .filter(|id| matcher.matches(&self.rows[*id as usize]))
            .collect();
        let stats = CardStats::compute(visible.iter().map(|id| &self.rows[*id as usize].summary));
        let follow = self.open_id.or(cursor_id);
        self.cursor = follow
            .and_then(|id| visible.iter().position(|v| *v == id))
            .or_else(|| {
                self.cursor
                    .filter(|_| !visible.is_empty())
                    .map(|c| c.min(visible.len() - 1))
            });
        if *self.visible != visible {
            self.filter_generation += 1;
        }
        self.visible = Rc::new(visible);
        self.stats = Rc::new(stats);
    }
}

/// The text the search box looks in, as core's text filter does (method, path, query, file
/// name), lower-cased once.
pub fn search_key(s: &Summary) -> Box<str> {
    let mut key =
        String::with_capacity(s.method.len() + s.path.len() + s.query.len() + s.file.len() + 3);
    for part in [&s.method, &s.path, &s.query, &s.file] {
        key.push_str(part);
        key.push('\n');
    }
    key.to_lowercase().into_boxed_str()
}

/// The view's filters, prepared once per change and applied to each row.
pub struct Matcher {
    filter: Filter,
    needle: Option<String>,
    bodies: bool,
}

impl Matcher {
    pub fn new(view: &View) -> Matcher {
        let needle = view.text.trim().to_lowercase();
        Matcher {
            filter: view.structural_filter(),
            needle: (!needle.is_empty()).then_some(needle),
            bodies: view.search_bodies,
        }
    }

    pub fn matches(&self, row: &Row) -> bool {
        if !self.filter.matches(&row.summary) {
            return false;
        }
        match &self.needle {
            None => true,
            Some(needle) => {
                row.search.contains(needle.as_str())
                    || (self.bodies && contains_ignore_ascii_case(&row.text, needle.as_bytes()))
            }
        }
    }
}

/// The detail panel's `recorded_at` display: `2026-11-30 07:38:13` for UTC times, the text as
/// written otherwise.
pub fn short_time(recorded_at: &str) -> String {
    let utc = recorded_at.ends_with("+00:00") || recorded_at.ends_with('Z');
    match (recorded_at.get(0..10), recorded_at.get(11..19)) {
        (Some(date), Some(time)) if utc => format!("{date} {time}"),
        _ => recorded_at.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use tapedeck_core::index::Summary;

    use super::*;

    fn cassette(
        name: &str,
        at: &str,
        method: &str,
        path: &str,
        status: i64,
        ms: f64,
        events: &str,
    ) -> NewRow {
        let text = format!(
            r#"{{"schema_version": "1.0",
  "session": {{"id": "x", "recorded_at": "{at}", "service": "svc"}},
  "request": {{"method": "{method}", "path": "{path}"}},
  "response": {{"status": {status}, "duration_ms": {ms}, "body": {{"_captured": true, "encoding": "json", "data": {{"secret": "Needle-42"}}}}}},
  "events": [{events}]}}"#
        );
        let decoded = tapedeck_core::decode(name, text.as_bytes()).unwrap();
        NewRow {
            summary: Summary::from_cassette(&decoded.cassette),
            compressed: false,
            warnings: decoded.warnings.len(),
            text: Rc::from(text.into_bytes()),
            raw: None,
            source: Rc::from(name),
            entry: 0,
        }
    }

    const HTTP: &str = r#"{"eid": 1, "type": "http.client", "start_offset_ms": 1.0, "duration_ms": 2.0, "signature": {"lib": "httpx", "method": "GET", "url": "http://x/"}, "result": {"status": 200}}"#;
    const REDIS: &str = r#"{"eid": 2, "type": "redis", "start_offset_ms": 3.0, "duration_ms": 1.0, "signature": {"lib": "redis", "method": "GET", "url": "k"}, "result": {"status": 1}}"#;

    fn loaded() -> AppState {
        let mut s = AppState::default();
        s.apply(Action::BeginLoad(5));
        s.apply(Action::Loaded {
            rows: vec![
                cassette(
                    "a.json",
                    "2026-11-30T07:00:00+00:00",
                    "GET",
                    "/users/42",
                    200,
                    12.0,
                    HTTP,
                ),
                cassette(
                    "b.json",
                    "2026-11-30T07:01:00+00:00",
                    "POST",
                    "/orders",
                    502,
                    1500.0,
                    &format!("{HTTP}, {REDIS}"),
                ),
            ],
            errors: vec![LoadError {
                name: String::from("bad.json"),
                reason: String::from("$ (line 1, column 1): the file is empty"),
            }],
            files: 3,
        });
        s.apply(Action::Loaded {
            rows: vec![
                cassette(
                    "c.json",
                    "2026-11-30T07:02:00+00:00",
                    "GET",
                    "/crash",
                    0,
                    0.5,
                    "",
                ),
                cassette(
                    "d.json",
                    "2026-11-30T08:30:00+00:00",
                    "DELETE",
                    "/orders/1",
                    204,
                    400.0,
                    REDIS,
                ),
            ],
            errors: Vec::new(),
            files: 2,
        });
        s
    }

    fn files(s: &AppState) -> String {
        s.visible
            .iter()
            .map(|id| s.rows[*id as usize].summary.file.trim_end_matches(".json"))
            .collect()
    }

    #[test]
    fn loading_batches_counts_rows_errors_and_progress() {
        let s = loaded();
        assert_eq!(s.rows.len(), 4);
        assert_eq!(s.errors.len(), 1);
        assert_eq!(s.progress, Progress { done: 5, total: 5 });
        assert!(!s.is_loading());
        assert_eq!(s.stats.total, 4);
        assert_eq!(s.stats.errors, 2);
        assert_eq!(s.stats.dependency_calls, 4);
        let all: Vec<&Summary> = s.rows.iter().map(|r| &r.summary).collect();
        let core = tapedeck_core::index::Stats::compute(all.iter().copied());
        assert_eq!((s.stats.p50_ms, s.stats.p95_ms), (core.p50_ms, core.p95_ms));
        let sorted = |c: &Counts| {
            let mut v = c.0.clone();
            v.sort();
            v
        };
        assert_eq!(
            sorted(&s.stats.dependencies_by_type),
            sorted(&core.dependencies_by_type)
        );
        assert_eq!(files(&s), "dcba", "newest first by default");
        assert_eq!(s.facets.methods, ["DELETE", "GET", "POST"]);
        assert_eq!(s.facets.dependency_types, ["http.client", "redis"]);
        assert_eq!(s.facets.dependency_libs, ["httpx", "redis"]);
    }

    #[test]
    fn each_filter_narrows_the_rows_and_the_stats() {
        let mut s = loaded();
        s.apply(Action::SetText(String::from("ORDERS")));
        assert_eq!(files(&s), "db");
        assert_eq!(s.stats.total, 2);
        s.apply(Action::SetText(String::from("needle-42")));
        assert_eq!(files(&s), "");
        s.apply(Action::SetSearchBodies(true));
        assert_eq!(files(&s), "dcba");
        s.apply(Action::ClearFilters);
        s.apply(Action::SetMethod(Some(String::from("GET"))));
        assert_eq!(files(&s), "ca");
        s.apply(Action::ClearFilters);
        s.apply(Action::SetStatus(Some(StatusFilter::Error)));
        assert_eq!(files(&s), "cb");
        s.apply(Action::SetStatus(Some(StatusFilter::NoResponse)));
        assert_eq!(files(&s), "c");
        s.apply(Action::SetStatus(Some(StatusFilter::Class(2))));
        assert_eq!(files(&s), "da");
        s.apply(Action::ClearFilters);
        s.apply(Action::SetSpeed(Some(SpeedClass::Slow)));
        assert_eq!(files(&s), "b");
        s.apply(Action::SetSlowMs(300.0));
        assert_eq!(files(&s), "db");
        s.apply(Action::SetSpeed(Some(SpeedClass::Fast)));
        assert_eq!(files(&s), "ca");
        s.apply(Action::ClearFilters);
        s.apply(Action::SetDependencyType(Some(String::from("redis"))));
        assert_eq!(files(&s), "db");
        s.apply(Action::SetDependencyType(None));
        s.apply(Action::SetDependencyLib(Some(String::from("httpx"))));
        assert_eq!(files(&s), "ba");
        s.apply(Action::ClearFilters);
        s.apply(Action::SetFrom(String::from("2026-11-30T07:01")));
        s.apply(Action::SetTo(String::from("2026-11-30T07:02")));
        assert_eq!(files(&s), "cb");
        s.apply(Action::ClearFilters);
        assert_eq!(files(&s), "dcba");
        assert!(!s.view.has_filters());
    }

    #[test]
    fn every_column_sorts_and_toggles() {
        let mut s = loaded();
        s.apply(Action::SortBy(SortKey::Duration));
        assert_eq!(files(&s), "bdac");
        s.apply(Action::SortBy(SortKey::Duration));
        assert_eq!(files(&s), "cadb");
        s.apply(Action::SortBy(SortKey::Status));
        assert_eq!(files(&s), "bdac");
        s.apply(Action::SortBy(SortKey::Method));
        assert_eq!(files(&s), "dacb");
        s.apply(Action::SortBy(SortKey::Path));
        assert_eq!(files(&s), "cbda");
        s.apply(Action::SortBy(SortKey::Dependencies));
        assert_eq!(files(&s), "badc", "ties keep time order");
        s.apply(Action::SortBy(SortKey::Time));
        assert_eq!(files(&s), "dcba");
    }

    #[test]
    fn rows_added_later_merge_into_the_sort_order() {
        let mut s = loaded();
        s.apply(Action::SortBy(SortKey::Duration));
        s.apply(Action::BeginLoad(1));
        s.apply(Action::Loaded {
            rows: vec![cassette(
                "e.json",
                "2026-11-30T09:00:00+00:00",
                "GET",
                "/e",
                200,
                600.0,
                "",
            )],
            errors: Vec::new(),
            files: 1,
        });
        assert_eq!(files(&s), "bedac");
    }

    #[test]
    fn keyboard_moves_opens_and_closes() {
        let mut s = loaded();
        s.apply(Action::MoveCursor(1));
        assert_eq!(s.cursor, Some(0));
        s.apply(Action::MoveCursor(1));
        s.apply(Action::OpenCursor);
        assert_eq!(s.view.open.as_deref(), Some("c.json"));
        s.apply(Action::SetTab(Tab::Events));
        s.apply(Action::MoveCursor(1));
        assert_eq!(
            s.view.open.as_deref(),
            Some("b.json"),
            "moving follows with the open cassette"
        );
        assert_eq!(s.view.tab, Tab::Overview);
        s.apply(Action::MoveCursor(100));
        assert_eq!(s.cursor, Some(3));
        s.apply(Action::MoveCursor(-100));
        assert_eq!(s.cursor, Some(0));
        s.apply(Action::Close);
        assert_eq!(s.view.open, None);
        assert_eq!(s.open_id, None);
    }

    #[test]
    fn the_cursor_follows_the_open_row_through_filters() {
        let mut s = loaded();
        let b = s
            .rows
            .iter()
            .find(|r| r.summary.file == "b.json")
            .unwrap()
            .id;
        s.apply(Action::Open(b));
        assert_eq!(s.cursor, Some(2));
        s.apply(Action::SetStatus(Some(StatusFilter::Error)));
        assert_eq!(s.cursor, Some(1));
    }

    #[test]
    fn the_view_round_trips_through_the_url_hash() {
        let view = View {
            text: String::from("a b&c=d/é"),
            search_bodies: true,
            method: Some(String::from("POST")),
            status: Some(StatusFilter::Class(5)),
            speed: Some(SpeedClass::Slow),
            slow_ms: 250.0,
            from: String::from("2026-11-30T07:01"),
            to: String::from("2026-11-30T08:00"),
            dependency_type: Some(String::from("http.client")),
            dependency_lib: Some(String::from("httpx")),
            sort: Sort {
                key: SortKey::Duration,
                descending: false,
            },
            open: Some(String::from("group/x #1.json")),
            tab: Tab::Raw,
        };
        let hash = view.to_hash();
        assert!(!hash.contains(' ') && !hash.contains('#'));
        assert_eq!(View::from_hash(&format!("#{hash}")), view);
        assert_eq!(View::default().to_hash(), "");
        assert_eq!(
            View::from_hash("#garbage&status=7xx&slow=-1&sort=zzz"),
            View::default()
        );
    }

    #[test]
    fn a_restored_view_opens_its_cassette_once_loaded() {
        let mut s = AppState::default();
        s.apply(Action::RestoreView(View::from_hash(
            "#open=c.json&tab=events&status=error",
        )));
        assert_eq!(s.open_id, None);
        let mut loaded_state = loaded();
        std::mem::swap(&mut loaded_state.view, &mut s.view);
        loaded_state.apply(Action::RestoreView(loaded_state.view.clone()));
        assert_eq!(files(&loaded_state), "cb");
        let c = loaded_state.open_id.unwrap();
        assert_eq!(loaded_state.rows[c as usize].summary.file, "c.json");
        assert_eq!(loaded_state.view.tab, Tab::Events);
    }

    #[test]
    fn byte_search_is_case_insensitive() {
        assert!(contains_ignore_ascii_case(b"xxNeEdLe", b"needle"));
        assert!(!contains_ignore_ascii_case(b"needl", b"needle"));
        assert!(contains_ignore_ascii_case(b"", b""));
    }

    #[test]
    fn short_times_drop_the_zone_and_fraction_for_utc_only() {
        assert_eq!(
            short_time("2026-11-30T07:38:13.944339+00:00"),
            "2026-11-30 07:38:13"
        );
        assert_eq!(
            short_time("2026-11-30T07:38:13+02:00"),
            "2026-11-30T07:38:13+02:00"
        );
        assert_eq!(short_time("bad"), "bad");
    }
}
