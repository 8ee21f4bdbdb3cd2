//! The waterfall of one cassette's dependency calls, laid out by core's timeline: one bar per
//! call, overlapping calls on separate lanes, a scale in ms, details on hover.

use tapedeck_core::Event;
use tapedeck_core::timeline::{Timeline, format_ms, tick_label};
use yew::prelude::*;

use super::Doc;

use super::kind_label;

#[derive(Properties, PartialEq)]
pub struct WaterfallProps {
    pub cassette: Doc,
    /// Clicking a bar selects that event.
    #[prop_or_default]
    pub onselect: Callback<usize>,
}

/// `GET http://upstream/users/42` or `SELECT users`.
pub fn event_label(e: &Event) -> String {
    match &e.target {
        Some(t) => format!("{} {t}", e.method),
        None => e.method.clone(),
    }
}

fn status_text(e: &Event) -> String {
    match (&e.error_type, &e.error, e.status) {
        (Some(t), _, _) => t.clone(),
        (None, Some(_), _) => String::from("error"),
        (None, None, Some(s)) => s.to_string(),
        (None, None, None) => String::from("—"),
    }
}

#[component]
pub fn Waterfall(props: &WaterfallProps) -> Html {
    let hovered = use_state(|| None::<usize>);
    let c = &props.cassette;
    let timeline = use_memo(props.cassette.clone(), |c| {
        Timeline::layout(&c.events, c.response.duration_ms)
    });
    // Formats without start offsets: a numbered sequence (VCR-style) or the exchange's own
    // timing phases (a HAR entry), see `sequence.rs`.
    if !c.has_timings {
        return html! { <super::sequence::Sequence cassette={c.clone()} onselect={props.onselect.clone()} /> };
    }
    if c.events.is_empty() && !c.phases.is_empty() {
        return html! { <super::sequence::Phases cassette={c.clone()} /> };
    }
    if c.events.is_empty() {
        return html! { <p class="muted small">{"No dependency calls were recorded."}</p> };
    }
    let t = &*timeline;
    let step = t.ticks_ms.get(1).copied().unwrap_or(t.scale_ms);
    let ticks: Html = t
        .ticks_ms
        .iter()
        .map(|ms| {
            let left = if t.scale_ms > 0.0 {
                ms / t.scale_ms * 100.0
            } else {
                0.0
            };
            html! { <span class="tick" style={format!("left:{left:.3}%")}>{tick_label(*ms, step)}</span> }
        })
        .collect();
    let request_pct = if t.scale_ms > 0.0 {
        t.request_ms / t.scale_ms * 100.0
    } else {
        100.0
    };
    let lanes: Html = (0..t.lanes)
        .map(|lane| {
            let bars: Html = t
                .bars
                .iter()
                .filter(|b| b.lane == lane)
                .filter_map(|b| {
                    let e = c.events.get(b.event_index)?;
                    let index = b.event_index;
                    let enter = {
                        let hovered = hovered.clone();
                        Callback::from(move |_: MouseEvent| hovered.set(Some(index)))
                    };
                    let leave = {
                        let hovered = hovered.clone();
                        Callback::from(move |_: MouseEvent| hovered.set(None))
                    };
                    let onselect = props.onselect.clone();
                    let onclick = Callback::from(move |_: MouseEvent| onselect.emit(index));
                    let tip = format!(
                        "#{} {} {}\nstart {} · duration {} · status {}",
                        e.sequence, e.kind.as_str(), event_label(e), format_ms(b.start_ms), format_ms(b.duration_ms), status_text(e)
                    );
                    Some(html! {
                        <button class={classes!("wf-bar", format!("k-{}", kind_label(e.kind.as_str())), b.error.then_some("error"))}
                            style={format!("left:{:.3}%;width:{:.3}%", b.left_pct, b.width_pct)}
                            title={tip} data-event={index.to_string()}
                            onmouseenter={enter} onmouseleave={leave} onfocus={Callback::from({ let h = hovered.clone(); move |_: FocusEvent| h.set(Some(index)) })} {onclick}>
                            <span class="wf-label">{event_label(e)}</span>
                        </button>
                    })
                })
                .collect();
            html! { <div class="wf-lane">{bars}</div> }
        })
        .collect();
    let detail = hovered.and_then(|i| {
        let e = c.events.get(i)?;
        let b = t.bars.get(i)?;
        Some(html! {
            <div class="wf-hover" role="status">
                <strong>{format!("#{} ", e.sequence)}{e.kind.as_str()}{" · "}{&e.lib}</strong>
                <span class="mono">{event_label(e)}</span>
                <span>{"start "}{format_ms(b.start_ms)}{" · duration "}{format_ms(b.duration_ms)}{" · status "}{status_text(e)}</span>
                if let Some(err) = &e.error { <span class="err">{err.clone()}</span> }
            </div>
        })
    });
    html! {
        <div class="waterfall" id="waterfall">
            <div class="wf-axis">{ticks}</div>
            <div class="wf-request-lane">
                <div class="wf-request" style={format!("width:{request_pct:.3}%")} title={format!("request {}", format_ms(t.request_ms))}>
                    <span class="wf-label">{"request "}{format_ms(t.request_ms)}</span>
                </div>
            </div>
            <div class="wf-lanes">{lanes}</div>
            <div class="wf-foot">
                {detail.unwrap_or_else(|| html! {
                    <span class="muted small">{format!("{} calls on {} lane{} · hover a bar for details, click to open it",
                        c.events.len(), t.lanes, if t.lanes == 1 { "" } else { "s" })}</span>
                })}
            </div>
        </div>
    }
}
