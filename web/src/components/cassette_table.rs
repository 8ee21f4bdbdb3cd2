//! The cassette table, virtualised: only the rows in view (plus a margin) are in the DOM, so
//! 10,000 rows filter and scroll as fast as 10.

use std::rc::Rc;

use tapedeck_core::index::{Sort, SortKey};
use tapedeck_core::timeline::format_ms;
use yew::prelude::*;

use super::redact_view::status_badge;
use super::{kind_label, method_class, status_class};
use crate::platform::dom;
use crate::redaction::page::FileStatus;
use crate::state::{Row, short_time};

/// Row height in px; must match `.trow` in style.css.
pub const ROW_HEIGHT: f64 = 36.0;
/// Rows drawn above and below the visible ones.
const OVERSCAN: usize = 8;

#[derive(Properties, PartialEq)]
pub struct CassetteTableProps {
    pub rows: Rc<Vec<Rc<Row>>>,
    pub visible: Rc<Vec<u32>>,
    pub cursor: Option<usize>,
    pub open_id: Option<u32>,
    pub sort: Sort,
    pub slow_ms: f64,
    pub generation: u64,
    /// What the last redaction run found in each file, by its path as loaded.
    pub statuses: Rc<std::collections::HashMap<Rc<str>, FileStatus>>,
    pub onopen: Callback<u32>,
    pub onsort: Callback<SortKey>,
}

const COLUMNS: [(SortKey, &str, &str); 6] = [
    (SortKey::Time, "Recorded UTC", "c-time"),
    (SortKey::Method, "Method", "c-method"),
    (SortKey::Path, "Path", "c-path"),
    (SortKey::Status, "Status", "c-status"),
    (SortKey::Duration, "Duration", "c-dur"),
    (SortKey::Dependencies, "Dependencies", "c-deps"),
];

#[component]
pub fn CassetteTable(props: &CassetteTableProps) -> Html {
    let body = use_node_ref();
    // (scroll top, viewport height) of the scrolling body.
    let metrics = use_state(|| (0.0_f64, 900.0_f64));

    {
        let body = body.clone();
        let metrics = metrics.clone();
        use_effect_with(props.generation, move |_| {
            dom::set_scroll_top(&body, 0.0);
            if let Some(m) = dom::scroll_metrics(&body) {
                metrics.set(m);
            }
        });
    }
    // Keep the keyboard cursor in view.
    {
        let body = body.clone();
        let metrics = metrics.clone();
        use_effect_with(props.cursor, move |cursor| {
            if let (Some(c), Some((top, height))) = (cursor, dom::scroll_metrics(&body)) {
                #[expect(clippy::cast_precision_loss, reason = "row positions are small")]
                let y = *c as f64 * ROW_HEIGHT;
                let target = if y < top {
                    Some(y)
                } else if y + ROW_HEIGHT > top + height {
                    Some(y + ROW_HEIGHT - height)
                } else {
                    None
                };
                if let Some(t) = target {
                    dom::set_scroll_top(&body, t);
                    metrics.set((t, height));
                }
            }
        });
    }
    let onscroll = {
        let body = body.clone();
        let metrics = metrics.clone();
        Callback::from(move |_: Event| {
            if let Some(m) = dom::scroll_metrics(&body)
                && m != *metrics
            {
                metrics.set(m);
            }
        })
    };

    let (top, height) = *metrics;
    #[expect(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "non-negative pixel counts"
    )]
    let first = ((top / ROW_HEIGHT).floor().max(0.0) as usize).saturating_sub(OVERSCAN);
    #[expect(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "non-negative pixel counts"
    )]
    let count = (height / ROW_HEIGHT).ceil().max(1.0) as usize + 2 * OVERSCAN;
    let last = (first + count).min(props.visible.len());
    let first = first.min(last);
    #[expect(clippy::cast_precision_loss, reason = "row positions are small")]
    let (total_px, offset_px) = (
        props.visible.len() as f64 * ROW_HEIGHT,
        first as f64 * ROW_HEIGHT,
    );

    let header: Html = COLUMNS
        .iter()
        .map(|(key, label, class)| {
            let active = props.sort.key == *key;
            let arrow = match (active, props.sort.descending) {
                (false, _) => "↕",
                (true, true) => "↓",
                (true, false) => "↑",
            };
            let onsort = props.onsort.clone();
            let key = *key;
            let aria = match (active, props.sort.descending) {
                (false, _) => "none",
                (true, true) => "descending",
                (true, false) => "ascending",
            };
            html! {
                <div class={classes!("th", *class, active.then_some("active"))} role="columnheader" aria-sort={aria}>
                    <button class="sort" data-sort={key.name()} onclick={Callback::from(move |_: MouseEvent| onsort.emit(key))}>
                        {*label}<span class="arrow">{arrow}</span>
                    </button>
                </div>
            }
        })
        .collect();

    let rows: Html = props.visible[first..last]
        .iter()
        .enumerate()
        .filter_map(|(i, id)| {
            let row = props.rows.get(*id as usize)?;
            Some(row_html(row, first + i, props))
        })
        .collect();

    html! {
        <div class="table" role="table" aria-label="Cassettes" aria-rowcount={props.visible.len().to_string()}>
            <div class="thead" role="row">{header}</div>
            <div class="tbody" ref={body} {onscroll} id="table-body">
                if props.visible.is_empty() {
                    <div class="no-rows">{"No cassette matches these filters."}</div>
                }
                <div class="spacer" style={format!("height:{total_px}px")}>
                    <div class="window" style={format!("transform:translateY({offset_px}px)")}>{rows}</div>
                </div>
            </div>
        </div>
    }
}

