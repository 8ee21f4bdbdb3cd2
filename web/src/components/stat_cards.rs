//! The stat cards over the visible rows, and loading progress.

use std::rc::Rc;

use tapedeck_core::timeline::format_ms;
use yew::prelude::*;

use super::{kind_label, thousands};
use crate::state::{CardStats, Progress};

#[derive(Properties, PartialEq)]
pub struct StatCardsProps {
    pub stats: Rc<CardStats>,
    pub progress: Progress,
}

#[component]
pub fn StatCards(props: &StatCardsProps) -> Html {
    let s = &props.stats;
    let p = props.progress;
    let by_type: Html = s
        .dependencies_by_type
        .0
        .iter()
        .map(|(k, n)| html! { <span class="chip">{kind_label(k)}{" "}{thousands(*n)}</span> })
        .collect();
    let loading = p.done < p.total;
    html! {
        <section class="stats" aria-label="Statistics of the rows shown">
            <div class="card"><div class="value" id="stat-total">{thousands(s.total)}</div><div class="label">{"Requests"}</div></div>
            <div class="card ok"><div class="value" id="stat-success">{thousands(s.success)}</div><div class="label">{"Success"}</div></div>
            <div class="card bad"><div class="value" id="stat-errors">{thousands(s.errors)}</div>
                <div class="label">{"Errors"}
                    if s.no_response > 0 { <span class="sub" title="status 0: the app crashed before responding">{format!(" · {} no response", s.no_response)}</span> }
                </div></div>
            <div class="card"><div class="value" id="stat-p50">{format_ms(s.p50_ms)}</div><div class="label">{"p50 duration"}</div></div>
            <div class="card"><div class="value" id="stat-p95">{format_ms(s.p95_ms)}</div><div class="label">{"p95 duration"}</div></div>
            <div class="card"><div class="value" id="stat-deps">{thousands(s.dependency_calls)}</div>
                <div class="label">{"Dependency calls"}</div><div class="chips">{by_type}</div></div>
            if loading {
                <div class="progress" id="progress" role="status">
                    <div class="bar"><div class="fill" style={format!("width:{:.1}%", percent(p))}></div></div>
                    <span>{format!("Loading {} of {} files…", thousands(p.done), thousands(p.total))}</span>
                </div>
            }
        </section>
    }
}

#[expect(clippy::cast_precision_loss, reason = "a progress percentage")]
fn percent(p: Progress) -> f64 {
    if p.total == 0 {
        0.0
    } else {
        p.done as f64 / p.total as f64 * 100.0
    }
}
