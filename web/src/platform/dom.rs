//! Small DOM helpers: time, the URL hash, keyboard, focus, scrolling, clipboard, event values.

use gloo_events::{EventListener, EventListenerOptions};
use wasm_bindgen::JsCast as _;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Event, HtmlElement, HtmlInputElement, HtmlSelectElement, KeyboardEvent};
use yew::NodeRef;

use super::PlatformError;

/// Milliseconds from the page's start (high resolution).
pub fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// The URL hash without `#`.
pub fn location_hash() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .map(|h| h.trim_start_matches('#').to_owned())
        .unwrap_or_default()
}

/// Replaces the URL hash without adding a history entry or firing `hashchange`.
pub fn replace_hash(hash: &str) {
    let Some(window) = web_sys::window() else {
        return;
    };
    if location_hash() == hash {
        return;
    }
    let location = window.location();
    let url = if hash.is_empty() {
        format!(
            "{}{}",
            location.pathname().unwrap_or_default(),
            location.search().unwrap_or_default()
        )
    } else {
        format!("#{hash}")
    };
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}

/// Calls `f` with the new hash whenever the person edits it or goes back/forward.
pub fn on_hash_change(f: impl Fn(String) + 'static) -> Option<EventListener> {
    let window = web_sys::window()?;
    Some(EventListener::new(&window, "hashchange", move |_| {
        f(location_hash());
    }))
}

/// A key press, as the viewer's shortcuts need it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Key {
    pub key: String,
    /// Typed into a text field, select or button (where arrows and Enter keep their meaning).
    pub in_field: bool,
    pub modified: bool,
}

/// Calls `f` for every key press on the page; when it returns true the browser's default
/// action is prevented.
pub fn on_key_down(f: impl Fn(&Key) -> bool + 'static) -> Option<EventListener> {
    let document = web_sys::window()?.document()?;
    let options = EventListenerOptions::enable_prevent_default();
    Some(EventListener::new_with_options(
        &document,
        "keydown",
        options,
        move |event| {
            let Some(event) = event.dyn_ref::<KeyboardEvent>() else {
                return;
            };
            let in_field = event
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .is_some_and(|el| {
                    matches!(
                        el.tag_name().as_str(),
                        "INPUT" | "SELECT" | "TEXTAREA" | "BUTTON"
                    )
                });
            let key = Key {
                key: event.key(),
                in_field,
                modified: event.ctrl_key() || event.meta_key() || event.alt_key(),
            };
            if f(&key) {
                event.prevent_default();
            }
        },
    ))
}

/// Focuses (and selects the text of) the element with this id.
pub fn focus_by_id(id: &str) {
    let element = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id));
    if let Some(input) = element
        .as_ref()
        .and_then(|e| e.dyn_ref::<HtmlInputElement>())
    {
        let _ = input.focus();
        input.select();
    } else if let Some(el) = element.and_then(|e| e.dyn_into::<HtmlElement>().ok()) {
        let _ = el.focus();
    }
}

/// Takes focus away from a text field (Escape in the search box).
pub fn blur_active() {
    let active = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.active_element())
        .and_then(|e| e.dyn_into::<HtmlElement>().ok());
    if let Some(el) = active {
        let _ = el.blur();
    }
}

/// Scroll offset and visible height of a scrolling element.
pub fn scroll_metrics(node: &NodeRef) -> Option<(f64, f64)> {
    let el = node.cast::<HtmlElement>()?;
    Some((f64::from(el.scroll_top()), f64::from(el.client_height())))
}

#[expect(clippy::cast_possible_truncation, reason = "pixel offsets fit in i32")]
pub fn set_scroll_top(node: &NodeRef, top: f64) {
    if let Some(el) = node.cast::<HtmlElement>() {
        el.set_scroll_top(top.round() as i32);
    }
}

/// The value of the input, text area or select an event came from.
pub fn event_value(event: &Event) -> String {
    let Some(target) = event.target() else {
        return String::new();
    };
    if let Some(input) = target.dyn_ref::<HtmlInputElement>() {
        input.value()
    } else if let Some(area) = target.dyn_ref::<web_sys::HtmlTextAreaElement>() {
        area.value()
    } else if let Some(select) = target.dyn_ref::<HtmlSelectElement>() {
        select.value()
    } else {
        String::new()
    }
}

/// Whether the checkbox an event came from is checked.
pub fn event_checked(event: &Event) -> bool {
    event
        .target()
        .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
        .is_some_and(|i| i.checked())
}

/// The input element an event came from (file pickers).
pub fn event_input(event: &Event) -> Option<HtmlInputElement> {
    event
        .target()
        .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
}

/// Opens the file picker of an `<input type=file>`.
pub fn click(node: &NodeRef) {
    if let Some(el) = node.cast::<HtmlElement>() {
        el.click();
    }
}

/// Copies text to the clipboard.
pub async fn copy_text(text: String) -> Result<(), PlatformError> {
    let window = web_sys::window().ok_or_else(|| PlatformError(String::from("no window")))?;
    let promise = window.navigator().clipboard().write_text(&text);
    JsFuture::from(promise)
        .await
        .map(|_| ())
        .map_err(|e| PlatformError::from_js("copying", &e))
}

/// The `DataTransfer` of a drag event.
pub fn drag_data(event: &web_sys::DragEvent) -> Option<web_sys::DataTransfer> {
    event.data_transfer()
}

/// Whether a drag carries files (not text being dragged around the page).
pub fn drag_has_files(event: &web_sys::DragEvent) -> bool {
    event.data_transfer().is_some_and(|dt| {
        let types = dt.types();
        types
            .iter()
            .any(|t| t.as_string().as_deref() == Some("Files"))
    })
}

/// Installs the panic hook so a bug shows in the console with its message.
pub fn install_panic_hook() {
    console_error_panic_hook::set_once();
}
