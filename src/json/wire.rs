//! The one mechanism behind every typed struct: *take known keys, keep the rest*.
//!
//! Each typed field is an `Option<T>` where `T:` [`Field`]. While an object is read, a known key
//! whose value has the expected shape fills its field; any other value (null, a different JSON
//! type, an unknown key) lands in the struct's `extra` ([`Extra`]) as its JavaScript text, and
//! `extra` records the order all the keys came in. Serializing the struct therefore reproduces
//! the object exactly, in its order; a bad field never fails its item, and deserializing our
//! own output gives the same value back.
//!
//! A struct is read either through serde ([`FromObject::take_entry`], from any deserializer,
//! with the camelCase adapter of [`crate::json::camel`] applying `JSON.parse`'s rules to its
//! keys), or straight from the crate's [`Reader`] ([`read_object_direct`]: the keys matched
//! as they are read, without serde's layers), which is how [`crate::normalize_webhook`] reads
//! its items; an object whose keys need those rules is read through serde from its start
//! again, so both read the same.
//!
//! [`wire_struct!`] declares such structs and [`open_enum!`] declares string enums with an
//! `Other(UnknownValue)` case (only their parsers build an `UnknownValue`).

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use compact_str::CompactString;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Serialize;
use serde_json::Number;

use crate::extra::Extra;
use crate::json::camel::{final_key, Camel, KeyBuffer};
use crate::json::reader::{GaveUp, NextKey, Reader};
use crate::json::stringify::{to_js_string, JsText};
use crate::raw_json::RawJson;

/// A value that can be taken from JSON when the JSON has the expected shape.
///
/// `Ok(Ok(value))`: taken. `Ok(Err(json))`: the JSON did not fit and is handed back whole, as
/// text, to be kept in an [`Extra`]. `Err`: the underlying deserializer failed (invalid JSON).
pub(crate) trait Field: Sized {
    fn deserialize_field<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Result<Self, RawJson>, D::Error>;

    /// Takes a value out of kept text, handing it back when it does not fit.
    fn from_raw(raw: RawJson) -> Result<Self, RawJson> {
        match Self::deserialize_field(&mut Reader::new(raw.as_str())) {
            Ok(Ok(taken)) => Ok(taken),
            Ok(Err(_)) | Err(_) => Err(raw),
        }
    }

    /// Reads the value that is next straight from `reader`, keys camelCased `levels` times:
    /// what [`Field::deserialize_field`] reads through [`Camel`] (which is what this default
    /// does), without serde's layers where a type reads itself (text, objects, arrays).
    fn read_direct(reader: &mut Reader<'_>, levels: u8) -> Result<Result<Self, RawJson>, GaveUp> {
        through_camel(reader, levels, |d| Self::deserialize_field(d))
    }
}

/// Reads the value that is next through serde and [`Camel`] (keys camelCased `levels` times),
/// with `read`: the way a value read directly falls back to, noted as one value for the
/// reader's edits ([`Reader::note_value`]).
pub(crate) fn through_camel<'de, T>(
    reader: &mut Reader<'de>,
    levels: u8,
    read: impl for<'r> FnOnce(Camel<&'r mut Reader<'de>>) -> Result<T, GaveUp>,
) -> Result<T, GaveUp> {
    // The value starts past any whitespace.
    reader.next_byte();
    let from = reader.position();
    let value = read(Camel::new(&mut *reader, levels))?;
    reader.note_value(from);
    Ok(value)
}

/// [`Field::read_direct`] for a type built from a string: the string read as it is, any other
/// shape through [`Camel`].
#[inline]
pub(crate) fn read_text_direct<T: Field + for<'a> From<&'a str>>(
    reader: &mut Reader<'_>,
    levels: u8,
) -> Result<Result<T, RawJson>, GaveUp> {
    if reader.next_byte() == Some(b'"') {
        reader.text().map(Ok)
    } else {
        through_camel(reader, levels, |d| T::deserialize_field(d))
    }
}

/// [`Field::read_direct`] for a [`wire_struct!`]: an object read by [`read_object_direct`], any
/// other shape through [`Camel`].
pub(crate) fn read_struct_direct<T: FromObject + Field>(
    reader: &mut Reader<'_>,
    levels: u8,
) -> Result<Result<T, RawJson>, GaveUp> {
    if reader.next_byte() != Some(b'{') {
        return through_camel(reader, levels, |d| T::deserialize_field(d));
    }
    let mut out = T::default();
    read_object_direct(&mut out, reader, levels)?;
    Ok(Ok(out))
}

/// How many keys an object read directly may have; a bigger one is read through [`Camel`],
/// whose duplicate tracking stays linear.
const DIRECT_KEYS: usize = 16;

/// The keys of an object read straight from a [`Reader`], each camelCased `levels` times
/// ([`final_key`]), as long as none needs JavaScript's merging rules: an escaped key, a final
/// form seen before in the object (by its hash: a collision only costs the rules), or more
/// than [`DIRECT_KEYS`] keys. The one mechanism of every object read directly, through
/// [`each_direct_key`]: typed structs ([`read_object_direct`]), and the normalizer's change
/// values and `metadata`.
struct DirectKeys {
    levels: u8,
    first: bool,
    /// The final forms' hashes so far.
    seen: [u64; DIRECT_KEYS],
    /// The top six bits of each of them, as a set.
    bits: u64,
    len: usize,
    /// The last final form, when camelCasing wrote it.
    buffer: KeyBuffer,
}

/// What [`DirectKeys::next`] found.
enum DirectKey<'k> {
    /// The next key's final form; its colon was read.
    Key(&'k str),
    /// The object ended (not stepped out of).
    End,
    /// A key that needs the merging rules: the object is to be read through [`Camel`].
    Rules,
}

