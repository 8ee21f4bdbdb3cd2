//! "Open files" and "Open folder" buttons with their hidden file inputs.

use yew::prelude::*;

use crate::platform::{dom, files};

#[derive(Properties, PartialEq)]
pub struct LoadButtonsProps {
    pub on_files: Callback<Vec<files::PickedFile>>,
}

#[component]
pub fn LoadButtons(props: &LoadButtonsProps) -> Html {
    let file_input = use_node_ref();
    let folder_input = use_node_ref();
    let onchange = {
        let on_files = props.on_files.clone();
        Callback::from(move |e: Event| {
            if let Some(input) = dom::event_input(&e) {
                on_files.emit(files::from_input(&input));
            }
        })
    };
    let open_files = {
        let node = file_input.clone();
        Callback::from(move |_: MouseEvent| dom::click(&node))
    };
    let open_folder = {
        let node = folder_input.clone();
        Callback::from(move |_: MouseEvent| dom::click(&node))
    };
    html! {
        <div class="load-buttons">
            <button class="btn primary" onclick={open_files}>{"Open files…"}</button>
            <button class="btn" onclick={open_folder}>{"Open folder…"}</button>
            <input ref={file_input} id="file-input" class="hidden-input" type="file" multiple=true
                accept=".json,.gz,.zip,application/json,application/gzip,application/zip"
                onchange={onchange.clone()} />
            <input ref={folder_input} id="folder-input" class="hidden-input" type="file"
                webkitdirectory=true {onchange} />
        </div>
    }
}
