//! JavaScript's `JSON.stringify` text, written from Rust values.
//!
//! - [`write_str`], [`write_f64`], [`write_u64`], [`write_i64`]: strings and numbers as
//!   `JSON.stringify` writes them (its escapes; `Number.prototype.toString`'s digits).
//! - [`JsSerializer`]: a [`Serializer`] writing compact JSON text with a JavaScript object's key
//!   order: array-index keys first, ascending, then the others in insertion order; a key written
//!   twice keeps its first place and takes its last value.
//! - [`transcode`]: any [`Deserializer`] into any [`Serializer`], with numbers normalized
//!   (integral floats up to 2^53 as integers); [`JsText`] reads one value as its JavaScript text.

use std::collections::{HashMap, HashSet};
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{self, Impossible, Serialize, Serializer};

use crate::json::camel::key_hash;
use crate::json::reader::find_special;

/// Appends `s` quoted as `JSON.stringify` quotes it: `\"`, `\\`, `\b`, `\f`, `\n`, `\r`, `\t`,
/// other controls as `\u00xx`; nothing else is escaped.
pub(crate) fn write_str(out: &mut String, s: &str) {
    out.reserve(s.len() + 2);
    out.push('"');
    let bytes = s.as_bytes();
    let mut from = 0;
    loop {
        let at = find_special(bytes, from);
        // `at` is at an ASCII byte or the end: a char boundary.
        out.push_str(s.get(from..at).unwrap_or_default());
        let Some(&byte) = bytes.get(at) else {
            break;
        };
        push_escape(out, byte);
        from = at + 1;
    }
    out.push('"');
}

/// The escape of `"`, `\` or a control character.
fn push_escape(out: &mut String, byte: u8) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    match byte {
        b'"' => out.push_str("\\\""),
        b'\\' => out.push_str("\\\\"),
        0x08 => out.push_str("\\b"),
        0x0c => out.push_str("\\f"),
        b'\n' => out.push_str("\\n"),
        b'\r' => out.push_str("\\r"),
        b'\t' => out.push_str("\\t"),
        _ => {
            out.push_str("\\u00");
            for digit in [byte >> 4, byte & 0xf] {
                out.push(char::from(
                    HEX.get(usize::from(digit)).copied().unwrap_or(b'0'),
                ));
            }
        }
    }
}

/// Appends `n` as ECMAScript's `Number.prototype.toString` writes it (`1` for `1.0`, `1e+21`,
/// `0` for `-0`); `null` for NaN and the infinities, as `JSON.stringify` writes them.
pub(crate) fn write_f64(out: &mut String, n: f64) {
    if !n.is_finite() {
        out.push_str("null");
    } else if n == 0.0 {
        out.push('0');
    } else {
        out.push_str(ryu_js::Buffer::new().format_finite(n));
    }
}

/// Appends an unsigned integer's digits.
pub(crate) fn write_u64(out: &mut String, n: u64) {
    out.push_str(itoa::Buffer::new().format(n));
}

/// Appends a signed integer's digits.
pub(crate) fn write_i64(out: &mut String, n: i64) {
    out.push_str(itoa::Buffer::new().format(n));
}

/// The array index a key names in JavaScript (a canonical decimal integer below 2^32 − 1:
/// `0`, `42`; not `01`, `-1` or `4294967295`), if it names one.
pub(crate) fn array_index(key: &[u8]) -> Option<u32> {
    match key {
        [b'0'] => Some(0),
        [b'1'..=b'9', rest @ ..] if rest.len() < 10 && rest.iter().all(u8::is_ascii_digit) => {
            let n = key
                .iter()
                .fold(0u64, |n, &digit| n * 10 + u64::from(digit - b'0'));
            u32::try_from(n).ok().filter(|&n| n != u32::MAX)
        }
        _ => None,
    }
}

/// The order in which JavaScript lists an object's distinct keys, given in insertion order:
/// array indices first, ascending, then the others as they came. Positions into `keys`.
pub(crate) fn js_order<K: AsRef<[u8]>>(keys: &[K]) -> Vec<usize> {
    let mut indices: Vec<(u32, usize)> = keys
        .iter()
        .enumerate()
        .filter_map(|(at, key)| array_index(key.as_ref()).map(|index| (index, at)))
        .collect();
    indices.sort_unstable();
    let mut order: Vec<usize> = indices.iter().map(|&(_, at)| at).collect();
    order.extend(
        keys.iter()
            .enumerate()
            .filter(|(_, key)| array_index(key.as_ref()).is_none())
            .map(|(at, _)| at),
    );
    order
}

/// Why a value could not be written (a map key that is not a string, number, bool or char; an
/// error of a value's own `Serialize`).
#[derive(Debug)]
pub(crate) struct JsError(String);

impl fmt::Display for JsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for JsError {}

impl ser::Error for JsError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        JsError(msg.to_string())
    }
}

/// The JavaScript text of `value`. A value that cannot be written (see [`JsError`]) gives
/// `null`.
pub(crate) fn to_js_string<T: Serialize + ?Sized>(value: &T) -> String {
    let mut out = String::new();
    match write_js(value, &mut out) {
        Ok(()) => out,
        Err(_) => "null".to_owned(),
    }
}

/// Appends the JavaScript text of `value` to `out`; on an error, `out` is left as it was.
pub(crate) fn write_js<T: Serialize + ?Sized>(value: &T, out: &mut String) -> Result<(), JsError> {
    let len = out.len();
    let written = value.serialize(&mut JsSerializer::new(out));
    if written.is_err() {
        out.truncate(len);
    }
    written
}

