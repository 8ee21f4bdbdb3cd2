//! Files from drops (walking dropped folders), the file picker and the folder picker.

use js_sys::{Array, Uint8Array};
use tapedeck_core::archive::is_cassette_name;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    DataTransfer, File, FileSystemDirectoryEntry, FileSystemDirectoryReader, FileSystemEntry,
    FileSystemFileEntry, HtmlInputElement,
};

use super::PlatformError;

/// A file to load and the name it is shown under (its path inside a dropped folder).
#[derive(Clone, Debug)]
pub struct PickedFile {
    pub name: String,
    pub source: Source,
}

/// Where a file's bytes come from.
#[derive(Clone, Debug)]
pub enum Source {
    /// Dropped or picked.
    File(File),
    /// A cassette of the folder `tapedeck serve` was started on (a relative URL).
    Served(String),
}

/// Whether a file found while walking a folder is worth loading.
fn wanted_in_folder(name: &str) -> bool {
    is_cassette_name(name) || name.to_ascii_lowercase().ends_with(".zip")
}

/// The files of a `<input type=file>` (several files, or a folder with `webkitdirectory`).
/// Resets the input so choosing the same files again fires `change` again.
pub fn from_input(input: &HtmlInputElement) -> Vec<PickedFile> {
    let mut out = Vec::new();
    if let Some(list) = input.files() {
        for i in 0..list.length() {
            if let Some(file) = list.get(i) {
                let relative = js_sys::Reflect::get(
                    &file,
                    &wasm_bindgen::JsValue::from_str("webkitRelativePath"),
                )
                .ok()
                .and_then(|v| v.as_string())
                .unwrap_or_default();
                if relative.is_empty() {
                    out.push(PickedFile {
                        name: file.name(),
                        source: Source::File(file),
                    });
                } else if wanted_in_folder(&relative) {
                    out.push(PickedFile {
                        name: relative,
                        source: Source::File(file),
                    });
                }
            }
        }
    }
    input.set_value("");
    out
}

/// What a drop carried, taken synchronously: the browser empties the `DataTransfer` once
/// the event handler returns, so this must run inside it. [`walk_drop`] then reads folders.
pub struct DropItems {
    entries: Vec<FileSystemEntry>,
    plain: Vec<File>,
}

pub fn take_drop(data: &DataTransfer) -> DropItems {
    let items = data.items();
    let mut entries: Vec<FileSystemEntry> = Vec::new();
    let mut plain: Vec<File> = Vec::new();
    for i in 0..items.length() {
        let Some(item) = items.get(i) else { continue };
        if item.kind() != "file" {
            continue;
        }
        // Folders are walked later; files are taken now, synchronously (asking a file entry
        // for its file is one callback per file, far slower for thousands of files).
        match item.webkit_get_as_entry() {
            Ok(Some(entry)) if entry.is_directory() => entries.push(entry),
            _ => {
                if let Ok(Some(file)) = item.get_as_file() {
                    plain.push(file);
                }
            }
        }
    }
    if entries.is_empty() && plain.is_empty() {
        // Some synthetic drops only fill `files`.
        if let Some(list) = data.files() {
            for i in 0..list.length() {
                if let Some(file) = list.get(i) {
                    plain.push(file);
                }
            }
        }
    }
    DropItems { entries, plain }
}

/// The files of a drop, walking dropped folders.
pub async fn walk_drop(items: DropItems) -> Vec<PickedFile> {
    let mut out: Vec<PickedFile> = items
        .plain
        .into_iter()
        .map(|file| PickedFile {
            name: file.name(),
            source: Source::File(file),
        })
        .collect();
    for entry in items.entries {
        walk(entry, true, &mut out).await;
    }
    out
}