impl DirectKeys {
    /// Steps into the object whose `{` is next.
    fn open(reader: &mut Reader<'_>, levels: u8) -> Result<DirectKeys, GaveUp> {
        reader.open()?;
        Ok(DirectKeys {
            levels,
            first: true,
            seen: [0; DIRECT_KEYS],
            bits: 0,
            len: 0,
            buffer: KeyBuffer::default(),
        })
    }

    /// The next key (see [`DirectKey`]).
    fn next<'k, 'de: 'k>(&'k mut self, reader: &mut Reader<'de>) -> Result<DirectKey<'k>, GaveUp> {
        let key = match reader.next_key(&mut self.first)? {
            NextKey::Plain(key) => key,
            NextKey::End => return Ok(DirectKey::End),
            NextKey::Escaped => return Ok(DirectKey::Rules),
        };
        let (camel, hash) = final_key(key, self.levels, &mut self.buffer);
        reader.note_key(key, camel);
        let key = camel;
        // The earlier hashes are compared only when one of them shares the top six bits.
        let bit = 1 << (hash >> 58);
        if self.bits & bit != 0
            && self
                .seen
                .get(..self.len)
                .unwrap_or_default()
                .contains(&hash)
        {
            return Ok(DirectKey::Rules);
        }
        self.bits |= bit;
        let Some(slot) = self.seen.get_mut(self.len) else {
            return Ok(DirectKey::Rules);
        };
        *slot = hash;
        self.len += 1;
        Ok(DirectKey::Key(key))
    }
}

/// Reads the object whose `{` is next into `out` (empty), straight from `reader`: each key
/// camelCased `levels` times ([`final_key`]) and its value read by
/// [`FromObject::take`]. An object whose keys need JavaScript's merging rules (an escaped
/// key, a final form that repeats, even by a hash collision) or that has many keys is read again
/// from its start through [`Camel`], which applies them: what this reads is what that reads.
pub(crate) fn read_object_direct<T: FromObject + Field>(
    out: &mut T,
    reader: &mut Reader<'_>,
    levels: u8,
) -> Result<(), GaveUp> {
    let start = reader.position();
    let read = each_direct_key(reader, levels, |key, reader| {
        out.take(key, DirectValues { reader, levels })
            .map(|()| true)
    })?;
    if read {
        return Ok(());
    }
    reader.rewind(start);
    match through_camel(reader, levels, |d| T::deserialize_field(d))? {
        Ok(read) => *out = read,
        // An object: never handed back.
        Err(_) => return Err(GaveUp),
    }
    Ok(())
}

/// Reads the object whose `{` is next with [`DirectKeys`], giving each key's final form to
/// `read` (which reads its value); `false`, the object left unfinished, as soon as a key needs
/// the merging rules or `read` returns `false`.
pub(crate) fn each_direct_key<'de>(
    reader: &mut Reader<'de>,
    levels: u8,
    mut read: impl FnMut(&str, &mut Reader<'de>) -> Result<bool, GaveUp>,
) -> Result<bool, GaveUp> {
    let mut keys = DirectKeys::open(reader, levels)?;
    loop {
        match keys.next(reader)? {
            DirectKey::Key(key) => {
                if !read(key, reader)? {
                    return Ok(false);
                }
            }
            DirectKey::End => break,
            DirectKey::Rules => return Ok(false),
        }
    }
    reader.close(b'}')?;
    Ok(true)
}

/// Kept text, for a value that did not fit.
fn kept<T>(text: String) -> Result<T, RawJson> {
    Err(RawJson::from_js_text(text))
}

/// What a typed value did not understand: the paths of the keys left in `extra` maps.
///
/// Implemented by every [`wire_struct!`] (which also gets a public `unknown_keys()`), every
/// [`open_enum!`] and the scalar field types. A known key sent as `null` counts as absent and
/// is not listed.
pub(crate) trait UnknownKeys {
    /// Appends the paths (such as `alertInfo.newKey` or `history[0].threads[1].x`) under `path`.
    fn unknown_keys_into(&self, path: &str, out: &mut Vec<String>);
}

/// `prefix.key`, or `key` at the top.
pub(crate) fn join_path(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        key.to_owned()
    } else {
        format!("{prefix}.{key}")
    }
}

/// Types without keys of their own.
macro_rules! no_unknown_keys {
    ($($ty:ty),* $(,)?) => {
        $(
            impl $crate::json::wire::UnknownKeys for $ty {
                fn unknown_keys_into(&self, _: &str, _: &mut Vec<String>) {}
            }
        )*
    };
}

no_unknown_keys!(
    CompactString,
    bool,
    u64,
    i64,
    Number,
    RawJson,
    crate::timestamp::Timestamp
);

impl<T: UnknownKeys> UnknownKeys for Vec<T> {
    fn unknown_keys_into(&self, path: &str, out: &mut Vec<String>) {
        for (index, item) in self.iter().enumerate() {
            item.unknown_keys_into(&format!("{path}[{index}]"), out);
        }
    }
}

impl<T: UnknownKeys> UnknownKeys for Box<T> {
    fn unknown_keys_into(&self, path: &str, out: &mut Vec<String>) {
        (**self).unknown_keys_into(path, out);
    }
}

/// Stores the outcome of reading `key` (the key of the typed field with index `field`): into
/// the typed slot, or into `extra`.
///
/// Exactly one of the two holds the key afterwards, so a later duplicate (or a camelCase
/// collision such as `wa_id` then `waId`) replaces an earlier one, in its place, as in
/// JavaScript.
#[inline(always)]
pub(crate) fn place<T>(
    slot: &mut Option<T>,
    extra: &mut Extra,
    field: u8,
    key: &str,
    value: Result<T, RawJson>,
) {
    match value {
        Ok(taken) => {
            extra.record_typed(field, key);
            *slot = Some(taken);
        }
        Err(json) => {
            *slot = None;
            extra.record_kept(Some(field), key, json);
        }
    }
}

