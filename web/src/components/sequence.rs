//! What the detail shows instead of the dependency waterfall when a format has no start offsets:
//! the timing phases of one HAR entry (blocked, dns, connect, ssl, send, wait, receive), and the
//! numbered sequence of a VCR-style file's interactions (VCR.py, Ruby VCR, Betamax, go-vcr).

use tapedeck_core::timeline::format_ms;
use yew::prelude::*;

use super::Doc;
use super::waterfall::event_label;

#[derive(Properties, PartialEq)]
pub struct SequenceProps {
    pub cassette: Doc,
    /// Clicking a call selects that event.
    #[prop_or_default]
    pub onselect: Callback<usize>,
}

/// The timing phases of one exchange, laid end to end on a scale of its duration.
#[component]
pub fn Phases(props: &SequenceProps) -> Html {
    let c = &props.cassette;
    let end = c
        .phases
        .iter()
        .map(|p| p.start_offset_ms + p.duration_ms)
        .fold(c.response.duration_ms.max(0.0), f64::max);
    let pct = |ms: f64| if end > 0.0 { ms / end * 100.0 } else { 0.0 };
    let bars: Html = c
        .phases
        .iter()
        .map(|p| {
            let width = pct(p.duration_ms).max(0.5);
            html! {
                <div class="wf-lane phase-lane">
                    <span class="phase-name small">{p.name.clone()}</span>
                    <div class={classes!("wf-bar", "phase", format!("phase-{}", p.name))}
                        style={format!("left:{:.3}%;width:{width:.3}%", pct(p.start_offset_ms))}
                        title={format!("{} {}", p.name, format_ms(p.duration_ms))}>
                        <span class="wf-label">{format_ms(p.duration_ms)}</span>
                    </div>
                </div>
            }
        })
        .collect();
    html! {
        <div class="waterfall phases" id="phases">
            <div class="wf-lanes">{bars}</div>
            <div class="wf-foot"><span class="muted small">{format!("{} timing phases · {}", c.phases.len(), format_ms(end))}</span></div>
        </div>
    }
}

/// The interactions of a VCR-style file in recorded order: the format keeps no timings.
#[component]
pub fn Sequence(props: &SequenceProps) -> Html {
    let c = &props.cassette;
    if c.events.is_empty() {
        return html! { <p class="muted small">{"No interactions were recorded."}</p> };
    }
    let items: Html = c
        .events
        .iter()
        .enumerate()
        .map(|(index, e)| {
            let onselect = props.onselect.clone();
            let onclick = Callback::from(move |_: MouseEvent| onselect.emit(index));
            let status = e.status.map_or_else(|| String::from("—"), |s| s.to_string());
            html! {
                <li class={classes!("seq-item", e.is_error().then_some("error"))} data-event={index.to_string()}>
                    <button class="seq-call" {onclick}>
                        <span class="seq-number mono">{format!("#{}", e.sequence)}</span>
                        {" "}<span class="mono">{event_label(e)}</span>
                        {" "}<span class={super::status_class(e.status.unwrap_or(0))}>{status}</span>
                    </button>
                </li>
            }
        })
        .collect();
    html! {
        <div class="sequence" id="sequence">
            <ol class="seq-list">{items}</ol>
            <p class="muted small">{format!("{} interactions in recorded order · this format keeps no timings", c.events.len())}</p>
        </div>
    }
}
