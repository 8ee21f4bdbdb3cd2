//! Files that could not be loaded: name and reason, never content.

use std::rc::Rc;

use yew::prelude::*;

use crate::state::{Action, AppState, LoadError};

#[derive(Properties, PartialEq)]
pub struct ErrorListProps {
    pub errors: Rc<Vec<LoadError>>,
    pub expanded: bool,
    pub dispatch: UseReducerDispatcher<AppState>,
}

/// How many errors show before "show all".
const COLLAPSED: usize = 5;

#[component]
pub fn ErrorList(props: &ErrorListProps) -> Html {
    if props.errors.is_empty() {
        return html! {};
    }
    let toggle = {
        let d = props.dispatch.clone();
        Callback::from(move |_: MouseEvent| d.dispatch(Action::ToggleErrors))
    };
    let clear = {
        let d = props.dispatch.clone();
        Callback::from(move |_: MouseEvent| d.dispatch(Action::ClearErrors))
    };
    let shown = if props.expanded {
        props.errors.len()
    } else {
        COLLAPSED.min(props.errors.len())
    };
    let n = props.errors.len();
    html! {
        <section class="errors" id="load-errors" aria-label="Files that could not be loaded">
            <div class="errors-head">
                <strong>{format!("{n} file{} could not be loaded", if n == 1 { "" } else { "s" })}</strong>
                if n > COLLAPSED {
                    <button class="btn small" onclick={toggle}>{if props.expanded { "Show fewer" } else { "Show all" }}</button>
                }
                <button class="btn small" onclick={clear}>{"Dismiss"}</button>
            </div>
            <ul>
                { for props.errors.iter().take(shown).map(|e| html! {
                    <li class="load-error"><span class="name">{&e.name}</span><span class="reason">{&e.reason}</span></li>
                }) }
            </ul>
        </section>
    }
}