/// `Deserialize` for a [`Field`]: a value of another shape is an error, worded `expected`.
pub(crate) fn deserialize_strict<'de, T: Field, D: Deserializer<'de>>(
    d: D,
    expected: &'static str,
) -> Result<T, D::Error> {
    T::deserialize_field(d)?.map_err(|_| de::Error::custom(expected))
}

/// A [`DeserializeSeed`] for [`Field::deserialize_field`].
pub(crate) struct FieldSeed<T>(PhantomData<T>);

impl<T> FieldSeed<T> {
    pub(crate) fn new() -> Self {
        FieldSeed(PhantomData)
    }
}

impl<'de, T: Field> DeserializeSeed<'de> for FieldSeed<T> {
    type Value = Result<T, RawJson>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        T::deserialize_field(d)
    }
}

/// Reads an object key, borrowing it from the input when possible.
pub(crate) struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Cow<'de, str>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object key")
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v))
    }
}

/// An enum of the object keys a visitor reads (declared with [`key_enum!`]), matched by name.
pub(crate) trait KnownKey: Sized {
    /// The key named `key`, if it is one of them.
    fn of(key: &str) -> Option<Self>;

    /// A seed that reads a key as one of them (`None` for any other), without allocating.
    fn seed() -> KnownKeySeed<Self> {
        KnownKeySeed(PhantomData)
    }
}

/// Reads an object key as a [`KnownKey`] (see [`KnownKey::seed`]).
pub(crate) struct KnownKeySeed<K>(PhantomData<K>);

impl<'de, K: KnownKey> DeserializeSeed<'de> for KnownKeySeed<K> {
    type Value = Option<K>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<K>, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de, K: KnownKey> Visitor<'de> for KnownKeySeed<K> {
    type Value = Option<K>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object key")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<Option<K>, E> {
        Ok(K::of(key))
    }
}

/// Reads every pair of `map`: the value of each key of `K` with `read`, any other value checked
/// and skipped.
#[inline(always)]
pub(crate) fn for_each_key<'de, K: KnownKey, A: MapAccess<'de>>(
    map: &mut A,
    mut read: impl FnMut(K, &mut A) -> Result<(), A::Error>,
) -> Result<(), A::Error> {
    while let Some(key) = map.next_key_seed(K::seed())? {
        match key {
            Some(key) => read(key, map)?,
            None => {
                map.next_value::<Checked>()?;
            }
        }
    }
    Ok(())
}

/// Declares an enum of the object keys a visitor reads, each with its name: a [`KnownKey`].
///
/// ```ignore
/// key_enum! {
///     /// The keys of a change.
///     enum ChangeKey {
///         Field = "field",
///         Value = "value",
///     }
/// }
/// ```
macro_rules! key_enum {
    (
        $(#[$meta:meta])*
        enum $name:ident { $($variant:ident = $json:literal),* $(,)? }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy)]
        enum $name {
            $($variant,)*
        }

        impl $crate::json::wire::KnownKey for $name {
            fn of(key: &str) -> Option<Self> {
                match key {
                    $($json => Some($name::$variant),)*
                    _ => None,
                }
            }
        }
    };
}

/// Makes visitors [`DeserializeSeed`]s that visit whatever comes with `deserialize_any`; each
/// type comes with its generic parameters in brackets (`[T: Bound] Name<'_, T>`).
macro_rules! seed_by_visitor {
    ($([$($generics:tt)*] $ty:ty),* $(,)?) => {
        $(
            impl<'de, $($generics)*> serde::de::DeserializeSeed<'de> for $ty {
                type Value = <Self as serde::de::Visitor<'de>>::Value;

                fn deserialize<D: serde::Deserializer<'de>>(
                    self,
                    d: D,
                ) -> Result<Self::Value, D::Error> {
                    d.deserialize_any(self)
                }
            }
        )*
    };
}

/// Any JSON value, read through and checked like `serde_json::Value` would check it (numbers in
/// range, string escapes valid) but not kept. Used for the parts of a body the normalizer skips:
/// `IgnoredAny` skips without checking, and invalid JSON must still be an error.
pub(crate) struct Checked;

impl<'de> serde::Deserialize<'de> for Checked {
    /// The crate's reader skips the value with the same checks, without visiting it.
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_newtype_struct(crate::json::reader::CHECK, Checked)
    }
}

