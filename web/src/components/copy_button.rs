//! A button that copies a text and says so.

use yew::prelude::*;

use crate::platform::dom;

#[derive(Properties, PartialEq)]
pub struct CopyButtonProps {
    pub text: AttrValue,
    pub label: AttrValue,
    #[prop_or_default]
    pub id: Option<AttrValue>,
}

#[component]
pub fn CopyButton(props: &CopyButtonProps) -> Html {
    // None: idle; Some(true): copied; Some(false): the browser refused.
    let status = use_state(|| None::<bool>);
    let onclick = {
        let text = props.text.to_string();
        let status = status.clone();
        Callback::from(move |_: MouseEvent| {
            let text = text.clone();
            let status = status.clone();
            wasm_bindgen_futures::spawn_local(async move {
                status.set(Some(dom::copy_text(text).await.is_ok()));
                gloo_timers::future::TimeoutFuture::new(1500).await;
                status.set(None);
            });
        })
    };
    let label = match *status {
        None => props.label.to_string(),
        Some(true) => String::from("Copied!"),
        Some(false) => String::from("Copy failed: select the text"),
    };
    html! {
        <button class={classes!("btn", "small", "copy", status.is_some().then_some("done"))}
            id={props.id.clone()} {onclick}>{label}</button>
    }
}
