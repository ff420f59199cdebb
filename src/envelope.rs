//! The envelope of a webhook body: `object`, and every change of every entry with its entry's
//! `id` and `time`. From bytes it is read in one streaming pass that keeps each change value as
//! a slice of the body (nothing is built for it yet); from a parsed `Value` it is a walk.
//!
//! The rules are the reference's: a duplicate key's last value wins; `entry` and `changes` count
//! only when they are arrays, entries and changes only when they are objects; a change counts
//! only when its value is an object or an array.

use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;
use serde_json::Value;

use crate::timestamp::Timestamp;
use crate::wire::{check_text, skip_other_shapes, Checked, Field, FieldSeed, KeySeed};

/// What the normalizer needs from the outer levels of a body.
#[derive(Debug)]
pub(crate) struct Envelope<V> {
    /// `object`, when it is a string.
    pub(crate) object: Option<String>,
    /// Every change with an object or array value, in document order.
    pub(crate) changes: Vec<EnvelopeChange<V>>,
}

impl<V> Default for Envelope<V> {
    fn default() -> Self {
        Envelope {
            object: None,
            changes: Vec::new(),
        }
    }
}

impl<V> Envelope<V> {
    /// The same envelope with each change value mapped.
    pub(crate) fn map_values<W>(self, mut f: impl FnMut(V) -> W) -> Envelope<W> {
        Envelope {
            object: self.object,
            changes: self
                .changes
                .into_iter()
                .map(|c| EnvelopeChange {
                    waba_id: c.waba_id,
                    time: c.time,
                    field: c.field,
                    value: f(c.value),
                })
                .collect(),
        }
    }
}

/// One change and the entry it belongs to.
#[derive(Debug)]
pub(crate) struct EnvelopeChange<V> {
    /// The entry's `id`, when it is a string.
    pub(crate) waba_id: Option<String>,
    /// The entry's `time`, when it is a string or a number.
    pub(crate) time: Option<Timestamp>,
    /// The change's `field`, when it is a non-empty string.
    pub(crate) field: Option<String>,
    /// The change's value: an object or an array.
    pub(crate) value: V,
}

/// Reads the envelope of a JSON text in one pass.
pub(crate) fn read(text: &str) -> Result<Envelope<&RawValue>, serde_json::Error> {
    let mut reader = serde_json::Deserializer::from_str(text);
    let envelope = reader.deserialize_any(TopVisitor)?;
    reader.end()?;
    Ok(envelope)
}

/// Walks the envelope of a parsed body.
pub(crate) fn walk(body: &Value) -> Envelope<&Value> {
    let mut envelope = Envelope::default();
    let Value::Object(top) = body else {
        return envelope;
    };
    envelope.object = top.get("object").and_then(Value::as_str).map(str::to_owned);
    let Some(Value::Array(entries)) = top.get("entry") else {
        return envelope;
    };
    for entry in entries {
        let Some(Value::Array(changes)) = entry.get("changes") else {
            continue;
        };
        let waba_id = entry.get("id").and_then(Value::as_str);
        let time = entry
            .get("time")
            .and_then(|t| Timestamp::from_value(t.clone()).ok());
        for change in changes {
            let Some(value) = change
                .get("value")
                .filter(|v| v.is_object() || v.is_array())
            else {
                continue;
            };
            envelope.changes.push(EnvelopeChange {
                waba_id: waba_id.map(str::to_owned),
                time: time.clone(),
                field: non_empty(
                    change
                        .get("field")
                        .and_then(Value::as_str)
                        .map(str::to_owned),
                ),
                value,
            });
        }
    }
    envelope
}

fn non_empty(field: Option<String>) -> Option<String> {
    field.filter(|f| !f.is_empty())
}

/// The top level: `object` and `entry`.
struct TopVisitor;

impl<'de> Visitor<'de> for TopVisitor {
    type Value = Envelope<&'de RawValue>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut envelope = Envelope::default();
        while let Some(key) = map.next_key_seed(KeySeed)? {
            match key.as_ref() {
                "object" => envelope.object = map.next_value_seed(FieldSeed::<String>::new())?.ok(),
                "entry" => envelope.changes = map.next_value_seed(Entries)?,
                _ => {
                    map.next_value::<Checked>()?;
                }
            }
        }
        Ok(envelope)
    }

    skip_other_shapes!(map);
}

/// The `entry` array: the changes of all its entries.
struct Entries;

impl<'de> DeserializeSeed<'de> for Entries {
    type Value = Vec<EnvelopeChange<&'de RawValue>>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Entries {
    type Value = Vec<EnvelopeChange<&'de RawValue>>;

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

/// One entry: its `id`, `time` and `changes`.
struct Entry;

impl<'de> DeserializeSeed<'de> for Entry {
    type Value = Vec<EnvelopeChange<&'de RawValue>>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Entry {
    type Value = Vec<EnvelopeChange<&'de RawValue>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut waba_id = None;
        let mut time = None;
        let mut changes = Vec::new();
        while let Some(key) = map.next_key_seed(KeySeed)? {
            match key.as_ref() {
                "id" => waba_id = map.next_value_seed(FieldSeed::<String>::new())?.ok(),
                "time" => time = map.next_value_seed(FieldSeed::<Timestamp>::new())?.ok(),
                "changes" => changes = map.next_value_seed(Changes)?,
                _ => {
                    map.next_value::<Checked>()?;
                }
            }
        }
        Ok(changes
            .into_iter()
            .map(|(field, value)| EnvelopeChange {
                waba_id: waba_id.clone(),
                time: time.clone(),
                field,
                value,
            })
            .collect())
    }

    skip_other_shapes!(map);
}

/// An entry's `changes` array: `(field, value)` of each change that counts.
struct Changes;

type FieldAndValue<'de> = (Option<String>, &'de RawValue);

impl<'de> DeserializeSeed<'de> for Changes {
    type Value = Vec<FieldAndValue<'de>>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Changes {
    type Value = Vec<FieldAndValue<'de>>;

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

impl<'de> DeserializeSeed<'de> for Change {
    type Value = Option<FieldAndValue<'de>>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Change {
    type Value = Option<FieldAndValue<'de>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut field = None;
        let mut value: Option<&'de RawValue> = None;
        while let Some(key) = map.next_key_seed(KeySeed)? {
            match key.as_ref() {
                "field" => field = map.next_value_seed(FieldSeed::<String>::new())?.ok(),
                "value" => {
                    // A replaced duplicate is never read again: check it now.
                    if let Some(replaced) = value.replace(map.next_value()?) {
                        check_text(replaced.get())?;
                    }
                }
                _ => {
                    map.next_value::<Checked>()?;
                }
            }
        }
        match value {
            // Objects and arrays are read (and so checked) by the normalizer.
            Some(value) if matches!(value.get().as_bytes().first(), Some(b'{' | b'[')) => {
                Ok(Some((non_empty(field), value)))
            }
            Some(skipped) => {
                check_text(skipped.get())?;
                Ok(None)
            }
            None => Ok(None),
        }
    }

    skip_other_shapes!(map);
}