impl<'de> Visitor<'de> for Checked {
    type Value = Checked;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Checked, D::Error> {
        d.deserialize_any(Checked)
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Checked, E> {
        Ok(Checked)
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Checked, E> {
        Ok(Checked)
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Checked, E> {
        Ok(Checked)
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Checked, E> {
        Ok(Checked)
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<Checked, E> {
        Ok(Checked)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Checked, E> {
        Ok(Checked)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Checked, A::Error> {
        while seq.next_element::<Checked>()?.is_some() {}
        Ok(Checked)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Checked, A::Error> {
        while map.next_entry::<Checked, Checked>()?.is_some() {}
        Ok(Checked)
    }
}

/// The visit methods shared by every shape-checking visitor: whatever is not the expected shape
/// is written as text (by [`JsText`]) and handed back.
macro_rules! hand_back_other_shapes {
    // Everything but strings, for a visitor that takes strings itself.
    (text) => {
        hand_back_other_shapes!(@scalars);
        hand_back_other_shapes!(@seq);
        hand_back_other_shapes!(@map);
    };
    ($($skip:ident),*) => {
        hand_back_other_shapes!(@scalars);
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            JsText.visit_str(v).map(kept)
        }
        hand_back_other_shapes!(@seq $($skip),*);
        hand_back_other_shapes!(@map $($skip),*);
    };
    (@scalars) => {
        hand_back_other_shapes!(@literals);
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
            JsText.visit_i64(v).map(kept)
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
            JsText.visit_u64(v).map(kept)
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
            JsText.visit_f64(v).map(kept)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            JsText.visit_some(d).map(kept)
        }
    };
    // `true`, `false` and `null`.
    (@literals) => {
        fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
            JsText.visit_bool(v).map(kept)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            JsText.visit_unit().map(kept)
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            JsText.visit_none().map(kept)
        }
    };
    (@seq seq $(, $rest:ident)*) => {};
    (@seq $($rest:ident),*) => {
        fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
            JsText.visit_seq(seq).map(kept)
        }
    };
    (@map map $(, $rest:ident)*) => {};
    (@map $first:ident, map) => {};
    (@map $($rest:ident),*) => {
        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
            JsText.visit_map(map).map(kept)
        }
    };
}

/// Reads a type built from text (a [`CompactString`], an [`open_enum!`], a timestamp) from a string,
/// handing back any other shape. The text is borrowed from the input when it can be, so a known
/// enum value does not allocate.
///
/// Every such type reads through the one [`TextVisitor`]: one copy of the deserializer's code
/// for all of them.
pub(crate) fn deserialize_text<'de, D, T>(d: D) -> Result<Result<T, RawJson>, D::Error>
where
    D: Deserializer<'de>,
    T: From<String> + for<'a> From<&'a str>,
{
    Ok(match d.deserialize_any(TextVisitor)? {
        Ok(TextOrNumber::Text(Cow::Borrowed(text))) => Ok(T::from(text)),
        Ok(TextOrNumber::Text(Cow::Owned(text))) => Ok(T::from(text)),
        Ok(TextOrNumber::Number(number)) => Err(RawJson::from_js_text(to_js_string(&number))),
        Err(other) => Err(other),
    })
}

/// A string, or a number: what [`deserialize_text_or_number`] takes.
pub(crate) enum TextOrNumber<'de> {
    /// A string, borrowed from the input when it can be.
    Text(Cow<'de, str>),
    /// A number (an integral float in the exact range as an integer, as JavaScript writes it).
    Number(Number),
}

/// Reads a string or a number (timestamps, numeric strings, limits), handing back any other
/// shape, through the same [`TextVisitor`] as [`deserialize_text`].
pub(crate) fn deserialize_text_or_number<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Result<TextOrNumber<'de>, RawJson>, D::Error> {
    d.deserialize_any(TextVisitor)
}

/// Visits a string or a number, handing back any other shape (see [`deserialize_text`]).
struct TextVisitor;

impl<'de> Visitor<'de> for TextVisitor {
    type Value = Result<TextOrNumber<'de>, RawJson>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Ok(TextOrNumber::Text(Cow::Borrowed(v))))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Ok(TextOrNumber::Text(Cow::Owned(v.to_owned()))))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Ok(TextOrNumber::Text(Cow::Owned(v))))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Ok(TextOrNumber::Number(v.into())))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Ok(TextOrNumber::Number(v.into())))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        match <Number as Scalar>::from_f64(v) {
            Some(number) => Ok(Ok(TextOrNumber::Number(number))),
            None => JsText.visit_f64(v).map(kept),
        }
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }

    hand_back_other_shapes!(@literals);
    hand_back_other_shapes!(@seq);
    hand_back_other_shapes!(@map);
}

impl Field for String {
    fn deserialize_field<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Result<Self, RawJson>, D::Error> {
        deserialize_text(d)
    }

    fn read_direct(reader: &mut Reader<'_>, levels: u8) -> Result<Result<Self, RawJson>, GaveUp> {
        read_text_direct(reader, levels)
    }
}

impl Field for CompactString {
    fn deserialize_field<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Result<Self, RawJson>, D::Error> {
        deserialize_text(d)
    }

    fn read_direct(reader: &mut Reader<'_>, levels: u8) -> Result<Result<Self, RawJson>, GaveUp> {
        read_text_direct(reader, levels)
    }
}

/// Types built from a JSON object, key by key (implemented by [`wire_struct!`]).
pub(crate) trait FromObject: Default {
    /// Reads the value of `key` (its final form) from `values` into the right slot: its typed
    /// field, or `extra`.
    fn take<V: Values>(&mut self, key: &str, values: V) -> Result<(), V::Error>;

    /// Reads the next key and its value from `map` into the right slot; `false` at the end.
    fn take_entry<'de, A: MapAccess<'de>>(&mut self, map: &mut A) -> Result<bool, A::Error> {
        let Some(key) = map.next_key_seed(KeyText)? else {
            return Ok(false);
        };
        self.take(&key, MapValues(map, PhantomData))?;
        Ok(true)
    }
}

/// Where [`FromObject::take`] reads a key's value from: a serde map ([`MapValues`]) or the
/// crate's reader ([`DirectValues`]).
pub(crate) trait Values {
    type Error;

    /// The value, as a typed field's (see [`Field`]).
    fn field<T: Field>(self) -> Result<Result<T, RawJson>, Self::Error>;

    /// The value, as its JavaScript text (for `extra`).
    fn text(self) -> Result<String, Self::Error>;
}

/// The next value of a serde map.
pub(crate) struct MapValues<'m, 'de, A>(&'m mut A, PhantomData<&'de ()>);

impl<'de, A: MapAccess<'de>> Values for MapValues<'_, 'de, A> {
    type Error = A::Error;

    fn field<T: Field>(self) -> Result<Result<T, RawJson>, A::Error> {
        self.0.next_value_seed(FieldSeed::<T>::new())
    }

    fn text(self) -> Result<String, A::Error> {
        self.0.next_value_seed(JsText)
    }
}

/// The value that is next in the crate's reader, keys camelCased `levels` times.
pub(crate) struct DirectValues<'r, 'de> {
    reader: &'r mut Reader<'de>,
    levels: u8,
}

impl Values for DirectValues<'_, '_> {
    type Error = GaveUp;

