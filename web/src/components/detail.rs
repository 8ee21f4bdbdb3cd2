//! The detail panel of one cassette: overview with waterfall and copy buttons, request,
//! response, dependency calls and the raw JSON.

use std::rc::Rc;

use tapedeck_core::commands::{curl_command, replay_command};
use tapedeck_core::timeline::format_ms;
use yew::prelude::*;

use super::Doc;

use super::body_view::BodyView;
use super::copy_button::CopyButton;
use super::event_list::EventList;
use super::headers_table::HeadersTable;
use super::json_tree::JsonTree;
use super::waterfall::Waterfall;
use super::{method_class, status_class};
use crate::state::{Row, Tab, short_time};

#[derive(Properties, PartialEq)]
pub struct DetailPanelProps {
    pub row: Rc<Row>,
    pub tab: Tab,
    pub onclose: Callback<()>,
    pub ontab: Callback<Tab>,
}

#[component]
pub fn DetailPanel(props: &DetailPanelProps) -> Html {
    let decoded = use_memo(Rc::clone(&props.row), |row| {
        crate::ingest::decode_row(row).map(|c| Doc(Rc::new(c)))
    });
    let selected_event = use_state(|| None::<usize>);
    {
        let selected_event = selected_event.clone();
        use_effect_with(props.row.id, move |_| selected_event.set(None));
    }
    let close = {
        let onclose = props.onclose.clone();
        Callback::from(move |_: MouseEvent| onclose.emit(()))
    };
    let s = &props.row.summary;
    let tabs: Html = Tab::ALL
        .iter()
        .map(|tab| {
            let ontab = props.ontab.clone();
            let t = *tab;
            let label = match (t, decoded.as_ref()) {
                (Tab::Events, Ok(c)) => format!("{} ({})", t.label(), c.events.len()),
                _ => t.label().to_owned(),
            };
            html! {
                <button role="tab" class={classes!("tab", (props.tab == t).then_some("active"))}
                    aria-selected={(props.tab == t).to_string()} data-tab={t.name()}
                    onclick={Callback::from(move |_: MouseEvent| ontab.emit(t))}>{label}</button>
            }
        })
        .collect();
    let body = match decoded.as_ref() {
        Err(e) => html! { <p class="err">{e.clone()}</p> },
        Ok(c) => {
            let on_select_event = {
                let ontab = props.ontab.clone();
                let selected_event = selected_event.clone();
                Callback::from(move |i: usize| {
                    selected_event.set(Some(i));
                    ontab.emit(Tab::Events);
                })
            };
            match props.tab {
                Tab::Overview => overview(c, &props.row, on_select_event),
                Tab::Request => request(c),
                Tab::Response => response(c),
                Tab::Events => html! {
                    <>
                        <Waterfall cassette={c.clone()} onselect={on_select_event} />
                        <EventList cassette={c.clone()} selected={*selected_event} />
                    </>
                },
                Tab::Raw => html! {
                    <>
                        <div class="raw-tools">
                            <span class="muted small">{format!("{} bytes{}", c.document.text().len(), if props.row.compressed { " (inflated from gzip)" } else { "" })}</span>
                            <CopyButton id="copy-raw" label="Copy JSON" text={AttrValue::from(c.document.text().to_owned())} />
                        </div>
                        <div id="raw-json"><JsonTree cassette={c.clone()} node={c.document.root().id()} open_depth={3} /></div>
                    </>
                },
            }
        }
    };
    let query = if s.query.is_empty() {
        String::new()
    } else {
        format!("?{}", s.query)
    };
    html! {
        <aside class="detail" id="detail" aria-label="Cassette detail">
            <header class="detail-head">
                <div class="title">
                    <span class={method_class(&s.method)}>{if s.method.is_empty() { "—" } else { s.method.as_str() }}</span>
                    <span class="path" id="detail-path">{&s.path}<span class="query">{query}</span></span>
                    <span class={status_class(s.status)} id="detail-status">{s.status}</span>
                    <span class="dur">{format_ms(s.duration_ms)}</span>
                </div>
                <button class="close" onclick={close} aria-label="Close (Esc)" title="Close (Esc)">{"×"}</button>
            </header>
            <nav class="tabs" role="tablist">{tabs}</nav>
            <div class="detail-body" role="tabpanel">{body}</div>
        </aside>
    }
}

fn field(label: &str, value: Html) -> Html {
    html! { <><dt>{label.to_owned()}</dt><dd>{value}</dd></> }
}