/// A [`Serializer`] that appends compact JSON text as `JSON.stringify` writes it, objects in a
/// JavaScript object's key order (see the module documentation).
pub(crate) struct JsSerializer<'o> {
    out: &'o mut String,
}

impl<'o> JsSerializer<'o> {
    /// A serializer appending to `out`.
    pub(crate) fn new(out: &'o mut String) -> Self {
        JsSerializer { out }
    }
}

impl<'a, 'o> Serializer for &'a mut JsSerializer<'o> {
    type Ok = ();
    type Error = JsError;
    type SerializeSeq = Seq<'a, 'o>;
    type SerializeTuple = Seq<'a, 'o>;
    type SerializeTupleStruct = Seq<'a, 'o>;
    type SerializeTupleVariant = Seq<'a, 'o>;
    type SerializeMap = Object<'a, 'o>;
    type SerializeStruct = Object<'a, 'o>;
    type SerializeStructVariant = Object<'a, 'o>;

    fn serialize_bool(self, v: bool) -> Result<(), JsError> {
        self.out.push_str(if v { "true" } else { "false" });
        Ok(())
    }

    fn serialize_i8(self, v: i8) -> Result<(), JsError> {
        self.serialize_i64(i64::from(v))
    }

    fn serialize_i16(self, v: i16) -> Result<(), JsError> {
        self.serialize_i64(i64::from(v))
    }

    fn serialize_i32(self, v: i32) -> Result<(), JsError> {
        self.serialize_i64(i64::from(v))
    }

    fn serialize_i64(self, v: i64) -> Result<(), JsError> {
        write_i64(self.out, v);
        Ok(())
    }

    fn serialize_i128(self, v: i128) -> Result<(), JsError> {
        self.out.push_str(itoa::Buffer::new().format(v));
        Ok(())
    }

    fn serialize_u8(self, v: u8) -> Result<(), JsError> {
        self.serialize_u64(u64::from(v))
    }

    fn serialize_u16(self, v: u16) -> Result<(), JsError> {
        self.serialize_u64(u64::from(v))
    }

    fn serialize_u32(self, v: u32) -> Result<(), JsError> {
        self.serialize_u64(u64::from(v))
    }

    fn serialize_u64(self, v: u64) -> Result<(), JsError> {
        write_u64(self.out, v);
        Ok(())
    }

    fn serialize_u128(self, v: u128) -> Result<(), JsError> {
        self.out.push_str(itoa::Buffer::new().format(v));
        Ok(())
    }

    fn serialize_f32(self, v: f32) -> Result<(), JsError> {
        self.serialize_f64(f64::from(v))
    }

    fn serialize_f64(self, v: f64) -> Result<(), JsError> {
        write_f64(self.out, v);
        Ok(())
    }

    fn serialize_char(self, v: char) -> Result<(), JsError> {
        self.serialize_str(v.encode_utf8(&mut [0; 4]))
    }

    fn serialize_str(self, v: &str) -> Result<(), JsError> {
        write_str(self.out, v);
        Ok(())
    }

    fn serialize_bytes(self, v: &[u8]) -> Result<(), JsError> {
        self.out.push('[');
        for (at, &byte) in v.iter().enumerate() {
            if at > 0 {
                self.out.push(',');
            }
            write_u64(self.out, u64::from(byte));
        }
        self.out.push(']');
        Ok(())
    }

    fn serialize_none(self) -> Result<(), JsError> {
        self.serialize_unit()
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), JsError> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<(), JsError> {
        self.out.push_str("null");
        Ok(())
    }

    fn serialize_unit_struct(self, _: &'static str) -> Result<(), JsError> {
        self.serialize_unit()
    }

    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), JsError> {
        self.serialize_str(variant)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), JsError> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), JsError> {
        self.out.push('{');
        write_str(self.out, variant);
        self.out.push(':');
        value.serialize(&mut *self)?;
        self.out.push('}');
        Ok(())
    }

    fn serialize_seq(self, _: Option<usize>) -> Result<Seq<'a, 'o>, JsError> {
        self.out.push('[');
        Ok(Seq {
            ser: self,
            first: true,
            close: "]",
        })
    }

    fn serialize_tuple(self, len: usize) -> Result<Seq<'a, 'o>, JsError> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<Seq<'a, 'o>, JsError> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Seq<'a, 'o>, JsError> {
        self.out.push('{');
        write_str(self.out, variant);
        self.out.push_str(":[");
        Ok(Seq {
            ser: self,
            first: true,
            close: "]}",
        })
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Object<'a, 'o>, JsError> {
        Ok(Object::open(self, false))
    }

    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Object<'a, 'o>, JsError> {
        Ok(Object::open(self, false))
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Object<'a, 'o>, JsError> {
        self.out.push('{');
        write_str(self.out, variant);
        self.out.push(':');
        Ok(Object::open(self, true))
    }
}

/// An array being written (or a tuple variant's array).
pub(crate) struct Seq<'a, 'o> {
    ser: &'a mut JsSerializer<'o>,
    first: bool,
    /// What closes it: `]`, or `]}` for a tuple variant.
    close: &'static str,
}

impl Seq<'_, '_> {
    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), JsError> {
        if !self.first {
            self.ser.out.push(',');
        }
        self.first = false;
        value.serialize(&mut *self.ser)
    }

    fn close(self) -> Result<(), JsError> {
        self.ser.out.push_str(self.close);
        Ok(())
    }
}