    fn field<T: Field>(self) -> Result<Result<T, RawJson>, GaveUp> {
        T::read_direct(self.reader, self.levels)
    }

    fn text(self) -> Result<String, GaveUp> {
        match self.reader.plain_string_text() {
            Some(text) => Ok(text.to_owned()),
            None => through_camel(self.reader, self.levels, |d| JsText.deserialize(d)),
        }
    }
}

/// Reads an object key as a [`CompactString`]: inline, without allocating, for the usual
/// short keys.
struct KeyText;

impl<'de> DeserializeSeed<'de> for KeyText {
    type Value = CompactString;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<CompactString, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeyText {
    type Value = CompactString;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object key")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<CompactString, E> {
        Ok(CompactString::from(key))
    }
}

/// Visits an object into `T`, handing back any other shape.
pub(crate) struct ObjectVisitor<T>(pub(crate) PhantomData<T>);

impl<'de, T: FromObject> Visitor<'de> for ObjectVisitor<T> {
    type Value = Result<T, RawJson>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = T::default();
        while out.take_entry(&mut map)? {}
        Ok(Ok(out))
    }

    hand_back_other_shapes!(map);
}

/// Visits an array into `Vec<T>`; when any item does not fit, the whole array is handed back.
struct ArrayVisitor<T>(PhantomData<T>);

impl<'de, T: Field + Serialize> Visitor<'de> for ArrayVisitor<T> {
    type Value = Result<Vec<T>, RawJson>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(FieldSeed::<T>::new())? {
            match item {
                Ok(taken) => items.push(taken),
                Err(odd) => {
                    // Rare: give the array back as text. Typed items write exactly as read.
                    let mut text = String::from("[");
                    for item in &items {
                        text.push_str(&to_js_string(item));
                        text.push(',');
                    }
                    text.push_str(odd.as_str());
                    while let Some(rest) = seq.next_element_seed(JsText)? {
                        text.push(',');
                        text.push_str(&rest);
                    }
                    text.push(']');
                    return Ok(Err(RawJson::from_js_text(text)));
                }
            }
        }
        Ok(Ok(items))
    }

    hand_back_other_shapes!(seq);
}

impl<T: Field + Serialize> Field for Vec<T> {
    fn deserialize_field<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Result<Self, RawJson>, D::Error> {
        d.deserialize_any(ArrayVisitor(PhantomData))
    }

    /// An array of items that all fit is read item by item; one that does not is read again
    /// from its start through [`Camel`], which hands it back whole.
    fn read_direct(reader: &mut Reader<'_>, levels: u8) -> Result<Result<Self, RawJson>, GaveUp> {
        if reader.next_byte() != Some(b'[') {
            return through_camel(reader, levels, |d| Self::deserialize_field(d));
        }
        let start = reader.position();
        reader.open()?;
        let mut first = true;
        let mut items = Vec::new();
        while reader.next_element(&mut first)? {
            match T::read_direct(reader, levels)? {
                Ok(item) => items.push(item),
                Err(_) => {
                    reader.rewind(start);
                    return through_camel(reader, levels, |d| Self::deserialize_field(d));
                }
            }
        }
        reader.close(b']')?;
        Ok(Ok(items))
    }
}

impl<T: Field> Field for Box<T> {
    fn deserialize_field<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Result<Self, RawJson>, D::Error> {
        Ok(T::deserialize_field(d)?.map(Box::new))
    }

    fn read_direct(reader: &mut Reader<'_>, levels: u8) -> Result<Result<Self, RawJson>, GaveUp> {
        Ok(T::read_direct(reader, levels)?.map(Box::new))
    }
}

/// A scalar type taken from the JSON values that fit it (`None`: it does not fit).
pub(crate) trait Scalar: Sized {
    fn from_bool(_: bool) -> Option<Self> {
        None
    }
    fn from_u64(_: u64) -> Option<Self> {
        None
    }
    fn from_i64(_: i64) -> Option<Self> {
        None
    }
    fn from_f64(_: f64) -> Option<Self> {
        None
    }
}

impl Scalar for bool {
    fn from_bool(v: bool) -> Option<Self> {
        Some(v)
    }
}

/// The integer JavaScript writes for `v`, when it writes one (`1.0` and `1e2` are `1` and `100`,
/// `-0.0` is `0`; `1e21` is `1e+21`, not an integer): a number is typed by its value, as
/// `JSON.parse` sees it, not by its spelling. So the text a value is written as reads back into
/// the same typed field (`13100` and `1310E1` alike), even past 2^53, where JavaScript writes
/// its shortest digits padded with zeros.
fn javascript_integer<T: std::str::FromStr>(v: f64) -> Option<T> {
    if v.fract() != 0.0 {
        return None;
    }
    let mut text = String::new();
    crate::json::stringify::write_f64(&mut text, v);
    text.parse().ok()
}

impl Scalar for u64 {
    fn from_u64(v: u64) -> Option<Self> {
        Some(v)
    }
    fn from_i64(v: i64) -> Option<Self> {
        u64::try_from(v).ok()
    }
    fn from_f64(v: f64) -> Option<Self> {
        javascript_integer(v)
    }
}

impl Scalar for i64 {
    fn from_u64(v: u64) -> Option<Self> {
        i64::try_from(v).ok()
    }
    fn from_i64(v: i64) -> Option<Self> {
        Some(v)
    }
    fn from_f64(v: f64) -> Option<Self> {
        javascript_integer(v)
    }
}

impl Scalar for Number {
    fn from_u64(v: u64) -> Option<Self> {
        Some(v.into())
    }
    fn from_i64(v: i64) -> Option<Self> {
        Some(v.into())
    }
    /// An integral value is kept as the integer JavaScript writes (`1.0` is `1`, `-0.0` is `0`),
    /// as reading that text back would keep it.
    fn from_f64(v: f64) -> Option<Self> {
        javascript_integer::<u64>(v)
            .map(Number::from)
            .or_else(|| javascript_integer::<i64>(v).map(Number::from))
            .or_else(|| Number::from_f64(v))
    }
}

