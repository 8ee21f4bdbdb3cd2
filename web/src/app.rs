//! The page: header, stat cards, filters, the table and the detail panel; drag-and-drop,
//! keyboard shortcuts and the URL hash are wired here.

use std::rc::Rc;

use yew::prelude::*;

use crate::components::cassette_table::CassetteTable;
use crate::components::detail::DetailPanel;
use crate::components::error_list::ErrorList;
use crate::components::filter_bar::FilterBar;
use crate::components::load_buttons::LoadButtons;
use crate::components::redact_view::RedactView;
use crate::components::stat_cards::StatCards;
use crate::platform::{dom, files, loader, serve};
use crate::redact_link::Link;
use crate::redaction::page::RedactState;
use crate::state::{Action, AppState, LoadError, View};

/// What the key handler does with a key press; returns whether it was used.
fn handle_key(key: &dom::Key, dispatch: &UseReducerDispatcher<AppState>) -> bool {
    if key.modified {
        return false;
    }
    match (key.key.as_str(), key.in_field) {
        ("Escape", in_field) => {
            if in_field {
                dom::blur_active();
            }
            dispatch.dispatch(Action::Close);
            true
        }
        ("/", false) => {
            dom::focus_by_id("search");
            true
        }
        ("ArrowDown" | "j", false) => {
            dispatch.dispatch(Action::MoveCursor(1));
            true
        }
        ("ArrowUp" | "k", false) => {
            dispatch.dispatch(Action::MoveCursor(-1));
            true
        }
        ("PageDown", false) => {
            dispatch.dispatch(Action::MoveCursor(20));
            true
        }
        ("PageUp", false) => {
            dispatch.dispatch(Action::MoveCursor(-20));
            true
        }
        ("Enter", false) => {
            dispatch.dispatch(Action::OpenCursor);
            true
        }
        _ => false,
    }
}

