//! camelCasing of JSON keys, exactly as the reference does it.
//!
//! The reference's `toCamelCaseKey` removes each `_` or `-` that is immediately followed by an
//! ASCII letter or digit and uppercases that character; nothing else changes. [`camel_key`] is
//! that function. [`Camel`] applies it while deserializing: it wraps any [`Deserializer`] and
//! rewrites every object key at every depth, `passes` times over, so typed values are built
//! straight from the original JSON without an intermediate camelCased tree.

use std::borrow::Cow;
use std::fmt;

use serde::de::value::{BorrowedStrDeserializer, StringDeserializer};
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

use crate::wire::Checked;

/// camelCases one key the way the reference does (`wa_id` → `waId`, `a__b` → `a_B`).
///
/// Borrows when nothing changes, which is the common case.
///
/// ```
/// use kapso_webhooks::camel_key;
/// assert_eq!(camel_key("wa_id"), "waId");
/// assert_eq!(camel_key("a__b"), "a_B");
/// assert_eq!(camel_key("ABC_DEF"), "ABCDEF");
/// assert_eq!(camel_key("x-1"), "x1");
/// assert_eq!(camel_key("plain"), "plain");
/// ```
pub fn camel_key(key: &str) -> Cow<'_, str> {
    if !key.bytes().any(|b| b == b'_' || b == b'-') {
        return Cow::Borrowed(key);
    }
    let mut out = String::with_capacity(key.len());
    let mut chars = key.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '_' || c == '-' {
            if let Some(&next) = chars.peek() {
                if next.is_ascii_alphanumeric() {
                    out.push(next.to_ascii_uppercase());
                    chars.next();
                    continue;
                }
            }
        }
        out.push(c);
    }
    Cow::Owned(out)
}

/// Applies [`camel_key`] `passes` times.
pub(crate) fn camel_key_passes(key: &str, passes: u8) -> Cow<'_, str> {
    let mut key = Cow::Borrowed(key);
    for _ in 0..passes {
        if let Cow::Owned(changed) = camel_key(&key) {
            key = Cow::Owned(changed);
        }
    }
    key
}

/// The reference's `toCamelField`: only `_` followed by a lowercase ASCII letter changes
/// (`message_template_status_update` → `messageTemplateStatusUpdate`, `field_2x` stays).
pub(crate) fn camel_field(field: &str) -> String {
    let mut out = String::with_capacity(field.len());
    let mut chars = field.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '_' {
            if let Some(&next) = chars.peek() {
                if next.is_ascii_lowercase() {
                    out.push(next.to_ascii_uppercase());
                    chars.next();
                    continue;
                }
            }
        }
        out.push(c);
    }
    out
}

/// A [`Deserializer`] adapter that camelCases every object key, at every depth, `passes` times.
pub(crate) struct Camel<D> {
    inner: D,
    passes: u8,
}

impl<D> Camel<D> {
    pub(crate) fn new(inner: D, passes: u8) -> Self {
        Camel { inner, passes }
    }
}