macro_rules! seq_impls {
    ($($trait:ident::$method:ident;)*) => {
        $(
            impl ser::$trait for Seq<'_, '_> {
                type Ok = ();
                type Error = JsError;

                fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), JsError> {
                    self.element(value)
                }

                fn end(self) -> Result<(), JsError> {
                    self.close()
                }
            }
        )*
    };
}

seq_impls! {
    SerializeSeq::serialize_element;
    SerializeTuple::serialize_element;
    SerializeTupleStruct::serialize_field;
    SerializeTupleVariant::serialize_field;
}

/// How many key hashes an [`Object`] compares one by one before it keeps them in a set.
const INLINE_KEYS: usize = 32;

/// The keys of an object written so far, as hashes: enough to tell that the object needs no
/// reordering (no key repeats, none is an array index), the common case.
struct KeyHashes {
    inline: [u64; INLINE_KEYS],
    len: usize,
    more: Option<HashSet<u64>>,
    /// A key may repeat or is an array index: the object is rewritten at its end.
    reorder: bool,
}

impl KeyHashes {
    fn new() -> Self {
        KeyHashes {
            inline: [0; INLINE_KEYS],
            len: 0,
            more: None,
            reorder: false,
        }
    }

    /// Notes a key (its text inside the quotes, as written).
    fn add(&mut self, key: &[u8]) {
        if self.reorder {
            return;
        }
        if key.first().is_some_and(u8::is_ascii_digit) && array_index(key).is_some() {
            self.reorder = true;
            return;
        }
        let hash = key_hash(key);
        let inline = self.inline.get(..self.len).unwrap_or_default();
        // A repeated hash only costs the rewrite, which compares the keys exactly.
        if inline.contains(&hash) {
            self.reorder = true;
        } else if let Some(slot) = self.inline.get_mut(self.len) {
            *slot = hash;
            self.len += 1;
        } else if !self.more.get_or_insert_with(HashSet::new).insert(hash) {
            self.reorder = true;
        }
    }
}

/// An object being written (a map, a struct, or a struct variant's object).
pub(crate) struct Object<'a, 'o> {
    ser: &'a mut JsSerializer<'o>,
    /// Where its `{` is in the output.
    start: usize,
    keys: KeyHashes,
    /// A struct variant: one more `}` closes it.
    variant: bool,
}

impl<'a, 'o> Object<'a, 'o> {
    fn open(ser: &'a mut JsSerializer<'o>, variant: bool) -> Self {
        let start = ser.out.len();
        ser.out.push('{');
        Object {
            ser,
            start,
            keys: KeyHashes::new(),
            variant,
        }
    }

    /// Writes a key (its quoted text, through `write`) and the `:` after it.
    fn key(
        &mut self,
        write: impl FnOnce(&mut String) -> Result<(), JsError>,
    ) -> Result<(), JsError> {
        let out = &mut *self.ser.out;
        if out.len() > self.start + 1 {
            out.push(',');
        }
        let at = out.len();
        write(out)?;
        let written = out
            .as_bytes()
            .get(at + 1..out.len() - 1)
            .unwrap_or_default();
        self.keys.add(written);
        out.push(':');
        Ok(())
    }

    fn close(self) -> Result<(), JsError> {
        if self.keys.reorder {
            reorder_object(self.ser.out, self.start);
        }
        self.ser.out.push_str(if self.variant { "}}" } else { "}" });
        Ok(())
    }
}

impl ser::SerializeMap for Object<'_, '_> {
    type Ok = ();
    type Error = JsError;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), JsError> {
        self.key(|out| key.serialize(KeySerializer { out }))
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), JsError> {
        value.serialize(&mut *self.ser)
    }

    fn end(self) -> Result<(), JsError> {
        self.close()
    }
}

impl ser::SerializeStruct for Object<'_, '_> {
    type Ok = ();
    type Error = JsError;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), JsError> {
        self.key(|out| {
            write_str(out, key);
            Ok(())
        })?;
        value.serialize(&mut *self.ser)
    }

    fn end(self) -> Result<(), JsError> {
        self.close()
    }
}

impl ser::SerializeStructVariant for Object<'_, '_> {
    type Ok = ();
    type Error = JsError;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), JsError> {
        ser::SerializeStruct::serialize_field(self, key, value)
    }

    fn end(self) -> Result<(), JsError> {
        self.close()
    }
}

/// Rewrites the pairs of the object whose `{` is at `start` (written by us, so well-formed
/// compact JSON, not closed yet) in JavaScript's order: exact repeats merged (first place, last
/// value), array indices first.
#[cold]
fn reorder_object(out: &mut String, start: usize) {
    let region = out.split_off(start);
    let bytes = region.as_bytes();
    // (key text inside its quotes, value text)
    let mut pairs: Vec<(&str, &str)> = Vec::new();
    let mut slots: HashMap<&str, usize> = HashMap::new();
    let mut at = 1;
    while at < bytes.len() {
        let key_end = skip_value(bytes, at);
        let value_end = skip_value(bytes, key_end + 1);
        let key = region.get(at + 1..key_end - 1).unwrap_or_default();
        let value = region.get(key_end + 1..value_end).unwrap_or_default();
        match slots.get(key) {
            Some(&slot) => {
                if let Some(pair) = pairs.get_mut(slot) {
                    pair.1 = value;
                }
            }
            None => {
                slots.insert(key, pairs.len());
                pairs.push((key, value));
            }
        }
        // Over the `,` (or past the end).
        at = value_end + 1;
    }
    let keys: Vec<&str> = pairs.iter().map(|&(key, _)| key).collect();
    out.push('{');
    for (n, at) in js_order(&keys).into_iter().enumerate() {
        if let Some(&(key, value)) = pairs.get(at) {
            if n > 0 {
                out.push(',');
            }
            out.push('"');
            out.push_str(key);
            out.push_str("\":");
            out.push_str(value);
        }
    }
}

