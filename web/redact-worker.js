// Starts the redaction worker: wasm-bindgen's glue (no-modules build, defines `wasm_bindgen`),
// then its wasm; the Rust `main` then serves the page's requests.
importScripts('./tapedeck_redact_worker.js');
wasm_bindgen({ module_or_path: './tapedeck_redact_worker_bg.wasm' });
