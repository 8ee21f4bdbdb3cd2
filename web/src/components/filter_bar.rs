//! Search and filters; "Showing X of Y".

use std::rc::Rc;

use tapedeck_core::index::StatusFilter;
use yew::prelude::*;

use super::thousands;
use crate::platform::dom;
use crate::state::{Action, AppState, Facets, View, speed_from_name, speed_name};

#[derive(Properties, PartialEq)]
pub struct FilterBarProps {
    pub view: View,
    pub facets: Rc<Facets>,
    pub shown: usize,
    pub total: usize,
    pub dispatch: UseReducerDispatcher<AppState>,
}

fn some(text: String) -> Option<String> {
    (!text.is_empty()).then_some(text)
}

/// A `<select>` with an "all" option and one option per value.
fn select(
    id: &str,
    label: &str,
    all: &str,
    values: &[(String, String)],
    current: &str,
    onchange: Callback<Event>,
) -> Html {
    html! {
        <label class="field">
            <span class="field-label">{label}</span>
            <select id={id.to_owned()} {onchange}>
                <option value="" selected={current.is_empty()}>{all}</option>
                { for values.iter().map(|(value, text)| html! {
                    <option value={value.clone()} selected={current == value}>{text}</option>
                }) }
            </select>
        </label>
    }
}

fn pairs(values: &[String]) -> Vec<(String, String)> {
    values.iter().map(|v| (v.clone(), v.clone())).collect()
}

#[component]
pub fn FilterBar(props: &FilterBarProps) -> Html {
    let d = &props.dispatch;
    let v = &props.view;
    let on = |make: fn(String) -> Action| {
        let d = d.clone();
        Callback::from(move |e: Event| d.dispatch(make(dom::event_value(&e))))
    };
    let oninput = {
        let d = d.clone();
        Callback::from(move |e: InputEvent| d.dispatch(Action::SetText(dom::event_value(&e))))
    };
    let on_bodies = {
        let d = d.clone();
        Callback::from(move |e: Event| d.dispatch(Action::SetSearchBodies(dom::event_checked(&e))))
    };
    let on_slow = {
        let d = d.clone();
        Callback::from(move |e: Event| {
            if let Ok(ms) = dom::event_value(&e).trim().parse::<f64>() {
                d.dispatch(Action::SetSlowMs(ms));
            }
        })
    };
    let clear = {
        let d = d.clone();
        Callback::from(move |_: MouseEvent| d.dispatch(Action::ClearFilters))
    };
    let statuses: Vec<(String, String)> = [
        ("2xx", "2xx success"),
        ("3xx", "3xx redirect"),
        ("4xx", "4xx client error"),
        ("5xx", "5xx server error"),
        ("error", "Errors (≥400 or no response)"),
        ("0", "No response (status 0)"),
    ]
    .iter()
    .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
    .collect();
    let slow = v.slow_ms;
    let speeds: Vec<(String, String)> = vec![
        (
            String::from("fast"),
            format!("Fast (< {:.0} ms)", slow * 0.3),
        ),
        (
            String::from("medium"),
            format!("Medium ({:.0}–{:.0} ms)", slow * 0.3, slow),
        ),
        (String::from("slow"), format!("Slow (≥ {slow:.0} ms)")),
    ];
    let status_text = v.status.map(StatusFilter::as_text).unwrap_or_default();
    let speed_text = v.speed.map(speed_name).unwrap_or_default();
    html! {
        <section class="filters" aria-label="Filters">
            <div class="search">
                <input id="search" type="search" placeholder="Search path, query, method, file…   ( / )"
                    value={v.text.clone()} {oninput} aria-label="Search" autocomplete="off" spellcheck="false" />
                <label class="check" title="Also search the whole cassette: bodies, headers, dependency calls">
                    <input id="search-bodies" type="checkbox" checked={v.search_bodies} onchange={on_bodies} />
                    {"bodies"}
                </label>
            </div>
            { select("filter-method", "Method", "All methods", &pairs(&props.facets.methods),
                v.method.as_deref().unwrap_or(""), on(|t| Action::SetMethod(some(t)))) }
            { select("filter-status", "Status", "All statuses", &statuses, &status_text,
                on(|t| Action::SetStatus(t.parse().ok()))) }
            { select("filter-speed", "Duration", "All durations", &speeds, speed_text,
                on(|t| Action::SetSpeed(speed_from_name(&t)))) }
            <label class="field narrow">
                <span class="field-label">{"Slow ≥ ms"}</span>
                <input id="filter-slow" type="number" min="1" step="any" value={format!("{slow}")} onchange={on_slow} />
            </label>
            <label class="field">
                <span class="field-label">{"From (UTC)"}</span>
                <input id="filter-from" type="datetime-local" value={v.from.clone()} onchange={on(Action::SetFrom)} />
            </label>
            <label class="field">
                <span class="field-label">{"To (UTC)"}</span>
                <input id="filter-to" type="datetime-local" value={v.to.clone()} onchange={on(Action::SetTo)} />
            </label>
            { select("filter-dep", "Dependency", "Any dependency", &pairs(&props.facets.dependency_types),
                v.dependency_type.as_deref().unwrap_or(""), on(|t| Action::SetDependencyType(some(t)))) }
            { select("filter-lib", "Library", "Any library", &pairs(&props.facets.dependency_libs),
                v.dependency_lib.as_deref().unwrap_or(""), on(|t| Action::SetDependencyLib(some(t)))) }
            <div class="filter-end">
                <span class="showing" id="showing">{format!("Showing {} of {}", thousands(props.shown), thousands(props.total))}</span>
                <button class="btn" id="clear-filters" onclick={clear} disabled={!v.has_filters()}>{"Clear filters"}</button>
            </div>
        </section>
    }
}