/// The end of the well-formed compact JSON value (or key) that starts at `at`.
fn skip_value(bytes: &[u8], at: usize) -> usize {
    let mut at = at;
    match bytes.get(at) {
        Some(b'"') => skip_string(bytes, at),
        Some(b'{' | b'[') => {
            let mut depth = 0usize;
            loop {
                match bytes.get(at) {
                    None => return at,
                    Some(b'"') => at = skip_string(bytes, at),
                    Some(b'{' | b'[') => {
                        depth += 1;
                        at += 1;
                    }
                    Some(b'}' | b']') => {
                        depth = depth.saturating_sub(1);
                        at += 1;
                        if depth == 0 {
                            return at;
                        }
                    }
                    Some(_) => at += 1,
                }
            }
        }
        _ => {
            while let Some(byte) = bytes.get(at) {
                if matches!(byte, b',' | b':' | b'}' | b']') {
                    break;
                }
                at += 1;
            }
            at
        }
    }
}

/// The end (past the closing quote) of the well-formed string whose quote is at `at`.
fn skip_string(bytes: &[u8], at: usize) -> usize {
    let mut at = at + 1;
    loop {
        at = find_special(bytes, at);
        match bytes.get(at) {
            Some(b'\\') => at += 2,
            Some(b'"') => return at + 1,
            Some(_) => at += 1,
            None => return at,
        }
    }
}

/// Writes a map key: strings as they are; integers, bools and chars as their text (as
/// serde_json does); anything else is an error.
struct KeySerializer<'a> {
    out: &'a mut String,
}

fn key_error() -> JsError {
    JsError("a map key must be a string, a number, a bool or a char".to_owned())
}

macro_rules! integer_keys {
    ($($method:ident($ty:ty);)*) => {
        $(
            fn $method(self, v: $ty) -> Result<(), JsError> {
                self.out.push('"');
                self.out.push_str(itoa::Buffer::new().format(v));
                self.out.push('"');
                Ok(())
            }
        )*
    };
}

