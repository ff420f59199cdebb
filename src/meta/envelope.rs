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

use crate::json::wire::{
    deserialize_text, for_each_key, key_enum, seed_by_visitor, skip_other_shapes, Checked, Field,
    FieldSeed,
};
use crate::raw_json::RawJson;
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
    d.deserialize_any(Walk(out, Part::Body))
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

/// What a value met by the walk is to be.
#[derive(Clone, Copy)]
enum Part {
    /// The body: its `object`, and its `entry`.
    Body,
    /// The `entry` array.
    Entries,
    /// One entry: its `changes`, then its `id` and `time`.
    Entry,
    /// An entry's `changes` array.
    Changes,
    /// One change: its `field` and its `value`.
    Change,
}

/// The walk at one value: read when it has the shape its [`Part`] wants (objects for the body,
/// entries and changes, arrays for the lists), checked and skipped otherwise.
struct Walk<'o, C>(&'o mut C, Part);

seed_by_visitor!([C: Changes] Walk<'_, C>);

impl<'de, C: Changes> Visitor<'de> for Walk<'_, C> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let Walk(out, part) = self;
        match part {
            Part::Body => body(out, &mut map),
            Part::Entry => entry(out, &mut map),
            Part::Change => change(out, &mut map),
            Part::Entries | Part::Changes => {
                while map.next_entry::<Checked, Checked>()?.is_some() {}
                Ok(())
            }
        }
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let Walk(out, part) = self;
        let element = match part {
            Part::Entries => Part::Entry,
            Part::Changes => Part::Change,
            Part::Body | Part::Entry | Part::Change => {
                while seq.next_element::<Checked>()?.is_some() {}
                return Ok(());
            }
        };
        while seq.next_element_seed(Walk(&mut *out, element))?.is_some() {}
        Ok(())
    }

    skip_other_shapes!(map, seq);
}

/// The body: its `object`, and its `entry`.
fn body<'de, C: Changes, A: MapAccess<'de>>(out: &mut C, map: &mut A) -> Result<(), A::Error> {
    let start = out.mark();
    for_each_key(map, |key, map| match key {
        TopKey::Object => {
            let object = map.next_value_seed(FieldSeed::<Object>::new())?.ok();
            out.object(object.map(|Object(object)| object));
            Ok(())
        }
        TopKey::Entry => {
            out.roll_back(start);
            map.next_value_seed(Walk(&mut *out, Part::Entries))
        }
    })
}

/// One entry: its `changes`, then its `id` and `time` given to them.
fn entry<'de, C: Changes, A: MapAccess<'de>>(out: &mut C, map: &mut A) -> Result<(), A::Error> {
    let start = out.mark();
    let (mut id, mut time) = (None, None);
    for_each_key(map, |key, map| {
        match key {
            EntryKey::Id => id = map.next_value_seed(FieldSeed::<CompactString>::new())?.ok(),
            EntryKey::Time => time = map.next_value_seed(FieldSeed::<Timestamp>::new())?.ok(),
            EntryKey::Changes => {
                out.roll_back(start);
                map.next_value_seed(Walk(&mut *out, Part::Changes))?;
            }
        }
        Ok(())
    })?;
    out.entry(start, id, time);
    Ok(())
}

/// One change: its `field` and its `value`; it counts when its value does.
fn change<'de, C: Changes, A: MapAccess<'de>>(out: &mut C, map: &mut A) -> Result<(), A::Error> {
    let start = out.mark();
    let (mut field, mut value) = (None, None);
    for_each_key(map, |key, map| {
        match key {
            ChangeKey::Field => {
                field = map.next_value_seed(FieldSeed::<CompactString>::new())?.ok()
            }
            ChangeKey::Value => {
                out.roll_back(start);
                value = out.value(map)?;
            }
        }
        Ok(())
    })?;
    if let Some(value) = value {
        out.change(start, field.filter(|f| !f.is_empty()), value);
    }
    Ok(())
}

/// The body's `object`. Its usual value is one byte too long for a [`CompactString`] to hold
/// inline, so it is matched and kept as a static string instead of allocating.
pub(crate) struct Object(pub(crate) CompactString);

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
    fn deserialize_field<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Result<Self, RawJson>, D::Error> {
        deserialize_text(d)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde_json::Value;

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

        fn value<'de, A: MapAccess<'de>>(
            &mut self,
            map: &mut A,
        ) -> Result<Option<Value>, A::Error> {
            let value: Value = map.next_value_seed(crate::json::camel::CamelSeed::new(
                std::marker::PhantomData,
                1,
            ))?;
            Ok(Some(value).filter(|v| v.is_object() || v.is_array()))
        }

        fn change(&mut self, _: usize, field: Option<CompactString>, value: Value) {
            if let Some(field) = field {
                self.0.push((field.into(), value));
            }
        }
    }
    use serde_json::json;

    /// The filed changes of `text`, read from the text and from its parsed `Value`.
    fn filed_both_ways(text: &str) -> (Filed, Filed) {
        let mut from_text = Filed::default();
        walk(
            &mut serde_json::Deserializer::from_str(text),
            &mut from_text,
        )
        .unwrap();
        let parsed: Value = serde_json::from_str(text).unwrap();
        let mut from_value = Filed::default();
        walk(&parsed, &mut from_value).unwrap();
        (from_text, from_value)
    }

    #[test]
    fn the_envelope_rules() {
        // A repeated `entry` or `changes` replaces the earlier one; a change counts with a
        // non-empty string field and an object or array value; other shapes are skipped.
        let text = r#"{"entry":[{"changes":[{"field":"a","value":{"x_y":1}}]}],
            "entry":[{"changes":[{"field":"b","value":[1]}],
                      "changes":[{"field":"d","value":{"k_k":{"m_n":2}}},{"value":{}},
                                 {"field":"","value":{}},{"field":"e","value":"s"},
                                 {"field":7,"value":[]},[{"field":"f","value":{}}],
                                 {"field":"g","value":{"a_b":1},"value":[{"c_d":2}]}]},
                     {"changes":{"field":"h","value":{}}}, "i"]}"#;
        let (from_text, from_value) = filed_both_ways(text);
        let expected = vec![
            ("d".to_owned(), json!({"kK": {"mN": 2}})),
            ("g".to_owned(), json!([{"cD": 2}])),
        ];
        assert_eq!(from_text.0, expected);
        assert_eq!(from_value.0, expected);
    }

    #[test]
    fn bodies_of_other_shapes_file_nothing() {
        for text in [
            "null",
            "[]",
            "\"entry\"",
            r#"{"entry":{"changes":[]}}"#,
            r#"{"entry":[]}"#,
        ] {
            let (from_text, from_value) = filed_both_ways(text);
            assert!(from_text.0.is_empty() && from_value.0.is_empty(), "{text}");
        }
    }
}
