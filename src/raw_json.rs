//! [`RawJson`]: a JSON value kept as the text it will be written as.

use std::fmt;
use std::sync::OnceLock;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use crate::json::depth::with_stack_for_text;
use crate::json::reader::Reader;
use crate::json::stringify::{to_js_string, transcode, JsText};

/// A JSON value kept as text: what a typed struct did not type (the values of its
/// [`Extra`](crate::Extra) keys, free-form fields such as a flow reply's `flowResponse`).
///
/// The text is the value exactly as the normalized JSON writes it (keys camelCased, in the
/// order they came in; numbers and strings as JavaScript's `JSON.stringify` writes them), so
/// writing it costs a copy. [`RawJson::value`] parses it into a `serde_json::Value` on first
/// use and keeps that. Two `RawJson`s are equal when their values are (key order aside).
///
/// ```
/// let body = br#"{"entry":[{"changes":[{"field":"messages","value":{"messages":[
///   {"from":"1","id":"wamid.A","new_thing":{"b":1.0,"a_b":[true,null]}}]}}]}]}"#;
/// let webhook = kapso_webhooks::normalize_webhook(body)?;
/// let kept = webhook.messages()[0].extra.get_json("newThing").unwrap();
/// assert_eq!(kept.as_str(), r#"{"b":1,"aB":[true,null]}"#);
/// assert_eq!(kept.value()["aB"][0], true);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct RawJson {
    text: Box<str>,
    /// Boxed: most values are never parsed, and a small `RawJson` is cheap to move.
    value: OnceLock<Box<Value>>,
}

impl RawJson {
    /// Keeps `text`, which is already in the normalized form (the crate's own writers made it).
    pub(crate) fn from_js_text(text: String) -> RawJson {
        RawJson {
            text: text.into_boxed_str(),
            value: OnceLock::new(),
        }
    }

    /// The JSON text, as the normalized JSON writes it.
    ///
    /// ```
    /// let raw = kapso_webhooks::RawJson::from(serde_json::json!([1.0, "x"]));
    /// assert_eq!(raw.as_str(), r#"[1,"x"]"#);
    /// ```
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The value, parsed on first use and kept. Object keys follow the order of
    /// `serde_json::Map` (sorted, unless the application enables serde_json's `preserve_order`);
    /// [`RawJson::as_str`] keeps the order they came in.
    ///
    /// ```
    /// let raw = kapso_webhooks::RawJson::from(serde_json::json!({"a": [1, 2]}));
    /// assert_eq!(raw.value()["a"][1], 2);
    /// ```
    pub fn value(&self) -> &Value {
        self.value.get_or_init(|| Box::new(parse(&self.text)))
    }

    /// The value, parsed (or taken when it was parsed already).
    ///
    /// ```
    /// let raw = kapso_webhooks::RawJson::from(serde_json::json!("x"));
    /// assert_eq!(raw.into_value(), "x");
    /// ```
    pub fn into_value(self) -> Value {
        match self.value.into_inner() {
            Some(value) => *value,
            None => parse(&self.text),
        }
    }

    /// Whether the value is `null`.
    ///
    /// ```
    /// assert!(kapso_webhooks::RawJson::from(serde_json::Value::Null).is_null());
    /// ```
    pub fn is_null(&self) -> bool {
        &*self.text == "null"
    }
}

/// Parses text the crate wrote (valid JSON), as a `Value`, on a stack deep enough for it.
fn parse(text: &str) -> Value {
    with_stack_for_text(text, || {
        Value::deserialize(&mut Reader::new(text).unbounded()).unwrap_or(Value::Null)
    })
    .unwrap_or(Value::Null)
}

impl From<Value> for RawJson {
    fn from(value: Value) -> Self {
        let raw = RawJson::from(&value);
        let _ = raw.value.set(Box::new(value));
        raw
    }
}

impl From<&Value> for RawJson {
    fn from(value: &Value) -> Self {
        RawJson::from_js_text(to_js_string(value))
    }
}

/// Indexes the parsed value, as `serde_json::Value` does: a missing key or index gives `null`.
///
/// ```
/// let raw = kapso_webhooks::RawJson::from(serde_json::json!({"a": [1, 2]}));
/// assert_eq!(raw["a"][1], 2);
/// assert!(raw["missing"].is_null());
/// ```
impl<I: serde_json::value::Index> std::ops::Index<I> for RawJson {
    type Output = Value;

    fn index(&self, index: I) -> &Value {
        &self.value()[index]
    }
}

/// Compares the parsed value.
///
/// ```
/// let raw = kapso_webhooks::RawJson::from(serde_json::json!({"a": 1}));
/// assert_eq!(raw, serde_json::json!({"a": 1}));
/// ```
impl PartialEq<Value> for RawJson {
    fn eq(&self, other: &Value) -> bool {
        self.value() == other
    }
}

impl PartialEq<RawJson> for Value {
    fn eq(&self, other: &RawJson) -> bool {
        self == other.value()
    }
}

/// Equal as JSON values (key order aside), like `serde_json::Value`s.
impl PartialEq for RawJson {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text || self.value() == other.value()
    }
}

impl fmt::Debug for RawJson {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl fmt::Display for RawJson {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl Serialize for RawJson {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        transcode(&mut Reader::new(&self.text).unbounded(), serializer)
    }
}

impl<'de> Deserialize<'de> for RawJson {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        serde::de::DeserializeSeed::deserialize(JsText, d).map(RawJson::from_js_text)
    }
}