impl Serializer for KeySerializer<'_> {
    type Ok = ();
    type Error = JsError;
    type SerializeSeq = Impossible<(), JsError>;
    type SerializeTuple = Impossible<(), JsError>;
    type SerializeTupleStruct = Impossible<(), JsError>;
    type SerializeTupleVariant = Impossible<(), JsError>;
    type SerializeMap = Impossible<(), JsError>;
    type SerializeStruct = Impossible<(), JsError>;
    type SerializeStructVariant = Impossible<(), JsError>;

    integer_keys! {
        serialize_i8(i8); serialize_i16(i16); serialize_i32(i32); serialize_i64(i64);
        serialize_i128(i128); serialize_u8(u8); serialize_u16(u16); serialize_u32(u32);
        serialize_u64(u64); serialize_u128(u128);
    }

    fn serialize_bool(self, v: bool) -> Result<(), JsError> {
        self.out.push_str(if v { "\"true\"" } else { "\"false\"" });
        Ok(())
    }

    fn serialize_f32(self, _: f32) -> Result<(), JsError> {
        Err(key_error())
    }

    fn serialize_f64(self, _: f64) -> Result<(), JsError> {
        Err(key_error())
    }

    fn serialize_char(self, v: char) -> Result<(), JsError> {
        self.serialize_str(v.encode_utf8(&mut [0; 4]))
    }

    fn serialize_str(self, v: &str) -> Result<(), JsError> {
        write_str(self.out, v);
        Ok(())
    }

    fn serialize_bytes(self, _: &[u8]) -> Result<(), JsError> {
        Err(key_error())
    }

    fn serialize_none(self) -> Result<(), JsError> {
        Err(key_error())
    }

    fn serialize_some<T: Serialize + ?Sized>(self, _: &T) -> Result<(), JsError> {
        Err(key_error())
    }

    fn serialize_unit(self) -> Result<(), JsError> {
        Err(key_error())
    }

    fn serialize_unit_struct(self, _: &'static str) -> Result<(), JsError> {
        Err(key_error())
    }

    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), JsError> {
        self.serialize_str(variant)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), JsError> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), JsError> {
        Err(key_error())
    }

    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, JsError> {
        Err(key_error())
    }

    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, JsError> {
        Err(key_error())
    }

    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, JsError> {
        Err(key_error())
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, JsError> {
        Err(key_error())
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, JsError> {
        Err(key_error())
    }

    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, JsError> {
        Err(key_error())
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, JsError> {
        Err(key_error())
    }
}

/// Forwards the value `d` reads to `s`, value for value (as the `serde-transcode` crate does),
/// with numbers normalized: an integral `f64` of magnitude up to 2^53 goes on as an `i64`
/// (`-0.0` and `1.0` as `0` and `1`), other floats as `f64`. Maps forward their keys as
/// strings. An error of `d` becomes `S::Error::custom`.
pub(crate) fn transcode<'de, D: Deserializer<'de>, S: Serializer>(
    d: D,
    s: S,
) -> Result<S::Ok, S::Error> {
    d.deserialize_any(Forward(s))
        .map_err(<S::Error as ser::Error>::custom)?
}

/// 2^53: integral floats up to this magnitude are exact integers.
const EXACT: f64 = 9_007_199_254_740_992.0;

/// A [`Visitor`] forwarding what it visits to a [`Serializer`]; the serializer's outcome is
/// the visitor's value, so the deserializer's errors stay its own.
struct Forward<S>(S);

macro_rules! forward_scalars {
    ($($visit:ident($ty:ty) => $serialize:ident $(as $as:ty)?;)*) => {
        $(
            fn $visit<E: de::Error>(self, v: $ty) -> Result<Self::Value, E> {
                Ok(self.0.$serialize(v $(as $as)?))
            }
        )*
    };
}

impl<'de, S: Serializer> Visitor<'de> for Forward<S> {
    type Value = Result<S::Ok, S::Error>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any value")
    }

    forward_scalars! {
        visit_bool(bool) => serialize_bool;
        visit_i8(i8) => serialize_i64 as i64; visit_i16(i16) => serialize_i64 as i64;
        visit_i32(i32) => serialize_i64 as i64; visit_i64(i64) => serialize_i64;
        visit_i128(i128) => serialize_i128;
        visit_u8(u8) => serialize_u64 as u64; visit_u16(u16) => serialize_u64 as u64;
        visit_u32(u32) => serialize_u64 as u64; visit_u64(u64) => serialize_u64;
        visit_u128(u128) => serialize_u128;
        visit_char(char) => serialize_char;
        visit_str(&str) => serialize_str;
        visit_bytes(&[u8]) => serialize_bytes;
    }

    fn visit_f32<E: de::Error>(self, v: f32) -> Result<Self::Value, E> {
        self.visit_f64(f64::from(v))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        if v.fract() == 0.0 && v.abs() <= EXACT {
            // Exact: integral and within i64's range.
            #[allow(clippy::cast_possible_truncation)]
            let n = v as i64;
            Ok(self.0.serialize_i64(n))
        } else {
            Ok(self.0.serialize_f64(v))
        }
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(self.0.serialize_none())
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(self.0.serialize_unit())
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut out = match self.0.serialize_seq(seq.size_hint()) {
            Ok(out) => out,
            Err(error) => return Ok(Err(error)),
        };
        while let Some(element) = seq.next_element_seed(Element(&mut out))? {
            if let Err(error) = element {
                return Ok(Err(error));
            }
        }
        Ok(ser::SerializeSeq::end(out))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = match self.0.serialize_map(map.size_hint()) {
            Ok(out) => out,
            Err(error) => return Ok(Err(error)),
        };
        while let Some(key) = map.next_key_seed(KeyText)? {
            if let Err(error) = ser::SerializeMap::serialize_key(&mut out, &*key) {
                return Ok(Err(error));
            }
            if let Err(error) = map.next_value_seed(Value(&mut out))? {
                return Ok(Err(error));
            }
        }
        Ok(ser::SerializeMap::end(out))
    }

    fn visit_enum<A: de::EnumAccess<'de>>(self, _: A) -> Result<Self::Value, A::Error> {
        Err(de::Error::custom("an enum cannot be transcoded"))
    }
}

/// A [`Serialize`] that forwards what a deserializer reads, keeping the deserializer's error
/// (if any) for the seed that made it.
struct Pending<'de, D: Deserializer<'de>> {
    d: std::cell::Cell<Option<D>>,
    error: std::cell::Cell<Option<D::Error>>,
    marker: std::marker::PhantomData<&'de ()>,
}

impl<'de, D: Deserializer<'de>> Pending<'de, D> {
    fn new(d: D) -> Self {
        Pending {
            d: std::cell::Cell::new(Some(d)),
            error: std::cell::Cell::new(None),
            marker: std::marker::PhantomData,
        }
    }

    /// What `write` gave, or the deserializer's error when it failed.
    fn finish<T, E>(self, written: Result<T, E>) -> Result<Result<T, E>, D::Error> {
        match self.error.into_inner() {
            Some(error) => Err(error),
            None => Ok(written),
        }
    }
}

impl<'de, D: Deserializer<'de>> Serialize for Pending<'de, D> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let Some(d) = self.d.take() else {
            return Err(ser::Error::custom("a value was forwarded twice"));
        };
        match d.deserialize_any(Forward(s)) {
            Ok(written) => written,
            Err(error) => {
                let message = error.to_string();
                self.error.set(Some(error));
                Err(ser::Error::custom(message))
            }
        }
    }
}

/// Forwards one element of an array.
struct Element<'a, T>(&'a mut T);

impl<'de, T: ser::SerializeSeq> DeserializeSeed<'de> for Element<'_, T> {
    type Value = Result<(), T::Error>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        let pending = Pending::new(d);
        let written = self.0.serialize_element(&pending);
        pending.finish(written)
    }
}

/// Forwards one value of an object.
struct Value<'a, T>(&'a mut T);

impl<'de, T: ser::SerializeMap> DeserializeSeed<'de> for Value<'_, T> {
    type Value = Result<(), T::Error>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        let pending = Pending::new(d);
        let written = self.0.serialize_value(&pending);
        pending.finish(written)
    }
}