macro_rules! forward_deserialize {
    ($($method:ident $(($($arg:ident: $ty:ty),*))?;)*) => {
        $(
            fn $method<V: Visitor<'de>>(self, $($($arg: $ty,)*)? visitor: V) -> Result<V::Value, D::Error> {
                self.inner.$method($($($arg,)*)? CamelVisitor { inner: visitor, passes: self.passes })
            }
        )*
    };
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for Camel<D> {
    type Error = D::Error;

    forward_deserialize! {
        deserialize_any; deserialize_bool; deserialize_i8; deserialize_i16; deserialize_i32;
        deserialize_i64; deserialize_i128; deserialize_u8; deserialize_u16; deserialize_u32;
        deserialize_u64; deserialize_u128; deserialize_f32; deserialize_f64; deserialize_char;
        deserialize_str; deserialize_string; deserialize_bytes; deserialize_byte_buf;
        deserialize_option; deserialize_unit; deserialize_seq; deserialize_map;
        deserialize_identifier; deserialize_ignored_any;
        deserialize_unit_struct(name: &'static str);
        deserialize_newtype_struct(name: &'static str);
        deserialize_tuple(len: usize);
        deserialize_tuple_struct(name: &'static str, len: usize);
        deserialize_struct(name: &'static str, fields: &'static [&'static str]);
        deserialize_enum(name: &'static str, variants: &'static [&'static str]);
    }

    fn is_human_readable(&self) -> bool {
        self.inner.is_human_readable()
    }
}

struct CamelVisitor<V> {
    inner: V,
    passes: u8,
}

macro_rules! forward_visit {
    ($($method:ident($ty:ty);)*) => {
        $(
            fn $method<E: de::Error>(self, v: $ty) -> Result<V::Value, E> {
                self.inner.$method(v)
            }
        )*
    };
}

impl<'de, V: Visitor<'de>> Visitor<'de> for CamelVisitor<V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.inner.expecting(f)
    }

    forward_visit! {
        visit_bool(bool); visit_i8(i8); visit_i16(i16); visit_i32(i32); visit_i64(i64);
        visit_i128(i128); visit_u8(u8); visit_u16(u16); visit_u32(u32); visit_u64(u64);
        visit_u128(u128); visit_f32(f32); visit_f64(f64); visit_char(char); visit_str(&str);
        visit_borrowed_str(&'de str); visit_string(String); visit_bytes(&[u8]);
        visit_borrowed_bytes(&'de [u8]); visit_byte_buf(Vec<u8>);
    }

    fn visit_none<E: de::Error>(self) -> Result<V::Value, E> {
        self.inner.visit_none()
    }

    fn visit_unit<E: de::Error>(self) -> Result<V::Value, E> {
        self.inner.visit_unit()
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<V::Value, D::Error> {
        self.inner.visit_some(Camel::new(d, self.passes))
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<V::Value, D::Error> {
        self.inner.visit_newtype_struct(Camel::new(d, self.passes))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<V::Value, A::Error> {
        self.inner.visit_seq(CamelSeq {
            inner: seq,
            passes: self.passes,
        })
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        self.inner.visit_map(CamelMap {
            inner: map,
            passes: self.passes,
            seen: SeenKeys::default(),
        })
    }

    fn visit_enum<A: de::EnumAccess<'de>>(self, data: A) -> Result<V::Value, A::Error> {
        // JSON has no enums of its own; serde_json only calls this from `deserialize_enum`,
        // which none of this crate's types use.
        self.inner.visit_enum(data)
    }
}

struct CamelSeq<A> {
    inner: A,
    passes: u8,
}

impl<'de, A: SeqAccess<'de>> SeqAccess<'de> for CamelSeq<A> {
    type Error = A::Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, A::Error> {
        self.inner.next_element_seed(CamelSeed {
            inner: seed,
            passes: self.passes,
        })
    }

    fn size_hint(&self) -> Option<usize> {
        self.inner.size_hint()
    }
}

/// An object whose keys are camelCased as they are read, with JavaScript's order of events:
/// `JSON.parse` first merges exact duplicate keys (the last value at the first key's place),
/// then camelCasing visits the keys in that order and a colliding key overwrites. So a pair is
/// passed on unless its key is a duplicate of an earlier key that has since been overtaken by
/// a *later* key with the same camelCased form; such a pair is read, checked and dropped.
struct CamelMap<'de, A> {
    inner: A,
    passes: u8,
    seen: SeenKeys<'de>,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for CamelMap<'de, A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        loop {
            let Some(key) = self.inner.next_key_seed(RawKey)? else {
                return Ok(None);
            };
            if self.seen.overtaken(&key, self.passes) {
                self.inner.next_value::<Checked>()?;
                continue;
            }
            let camel = camel_cow(key.clone(), self.passes);
            self.seen.push(key);
            return match camel {
                Cow::Borrowed(key) => seed.deserialize(BorrowedStrDeserializer::new(key)),
                Cow::Owned(key) => seed.deserialize(StringDeserializer::new(key)),
            }
            .map(Some);
        }
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, A::Error> {
        self.inner.next_value_seed(CamelSeed {
            inner: seed,
            passes: self.passes,
        })
    }

    fn size_hint(&self) -> Option<usize> {
        self.inner.size_hint()
    }
}

/// The distinct original keys of one object so far, in first-seen order. The first few live
/// inline: most objects never allocate.
#[derive(Default)]
struct SeenKeys<'de> {
    inline: [Option<Cow<'de, str>>; 8],
    spilled: Vec<Cow<'de, str>>,
}

impl<'de> SeenKeys<'de> {
    fn iter(&self) -> impl Iterator<Item = &Cow<'de, str>> {
        self.inline
            .iter()
            .map_while(Option::as_ref)
            .chain(&self.spilled)
    }

    /// Records `key` when it is new.
    fn push(&mut self, key: Cow<'de, str>) {
        if self.iter().any(|seen| *seen == key) {
            return;
        }
        match self.inline.iter_mut().find(|slot| slot.is_none()) {
            Some(slot) => *slot = Some(key),
            None => self.spilled.push(key),
        }
    }

    /// Whether `key` repeats an earlier key after which another key with the same camelCased
    /// form appeared (then that later key's value stands, and this one is dropped).
    fn overtaken(&self, key: &str, passes: u8) -> bool {
        let mut later = self.iter().skip_while(|seen| seen.as_ref() != key);
        if later.next().is_none() {
            return false;
        }
        let camel = camel_key_passes(key, passes);
        later.any(|seen| camel_key_passes(seen, passes) == camel)
    }
}

/// camelCases an owned-or-borrowed key, keeping it borrowed when nothing changes.
fn camel_cow(key: Cow<'_, str>, passes: u8) -> Cow<'_, str> {
    match key {
        Cow::Borrowed(key) => camel_key_passes(key, passes),
        Cow::Owned(key) => match camel_key_passes(&key, passes) {
            Cow::Borrowed(_) => Cow::Owned(key),
            Cow::Owned(changed) => Cow::Owned(changed),
        },
    }
}

/// Reads a key as it is, borrowing it from the input when possible.
struct RawKey;

impl<'de> DeserializeSeed<'de> for RawKey {
    type Value = Cow<'de, str>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for RawKey {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object key")
    }

    fn visit_borrowed_str<E: de::Error>(self, key: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(key))
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(key.to_owned()))
    }

    fn visit_string<E: de::Error>(self, key: String) -> Result<Self::Value, E> {
        Ok(Cow::Owned(key))
    }
}

/// A [`DeserializeSeed`] that camelCases the keys of what it reads, `passes` times.
pub(crate) struct CamelSeed<S> {
    inner: S,
    passes: u8,
}

impl<S> CamelSeed<S> {
    pub(crate) fn new(inner: S, passes: u8) -> Self {
        CamelSeed { inner, passes }
    }
}

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for CamelSeed<S> {
    type Value = S::Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<S::Value, D::Error> {
        self.inner.deserialize(Camel::new(d, self.passes))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;
    use serde_json::{json, Value};

    #[test]
    fn keys_follow_the_reference() {
        let cases = [
            ("wa_id", "waId"),
            ("a_1", "a1"),
            ("ABC_DEF", "ABCDEF"),
            ("a-b", "aB"),
            ("a__b", "a_B"),
            ("_x", "X"),
            ("x_", "x_"),
            ("a_-b", "a_B"),
            ("a_b_c", "aBC"),
            ("é_b", "éB"),
            ("a_é", "a_é"),
            ("", ""),
        ];
        for (key, want) in cases {
            assert_eq!(camel_key(key), want, "{key}");
        }
        assert_eq!(camel_key_passes("a__b", 2), "aB");
        assert_eq!(camel_key_passes("a___b", 2), "a_B");
    }

    #[test]
    fn fields_only_change_underscore_lowercase() {
        assert_eq!(
            camel_field("message_template_status_update"),
            "messageTemplateStatusUpdate"
        );
        assert_eq!(camel_field("field_2x"), "field_2x");
        assert_eq!(camel_field("a_B-c"), "a_B-c");
        assert_eq!(camel_field("a__b"), "a_B");
    }

    #[test]
    fn adapter_rewrites_every_depth() {
        let input = json!({"a_b": [{"c_d": {"e__f": 1}}], "g": "h_i"});
        let once = Value::deserialize(Camel::new(&input, 1)).unwrap();
        assert_eq!(once, json!({"aB": [{"cD": {"e_F": 1}}], "g": "h_i"}));
        let twice = Value::deserialize(Camel::new(&input, 2)).unwrap();
        assert_eq!(twice, json!({"aB": [{"cD": {"eF": 1}}], "g": "h_i"}));
    }

    #[test]
    fn duplicates_merge_before_collisions_as_in_javascript() {
        // JSON.parse: {messagingProduct: "x", messaging_product: "whatsapp"}; then camelCase.
        let text =
            r#"{"messagingProduct":5,"messaging_product":"whatsapp","messagingProduct":"x"}"#;
        let mut reader = serde_json::Deserializer::from_str(text);
        let out = Value::deserialize(Camel::new(&mut reader, 1)).unwrap();
        assert_eq!(out, json!({"messagingProduct": "whatsapp"}));
        // A duplicate not overtaken by a collision still replaces the value.
        let text = r#"{"wa_id":"1","x":0,"wa_id":"2"}"#;
        let mut reader = serde_json::Deserializer::from_str(text);
        let out = Value::deserialize(Camel::new(&mut reader, 1)).unwrap();
        assert_eq!(out, json!({"waId": "2", "x": 0}));
        // Two nested passes, as the reference's second pass: it sees the first pass's merged
        // object ({a_B: 3, aB: 2}), in which `aB` came later.
        let text = r#"{"a__b":1,"aB":2,"a__b":3}"#;
        let mut reader = serde_json::Deserializer::from_str(text);
        let out = Value::deserialize(Camel::new(Camel::new(&mut reader, 1), 1)).unwrap();
        assert_eq!(out, json!({"aB": 2}));
    }

    #[test]
    fn collisions_keep_the_later_value_at_the_first_position() {
        let input: Value = serde_json::from_str(r#"{"wa_id":"1","x":0,"waId":"2"}"#).unwrap();
        let out = Value::deserialize(Camel::new(&input, 1)).unwrap();
        assert_eq!(
            serde_json::to_string(&out).unwrap(),
            r#"{"waId":"2","x":0}"#
        );
    }
}
