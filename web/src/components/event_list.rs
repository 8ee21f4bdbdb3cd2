//! The dependency calls of one cassette: signature and result, expandable.

use tapedeck_core::EventKind;
use tapedeck_core::timeline::format_ms;
use yew::prelude::*;

use super::Doc;

use super::body_view::BodyView;
use super::headers_table::HeadersTable;
use super::waterfall::event_label;
use super::{kind_label, method_class};

#[derive(Properties, PartialEq)]
pub struct EventListProps {
    pub cassette: Doc,
    /// The event to open and scroll to.
    #[prop_or_default]
    pub selected: Option<usize>,
}

#[component]
pub fn EventList(props: &EventListProps) -> Html {
    if props.cassette.events.is_empty() {
        return html! { <p class="muted">{"No dependency calls were recorded."}</p> };
    }
    html! {
        <ol class="events">
            { for (0..props.cassette.events.len()).map(|i| html! {
                <EventItem key={i} cassette={props.cassette.clone()} index={i} open={props.selected == Some(i)} />
            }) }
        </ol>
    }
}

#[derive(Properties, PartialEq)]
pub struct EventItemProps {
    pub cassette: Doc,
    pub index: usize,
    pub open: bool,
}

fn target_name(kind: &EventKind) -> &'static str {
    match kind {
        EventKind::HttpClient => "URL",
        EventKind::DbQuery => "Table",
        EventKind::Redis => "Key",
        _ => "Target",
    }
}

#[component]
pub fn EventItem(props: &EventItemProps) -> Html {
    let open = use_state(|| props.open);
    {
        let open = open.clone();
        use_effect_with(props.open, move |o| {
            if *o {
                open.set(true);
            }
        });
    }
    let Some(e) = props.cassette.events.get(props.index) else {
        return html! {};
    };
    let toggle = {
        let open = open.clone();
        Callback::from(move |_: MouseEvent| open.set(!*open))
    };
    let status = match (e.status, &e.error) {
        (_, Some(_)) => {
            html! { <span class="status s5">{e.error_type.clone().unwrap_or_else(|| String::from("error"))}</span> }
        }
        (Some(s), None) => {
            html! { <span class={super::status_class(if e.kind == EventKind::HttpClient { s } else { 200 })}>{s}</span> }
        }
        (None, None) => html! { <span class="muted">{"—"}</span> },
    };
    html! {
        <li class={classes!("event", e.is_error().then_some("error"))} id={format!("event-{}", props.index)}>
            <button class="event-head" aria-expanded={open.to_string()} onclick={toggle}>
                <span class="eid">{format!("#{}", e.sequence)}</span>
                <span class={classes!("chip", format!("k-{}", kind_label(e.kind.as_str())))}>{e.kind.as_str()}</span>
                <span class="lib">{&e.lib}</span>
                <span class={method_class(&e.method)}>{&e.method}</span>
                <span class="target mono">{e.target.clone().unwrap_or_default()}</span>
                {status}
                <span class="timing">{"@"}{format_ms(e.start_offset_ms)}{" · "}{format_ms(e.duration_ms)}</span>
            </button>
            if *open {
                <div class="event-body">
                    <div class="cols">
                        <div>
                            <h4>{"Signature"}</h4>
                            <table class="kv"><tbody>
                                <tr><th>{"lib"}</th><td>{&e.lib}</td></tr>
                                <tr><th>{"method"}</th><td>{&e.method}</td></tr>
                                if let Some(t) = &e.target { <tr><th>{target_name(&e.kind)}</th><td class="mono">{t.clone()}</td></tr> }
                                if let Some(h) = &e.headers_hash { <tr><th>{"headers hash"}</th><td class="hash">{h.clone()}</td></tr> }
                                if let Some(h) = &e.body_hash { <tr><th>{"body hash"}</th><td class="hash">{h.clone()}</td></tr> }
                            </tbody></table>
                            if !e.query.is_empty() {
                                <h5>{"Query"}</h5>
                                <HeadersTable pairs={e.query.clone()} />
                            }
                        </div>
                        <div>
                            <h4>{"Result"}</h4>
                            <table class="kv"><tbody>
                                <tr><th>{"status"}</th><td>{e.status.map_or_else(|| String::from("—"), |s| s.to_string())}</td></tr>
                                <tr><th>{"start"}</th><td>{format_ms(e.start_offset_ms)}</td></tr>
                                <tr><th>{"duration"}</th><td>{format_ms(e.duration_ms)}</td></tr>
                                if let Some(t) = &e.error_type { <tr><th>{"error type"}</th><td class="err">{t.clone()}</td></tr> }
                                if let Some(m) = &e.error { <tr><th>{"error"}</th><td class="err">{m.clone()}</td></tr> }
                            </tbody></table>
                            <h5>{"Headers"}</h5>
                            <HeadersTable pairs={e.headers.clone()} />
                        </div>
                    </div>
                    <h5>{"Body"}</h5>
                    <BodyView cassette={props.cassette.clone()} body={e.body.clone()} />
                    <p class="muted small">{"label: "}{event_label(e)}</p>
                </div>
            }
        </li>
    }
}