/// Visits a [`Scalar`], handing back any other shape.
struct ScalarVisitor<T>(PhantomData<T>);

impl<'de, T: Scalar> Visitor<'de> for ScalarVisitor<T> {
    type Value = Result<T, RawJson>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        T::from_bool(v).map_or_else(|| JsText.visit_bool(v).map(kept), |t| Ok(Ok(t)))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        T::from_i64(v).map_or_else(|| JsText.visit_i64(v).map(kept), |t| Ok(Ok(t)))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        T::from_u64(v).map_or_else(|| JsText.visit_u64(v).map(kept), |t| Ok(Ok(t)))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        T::from_f64(v).map_or_else(|| JsText.visit_f64(v).map(kept), |t| Ok(Ok(t)))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        JsText.visit_unit().map(kept)
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        JsText.visit_none().map(kept)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        JsText.visit_str(v).map(kept)
    }

    hand_back_other_shapes!(@seq);
    hand_back_other_shapes!(@map);
}

macro_rules! scalar_field {
    ($($ty:ty),*) => {
        $(
            impl Field for $ty {
                fn deserialize_field<'de, D: Deserializer<'de>>(
                    d: D,
                ) -> Result<Result<Self, RawJson>, D::Error> {
                    d.deserialize_any(ScalarVisitor(PhantomData))
                }
            }
        )*
    };
}

scalar_field!(bool, u64, i64, Number);

/// Any JSON value but `null`, kept as text.
impl Field for RawJson {
    fn deserialize_field<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Result<Self, RawJson>, D::Error> {
        let raw = RawJson::from_js_text(JsText.deserialize(d)?);
        Ok(if raw.is_null() { Err(raw) } else { Ok(raw) })
    }

    fn from_raw(raw: RawJson) -> Result<Self, RawJson> {
        if raw.is_null() {
            Err(raw)
        } else {
            Ok(raw)
        }
    }
}

/// Declares a typed wire struct: optional typed fields plus an `extra` map.
///
/// The struct also gets a public `unknown_keys()`. Its generated doc carries no example of its
/// own: the macro does not know the struct's public path (some live in private modules), and one
/// doctest per struct would add little; it points to an example on a public type instead.
///
/// ```ignore
/// wire_struct! {
///     /// A text message's content.
///     pub struct Text {
///         /// The text.
///         body: CompactString = "body",
///     }
/// }
/// ```
macro_rules! wire_struct {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $(
                $(#[$field_meta:meta])*
                $field:ident : $ty:ty = $json:literal
            ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Default)]
        #[non_exhaustive]
        pub struct $name {
            $(
                $(#[$field_meta])*
                pub $field: Option<$ty>,
            )*
            /// Every key not captured by a typed field above — unknown keys, nulls, and values of
            /// an unexpected type — exactly as received (camelCased), as text; and the order all
            /// the keys came in. Nothing is lost.
            pub extra: $crate::extra::Extra,
        }

        impl $crate::json::wire::FromObject for $name {
            fn take<V: $crate::json::wire::Values>(
                &mut self,
                key: &str,
                values: V,
            ) -> Result<(), V::Error> {
                /// Each typed field's index.
                #[allow(non_camel_case_types)]
                enum Index {
                    $( $field, )*
                }

                match key {
                    $(
                        $json => {
                            let value = values.field::<$ty>()?;
                            $crate::json::wire::place(
                                &mut self.$field,
                                &mut self.extra,
                                Index::$field as u8,
                                $json,
                                value,
                            );
                        }
                    )*
                    other => {
                        let value = values.text()?;
                        self.extra.record_kept(
                            None,
                            other,
                            $crate::raw_json::RawJson::from_js_text(value),
                        );
                    }
                }
                Ok(())
            }
        }

        impl $crate::json::wire::Field for $name {
            fn deserialize_field<'de, D: serde::Deserializer<'de>>(
                d: D,
            ) -> Result<Result<Self, $crate::raw_json::RawJson>, D::Error> {
                d.deserialize_any($crate::json::wire::ObjectVisitor::<Self>(std::marker::PhantomData))
            }

            fn read_direct(
                reader: &mut $crate::json::reader::Reader<'_>,
                levels: u8,
            ) -> Result<Result<Self, $crate::raw_json::RawJson>, $crate::json::reader::GaveUp> {
                $crate::json::wire::read_struct_direct(reader, levels)
            }
        }

        #[allow(dead_code)]
        impl $name {
            /// The index of the typed field of `key`.
            fn typed_index(key: &str) -> Option<u8> {
                #[allow(non_camel_case_types)]
                enum Index {
                    $( $field, )*
                }
                match key {
                    $( $json => Some(Index::$field as u8), )*
                    _ => None,
                }
            }

            /// Records that the typed field of `key`, set in code, holds the key's value: in
            /// the place of the key's earlier value (typed or kept), or last.
            pub(crate) fn record_typed(&mut self, key: &str) {
                if let Some(index) = Self::typed_index(key) {
                    self.extra.record_typed(index, key);
                }
            }

            /// Keeps `raw` for `key` (emptying its typed field, if it has one): in the place of
            /// the key's earlier value (typed or kept), or last.
            pub(crate) fn keep_raw(&mut self, key: &str, raw: $crate::raw_json::RawJson) {
                self.clear_typed(key);
                self.extra.record_kept(Self::typed_index(key), key, raw);
            }

            /// Removes `key`, typed or kept, and forgets its place: set again, it comes last.
            pub(crate) fn forget(&mut self, key: &str) {
                self.clear_typed(key);
                if let Some(index) = Self::typed_index(key) {
                    self.extra.forget_typed(index);
                }
                self.extra.remove(key);
            }

            /// Empties the typed field of `key`.
            fn clear_typed(&mut self, key: &str) {
                match key {
                    $( $json => self.$field = None, )*
                    _ => {}
                }
            }
        }

        /// The keys in the order they came in (typed fields set in code after them, in
        /// declaration order, then keys kept in code).
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeMap;
                #[allow(non_camel_case_types)]
                enum Index {
                    $( $field, )*
                }
                let mut map = serializer.serialize_map(None)?;
                let mut written: u128 = 0;
                let mut kept = self.extra.entries();
                for code in self.extra.order() {
                    let Some(code) = code else {
                        if let Some((key, value)) = kept.next() {
                            map.serialize_entry(key.as_str(), value)?;
                        }
                        continue;
                    };
                    written |= 1u128 << (code & 127);
                    $(
                        if code == Index::$field as u8 {
                            if let Some(value) = &self.$field {
                                map.serialize_entry($json, value)?;
                            }
                            continue;
                        }
                    )*
                }
                $(
                    if written & (1u128 << (Index::$field as u8 & 127)) == 0 {
                        if let Some(value) = &self.$field {
                            map.serialize_entry($json, value)?;
                        }
                    }
                )*
                for (key, value) in kept {
                    map.serialize_entry(key.as_str(), value)?;
                }
                map.end()
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                $crate::json::wire::deserialize_strict(
                    d,
                    concat!("expected a JSON object for ", stringify!($name)),
                )
            }
        }

        impl $crate::json::wire::UnknownKeys for $name {
            fn unknown_keys_into(&self, path: &str, out: &mut Vec<String>) {
                const KNOWN: &[&str] = &[$($json),*];
                for (key, value) in &self.extra {
                    // A known key sent as `null` is simply absent.
                    if !(value.is_null() && KNOWN.contains(&key)) {
                        out.push($crate::json::wire::join_path(path, key));
                    }
                }
                $(
                    if let Some(value) = &self.$field {
                        $crate::json::wire::UnknownKeys::unknown_keys_into(
                            value,
                            &$crate::json::wire::join_path(path, $json),
                            out,
                        );
                    }
                )*
            }
        }

        impl $name {
            /// The paths of the keys left in `extra` maps, at any depth: unknown keys and values
            /// of an unexpected type (a known key sent as `null` is not listed). Empty when
            /// everything was typed — log it to see what Meta added.
            ///
            /// Every typed struct has it; [`HistoryUpdate`](crate::meta::event::history::HistoryUpdate)'s
            /// example calls it.
            pub fn unknown_keys(&self) -> Vec<String> {
                let mut out = Vec::new();
                $crate::json::wire::UnknownKeys::unknown_keys_into(self, "", &mut out);
                out
            }
        }
    };
}

