//! STAND-IN (replaced by the real module): JSON.stringify's text.
#![allow(dead_code, missing_docs)]
use std::fmt;

use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use serde_json::Value;

pub(crate) fn write_str(out: &mut String, s: &str) {
    out.push_str(&serde_json::to_string(s).unwrap_or_default());
}

pub(crate) fn write_f64(out: &mut String, n: f64) {
    if n.is_finite() {
        if n == 0.0 {
            out.push('0');
        } else {
            out.push_str(ryu_js::Buffer::new().format_finite(n));
        }
    } else {
        out.push_str("null");
    }
}

#[derive(Debug)]
pub(crate) struct JsError(String);
impl fmt::Display for JsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
impl std::error::Error for JsError {}

pub(crate) fn to_js_string<T: Serialize + ?Sized>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

pub(crate) fn write_js<T: Serialize + ?Sized>(value: &T, out: &mut String) -> Result<(), JsError> {
    out.push_str(&serde_json::to_string(value).map_err(|e| JsError(e.to_string()))?);
    Ok(())
}

pub(crate) fn transcode<'de, D: Deserializer<'de>, S: Serializer>(
    d: D,
    s: S,
) -> Result<S::Ok, S::Error> {
    let v = Value::deserialize(d).map_err(serde::ser::Error::custom)?;
    v.serialize(s)
}

pub(crate) struct JsText;

impl<'de> DeserializeSeed<'de> for JsText {
    type Value = String;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<String, D::Error> {
        let v = Value::deserialize(d)?;
        Ok(to_js_string(&v))
    }
}

impl<'de> Visitor<'de> for JsText {
    type Value = String;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<String, E> {
        let mut s = String::new();
        write_f64(&mut s, v);
        Ok(s)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
        let mut s = String::new();
        write_str(&mut s, v);
        Ok(s)
    }
    fn visit_unit<E: de::Error>(self) -> Result<String, E> {
        Ok("null".into())
    }
    fn visit_none<E: de::Error>(self) -> Result<String, E> {
        Ok("null".into())
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<String, D::Error> {
        self.deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<String, A::Error> {
        self.deserialize(SeqAccessDeserializer::new(seq))
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<String, A::Error> {
        self.deserialize(MapAccessDeserializer::new(map))
    }
}
