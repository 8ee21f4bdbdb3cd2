//! Name/value pairs (headers, query parameters) in recorded order, duplicates kept.

use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct HeadersTableProps {
    pub pairs: Vec<(String, String)>,
    #[prop_or(AttrValue::Static("none recorded"))]
    pub empty: AttrValue,
}

#[component]
pub fn HeadersTable(props: &HeadersTableProps) -> Html {
    if props.pairs.is_empty() {
        return html! { <p class="muted small">{props.empty.clone()}</p> };
    }
    html! {
        <table class="kv">
            <tbody>
                { for props.pairs.iter().map(|(k, v)| html! {
                    <tr><th>{k}</th><td class={classes!(v.contains("[REDACTED]").then_some("redacted"))}>{v}</td></tr>
                }) }
            </tbody>
        </table>
    }
}