/// Reads an object key as text (a number or bool key as its text).
struct KeyText;

impl<'de> DeserializeSeed<'de> for KeyText {
    type Value = std::borrow::Cow<'de, str>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeyText {
    type Value = std::borrow::Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object key")
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(v.into())
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(v.to_owned().into())
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(v.into())
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(if v { "true" } else { "false" }.into())
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(itoa::Buffer::new().format(v).to_owned().into())
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(itoa::Buffer::new().format(v).to_owned().into())
    }
}

/// Reads any one value and gives its JavaScript text (see [`JsSerializer`], [`transcode`]).
///
/// Its [`Visitor`] methods can be called directly: a visitor that meets an unexpected shape
/// hands it over (`JsText.visit_map(map)`). A deserializer's error stays its own.
pub(crate) struct JsText;

impl<'de> DeserializeSeed<'de> for JsText {
    type Value = String;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<String, D::Error> {
        d.deserialize_any(self)
    }
}

/// The text a [`Forward`] into a fresh [`JsSerializer`] writes, or the visitor's error.
fn js_text<E: de::Error>(
    forward: impl FnOnce(Forward<&mut JsSerializer<'_>>) -> Result<Result<(), JsError>, E>,
) -> Result<String, E> {
    let mut out = String::new();
    match forward(Forward(&mut JsSerializer::new(&mut out)))? {
        Ok(()) => Ok(out),
        Err(error) => Err(E::custom(error)),
    }
}

macro_rules! js_text_scalars {
    ($($visit:ident($ty:ty);)*) => {
        $(
            fn $visit<E: de::Error>(self, v: $ty) -> Result<String, E> {
                js_text(|forward| forward.$visit(v))
            }
        )*
    };
}

impl<'de> Visitor<'de> for JsText {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    js_text_scalars! {
        visit_bool(bool); visit_i8(i8); visit_i16(i16); visit_i32(i32); visit_i64(i64);
        visit_i128(i128); visit_u8(u8); visit_u16(u16); visit_u32(u32); visit_u64(u64);
        visit_u128(u128); visit_f32(f32); visit_f64(f64); visit_char(char); visit_str(&str);
        visit_bytes(&[u8]);
    }

    fn visit_none<E: de::Error>(self) -> Result<String, E> {
        Ok("null".to_owned())
    }

    fn visit_unit<E: de::Error>(self) -> Result<String, E> {
        Ok("null".to_owned())
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<String, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<String, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<String, A::Error> {
        js_text(|forward| forward.visit_seq(seq))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<String, A::Error> {
        js_text(|forward| forward.visit_map(map))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    /// The text of one JSON value through `JsText`, read by serde_json.
    fn via_js_text(json: &str) -> String {
        JsText
            .deserialize(&mut serde_json::Deserializer::from_str(json))
            .unwrap()
    }

    /// Expected outputs pasted from Node: `JSON.stringify(JSON.parse(text))`.
    #[test]
    fn numbers_as_javascript_writes_them() {
        let cases = [
            ("0", "0"),
            ("-0", "0"),
            ("1.0", "1"),
            ("1e2", "100"),
            ("1.5e300", "1.5e+300"),
            ("0.000001", "0.000001"),
            ("1e-7", "1e-7"),
            ("1e21", "1e+21"),
            ("1e20", "100000000000000000000"),
            ("123456789012345678901234567890", "1.2345678901234568e+29"),
            ("5e-324", "5e-324"),
            ("0.1", "0.1"),
            ("2.5e-7", "2.5e-7"),
            ("-1.5E+10", "-15000000000"),
            ("1.7976931348623157e308", "1.7976931348623157e+308"),
            ("123e-20", "1.23e-18"),
            ("100e-2", "1"),
            ("-0.0", "0"),
            ("4.35", "4.35"),
        ];
        for (text, want) in cases {
            let n: f64 = text.parse().unwrap();
            let mut out = String::new();
            write_f64(&mut out, n);
            assert_eq!(out, want, "{text}");
            assert_eq!(via_js_text(text), want, "{text}");
        }
        for n in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            assert_eq!(to_js_string(&n), "null");
        }
        assert_eq!(to_js_string(&u64::MAX), "18446744073709551615");
        assert_eq!(to_js_string(&i64::MIN), "-9223372036854775808");
        assert_eq!(to_js_string(&u128::MAX), u128::MAX.to_string());
        assert_eq!(to_js_string(&-7i8), "-7");
        assert_eq!(to_js_string(&1.5f32), "1.5");
    }

    /// Expected outputs pasted from Node: `JSON.stringify(JSON.parse(text))`.
    #[test]
    fn strings_as_javascript_writes_them() {
        let cases = [
            (r#""a\"b\\c\/d""#, r#""a\"b\\c/d""#),
            (r#""\b\f\n\r\t""#, r#""\b\f\n\r\t""#),
            (
                r#""\u0000\u0001\u001F\u001f\u0007""#,
                r#""\u0000\u0001\u001f\u001f\u0007""#,
            ),
            (r#""\u00e9é""#, "\"éé\""),
            (r#""\ud83d\ude00""#, "\"😀\""),
            (r#""\u2028\u2029""#, "\"\u{2028}\u{2029}\""),
            (r#""\u007f""#, "\"\u{7f}\""),
            (r#""<\/script>""#, r#""</script>""#),
            // Long enough for the word-at-a-time scan, escapes at the edges of words.
            (
                r#""0123456\"89abcdef\n0123456789abcde\u0001""#,
                r#""0123456\"89abcdef\n0123456789abcde\u0001""#,
            ),
        ];
        for (text, want) in cases {
            let decoded: String = serde_json::from_str(text).unwrap();
            let mut out = String::new();
            write_str(&mut out, &decoded);
            assert_eq!(out, want, "{text}");
            assert_eq!(via_js_text(text), want, "{text}");
        }
        // Every control character.
        for byte in 0u8..0x20 {
            let s = char::from(byte).to_string();
            assert_eq!(to_js_string(&s), serde_json::to_string(&s).unwrap());
        }
    }

    /// Pairs serialized as a map, in this order (keys may repeat).
    struct Pairs<'a>(&'a [(&'a str, i32)]);

    impl Serialize for Pairs<'_> {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            s.collect_map(self.0.iter().map(|&(k, v)| (k, v)))
        }
    }

    #[test]
    fn objects_keep_javascripts_key_order() {
        // Node: JSON.stringify(JSON.parse(text)).
        let pairs = [
            ("b", 1),
            ("2", 2),
            ("a", 3),
            ("1", 4),
            ("01", 5),
            ("4294967294", 6),
            ("4294967295", 7),
        ];
        let want = r#"{"1":4,"2":2,"4294967294":6,"b":1,"a":3,"01":5,"4294967295":7}"#;
        assert_eq!(to_js_string(&Pairs(&pairs)), want);
        let pairs = [("a", 1), ("b", 2), ("a", 3)];
        assert_eq!(to_js_string(&Pairs(&pairs)), r#"{"a":3,"b":2}"#);
        // Nested objects reorder on their own; values keep their text.
        let text = r#"{"z":{"b":[1,{"9":"}","8":"]"}],"1":"a\"b,"},"0":null,"z":{"y":"\\"}}"#;
        assert_eq!(via_js_text(text), r#"{"0":null,"z":{"y":"\\"}}"#);
        let text = r#"{"z":{"b":[1,{"9":"}","8":"]"}],"1":"a\"b,"},"0":null}"#;
        assert_eq!(
            via_js_text(text),
            r#"{"0":null,"z":{"1":"a\"b,","b":[1,{"8":"]","9":"}"}]}}"#
        );
        assert_eq!(array_index(b"-1"), None);
        assert_eq!(array_index(b"4294967295"), None);
        assert_eq!(array_index(b"99999999999"), None);
        assert_eq!(array_index(b"4294967294"), Some(4_294_967_294));
    }

    #[test]
    fn many_keys_stay_linear() {
        let keys: Vec<String> = (0..100_000).map(|n| format!("k{n}")).collect();
        let mut pairs: Vec<(&str, i32)> = keys.iter().map(|k| (k.as_str(), 1)).collect();
        pairs.push(("k5", 2));
        let out = to_js_string(&Pairs(&pairs));
        assert!(out.starts_with(r#"{"k0":1,"k1":1,"k2":1,"k3":1,"k4":1,"k5":2,"k6":1"#));
        assert_eq!(out.matches(':').count(), 100_000);
    }

    #[derive(serde::Serialize)]
    enum Shape {
        Unit,
        New(u8),
        Tuple(u8, bool),
        Struct { b: u8, a: Option<u8> },
    }

    #[derive(serde::Serialize)]
    struct Wrapper(f64);

    #[test]
    fn rust_values_as_serde_json_writes_them() {
        let value = (
            Shape::Unit,
            Shape::New(1),
            Shape::Tuple(2, true),
            Shape::Struct { b: 3, a: None },
            Wrapper(2.0),
            (),
            'x',
            serde_bytes_like(),
        );
        assert_eq!(
            to_js_string(&value),
            r#"["Unit",{"New":1},{"Tuple":[2,true]},{"Struct":{"b":3,"a":null}},2,null,"x",[1,2]]"#
        );
        let mut map = std::collections::BTreeMap::new();
        map.insert(10u8, "x");
        map.insert(2u8, "y");
        assert_eq!(to_js_string(&map), r#"{"2":"y","10":"x"}"#);
        let mut bad = std::collections::BTreeMap::new();
        bad.insert(vec![1], 1);
        let mut out = "kept".to_owned();
        assert!(write_js(&bad, &mut out).is_err());
        assert_eq!(out, "kept");
        assert_eq!(to_js_string(&bad), "null");
    }

    fn serde_bytes_like() -> impl Serialize {
        struct Bytes;
        impl Serialize for Bytes {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_bytes(&[1, 2])
            }
        }
        Bytes
    }

    #[test]
    fn transcoding_normalizes_numbers_for_any_serializer() {
        let text =
            r#"[-0.0,1.0,1.5,9007199254740992.0,9007199254740994.0,18446744073709551615,-3]"#;
        let mut out = Vec::new();
        transcode(
            &mut serde_json::Deserializer::from_str(text),
            &mut serde_json::Serializer::new(&mut out),
        )
        .unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "[0,1,1.5,9007199254740992,9007199254740994.0,18446744073709551615,-3]"
        );
    }

    #[test]
    fn js_text_visits_directly_and_keeps_the_deserializers_errors() {
        use serde::de::value::{Error, MapDeserializer, SeqDeserializer};
        let map = MapDeserializer::<_, Error>::new(vec![("b_c", 1.0), ("1", 2.5)].into_iter());
        assert_eq!(JsText.visit_map(map).unwrap(), r#"{"1":2.5,"b_c":1}"#);
        let seq = SeqDeserializer::<_, Error>::new(vec!["a\n", "é"].into_iter());
        assert_eq!(JsText.visit_seq(seq).unwrap(), r#"["a\n","é"]"#);
        assert_eq!(JsText.visit_str::<Error>("\"").unwrap(), r#""\"""#);
        assert_eq!(JsText.visit_f64::<Error>(-0.0).unwrap(), "0");
        assert_eq!(JsText.visit_u64::<Error>(7).unwrap(), "7");
        assert_eq!(JsText.visit_unit::<Error>().unwrap(), "null");
        // A nested error is serde_json's own, with its position.
        let error = JsText
            .deserialize(&mut serde_json::Deserializer::from_str(
                r#"{"a":[1,{"b":tru}]}"#,
            ))
            .unwrap_err();
        assert_eq!((error.line(), error.column()), (1, 17), "{error}");
    }
}

/// Re-indents valid JSON text as serde_json's pretty printer lays it out (two spaces per level,
/// `": "` after a key, `[]` and `{}` when empty), copying strings, numbers and literals verbatim:
/// only whitespace changes, so [`NormalizedWebhook::to_json`](crate::NormalizedWebhook::to_json)'s
/// exact text stays exact. Whitespace between tokens of the input is dropped; text that is not
/// valid JSON gives no error, only an unspecified layout of the same tokens.
pub(crate) fn pretty(text: &str) -> String {
    /// Appends a newline and `depth` levels of indentation.
    fn new_line(out: &mut String, depth: usize) {
        out.push('\n');
        for _ in 0..depth {
            out.push_str("  ");
        }
    }
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len() + text.len() / 2);
    let mut depth = 0usize;
    let mut at = 0;
    while let Some(&byte) = bytes.get(at) {
        match byte {
            b'{' | b'[' => {
                let close = if byte == b'{' { b'}' } else { b']' };
                let mut next = at + 1;
                while bytes.get(next).is_some_and(u8::is_ascii_whitespace) {
                    next += 1;
                }
                if bytes.get(next) == Some(&close) {
                    out.push(char::from(byte));
                    out.push(char::from(close));
                    at = next + 1;
                    continue;
                }
                out.push(char::from(byte));
                depth += 1;
                new_line(&mut out, depth);
                at += 1;
            }
            b'}' | b']' => {
                depth = depth.saturating_sub(1);
                new_line(&mut out, depth);
                out.push(char::from(byte));
                at += 1;
            }
            b',' => {
                out.push(',');
                new_line(&mut out, depth);
                at += 1;
            }
            b':' => {
                out.push_str(": ");
                at += 1;
            }
            b'"' => {
                // The string up to its closing quote, escapes and all.
                let mut end = at + 1;
                loop {
                    end = find_special(bytes, end);
                    match bytes.get(end) {
                        Some(b'\\') => end += 2,
                        Some(b'"') => {
                            end += 1;
                            break;
                        }
                        Some(_) => end += 1,
                        None => break,
                    }
                }
                let end = end.min(bytes.len());
                out.push_str(text.get(at..end).unwrap_or_default());
                at = end;
            }
            b' ' | b'\t' | b'\n' | b'\r' => at += 1,
            _ => {
                // A number or a literal: up to the next structural byte or whitespace.
                let mut end = at + 1;
                while bytes.get(end).is_some_and(|&b| {
                    !matches!(b, b'{' | b'}' | b'[' | b']' | b',' | b':' | b'"')
                        && !b.is_ascii_whitespace()
                }) {
                    end += 1;
                }
                out.push_str(text.get(at..end).unwrap_or_default());
                at = end;
            }
        }
    }
    out
}

#[cfg(test)]
mod pretty_tests {
    use super::pretty;

    #[test]
    fn pretty_lays_out_as_serde_json_and_copies_tokens_verbatim() {
        let compact = r#"{"a":[],"b":{},"c":[1,{"d":"x,:{}[]\"\\"}],"e":1e+21,"f":-0.5,"g":null,"h":"é\u0001","i":[true,false]}"#;
        let expected = r#"{
  "a": [],
  "b": {},
  "c": [
    1,
    {
      "d": "x,:{}[]\"\\"
    }
  ],
  "e": 1e+21,
  "f": -0.5,
  "g": null,
  "h": "é\u0001",
  "i": [
    true,
    false
  ]
}"#;
        assert_eq!(pretty(compact), expected);
        // The layout is serde_json's (with a number both spell alike).
        let same_tokens = compact.replace("1e+21", "21");
        let value: serde_json::Value = serde_json::from_str(&same_tokens).unwrap();
        assert_eq!(
            pretty(&same_tokens),
            serde_json::to_string_pretty(&value).unwrap()
        );
        // Whitespace in the input is dropped first; scalars stand alone.
        assert_eq!(pretty(" [ 1 , { } , [ ] ]\n"), "[\n  1,\n  {},\n  []\n]");
        assert_eq!(pretty("\"a b\""), "\"a b\"");
        assert_eq!(pretty("12.50"), "12.50");
        assert_eq!(pretty(""), "");
        // Text cut short gives no panic.
        assert_eq!(pretty(r#"{"a":"b\"#), "{\n  \"a\": \"b\\");
    }
}