/// Declares an open string enum: known values as variants, anything else kept in `Other`.
///
/// The enum also gets public `as_str()` and `is_other()` (and `From<&str>`, `FromStr`,
/// `Display`). Their generated docs carry no example of their own, for the reasons given on
/// [`wire_struct!`]; they point to the examples of [`Direction`](crate::Direction) and
/// [`StatusKind`](crate::StatusKind) instead.
macro_rules! open_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $(
                $(#[$variant_meta:meta])*
                $variant:ident = $wire:literal
            ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $(
                $(#[$variant_meta])*
                $variant,
            )*
            /// A value this version of the crate does not know, kept as received. Only parsing
            /// builds it, and never for a known value (see [`UnknownValue`]).
            ///
            /// [`UnknownValue`]: crate::UnknownValue
            Other($crate::UnknownValue),
        }

        impl $name {
            /// The value as it appears on the wire (the value it was parsed from, for `Other`).
            /// See [`Direction`](crate::Direction) for an example.
            pub fn as_str(&self) -> &str {
                match self {
                    $( $name::$variant => $wire, )*
                    $name::Other(other) => other.as_str(),
                }
            }

            /// Whether this is a value the crate does not know (the `Other` case). See
            /// [`StatusKind`](crate::StatusKind) for an example.
            pub fn is_other(&self) -> bool {
                matches!(self, $name::Other(_))
            }
        }

        impl From<&str> for $name {
            fn from(value: &str) -> Self {
                match value {
                    $( $wire => $name::$variant, )*
                    other => $name::Other($crate::UnknownValue::new(other.to_owned())),
                }
            }
        }

        impl From<String> for $name {
            fn from(value: String) -> Self {
                match value.as_str() {
                    $( $wire => $name::$variant, )*
                    _ => $name::Other($crate::UnknownValue::new(value)),
                }
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::convert::Infallible;

            fn from_str(value: &str) -> Result<Self, Self::Err> {
                Ok($name::from(value))
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                String::deserialize(d).map($name::from)
            }
        }

        impl $crate::json::wire::UnknownKeys for $name {
            fn unknown_keys_into(&self, _: &str, _: &mut Vec<String>) {}
        }

        impl $crate::json::wire::Field for $name {
            fn deserialize_field<'de, D: serde::Deserializer<'de>>(
                d: D,
            ) -> Result<Result<Self, $crate::raw_json::RawJson>, D::Error> {
                $crate::json::wire::deserialize_text(d)
            }

            fn read_direct(
                reader: &mut $crate::json::reader::Reader<'_>,
                levels: u8,
            ) -> Result<Result<Self, $crate::raw_json::RawJson>, $crate::json::reader::GaveUp> {
                $crate::json::wire::read_text_direct(reader, levels)
            }
        }
    };
}

/// Visitor methods for the shapes a level does not care about: skip them, keep the default.
macro_rules! skip_other_shapes {
    ($($keep:ident),*) => {
        fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<Self::Value, E> {
            Ok(Default::default())
        }
        fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<Self::Value, E> {
            Ok(Default::default())
        }
        fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<Self::Value, E> {
            Ok(Default::default())
        }
        fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<Self::Value, E> {
            Ok(Default::default())
        }
        fn visit_str<E: serde::de::Error>(self, _: &str) -> Result<Self::Value, E> {
            Ok(Default::default())
        }
        fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(Default::default())
        }
        $crate::json::wire::skip_other_shapes!(@seq $($keep),*);
        $crate::json::wire::skip_other_shapes!(@map $($keep),*);
    };
    (@seq seq) => {};
    (@seq map, seq) => {};
    (@map map, seq) => {};
    (@seq map) => {
        fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            while seq.next_element::<$crate::json::wire::Checked>()?.is_some() {}
            Ok(Default::default())
        }
    };
    (@map map) => {};
    (@map seq) => {
        fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            while map.next_entry::<$crate::json::wire::Checked, $crate::json::wire::Checked>()?.is_some() {}
            Ok(Default::default())
        }
    };
}

