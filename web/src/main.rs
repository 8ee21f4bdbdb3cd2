//! Mounts the viewer.

fn main() {
    tapedeck_web::platform::dom::install_panic_hook();
    yew::Renderer::<tapedeck_web::App>::new().render();
}
