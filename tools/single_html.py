#!/usr/bin/env python3
"""Post-build step for the viewer (a trunk post_build hook, or run by hand on web/dist).

1. Writes OUT.html: ONE self-contained file that works opened from disk (file://), to attach
   to a ticket or an e-mail. The wasm-bindgen JS glue is inlined as a module script, the
   .wasm is embedded as base64, the CSS is inlined.
2. With --externalize-init, moves trunk's inline start-up <script type="module"> from
   index.html into its own file (init-<hash>.js), so the hosted folder runs under a
   Content-Security-Policy without 'unsafe-inline' or script hashes.

usage: single_html.py DIST_DIR OUT.html [--title TITLE] [--externalize-init]
Standard library only.
"""
import base64
import hashlib
import pathlib
import re
import sys

INLINE_MODULE = re.compile(r"<script type=\"module\"[^>]*>(?P<body>.*?)</script>", re.S)


def find_assets(dist: pathlib.Path, index: str) -> tuple[pathlib.Path, pathlib.Path]:
    """The wasm-bindgen JS glue and the .wasm trunk hashed separately, read from index.html."""
    m_js = re.search(r"from\s+'(?:\./|/)?([^']+\.js)'", index)
    m_wasm = re.search(r"module_or_path:\s*'(?:\./|/)?([^']+\.wasm)'", index)
    if m_js and m_wasm:
        return dist / m_js.group(1), dist / m_wasm.group(1)
    wasms = [w for w in dist.glob("*_bg.wasm") if not w.name.startswith("tapedeck_redact_worker")]
    if len(wasms) != 1:
        sys.exit(f"single_html.py: expected exactly one *_bg.wasm in {dist}, found {wasms}")
    wasm = wasms[0]
    return dist / (wasm.name[: -len("_bg.wasm")] + ".js"), wasm


def single_file(dist: pathlib.Path, out: pathlib.Path, title: str, index: str) -> None:
    if (dist / "snippets").exists():
        sys.exit("single_html.py: dist/snippets exists (wasm-bindgen inline_js); it would have to be inlined too")
    js, wasm = find_assets(dist, index)
    glue = js.read_text(encoding="utf-8")
    # A stray "</script" inside the glue would end the inline script early.
    glue = glue.replace("</script", "<\\/script")
    b64 = base64.b64encode(wasm.read_bytes()).decode("ascii")
    styles = []
    for href in re.findall(r'<link[^>]*rel="stylesheet"[^>]*href="(?:\./|/)?([^"]+)"', index):
        css = (dist / href).read_text(encoding="utf-8").replace("</style", "<\\/style")
        styles.append(f"<style>\n{css}\n</style>")
    head_meta = "\n".join(re.findall(r"<meta [^>]*>", index))
    worker = inline_worker(dist)
    html = f"""<!DOCTYPE html>
<html lang="en">
<head>
{head_meta}
<title>{title}</title>
{"".join(styles)}
{worker}
</head>
<body>
<noscript>Tapedeck's viewer needs JavaScript and WebAssembly.</noscript>
<script type="module">
{glue}
const WASM_B64 = "{b64}";
const bytes = Uint8Array.from(atob(WASM_B64), (c) => c.charCodeAt(0));
await __wbg_init({{ module_or_path: bytes }});
</script>
</body>
</html>
"""
    out.write_text(html, encoding="utf-8")
    print(f"single_html.py: {out}: {out.stat().st_size} bytes (wasm {wasm.stat().st_size} bytes)")


def inline_worker(dist: pathlib.Path) -> str:
    """The redaction worker (its no-modules glue and its wasm as base64) as an inert text
    element in <head> (the app owns <body>): the viewer starts it from a blob: URL, since a
    page opened from disk cannot start a worker from a file. Empty when there is no worker."""
    glue_path = dist / "tapedeck_redact_worker.js"
    wasm_path = dist / "tapedeck_redact_worker_bg.wasm"
    if not glue_path.exists() or not wasm_path.exists():
        return ""
    glue = glue_path.read_text(encoding="utf-8").replace("</script", "<\\/script")
    b64 = base64.b64encode(wasm_path.read_bytes()).decode("ascii")
    start = (
        f'const WASM_B64 = "{b64}";\n'
        "wasm_bindgen({ module_or_path: Uint8Array.from(atob(WASM_B64), (c) => c.charCodeAt(0)) });"
    )
    return f'<script type="text/plain" id="tapedeck-redact-worker">\n{glue}\n{start}\n</script>'


def externalize_init(dist: pathlib.Path, index: str) -> None:
    m = INLINE_MODULE.search(index)
    if not m or "src=" in m.group(0).split(">", 1)[0]:
        print("single_html.py: no inline start-up script in index.html")
        return
    body = m.group("body").strip() + "\n"
    name = f"init-{hashlib.sha256(body.encode()).hexdigest()[:16]}.js"
    (dist / name).write_text(body, encoding="utf-8")
    tag = f'<script type="module" src="./{name}"></script>'
    index = index[: m.start()] + tag + index[m.end():]
    if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", index):
        sys.exit("single_html.py: index.html still holds an inline script")
    (dist / "index.html").write_text(index, encoding="utf-8")
    print(f"single_html.py: start-up script moved to {name}")


def main() -> None:
    args = sys.argv[1:]
    if len(args) < 2:
        sys.exit(__doc__)
    dist, out = pathlib.Path(args[0]), pathlib.Path(args[1])
    title = args[args.index("--title") + 1] if "--title" in args else "Tapedeck"
    index = (dist / "index.html").read_text(encoding="utf-8")
    single_file(dist, out, title, index)
    if "--externalize-init" in args:
        externalize_init(dist, index)


if __name__ == "__main__":
    main()
