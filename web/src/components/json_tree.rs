//! A collapsible, highlighted JSON tree over a node of a cassette's document. Text is only
//! ever set as text: a cassette's `<script>` stays characters on the screen.

use std::fmt::Write as _;

use tapedeck_core::json::{Kind, NodeId};
use yew::prelude::*;

use super::Doc;

/// Children shown before a "show more" button.
const PAGE: usize = 200;

#[derive(Properties, PartialEq)]
pub struct JsonTreeProps {
    pub cassette: Doc,
    pub node: NodeId,
    /// Levels open at first.
    #[prop_or(2)]
    pub open_depth: u32,
}

/// The tree of one value.
#[component]
pub fn JsonTree(props: &JsonTreeProps) -> Html {
    html! {
        <div class="json">
            <JsonNode cassette={props.cassette.clone()} node={props.node} label={None::<AttrValue>}
                depth={0} open_depth={props.open_depth} last={true} />
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct JsonNodeProps {
    pub cassette: Doc,
    pub node: NodeId,
    pub label: Option<AttrValue>,
    pub depth: u32,
    pub open_depth: u32,
    pub last: bool,
}

/// A JSON string literal as Python writes it, for display.
fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[component]
pub fn JsonNode(props: &JsonNodeProps) -> Html {
    let open = use_state(|| props.depth < props.open_depth);
    let limit = use_state(|| PAGE);
    let Some(node) = props.cassette.document.node(props.node) else {
        return html! {};
    };
    let label = props.label.as_ref().map(|k| {
        html! {
            <><span class="j-key">{quoted(k)}</span><span class="j-punct">{": "}</span></>
        }
    });
    let comma = (!props.last).then(|| html! { <span class="j-punct">{","}</span> });
    let scalar = |class: &'static str, text: String| {
        html! {
            <div class="j-line">{label.clone()}<span class={class}>{text}</span>{comma.clone()}</div>
        }
    };
    match node.kind() {
        Kind::Null => scalar("j-null", String::from("null")),
        Kind::Bool => scalar("j-bool", node.raw().to_owned()),
        Kind::Number => scalar("j-num", node.raw().to_owned()),
        Kind::String => scalar("j-str", quoted(&node.as_str().unwrap_or_default())),
        Kind::Array | Kind::Object => {
            let object = node.kind() == Kind::Object;
            let (open_c, close_c) = if object { ("{", "}") } else { ("[", "]") };
            let len = node.len();
            if len == 0 {
                return html! {
                    <div class="j-line">{label}<span class="j-punct">{open_c}{close_c}</span>{comma}</div>
                };
            }
            let toggle = {
                let open = open.clone();
                Callback::from(move |_: MouseEvent| open.set(!*open))
            };
            let summary = if object {
                format!("{len} key{}", if len == 1 { "" } else { "s" })
            } else {
                format!("{len} item{}", if len == 1 { "" } else { "s" })
            };
            if !*open {
                return html! {
                    <div class="j-line">
                        <button class="j-toggle" aria-expanded="false" onclick={toggle}>{"▸"}</button>
                        {label}<span class="j-punct">{open_c}</span>
                        <span class="j-summary">{summary}</span>
                        <span class="j-punct">{close_c}</span>{comma}
                    </div>
                };
            }
            let shown = (*limit).min(len);
            let child = |i: usize, key: Option<AttrValue>, id: NodeId| {
                html! {
                    <JsonNode cassette={props.cassette.clone()} node={id} label={key}
                        depth={props.depth + 1} open_depth={props.open_depth} last={i + 1 == len} />
                }
            };
            let children: Html = if object {
                node.members()
                    .take(shown)
                    .enumerate()
                    .map(|(i, (k, v))| {
                        child(
                            i,
                            Some(AttrValue::from(k.as_str().unwrap_or_default().into_owned())),
                            v.id(),
                        )
                    })
                    .collect()
            } else {
                node.elements()
                    .take(shown)
                    .enumerate()
                    .map(|(i, v)| child(i, None, v.id()))
                    .collect()
            };
            let more = (shown < len).then(|| {
                let limit = limit.clone();
                let onclick = Callback::from(move |_: MouseEvent| limit.set(*limit + PAGE));
                html! { <button class="btn small more" {onclick}>{format!("show {} more of {len}", PAGE.min(len - shown))}</button> }
            });
            html! {
                <div class="j-block">
                    <div class="j-line">
                        <button class="j-toggle" aria-expanded="true" onclick={toggle}>{"▾"}</button>
                        {label}<span class="j-punct">{open_c}</span>
                    </div>
                    <div class="j-children">{children}{more}</div>
                    <div class="j-line"><span class="j-punct">{close_c}</span>{comma}</div>
                </div>
            }
        }
    }
}
