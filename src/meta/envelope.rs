//! The changes of a webhook body that `raw` files: those with a field (a non-empty string) and
//! an object or array value, each with its field as sent. From text it is one streaming pass
//! that keeps each change value as a slice of the body; from a parsed `Value` it is a walk.
//!
//! The rules are the normalizer's (see [`crate::meta::normalize`]): a duplicate key's last value
//! wins; `entry` and `changes` count only when they are arrays, entries and changes only when
//! they are objects.

use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;
use serde_json::Value;

use crate::json::wire::{skip_other_shapes, FieldSeed, KeySeed};

/// A change value with its field as sent.
pub(crate) type Filed<V> = (String, V);

/// The filed changes of a JSON text, in one pass.
pub(crate) fn read(text: &str) -> Result<Vec<Filed<&RawValue>>, serde_json::Error> {
    let mut reader = serde_json::Deserializer::from_str(text);
    let envelope = reader.deserialize_any(TopVisitor)?;
    reader.end()?;
    Ok(envelope)
}

/// The filed changes of a parsed body.
pub(crate) fn walk(body: &Value) -> Vec<Filed<&Value>> {
    let entries = match body.get("entry") {
        Some(Value::Array(entries)) => entries.as_slice(),
        _ => &[],
    };
    entries
        .iter()
        .filter_map(|entry| match entry.get("changes") {
            Some(Value::Array(changes)) => Some(changes),
            _ => None,
        })
        .flatten()
        .filter_map(|change| {
            let field = change
                .get("field")
                .and_then(Value::as_str)
                .filter(|f| !f.is_empty())?;
            let value = change
                .get("value")
                .filter(|v| v.is_object() || v.is_array())?;
            Some((field.to_owned(), value))
        })
        .collect()
}

/// Declares a [`DeserializeSeed`] that visits whatever comes with `deserialize_any`.
macro_rules! seed_by_visitor {
    ($($name:ident),*) => {
        $(
            impl<'de> DeserializeSeed<'de> for $name {
                type Value = <Self as Visitor<'de>>::Value;

                fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
                    d.deserialize_any(self)
                }
            }
        )*
    };
}

seed_by_visitor!(Entries, Entry, Changes, Change);

/// The top level: its `entry`.
struct TopVisitor;

impl<'de> Visitor<'de> for TopVisitor {
    type Value = Vec<Filed<&'de RawValue>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut changes = Vec::new();
        while let Some(key) = map.next_key_seed(KeySeed)? {
            match key.as_ref() {
                "entry" => changes = map.next_value_seed(Entries)?,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(changes)
    }

    skip_other_shapes!(map);
}

/// The `entry` array: the filed changes of all its entries.
struct Entries;

impl<'de> Visitor<'de> for Entries {
    type Value = Vec<Filed<&'de RawValue>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut changes = Vec::new();
        while let Some(entry) = seq.next_element_seed(Entry)? {
            changes.extend(entry);
        }
        Ok(changes)
    }

    skip_other_shapes!(seq);
}

/// One entry: its `changes`.
struct Entry;

impl<'de> Visitor<'de> for Entry {
    type Value = Vec<Filed<&'de RawValue>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut changes = Vec::new();
        while let Some(key) = map.next_key_seed(KeySeed)? {
            match key.as_ref() {
                "changes" => changes = map.next_value_seed(Changes)?,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(changes)
    }

    skip_other_shapes!(map);
}

/// An entry's `changes` array.
struct Changes;

impl<'de> Visitor<'de> for Changes {
    type Value = Vec<Filed<&'de RawValue>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut changes = Vec::new();
        while let Some(change) = seq.next_element_seed(Change)? {
            changes.extend(change);
        }
        Ok(changes)
    }

    skip_other_shapes!(seq);
}

/// One change: its `field`, and its `value` kept as text.
struct Change;

impl<'de> Visitor<'de> for Change {
    type Value = Option<Filed<&'de RawValue>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut field = None;
        let mut value: Option<&'de RawValue> = None;
        while let Some(key) = map.next_key_seed(KeySeed)? {
            match key.as_ref() {
                "field" => field = map.next_value_seed(FieldSeed::<String>::new())?.ok(),
                "value" => value = Some(map.next_value()?),
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        let field = field.filter(|f| !f.is_empty());
        let value = value.filter(|v| matches!(v.get().as_bytes().first(), Some(b'{' | b'[')));
        Ok(field.zip(value))
    }

    skip_other_shapes!(map);
}
