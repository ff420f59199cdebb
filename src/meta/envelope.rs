//! The envelope of a webhook body, `{object, entry: [{id, time, changes: [{field, value}]}]}`,
//! and the one walk that reads it, whatever is done with the change values: the normalizer
//! reads them into its lists (see [`crate::meta::normalize`]), `raw` camelCases them (from the
//! body's text when first used, or from a parsed `Value`).
//!
//! The reference reads these outer levels as they are (no camelCase). Its rules:
//! * `entry` and `changes` count only when they are arrays, entries and changes only when they
//!   are objects, and a change only when its value is an object or an array;
//! * a change's `field` counts only when it is a non-empty string;
//! * a duplicate key's last value wins (as in `JSON.parse`): a repeated `entry`, `changes` or
//!   `value` replaces what its earlier occurrence added.

use std::fmt;

use compact_str::CompactString;
use serde::de::{Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use crate::json::camel::CamelSeed;
use crate::json::wire::{
    deserialize_text, key_enum, seed_by_visitor, skip_other_shapes, Checked, Field, FieldSeed,
    KnownKey,
};
use crate::timestamp::Timestamp;

/// What a walk of the envelope does with what it reads.
pub(crate) trait Changes {
    /// What is read of a change's value.
    type Value;
    /// How far the output has come: what a repeated key rolls back to.
    type Mark: Copy;

    /// The output's mark now.
    fn mark(&self) -> Self::Mark;

    /// Drops what was added since `mark`.
    fn roll_back(&mut self, mark: Self::Mark);

    /// Reads a change's value from `map` (its key was just read). `None` when the value does not
    /// count: it is not an object or an array.
    fn value<'de, A: MapAccess<'de>>(
        &mut self,
        map: &mut A,
    ) -> Result<Option<Self::Value>, A::Error>;

    /// A change that counts, read from `start` on: its field (when a non-empty string), and its
    /// value.
    fn change(&mut self, start: Self::Mark, field: Option<CompactString>, value: Self::Value);

    /// The body's `object`, when a string.
    fn object(&mut self, object: Option<CompactString>) {
        let _ = object;
    }

    /// The end of an entry whose changes were read from `start` on, with its `id` and `time`.
    fn entry(&mut self, start: Self::Mark, id: Option<CompactString>, time: Option<Timestamp>) {
        let _ = (start, id, time);
    }
}

/// Walks a body (any JSON value) into `out`.
pub(crate) fn walk<'de, C: Changes, D: Deserializer<'de>>(
    d: D,
    out: &mut C,
) -> Result<(), D::Error> {
    d.deserialize_any(Top(out))
}

/// The change values that `raw` files: those with a field, in document order, each with its
/// field as sent and camelCased once.
#[derive(Default)]
pub(crate) struct Filed(pub(crate) Vec<(String, Value)>);

impl Changes for Filed {
    type Value = Value;
    type Mark = usize;

    fn mark(&self) -> usize {
        self.0.len()
    }

    fn roll_back(&mut self, mark: usize) {
        self.0.truncate(mark);
    }

    fn value<'de, A: MapAccess<'de>>(&mut self, map: &mut A) -> Result<Option<Value>, A::Error> {
        let value: Value = map.next_value_seed(CamelSeed::new(std::marker::PhantomData, 1))?;
        Ok(Some(value).filter(|v| v.is_object() || v.is_array()))
    }

    fn change(&mut self, _: usize, field: Option<CompactString>, value: Value) {
        if let Some(field) = field {
            self.0.push((field.into(), value));
        }
    }
}

key_enum! {
    /// The keys of the body the walk reads.
    enum TopKey {
        Object = "object",
        Entry = "entry",
    }
}

key_enum! {
    /// The keys of an entry the walk reads.
    enum EntryKey {
        Id = "id",
        Time = "time",
        Changes = "changes",
    }
}

key_enum! {
    /// The keys of a change the walk reads.
    enum ChangeKey {
        Field = "field",
        Value = "value",
    }
}

seed_by_visitor!(
    [C: Changes] Each<'_, C>,
    [C: Changes] Entry<'_, C>,
    [C: Changes] Change<'_, C>,
);

/// The body: its `object`, and its `entry`.
struct Top<'o, C>(&'o mut C);