fn text(value: Option<&str>) -> Html {
    match value {
        Some(v) if !v.is_empty() => html! { {v.to_owned()} },
        _ => html! { <span class="muted">{"—"}</span> },
    }
}

fn overview(c: &Doc, row: &Row, on_select_event: Callback<usize>) -> Html {
    let m = &c.meta;
    let r = &c.request;
    let replay = replay_command(&row.summary.file);
    let curl = curl_command(c);
    let status_note = if c.response.status == 0 {
        " (no response: the application raised before answering)"
    } else {
        ""
    };
    html! {
        <>
            <dl class="facts">
                { field("Method", text(Some(&r.method))) }
                { field("Path", html!{ <span class="mono">{&r.path}</span> }) }
                if !r.query.is_empty() { { field("Query", html!{ <HeadersTable pairs={r.query.clone()} /> }) } }
                { field("Status", html!{ <>{c.response.status}<span class="muted">{status_note}</span></> }) }
                { field("Duration", html!{ {format!("{:.2} ms", c.response.duration_ms)} }) }
                { field("Recorded", html!{ <span title={m.recorded_at.clone()}>{short_time(&m.recorded_at)}{" UTC"}</span> }) }
                { field("Service", text(m.service.as_deref())) }
                { field("Environment", text(m.env.as_deref())) }
                { field("Framework", text(m.framework.as_deref())) }
                { field("Recorder", html!{ <>{c.format.name()}{" "}{m.tool_version.clone().unwrap_or_default()}{" · schema "}{&m.schema_version}</> }) }
                { field("Session", html!{ <span class="mono">{&m.session_id}</span> }) }
                { field("File", html!{ <span class="mono" id="detail-file">{&row.summary.file}{if row.compressed { " (gzip)" } else { "" }}</span> }) }
                if row.warnings > 0 { { field("Warnings", html!{ {format!("{} (see tapedeck validate)", row.warnings)} }) } }
            </dl>
            if let Some(err) = &c.app_error {
                <div class="app-error">
                    <h4>{"Application error"}</h4>
                    <p><strong>{err.error_type.clone().unwrap_or_default()}</strong>{" "}{err.message.clone().unwrap_or_default()}</p>
                    if let Some(tb) = &err.traceback { <pre>{tb.clone()}</pre> }
                </div>
            }
            <h3>{format!("Timeline · {} dependency call{}", c.events.len(), if c.events.len() == 1 { "" } else { "s" })}</h3>
            <Waterfall cassette={c.clone()} onselect={on_select_event} />
            <h3>{"Commands"}</h3>
            <div class="command">
                <div class="command-head"><span>{"Replay with Timetracer"}</span><CopyButton id="copy-replay" label="Copy" text={AttrValue::from(replay.clone())} /></div>
                <pre id="replay-command">{replay}</pre>
            </div>
            <div class="command">
                <div class="command-head"><span>{"curl (the incoming request)"}</span><CopyButton id="copy-curl" label="Copy" text={AttrValue::from(curl.clone())} /></div>
                <pre id="curl-command">{curl}</pre>
            </div>
        </>
    }
}

fn request(c: &Doc) -> Html {
    let r = &c.request;
    html! {
        <>
            <dl class="facts">
                { field("Method", text(Some(&r.method))) }
                { field("Path", html!{ <span class="mono">{&r.path}</span> }) }
                if let Some(t) = &r.route_template { { field("Route", html!{ <span class="mono">{t.clone()}</span> }) } }
                { field("Client IP", text(r.client_ip.as_deref())) }
                { field("User agent", text(r.user_agent.as_deref())) }
            </dl>
            <h3>{"Query"}</h3>
            <HeadersTable pairs={r.query.clone()} empty="no query string" />
            <h3>{"Headers"}</h3>
            <HeadersTable pairs={r.headers.clone()} />
            <h3>{"Body"}</h3>
            <BodyView cassette={c.clone()} body={r.body.clone()} />
        </>
    }
}

fn response(c: &Doc) -> Html {
    let r = &c.response;
    html! {
        <>
            <dl class="facts">
                { field("Status", html!{ <span class={status_class(r.status)}>{r.status}</span> }) }
                { field("Duration", html!{ {format!("{:.2} ms", r.duration_ms)} }) }
            </dl>
            <h3>{"Headers"}</h3>
            <HeadersTable pairs={r.headers.clone()} />
            <h3>{"Body"}</h3>
            <BodyView cassette={c.clone()} body={r.body.clone()} />
        </>
    }
}