pub(crate) use {key_enum, open_enum, seed_by_visitor, skip_other_shapes, wire_struct};

#[cfg(test)]
#[allow(dead_code)] // the probe structs' generated helpers are not all used
mod tests {
    use compact_str::CompactString;
    use serde_json::json;

    wire_struct! {
        /// Test struct.
        pub struct Probe {
            /// A string.
            name: CompactString = "name",
            /// A nested struct.
            inner: Probe2 = "inner",
            /// A list.
            items: Vec<Probe2> = "items",
        }
    }

    wire_struct! {
        /// Nested test struct.
        pub struct Probe2 {
            /// A number.
            n: i64 = "n",
        }
    }

    #[test]
    fn known_keys_are_typed_and_the_rest_is_kept() {
        let input =
            json!({"name": "a", "inner": {"n": 1, "z": null}, "items": [{"n": 2}], "x": [1]});
        let probe: Probe = serde_json::from_value(input.clone()).unwrap();
        assert_eq!(probe.name.as_deref(), Some("a"));
        assert_eq!(probe.inner.as_ref().and_then(|i| i.n), Some(1));
        assert_eq!(probe.items.as_ref().map(Vec::len), Some(1));
        assert_eq!(probe.extra.get("x"), Some(&json!([1])));
        assert_eq!(serde_json::to_value(&probe).unwrap(), input);
    }

    #[test]
    fn odd_values_stay_in_extra() {
        let input = json!({"name": 5, "inner": "s", "items": [{"n": 1}, 3], "extra": null});
        let probe: Probe = serde_json::from_value(input.clone()).unwrap();
        assert_eq!(probe.name, None);
        assert_eq!(probe.inner, None);
        assert_eq!(probe.items, None);
        assert_eq!(probe.extra.len(), 4);
        assert_eq!(serde_json::to_value(&probe).unwrap(), input);
    }

    #[test]
    fn duplicates_keep_the_last_value_only() {
        let probe: Probe = serde_json::from_str(r#"{"name":"a","name":7}"#).unwrap();
        assert_eq!(probe.name, None);
        assert_eq!(probe.extra.get("name"), Some(&json!(7)));
        let probe: Probe = serde_json::from_str(r#"{"name":7,"name":"b"}"#).unwrap();
        assert_eq!(probe.name.as_deref(), Some("b"));
        assert!(probe.extra.is_empty());
    }

    #[test]
    fn a_number_is_typed_by_its_value_not_its_spelling() {
        // `1.0`, `1e0` and `1` are the same number to `JSON.parse`: the integer it writes.
        for text in [
            r#"{"n":1.0}"#,
            r#"{"n":1e0}"#,
            r#"{"n":0.1e1}"#,
            r#"{"n":1}"#,
        ] {
            let probe: Probe2 = serde_json::from_str(text).unwrap();
            assert_eq!(probe.n, Some(1), "{text}");
            assert!(probe.extra.is_empty(), "{text}");
            assert_eq!(serde_json::to_string(&probe).unwrap(), r#"{"n":1}"#);
        }
        // Past 2^53 JavaScript writes the shortest digits, padded with zeros: that integer.
        let probe: Probe2 = serde_json::from_str(r#"{"n":1.152921504606846976e18}"#).unwrap();
        assert_eq!(probe.n, Some(1_152_921_504_606_847_000));
        // A fraction, or an integer JavaScript writes with an exponent, is kept as written.
        for (text, kept) in [(r#"{"n":1.5}"#, "1.5"), (r#"{"n":1e21}"#, "1e+21")] {
            let probe: Probe2 = serde_json::from_str(text).unwrap();
            assert_eq!(probe.n, None, "{text}");
            assert_eq!(
                probe.extra.get_json("n").map(|raw| raw.as_str()),
                Some(kept)
            );
        }
    }

    #[test]
    fn keys_are_written_in_the_order_they_came_in() {
        let text = r#"{"x":1,"items":[{"n":2}],"name":"a","inner":{"z":null,"n":1},"y":2}"#;
        let probe: Probe = serde_json::from_str(text).unwrap();
        assert_eq!(serde_json::to_string(&probe).unwrap(), text);
        // A duplicate keeps the first place; a value of another type takes the typed place.
        let probe: Probe = serde_json::from_str(r#"{"name":"a","x":1,"name":5}"#).unwrap();
        assert_eq!(
            serde_json::to_string(&probe).unwrap(),
            r#"{"name":5,"x":1}"#
        );
        let probe: Probe = serde_json::from_str(r#"{"name":5,"x":1,"name":"b"}"#).unwrap();
        assert_eq!(
            serde_json::to_string(&probe).unwrap(),
            r#"{"name":"b","x":1}"#
        );
        // Set in code: after the keys that came in.
        let mut probe: Probe = serde_json::from_str(r#"{"x":1}"#).unwrap();
        probe.name = Some("c".into());
        assert_eq!(
            serde_json::to_string(&probe).unwrap(),
            r#"{"x":1,"name":"c"}"#
        );
    }
}
