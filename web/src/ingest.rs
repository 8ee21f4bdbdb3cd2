//! Turns the bytes of one input file into rows or load errors: zip archives are unpacked,
//! gzip is inflated by core's decoder, everything else is decoded as a cassette. Pure, so it
//! is tested natively.

use std::rc::Rc;

use tapedeck_core::archive;
use tapedeck_core::format::{MAX_INFLATED_BYTES, gzip};
use tapedeck_core::index::Summary;

use crate::state::{LoadError, NewRow};

/// The rows and errors one input file produced.
#[derive(Debug, Default)]
pub struct Ingested {
    pub rows: Vec<NewRow>,
    pub errors: Vec<LoadError>,
}

/// Decodes one file (`name` is its path as dropped, e.g. `group/2026-11-30/GET__x.json`).
pub fn ingest(name: &str, bytes: Vec<u8>, out: &mut Ingested) {
    if archive::is_zip(&bytes) {
        match archive::zip_entries(&bytes, MAX_INFLATED_BYTES) {
            Ok(entries) => {
                if entries.is_empty() {
                    out.errors.push(LoadError {
                        name: name.to_owned(),
                        reason: String::from("the archive holds no .json or .json.gz files"),
                    });
                }
                for entry in entries {
                    match entry {
                        Ok(entry) => {
                            decode_one(&format!("{name}/{}", entry.name), entry.bytes, out);
                        }
                        Err(e) => out.errors.push(LoadError {
                            name: format!("{name}/{}", e.name),
                            reason: e.reason.to_string(),
                        }),
                    }
                }
            }
            Err(e) => out.errors.push(LoadError {
                name: name.to_owned(),
                reason: e.to_string(),
            }),
        }
    } else {
        decode_one(name, bytes, out);
    }
}

/// Indexes one file with core's listing decoder (bodies skimmed, not parsed); the detail
/// view decodes the kept text in full when the row is opened ([`decode_row`]).
fn decode_one(name: &str, bytes: Vec<u8>, out: &mut Ingested) {
    match tapedeck_core::format::decode_file_for_listing(name, &bytes) {
        Ok(decoded) => {
            let Some(first) = decoded.first() else {
                // A file of no exchanges (an empty HAR) must not vanish without a word.
                out.errors.push(LoadError {
                    name: name.to_owned(),
                    reason: String::from("the file holds no exchange"),
                });
                return;
            };
            let compressed = first.cassette.compressed;
            // Keep the text for the detail view: the whole inflated text of a gzip file (a
            // HAR's first row holds only its own entry), the bytes themselves otherwise.
            let (text, raw): (Rc<[u8]>, Option<Rc<[u8]>>) = if compressed {
                let text = match gzip::inflate(&bytes, MAX_INFLATED_BYTES) {
                    Ok(inflated) => Rc::from(inflated),
                    Err(_) => Rc::from(first.cassette.document.text().as_bytes()),
                };
                (text, Some(Rc::from(bytes)))
            } else {
                (Rc::from(bytes), None)
            };
            let source: Rc<str> = Rc::from(name);
            for (entry, d) in decoded.iter().enumerate() {
                out.rows.push(NewRow {
                    summary: Summary::from_cassette(&d.cassette),
                    compressed,
                    warnings: d.warnings.len(),
                    text: Rc::clone(&text),
                    raw: raw.clone(),
                    source: Rc::clone(&source),
                    entry,
                });
            }
        }
        Err(e) => out.errors.push(LoadError {
            name: name.to_owned(),
            reason: e
                .first_error()
                .map_or_else(|| String::from("could not be decoded"), ToString::to_string),
        }),
    }
}

