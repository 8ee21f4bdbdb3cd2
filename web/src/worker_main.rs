//! The redaction worker: the redaction engine in its own wasm, run off the page's thread.
//! It serves the page's requests (`redaction::protocol`) until the page terminates it.

fn main() {
    tapedeck_web::platform::dom::install_panic_hook();
    tapedeck_web::platform::worker_scope::serve();
}
