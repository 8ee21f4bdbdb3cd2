//! A recorded body: a JSON tree, text as text, or an explanation of what was kept instead.

use tapedeck_core::json::Kind;
use tapedeck_core::{Body, BodyEncoding};
use yew::prelude::*;

use super::Doc;

use super::json_tree::JsonTree;

#[derive(Properties, PartialEq)]
pub struct BodyViewProps {
    pub cassette: Doc,
    pub body: Option<Body>,
}

fn size_text(bytes: Option<u64>) -> String {
    match bytes {
        None => String::from("unknown size"),
        Some(n) if n < 1024 => format!("{n} bytes"),
        #[expect(clippy::cast_precision_loss, reason = "display only")]
        Some(n) => format!("{:.1} KB ({n} bytes)", n as f64 / 1024.0),
    }
}

#[component]
pub fn BodyView(props: &BodyViewProps) -> Html {
    let Some(body) = &props.body else {
        return html! { <p class="muted small">{"No body."}</p> };
    };
    let facts = html! {
        <div class="body-facts">
            <span class="fact">{size_text(body.size_bytes)}</span>
            if !body.encoding.as_str().is_empty() { <span class="fact">{"encoding: "}{body.encoding.as_str()}</span> }
            if body.truncated { <span class="fact warn">{"truncated"}</span> }
            if let Some(hash) = &body.hash { <span class="fact hash" title={hash.clone()}>{hash.clone()}</span> }
        </div>
    };
    let data = body.data.and_then(|id| props.cassette.document.node(id));
    let content = match data {
        Some(node)
            if body.encoding == BodyEncoding::Json || !matches!(node.kind(), Kind::String) =>
        {
            html! { <JsonTree cassette={props.cassette.clone()} node={node.id()} open_depth={3} /> }
        }
        Some(node) => {
            html! { <pre class="text-body">{node.as_str().unwrap_or_default().into_owned()}</pre> }
        }
        None => {
            let why = if !body.captured {
                "Not captured: the recorder's capture policy kept only the size and a SHA-256 fingerprint of this body."
            } else if body.truncated {
                "Truncated: the body was larger than the recorder's max_body_kb limit, so it was cut and no longer parsed as JSON. Only the original size and the fingerprint of the cut bytes were kept."
            } else {
                "Not JSON (text, HTML, form or binary data): Timetracer keeps only the size and a SHA-256 fingerprint of such bodies, never their bytes."
            };
            html! { <p class="explain">{why}</p> }
        }
    };
    html! { <div class="body">{facts}{content}</div> }
}