/// The full model of a row's exchange, for the detail view.
pub fn decode_row(row: &crate::state::Row) -> Result<tapedeck_core::Cassette, String> {
    let mut decoded =
        tapedeck_core::format::decode_file(&row.source, &row.text).map_err(|e| e.to_string())?;
    if row.entry < decoded.len() {
        Ok(decoded.swap_remove(row.entry).cassette)
    } else {
        Err(String::from("the exchange is no longer in the file"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CASSETTE: &str = r#"{"schema_version": "1.0", "session": {"id": "x", "recorded_at": "2026-11-30T07:00:00+00:00"},
        "request": {"method": "GET", "path": "/a"}, "response": {"status": 200, "duration_ms": 1.5}, "events": []}"#;

    #[test]
    fn decodes_plain_and_gzip_and_reports_broken_files_by_name() {
        let mut out = Ingested::default();
        ingest("a.json", CASSETTE.as_bytes().to_vec(), &mut out);
        ingest("b.json.gz", gzip::deflate(CASSETTE.as_bytes()), &mut out);
        ingest("bad.json", b"{\"schema_version\": ".to_vec(), &mut out);
        assert_eq!(out.rows.len(), 2);
        assert!(out.rows[1].compressed);
        assert_eq!(&*out.rows[1].text, CASSETTE.as_bytes());
        // The gzip bytes are kept as loaded, for redaction to hand back unchanged files.
        assert_eq!(
            out.rows[1].raw.as_deref(),
            Some(gzip::deflate(CASSETTE.as_bytes()).as_slice())
        );
        assert!(out.rows[0].raw.is_none());
        assert_eq!(out.errors.len(), 1);
        assert_eq!(out.errors[0].name, "bad.json");
        assert!(
            out.errors[0].reason.contains("line 1"),
            "{}",
            out.errors[0].reason
        );
    }

    #[test]
    fn a_non_cassette_zip_is_one_error() {
        let mut out = Ingested::default();
        ingest("x.zip", b"PK\x05\x06".to_vec(), &mut out);
        assert_eq!(out.rows.len(), 0);
        assert_eq!(out.errors.len(), 1);
    }

    #[test]
    fn gzipped_har_rows_open_every_entry() {
        let har = br#"{"log": {"version": "1.2", "creator": {"name": "t", "version": "1"}, "entries": [
            {"startedDateTime": "2026-11-30T07:00:00.000Z", "time": 1, "request": {"method": "GET", "url": "http://127.0.0.1/a", "httpVersion": "HTTP/1.1", "cookies": [], "headers": [], "queryString": [], "headersSize": -1, "bodySize": 0}, "response": {"status": 200, "statusText": "OK", "httpVersion": "HTTP/1.1", "cookies": [], "headers": [], "content": {"size": 0, "mimeType": "text/plain"}, "redirectURL": "", "headersSize": -1, "bodySize": 0}, "cache": {}, "timings": {"send": 0, "wait": 1, "receive": 0}},
            {"startedDateTime": "2026-11-30T07:00:01.000Z", "time": 1, "request": {"method": "POST", "url": "http://127.0.0.1/b", "httpVersion": "HTTP/1.1", "cookies": [], "headers": [], "queryString": [], "headersSize": -1, "bodySize": 0}, "response": {"status": 201, "statusText": "Created", "httpVersion": "HTTP/1.1", "cookies": [], "headers": [], "content": {"size": 0, "mimeType": "text/plain"}, "redirectURL": "", "headersSize": -1, "bodySize": 0}, "cache": {}, "timings": {"send": 0, "wait": 1, "receive": 0}}
        ]}}"#;
        let mut out = Ingested::default();
        ingest("x.har.gz", gzip::deflate(har), &mut out);
        assert!(out.errors.is_empty(), "{:?}", out.errors);
        assert_eq!(out.rows.len(), 2);
        let second = &out.rows[1];
        let decoded = tapedeck_core::format::decode_file(&second.source, &second.text).unwrap();
        assert_eq!(decoded[second.entry].cassette.request.method, "POST");
    }

    #[test]
    fn a_file_of_no_exchanges_is_reported() {
        let mut out = Ingested::default();
        ingest("empty.har", br#"{"log": {"version": "1.2", "creator": {"name": "t", "version": "1"}, "entries": []}}"#.to_vec(), &mut out);
        assert!(out.rows.is_empty());
        assert_eq!(out.errors.len(), 1);
        assert_eq!(out.errors[0].reason, "the file holds no exchange");
    }
}
