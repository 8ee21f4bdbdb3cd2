//! Recorded bodies: what was kept of a request or response body and how it is encoded.

use crate::json::NodeId;

/// How a body's content is stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BodyEncoding {
    /// Parsed JSON, kept as a JSON value.
    Json,
    /// Plain text, kept as a string.
    Text,
    /// Base64 text of the raw bytes.
    Base64,
    /// Raw bytes that were not kept (only size and hash).
    Bytes,
    /// No encoding was recorded (the body was not captured).
    Unspecified,
    /// An encoding name this version does not know (`utf-8` from Mongo plugins, ...).
    Other(String),
}

impl BodyEncoding {
    pub fn from_name(name: &str) -> Self {
        match name {
            "json" => BodyEncoding::Json,
            "text" => BodyEncoding::Text,
            "base64" => BodyEncoding::Base64,
            "bytes" => BodyEncoding::Bytes,
            other => BodyEncoding::Other(other.to_owned()),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            BodyEncoding::Json => "json",
            BodyEncoding::Text => "text",
            BodyEncoding::Base64 => "base64",
            BodyEncoding::Bytes => "bytes",
            BodyEncoding::Unspecified => "",
            BodyEncoding::Other(name) => name,
        }
    }
}

/// A recorded body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Body {
    /// Whether the recorder kept the content (Timetracer's `_captured`).
    pub captured: bool,
    pub encoding: BodyEncoding,
    /// The content in the source document, when kept.
    pub data: Option<NodeId>,
    /// Whether the content was cut to a size limit before it was kept or hashed.
    pub truncated: bool,
    /// Size of the original body in bytes.
    pub size_bytes: Option<u64>,
    /// `sha256:<hex>` of the (possibly truncated) body bytes.
    pub hash: Option<String>,
    /// The whole body object in the source document.
    pub node: NodeId,
}

impl Body {
    /// Whether only a fingerprint of the body was kept (no content).
    pub fn is_hash_only(&self) -> bool {
        self.data.is_none()
    }
}