impl<'de, C: Changes> Visitor<'de> for Top<'_, C> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let start = self.0.mark();
        while let Some(key) = map.next_key_seed(TopKey::seed())? {
            match key {
                Some(TopKey::Object) => {
                    let object = map.next_value_seed(FieldSeed::<Object>::new())?.ok();
                    self.0.object(object.map(|Object(object)| object));
                }
                Some(TopKey::Entry) => {
                    self.0.roll_back(start);
                    map.next_value_seed(Each(&mut *self.0, Element::Entry))?;
                }
                None => {
                    map.next_value::<Checked>()?;
                }
            }
        }
        Ok(())
    }

    skip_other_shapes!(map);
}

/// The `entry` array, or an entry's `changes` array: each element read as an [`Entry`] or a
/// [`Change`]; any other shape is skipped.
struct Each<'o, C>(&'o mut C, Element);

/// What the elements of an [`Each`] are.
#[derive(Clone, Copy)]
enum Element {
    Entry,
    Change,
}

impl<'de, C: Changes> Visitor<'de> for Each<'_, C> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let Each(out, element) = self;
        loop {
            let read = match element {
                Element::Entry => seq.next_element_seed(Entry(&mut *out))?,
                Element::Change => seq.next_element_seed(Change(&mut *out))?,
            };
            if read.is_none() {
                return Ok(());
            }
        }
    }

    skip_other_shapes!(seq);
}

/// One entry: its `changes`, then its `id` and `time`.
struct Entry<'o, C>(&'o mut C);

impl<'de, C: Changes> Visitor<'de> for Entry<'_, C> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let start = self.0.mark();
        let mut id = None;
        let mut time = None;
        while let Some(key) = map.next_key_seed(EntryKey::seed())? {
            match key {
                Some(EntryKey::Id) => {
                    id = map.next_value_seed(FieldSeed::<CompactString>::new())?.ok();
                }
                Some(EntryKey::Time) => {
                    time = map.next_value_seed(FieldSeed::<Timestamp>::new())?.ok();
                }
                Some(EntryKey::Changes) => {
                    self.0.roll_back(start);
                    map.next_value_seed(Each(&mut *self.0, Element::Change))?;
                }
                None => {
                    map.next_value::<Checked>()?;
                }
            }
        }
        self.0.entry(start, id, time);
        Ok(())
    }

    skip_other_shapes!(map);
}

/// One change: its `field` and its `value`.
struct Change<'o, C>(&'o mut C);

impl<'de, C: Changes> Visitor<'de> for Change<'_, C> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let start = self.0.mark();
        let mut field = None;
        let mut value = None;
        while let Some(key) = map.next_key_seed(ChangeKey::seed())? {
            match key {
                Some(ChangeKey::Field) => {
                    field = map.next_value_seed(FieldSeed::<CompactString>::new())?.ok();
                }
                Some(ChangeKey::Value) => {
                    self.0.roll_back(start);
                    value = self.0.value(&mut map)?;
                }
                None => {
                    map.next_value::<Checked>()?;
                }
            }
        }
        if let Some(value) = value {
            self.0.change(start, field.filter(|f| !f.is_empty()), value);
        }
        Ok(())
    }

    skip_other_shapes!(map);
}

/// The body's `object`. Its usual value is one byte too long for a [`CompactString`] to hold
/// inline, so it is matched and kept as a static string instead of allocating.
struct Object(CompactString);

/// The `object` of WhatsApp Business Account webhooks.
const WHATSAPP_BUSINESS_ACCOUNT: &str = "whatsapp_business_account";

impl From<&str> for Object {
    fn from(object: &str) -> Self {
        Object(if object == WHATSAPP_BUSINESS_ACCOUNT {
            CompactString::const_new(WHATSAPP_BUSINESS_ACCOUNT)
        } else {
            CompactString::from(object)
        })
    }
}

impl From<String> for Object {
    fn from(object: String) -> Self {
        Object(CompactString::from(object))
    }
}

impl Field for Object {
    fn deserialize_field<'de, D: Deserializer<'de>>(d: D) -> Result<Result<Self, Value>, D::Error> {
        deserialize_text(d)
    }
}