fn row_html(row: &Rc<Row>, position: usize, props: &CassetteTableProps) -> Html {
    let s = &row.summary;
    let slow = s.duration_ms >= props.slow_ms;
    let class = classes!(
        "trow",
        s.error.then_some("error"),
        slow.then_some("slow"),
        (props.cursor == Some(position)).then_some("cursor"),
        (props.open_id == Some(row.id)).then_some("open"),
    );
    let id = row.id;
    let onopen = props.onopen.clone();
    let onclick = Callback::from(move |_: MouseEvent| onopen.emit(id));
    let time = short_time(&s.recorded_at);
    let (date, clock) = time.split_once(' ').unwrap_or(("", time.as_str()));
    let deps: Html = s
        .dependencies
        .0
        .iter()
        .map(|(k, n)| html! { <span class={classes!("chip", format!("k-{}", kind_label(k)))}>{kind_label(k)}{" "}{n}</span> })
        .collect();
    let method = if s.method.is_empty() {
        "—"
    } else {
        s.method.as_str()
    };
    let path = if s.path.is_empty() {
        "(no path)"
    } else {
        s.path.as_str()
    };
    html! {
        <div {class} role="row" key={id} data-file={s.file.clone()} aria-selected={(props.open_id == Some(id)).to_string()} {onclick}>
            <div class="td c-time" title={s.recorded_at.clone()}><span class="date">{date}</span>{" "}{clock}</div>
            <div class="td c-method"><span class={method_class(&s.method)}>{method}</span></div>
            <div class="td c-path" title={s.file.clone()}>
                <span class="path">{path}</span>
                if !s.query.is_empty() { <span class="query">{"?"}{&s.query}</span> }
                if let Some(status) = props.statuses.get(&row.source) {
                    <span class="secrets">{status_badge(*status)}</span>
                }
            </div>
            <div class="td c-status"><span class={status_class(s.status)}>{s.status}</span></div>
            <div class={classes!("td", "c-dur", slow.then_some("is-slow"))}>
                {format_ms(s.duration_ms)}
                if slow { <span class="slow-mark" title="slower than the threshold">{" ⚠"}</span> }
            </div>
            <div class="td c-deps">
                {deps}
                if s.dependency_errors > 0 { <span class="chip k-err" title="failed dependency calls">{format!("✕ {}", s.dependency_errors)}</span> }
            </div>
        </div>
    }
}