#[component]
pub fn App() -> Html {
    let state = use_reducer(|| {
        let mut s = AppState::default();
        s.apply(Action::RestoreView(View::from_hash(&dom::location_hash())));
        s
    });
    let dragging = use_state(|| false);
    let redact = use_reducer(RedactState::default);
    let link = use_memo((), |()| Link::default());
    // Browse (the table and detail) or Redact.
    let redacting = use_state(|| false);

    // Under `tapedeck serve`, load the folder's cassettes once.
    {
        let dispatch = state.dispatcher();
        use_effect_with((), move |()| {
            if serve::is_serve_mode() {
                wasm_bindgen_futures::spawn_local(async move {
                    match serve::listing().await {
                        Ok(list) => loader::load(list, dispatch),
                        Err(e) => dispatch.dispatch(Action::Loaded {
                            rows: Vec::new(),
                            errors: vec![LoadError {
                                name: String::from("(server listing)"),
                                reason: e.to_string(),
                            }],
                            files: 0,
                        }),
                    }
                });
            }
        });
    }
    // The URL hash mirrors the view; editing it (or back/forward) restores a view.
    {
        let hash = state.view.to_hash();
        use_effect_with(hash, |hash| dom::replace_hash(hash));
    }
    {
        let dispatch = state.dispatcher();
        use_effect_with((), move |()| {
            let listener = dom::on_hash_change(move |hash| {
                dispatch.dispatch(Action::RestoreView(View::from_hash(&hash)));
            });
            move || drop(listener)
        });
    }
    {
        let dispatch = state.dispatcher();
        use_effect_with((), move |()| {
            let listener = dom::on_key_down(move |key| handle_key(key, &dispatch));
            move || drop(listener)
        });
    }

    let on_files = {
        let dispatch = state.dispatcher();
        Callback::from(move |picked: Vec<files::PickedFile>| loader::load(picked, dispatch.clone()))
    };
    let ondragover = {
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            if dom::drag_has_files(&e) {
                e.prevent_default();
                if !*dragging {
                    dragging.set(true);
                }
            }
        })
    };
    let ondragleave = {
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            // Leaving the window: no element is entered.
            if e.related_target().is_none() {
                dragging.set(false);
            }
        })
    };
    let ondrop = {
        let dragging = dragging.clone();
        let on_files = on_files.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(false);
            if let Some(data) = dom::drag_data(&e) {
                let items = files::take_drop(&data);
                let on_files = on_files.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    on_files.emit(files::walk_drop(items).await);
                });
            }
        })
    };

    let dispatch = state.dispatcher();
    let on_open = {
        let dispatch = dispatch.clone();
        Callback::from(move |id: u32| dispatch.dispatch(Action::Open(id)))
    };
    let on_sort = {
        let dispatch = dispatch.clone();
        Callback::from(move |key| dispatch.dispatch(Action::SortBy(key)))
    };
    let on_close = {
        let dispatch = dispatch.clone();
        Callback::from(move |()| dispatch.dispatch(Action::Close))
    };
    let on_tab = {
        let dispatch = dispatch.clone();
        Callback::from(move |tab| dispatch.dispatch(Action::SetTab(tab)))
    };
    let open_row = state.open_id.and_then(|id| state.row(id)).map(Rc::clone);
    let empty = state.rows.is_empty() && !state.is_loading();

    html! {
        <div class={classes!("app", dragging.then_some("dragging"), open_row.is_some().then_some("has-detail"))}
             id="dropzone" ondragenter={ondragover.clone()} {ondragover} {ondragleave} {ondrop}>
            <header class="top">
                <div class="brand">
                    <span class="logo" aria-hidden="true">{"◉◉"}</span>
                    <h1>{"Tapedeck"}</h1>
                    <span class="tagline">{"Cassette viewer · files never leave this machine"}</span>
                </div>
                if !empty {
                    <nav class="modes" aria-label="Mode">
                        <button id="mode-browse" class={classes!("mode", (!*redacting).then_some("active"))}
                            aria-pressed={(!*redacting).to_string()}
                            onclick={{ let r = redacting.clone(); Callback::from(move |_: MouseEvent| r.set(false)) }}>{"Browse"}</button>
                        <button id="mode-redact" class={classes!("mode", redacting.then_some("active"))}
                            aria-pressed={redacting.to_string()}
                            onclick={{ let r = redacting.clone(); Callback::from(move |_: MouseEvent| r.set(true)) }}>{"Redact"}</button>
                    </nav>
                }
                <div class="header-actions">
                    if !empty {
                        <LoadButtons on_files={on_files.clone()} />
                    }
                </div>
            </header>
            <div class="controls">
                if !empty {
                    <StatCards stats={Rc::clone(&state.stats)} progress={state.progress} />
                    <FilterBar view={state.view.clone()} facets={Rc::clone(&state.facets)}
                        shown={state.visible.len()} total={state.rows.len()} dispatch={dispatch.clone()} />
                }
            </div>
            <ErrorList errors={Rc::clone(&state.errors)} expanded={state.errors_expanded} dispatch={dispatch.clone()} />
            <div class="main-area">
                if empty {
                    <section class="empty">
                        <div class="empty-box">
                            <div class="empty-icon" aria-hidden="true">{"⇣"}</div>
                            <h2>{"Drop cassettes here"}</h2>
                            <p>{"Timetracer recordings: .json, .json.gz, .zip archives or whole folders."}</p>
                            <p class="muted">{"Everything is decoded in your browser. Nothing is uploaded."}</p>
                            <LoadButtons on_files={on_files} />
                            <p class="keys muted">
                                <kbd>{"/"}</kbd>{" search · "}<kbd>{"↑"}</kbd><kbd>{"↓"}</kbd>{" move · "}
                                <kbd>{"Enter"}</kbd>{" open · "}<kbd>{"Esc"}</kbd>{" close"}
                            </p>
                        </div>
                    </section>
                } else if *redacting {
                    <main class="content">
                        <RedactView rows={Rc::clone(&state.rows)} visible={Rc::clone(&state.visible)}
                            state={redact.clone()} link={(*link).clone()} />
                    </main>
                } else {
                    <main class="content">
                        <CassetteTable rows={Rc::clone(&state.rows)} visible={Rc::clone(&state.visible)}
                            cursor={state.cursor} open_id={state.open_id} sort={state.view.sort}
                            slow_ms={state.view.slow_ms} generation={state.filter_generation}
                            statuses={Rc::clone(&redact.statuses)}
                            onopen={on_open} onsort={on_sort} />
                        if let Some(row) = open_row {
                            <DetailPanel {row} tab={state.view.tab} onclose={on_close} ontab={on_tab} />
                        }
                    </main>
                }
            </div>
            if *dragging {
                <div class="drop-overlay"><div>{"Drop to add cassettes"}</div></div>
            }
        </div>
    }
}