/// Adds an entry's files; `top` entries are kept whatever their name (the person chose them).
async fn walk(entry: FileSystemEntry, top: bool, out: &mut Vec<PickedFile>) {
    let mut stack = vec![(entry, top)];
    while let Some((entry, top)) = stack.pop() {
        if entry.is_directory() {
            let dir: FileSystemDirectoryEntry = entry.unchecked_into();
            let reader = dir.create_reader();
            let mut children = Vec::new();
            // readEntries returns at most 100 entries per call: repeat until it returns none.
            while let Ok(batch) = read_entries(&reader).await {
                if batch.is_empty() {
                    break;
                }
                children.extend(batch);
            }
            children.sort_by_key(FileSystemEntry::full_path);
            for child in children.into_iter().rev() {
                stack.push((child, false));
            }
        } else if entry.is_file() {
            let path = entry.full_path();
            let name = path.strip_prefix('/').unwrap_or(&path).to_owned();
            if !top && !wanted_in_folder(&name) {
                continue;
            }
            let file_entry: FileSystemFileEntry = entry.unchecked_into();
            if let Ok(file) = entry_file(&file_entry).await {
                out.push(PickedFile {
                    name,
                    source: Source::File(file),
                });
            }
        }
    }
}

async fn read_entries(
    reader: &FileSystemDirectoryReader,
) -> Result<Vec<FileSystemEntry>, PlatformError> {
    let promise = js_sys::Promise::new(&mut |resolve, reject| {
        let ok = Closure::once_into_js(move |entries: Array| {
            let _ = resolve.call1(&wasm_bindgen::JsValue::NULL, &entries);
        });
        let fail = Closure::once_into_js(move |err: wasm_bindgen::JsValue| {
            let _ = reject.call1(&wasm_bindgen::JsValue::NULL, &err);
        });
        let _ = reader
            .read_entries_with_callback_and_callback(ok.unchecked_ref(), fail.unchecked_ref());
    });
    let value = JsFuture::from(promise)
        .await
        .map_err(|e| PlatformError::from_js("reading a folder", &e))?;
    let array: Array = value.unchecked_into();
    Ok(array.iter().map(JsCast::unchecked_into).collect())
}

async fn entry_file(entry: &FileSystemFileEntry) -> Result<File, PlatformError> {
    let promise = js_sys::Promise::new(&mut |resolve, reject| {
        let ok = Closure::once_into_js(move |file: File| {
            let _ = resolve.call1(&wasm_bindgen::JsValue::NULL, &file);
        });
        let fail = Closure::once_into_js(move |err: wasm_bindgen::JsValue| {
            let _ = reject.call1(&wasm_bindgen::JsValue::NULL, &err);
        });
        entry.file_with_callback_and_callback(ok.unchecked_ref(), fail.unchecked_ref());
    });
    let value = JsFuture::from(promise)
        .await
        .map_err(|e| PlatformError::from_js("opening a dropped file", &e))?;
    Ok(value.unchecked_into())
}

/// Starts reading a file's bytes at once; the returned future yields them.
pub fn start_read(
    picked: &PickedFile,
) -> std::pin::Pin<Box<dyn Future<Output = Result<Vec<u8>, PlatformError>>>> {
    match &picked.source {
        Source::File(file) => {
            let read = JsFuture::from(file.array_buffer());
            Box::pin(async move {
                read.await
                    .map(|buffer| Uint8Array::new(&buffer).to_vec())
                    .map_err(|e| PlatformError::from_js("reading the file", &e))
            })
        }
        Source::Served(url) => Box::pin(super::serve::fetch_bytes(url.clone())),
    }
}

/// The text of the first file chosen in an `<input type=file>` (a policy being imported), and
/// its name; `None` when nothing was chosen. Resets the input.
pub async fn read_chosen_text(
    input: &HtmlInputElement,
) -> Option<Result<(String, String), PlatformError>> {
    let file = input.files()?.get(0)?;
    input.set_value("");
    let name = file.name();
    Some(
        JsFuture::from(file.text())
            .await
            .map(|v| (name, v.as_string().unwrap_or_default()))
            .map_err(|e| PlatformError::from_js("cannot read the file", &e)),
    )
}
