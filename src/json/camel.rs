//! camelCasing of JSON keys, exactly as the reference does it.
//!
//! The reference's `toCamelCaseKey` removes each `_` or `-` that is immediately followed by an
//! ASCII letter or digit and uppercases that character; nothing else changes. [`camel_key`] is
//! that function. [`Camel`] applies it while deserializing: it wraps any [`Deserializer`] and
//! rewrites object keys as they are read, so typed values are built straight from the original
//! JSON without an intermediate camelCased tree.
//!
//! The reference camelCases some values twice (`toCamelCaseDeep` of `toCamelCaseDeep`), and
//! `JSON.parse` merges duplicate keys before either pass. [`Camel`] reproduces that in one
//! pass over the input, with `levels` set to the number of passes: see [`CamelMap`].

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::fmt;

use compact_str::CompactString;
use serde::de::value::StrDeserializer;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use smallvec::SmallVec;

use crate::json::known_keys;
use crate::json::wire::{Checked, KeySeed};

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
    if !needs_camel(key) {
        return Cow::Borrowed(key);
    }
    let mut bytes = key.as_bytes().to_vec();
    camel_bytes(&mut bytes);
    match String::from_utf8(bytes) {
        Ok(key) => Cow::Owned(key),
        // Only ASCII bytes change, so the result is UTF-8; keep the key rather than panic.
        Err(_) => Cow::Borrowed(key),
    }
}

/// Whether [`camel_key`] could change `key`.
fn needs_camel(key: &str) -> bool {
    key.bytes().any(|b| b == b'_' || b == b'-')
}

/// One camelCase pass over the bytes of a key, in place (the key never grows). Only ASCII
/// bytes are touched, so UTF-8 stays valid.
pub(crate) fn camel_bytes(bytes: &mut Vec<u8>) {
    let (len, _) = camel_slice(bytes, 0);
    bytes.truncate(len);
}

/// [`camel_bytes`] on a slice, from `start` (no `_` or `-` comes before it). Returns the new
/// length (the rest of the slice is left over) and where the first `_` or `-` left is, if any.
fn camel_slice(bytes: &mut [u8], start: usize) -> (usize, Option<usize>) {
    let mut read = start;
    let mut write = start;
    let mut left = None;
    while let Some(&byte) = bytes.get(read) {
        read += 1;
        let mut out = byte;
        if byte == b'_' || byte == b'-' {
            match bytes.get(read) {
                Some(&next) if next.is_ascii_alphanumeric() => {
                    out = next.to_ascii_uppercase();
                    read += 1;
                }
                _ => {
                    if left.is_none() {
                        left = Some(write);
                    }
                }
            }
        }
        if let Some(slot) = bytes.get_mut(write) {
            *slot = out;
        }
        write += 1;
    }
    (write, left)
}

/// Applies [`camel_key`] `levels` times.
#[cfg(test)]
pub(crate) fn camel_key_levels(key: &str, levels: u8) -> Cow<'_, str> {
    let mut key = Cow::Borrowed(key);
    for _ in 0..levels {
        if let Cow::Owned(changed) = camel_key(&key) {
            key = Cow::Owned(changed);
        }
    }
    key
}

/// The reference's `toCamelField`: only `_` followed by a lowercase ASCII letter changes
/// (`message_template_status_update` → `messageTemplateStatusUpdate`, `field_2x` stays).
/// Meta's own fields are found in the common-key table, whose forms follow the same rule (its
/// tests check each against [`camel_field_written`]).
pub(crate) fn camel_field(field: &str) -> CompactString {
    if !field.as_bytes().contains(&b'_') {
        return CompactString::from(field);
    }
    match known_keys::camel_of(key_hash(field.as_bytes()), field) {
        Some((camel, _)) => CompactString::const_new(camel),
        None => camel_field_written(field),
    }
}

/// [`camel_field`] written byte by byte.
pub(crate) fn camel_field_written(field: &str) -> CompactString {
    // Written byte by byte, on the stack for the usual short names.
    let bytes = field.as_bytes();
    let mut out: SmallVec<[u8; 64]> = SmallVec::with_capacity(bytes.len());
    let mut read = 0;
    while let Some(&byte) = bytes.get(read) {
        match bytes.get(read + 1) {
            Some(next) if byte == b'_' && next.is_ascii_lowercase() => {
                out.push(next.to_ascii_uppercase());
                read += 2;
            }
            _ => {
                out.push(byte);
                read += 1;
            }
        }
    }
    // Only ASCII bytes changed: still UTF-8.
    std::str::from_utf8(&out).map_or_else(|_| CompactString::from(field), CompactString::from)
}

/// A [`Deserializer`] adapter that camelCases object keys `levels` times as they are read:
/// at every depth (`deep`), or only the keys of the outermost object (its values are passed
/// through untouched, for a consumer that camelCases each value itself).
pub(crate) struct Camel<D> {
    inner: D,
    mode: Mode,
}

/// How an adapter rewrites keys.
#[derive(Clone, Copy)]
struct Mode {
    /// How many camelCase passes the keys get (the reference applies one or two).
    levels: u8,
    /// Whether nested values are rewritten too.
    deep: bool,
}

impl Mode {
    /// The seed for a nested value: camelCased in turn when the mode is deep, as it is
    /// otherwise.
    fn child<S>(self, seed: S) -> CamelSeed<S> {
        CamelSeed {
            inner: seed,
            mode: self,
        }
    }
}

impl<D> Camel<D> {
    /// Keys at every depth, camelCased `levels` times.
    pub(crate) fn new(inner: D, levels: u8) -> Self {
        Camel {
            inner,
            mode: Mode { levels, deep: true },
        }
    }

    /// Only the outermost object's keys, camelCased `levels` times.
    pub(crate) fn keys_only(inner: D, levels: u8) -> Self {
        Camel {
            inner,
            mode: Mode {
                levels,
                deep: false,
            },
        }
    }
}

macro_rules! forward_deserialize {
    ($($method:ident $(($($arg:ident: $ty:ty),*))?;)*) => {
        $(
            fn $method<V: Visitor<'de>>(self, $($($arg: $ty,)*)? visitor: V) -> Result<V::Value, D::Error> {
                self.inner.$method($($($arg,)*)? CamelVisitor { inner: visitor, mode: self.mode })
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
    mode: Mode,
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
        self.inner.visit_some(Camel {
            inner: d,
            mode: self.mode,
        })
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<V::Value, D::Error> {
        self.inner.visit_newtype_struct(Camel {
            inner: d,
            mode: self.mode,
        })
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<V::Value, A::Error> {
        self.inner.visit_seq(CamelSeq {
            inner: seq,
            mode: self.mode,
        })
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        self.inner.visit_map(CamelMap::new(map, self.mode))
    }

    fn visit_enum<A: de::EnumAccess<'de>>(self, data: A) -> Result<V::Value, A::Error> {
        // JSON has no enums of its own; serde_json only calls this from `deserialize_enum`,
        // which none of this crate's types use.
        self.inner.visit_enum(data)
    }
}

struct CamelSeq<A> {
    inner: A,
    mode: Mode,
}

impl<'de, A: SeqAccess<'de>> SeqAccess<'de> for CamelSeq<A> {
    type Error = A::Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, A::Error> {
        self.inner.next_element_seed(self.mode.child(seed))
    }

    fn size_hint(&self) -> Option<usize> {
        self.inner.size_hint()
    }
}

/// An object whose keys are camelCased as they are read, with JavaScript's order of events:
/// `JSON.parse` first merges exact duplicate keys (the last value, at the first key's place);
/// then each camelCase pass visits the keys in that order, and a key that collides with an
/// earlier one overwrites its value. So a pair is passed on unless it is a duplicate (at some
/// pass) of a key that a *later* key with the same camelCased form has since overwritten; such a
/// pair is read, checked and dropped.
///
/// Duplicates and collisions are rare. The hash of each key's final (camelCased) form lets the
/// common case skip the exact analysis: a final key whose hash is new cannot repeat anything
/// (a hash seen before, even by accident, only costs the analysis).
struct CamelMap<'de, A> {
    inner: A,
    mode: Mode,
    /// The distinct original keys so far, in first-seen order.
    seen: SeenKeys<'de>,
    /// The current camelCased key.
    buffer: KeyBuffer,
}

impl<'de, A> CamelMap<'de, A> {
    fn new(inner: A, mode: Mode) -> Self {
        CamelMap {
            inner,
            mode,
            seen: SeenKeys::default(),
            buffer: KeyBuffer::default(),
        }
    }
}

impl<'de, A: MapAccess<'de>> CamelMap<'de, A> {
    /// Reads the next key that is passed on (see [`CamelMap`]) and gives its final form: text
    /// borrowed from the input or from [`known_keys`], or `None` when it is in the
    /// [`KeyBuffer`].
    ///
    /// One copy per map type, whatever reads the key: every typed struct's key seed shares it.
    #[inline(never)]
    fn read_key(&mut self) -> Result<Option<Option<&'de str>>, A::Error> {
        loop {
            let Some(key) = self.inner.next_key_seed(KeySeed)? else {
                return Ok(None);
            };
            let (hash, at) = match (scan_key(key.as_bytes()), &key) {
                // The usual key: borrowed, and no camelCase pass changes it.
                ((hash, None), Cow::Borrowed(key)) => (hash, Some(*key)),
                ((hash, first), _) => self.final_form(&key, hash, first),
            };
            if self.seen.has_hash(hash) {
                match self.seen.judge(&key, hash, self.mode.levels) {
                    Verdict::Drop => {
                        self.inner.next_value::<Checked>()?;
                        continue;
                    }
                    Verdict::Pass { is_new: false } => return Ok(Some(at)),
                    Verdict::Pass { is_new: true } => {}
                }
            }
            self.seen.push(hash, key);
            return Ok(Some(at));
        }
    }

    /// The final form of a key that camelCasing may change (its first `_` or `-` is at `first`)
    /// or that is not borrowed from the input, and that form's hash (`raw_hash` is the key's):
    /// from [`known_keys`], or written into the [`KeyBuffer`] (`None`).
    fn final_form(
        &mut self,
        key: &str,
        raw_hash: u64,
        first: Option<usize>,
    ) -> (u64, Option<&'de str>) {
        let Some(start) = first else {
            // An escaped key: as it is, from the buffer.
            self.buffer.set(key, 0, 0);
            return (raw_hash, None);
        };
        let (known, hash) =
            separated_form(key, raw_hash, start, self.mode.levels, &mut self.buffer);
        (hash, known)
    }
}

/// The final form of `key` (its hash `raw_hash`, its first `_` or `-` at `start`) camelCased
/// `levels` times, and that form's [`key_hash`]: from [`known_keys`] (`Some`), or written into
/// `buffer` (`None`). One step for [`CamelMap`] and [`final_key`].
#[inline]
fn separated_form(
    key: &str,
    raw_hash: u64,
    start: usize,
    levels: u8,
    buffer: &mut KeyBuffer,
) -> (Option<&'static str>, u64) {
    match known_keys::camel_of(raw_hash, key) {
        Some((camel, hash)) if levels > 0 => (Some(camel), hash),
        _ => {
            buffer.set(key, start, levels);
            (None, key_hash(buffer.get()))
        }
    }
}

/// The final form of a key without escapes, camelCased `levels` times, and that form's
/// [`key_hash`]: the key itself when no pass changes it, from [`known_keys`], or written into
/// `buffer`. (What [`CamelMap`] does for each key, for readers that read keys themselves.)
#[inline]
pub(crate) fn final_key<'k>(key: &'k str, levels: u8, buffer: &'k mut KeyBuffer) -> (&'k str, u64) {
    let (hash, first) = scan_key(key.as_bytes());
    match first {
        Some(start) if levels > 0 => match separated_form(key, hash, start, levels, buffer) {
            (Some(known), hash) => (known, hash),
            (None, hash) => (buffer.as_str(), hash),
        },
        _ => (key, hash),
    }
}

/// Room for one camelCased key: inline for the usual short keys, on the heap for long ones.
#[derive(Default)]
pub(crate) struct KeyBuffer(SmallVec<[u8; 32]>);

impl KeyBuffer {
    /// Stores `key` camelCased `levels` times; its first `_` or `-` is at `start`.
    fn set(&mut self, key: &str, start: usize, levels: u8) {
        let bytes = &mut self.0;
        bytes.clear();
        bytes.extend_from_slice(key.as_bytes());
        let mut len = bytes.len();
        let mut next = Some(start);
        for _ in 0..levels {
            // A pass changes nothing once no `_` or `-` is left.
            let Some(start) = next else {
                break;
            };
            (len, next) = camel_slice(bytes.get_mut(..len).unwrap_or_default(), start);
        }
        bytes.truncate(len);
    }

    fn get(&self) -> &[u8] {
        &self.0
    }

    fn as_str(&self) -> &str {
        // Always UTF-8: a key, with only ASCII bytes changed.
        std::str::from_utf8(self.get()).unwrap_or_default()
    }
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for CamelMap<'de, A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        let Some(key) = self.read_key()? else {
            return Ok(None);
        };
        let key = key.unwrap_or_else(|| self.buffer.as_str());
        seed.deserialize(StrDeserializer::new(key)).map(Some)
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, A::Error> {
        self.inner.next_value_seed(self.mode.child(seed))
    }

    fn size_hint(&self) -> Option<usize> {
        self.inner.size_hint()
    }
}

/// The last bytes of a key (fewer than 8) as a little-endian word padded with zeros: read with
/// two loads that may overlap (the bytes they share land in the same place), not byte by byte.
#[inline]
fn last_word(rest: &[u8]) -> u64 {
    let len = rest.len();
    if len >= 4 {
        let load = |at: usize| {
            let bytes = rest.get(at..at + 4).unwrap_or_default();
            u64::from(u32::from_le_bytes(bytes.try_into().unwrap_or_default()))
        };
        load(0) | load(len - 4) << ((len - 4) * 8)
    } else {
        let byte = |at: usize| rest.get(at).map_or(0, |&byte| u64::from(byte)) << (at * 8);
        match len {
            0 => 0,
            // The first, middle and last bytes: all of them, for up to three.
            _ => byte(0) | byte(len / 2) | byte(len - 1),
        }
    }
}

/// One step of [`key_hash`] (as FxHash, a word at a time).
fn mix(hash: u64, word: u64) -> u64 {
    (hash.rotate_left(5) ^ word).wrapping_mul(0x517c_c1b7_2722_0a95)
}

/// A cheap hash of a key, for telling keys apart.
pub(crate) fn key_hash(bytes: &[u8]) -> u64 {
    let mut hash = bytes.len() as u64;
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        hash = mix(
            hash,
            u64::from_le_bytes(chunk.try_into().unwrap_or_default()),
        );
    }
    mix(hash, last_word(chunks.remainder()))
}

/// [`key_hash`] of a key, and where its first `_` or `-` is (none: [`camel_key`] leaves the key
/// as it is), in one pass a word at a time.
#[inline]
pub(crate) fn scan_key(bytes: &[u8]) -> (u64, Option<usize>) {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    const UNDERSCORES: u64 = ONES * b'_' as u64;
    const HYPHENS: u64 = ONES * b'-' as u64;
    // The lowest bit set marks the first `_` or `-` of `word` (higher bits may be wrong).
    let separators = |word: u64| {
        let (underscores, hyphens) = (word ^ UNDERSCORES, word ^ HYPHENS);
        (underscores.wrapping_sub(ONES) & !underscores | hyphens.wrapping_sub(ONES) & !hyphens)
            & HIGHS
    };
    let mut hash = bytes.len() as u64;
    let mut first = None;
    let mut at = 0;
    let mut look = |word: u64, at: usize| {
        if first.is_none() {
            let found = separators(word);
            if found != 0 {
                first = Some(at + found.trailing_zeros() as usize / 8);
            }
        }
    };
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        let word = u64::from_le_bytes(chunk.try_into().unwrap_or_default());
        look(word, at);
        hash = mix(hash, word);
        at += 8;
    }
    let word = last_word(chunks.remainder());
    look(word, at);
    (mix(hash, word), first)
}

/// Whether a key is passed on, and whether it is new.
enum Verdict {
    Pass { is_new: bool },
    Drop,
}

/// One of an object's original keys: borrowed from the input, or the index of an owned one.
#[derive(Clone, Copy)]
enum SeenKey<'de> {
    Input(&'de str),
    Owned(usize),
}

/// How many keys [`SeenKeys`] holds inline: most objects never allocate.
const INLINE_KEYS: usize = 8;

/// The distinct original keys of one object so far, in first-seen order, each with the hash
/// ([`key_hash`]) of its final form.
struct SeenKeys<'de> {
    hashes: [u64; INLINE_KEYS],
    keys: [SeenKey<'de>; INLINE_KEYS],
    len: usize,
    /// What only big objects, escaped keys and repeats need: most objects never allocate it.
    more: Option<Box<MoreKeys<'de>>>,
}

/// The rarely needed part of [`SeenKeys`].
#[derive(Default)]
struct MoreKeys<'de> {
    /// The keys after the first [`INLINE_KEYS`].
    spilled: Vec<(u64, SeenKey<'de>)>,
    /// Their hashes, so that a big object's are not compared one by one.
    spilled_hashes: HashSet<u64>,
    /// The keys that could not be borrowed from the input.
    owned: Vec<String>,
    /// The rare keys whose final form's hash repeats.
    collisions: Collisions,
}

impl Default for SeenKeys<'_> {
    fn default() -> Self {
        SeenKeys {
            hashes: [0; INLINE_KEYS],
            // All zeros: cheap to write. Only the first `len` are keys.
            keys: [SeenKey::Owned(0); INLINE_KEYS],
            len: 0,
            more: None,
        }
    }
}

impl<'de> SeenKeys<'de> {
    /// Whether some key's final form has this hash.
    #[inline]
    fn has_hash(&self, hash: u64) -> bool {
        self.hashes
            .get(..self.len)
            .unwrap_or_default()
            .contains(&hash)
            || self.more.as_ref().is_some_and(|more| {
                !more.spilled_hashes.is_empty() && more.spilled_hashes.contains(&hash)
            })
    }

    fn more(&mut self) -> &mut MoreKeys<'de> {
        self.more.get_or_insert_with(Box::default)
    }

    /// Records a key known to be new, with the hash of its final form.
    #[inline]
    fn push(&mut self, hash: u64, key: Cow<'de, str>) {
        let key = match key {
            Cow::Borrowed(key) => SeenKey::Input(key),
            Cow::Owned(key) => self.own(key),
        };
        match (self.hashes.get_mut(self.len), self.keys.get_mut(self.len)) {
            (Some(seen_hash), Some(seen_key)) => {
                *seen_hash = hash;
                *seen_key = key;
                self.len += 1;
            }
            _ => {
                let more = self.more();
                more.spilled.push((hash, key));
                more.spilled_hashes.insert(hash);
            }
        }
    }

    #[cold]
    fn own(&mut self, key: String) -> SeenKey<'de> {
        let owned = &mut self.more().owned;
        owned.push(key);
        SeenKey::Owned(owned.len() - 1)
    }

    /// The exact rule for a key whose final form's hash was seen before (see [`Collisions`]).
    #[cold]
    #[inline(never)]
    fn judge(&mut self, key: &str, hash: u64, levels: u8) -> Verdict {
        let (hashes, keys, len) = (&self.hashes, &self.keys, self.len);
        let MoreKeys {
            spilled,
            owned,
            collisions,
            ..
        } = &mut **self.more.get_or_insert_with(Box::default);
        if collisions.replayed.insert(hash) {
            // The first repeat of this hash: catch up with the earlier keys that have it.
            let earlier = hashes
                .iter()
                .copied()
                .zip(keys.iter().copied())
                .take(len)
                .chain(spilled.iter().copied())
                .filter(|&(seen, _)| seen == hash);
            for (_, seen) in earlier {
                let seen = match seen {
                    SeenKey::Input(key) => key,
                    SeenKey::Owned(index) => owned.get(index).map_or("", String::as_str),
                };
                collisions.judge(seen, levels);
            }
        }
        collisions.judge(key, levels)
    }
}

/// The keys of one object whose final forms repeat, and which of them wins each final form.
///
/// `JSON.parse` keeps each distinct key once, at its first place, with its last value; each
/// camelCase pass then builds a new object in that order, where a later key overwrites an
/// earlier one with the same camelCased form. So the value that ends up under a final form is
/// the last value of one original key, found from the top pass down: among the forms (at the
/// pass before last) that camelCase to it, the one that first appeared latest; among the forms
/// before that which camelCase to this one, again the one that first appeared latest; and so on
/// down to an original key. A pair is passed on when its key is (now) that winner, so the last
/// pair passed on for a final form carries the winner's last value; any other is dropped.
/// Each key costs a few hash lookups, however many keys share its final form.
#[derive(Default)]
struct Collisions {
    /// The final-form hashes whose earlier keys have been caught up with.
    replayed: HashSet<u64>,
    /// The forms seen at each pass (index 0: the original keys).
    seen: Vec<HashSet<String>>,
    /// For each final form, the winner's forms at each pass (index 0: the original key).
    winners: HashMap<String, Vec<String>>,
}

impl Collisions {
    fn judge(&mut self, key: &str, levels: u8) -> Verdict {
        let levels = usize::from(levels);
        let mut forms = vec![key.to_owned()];
        for _ in 0..levels {
            let next = forms.last().map(|form| camel_key(form).into_owned());
            forms.extend(next);
        }
        let final_form = forms.pop().unwrap_or_default();
        if self.seen.len() < forms.len() {
            self.seen.resize_with(forms.len(), HashSet::new);
        }
        let seen = |pass: usize, form: &String| {
            self.seen
                .get(pass)
                .is_some_and(|forms| forms.contains(form))
        };
        let is_new = !forms.first().is_some_and(|key| seen(0, key));
        let wins = match self.winners.get(&final_form) {
            None => true,
            Some(winner) => {
                // From the pass before last down: a form new at some pass first appeared
                // latest, so it wins; a form seen before must be the winner's to go on.
                let mut wins = true;
                for (pass, (form, winning)) in forms.iter().zip(winner).enumerate().rev() {
                    if !seen(pass, form) {
                        break;
                    }
                    if form != winning {
                        wins = false;
                        break;
                    }
                }
                wins
            }
        };
        for (pass, form) in forms.iter().enumerate() {
            if let Some(seen) = self.seen.get_mut(pass) {
                seen.insert(form.clone());
            }
        }
        if wins {
            self.winners.insert(final_form, forms);
            Verdict::Pass { is_new }
        } else {
            Verdict::Drop
        }
    }
}

/// A [`DeserializeSeed`] that camelCases the keys of what it reads, at every depth (or, from a
/// map or list that camelCases only its own keys, reads a nested value as it is).
pub(crate) struct CamelSeed<S> {
    inner: S,
    mode: Mode,
}

impl<S> CamelSeed<S> {
    /// Keys at every depth, camelCased `levels` times.
    pub(crate) fn new(inner: S, levels: u8) -> Self {
        CamelSeed {
            inner,
            mode: Mode { levels, deep: true },
        }
    }
}

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for CamelSeed<S> {
    type Value = S::Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<S::Value, D::Error> {
        if self.mode.deep {
            self.inner.deserialize(Camel {
                inner: d,
                mode: self.mode,
            })
        } else {
            self.inner.deserialize(d)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A change's `field`: only `_` and a lowercase ASCII letter become the letter in uppercase.
    #[test]
    fn fields_camel_case_as_the_reference_does() {
        for (field, camel) in [
            ("messages", "messages"),
            (
                "message_template_status_update",
                "messageTemplateStatusUpdate",
            ),
            ("field_2x", "field_2x"),
            ("a__b", "a_B"),
            ("_a", "A"),
            ("a_", "a_"),
            ("a_B", "a_B"),
            ("a-b_c", "a-bC"),
            ("é_é", "é_é"),
            ("x_é_y", "x_éY"),
            ("", ""),
            ("_", "_"),
        ] {
            assert_eq!(camel_field(field), camel, "{field}");
        }
    }
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
        assert_eq!(camel_key_levels("a__b", 2), "aB");
        assert_eq!(camel_key_levels("a___b", 2), "a_B");
    }

    #[test]
    fn key_scan_matches_the_hash_and_a_byte_by_byte_search() {
        // Every length around the word boundaries, separators at every place.
        for len in 0..=26 {
            let key: Vec<u8> = (0..len).map(|i| b"abcdefghijklmnopqrstuvwxyz"[i]).collect();
            assert_eq!(scan_key(&key), (key_hash(&key), None), "{len} bytes");
            for at in 0..len {
                for separator in [b'_', b'-'] {
                    let mut with = key.clone();
                    with[at] = separator;
                    if at + 2 < len {
                        with[at + 2] = b'_';
                    }
                    assert_eq!(scan_key(&with), (key_hash(&with), Some(at)), "{with:?}");
                }
            }
        }
        // The last word, read with overlapping loads, is the bytes one by one.
        for len in 0..8 {
            let rest: Vec<u8> = (1..=len as u8).map(|byte| byte * 17).collect();
            let by_bytes = rest
                .iter()
                .rev()
                .fold(0, |word, &b| word << 8 | u64::from(b));
            assert_eq!(last_word(&rest), by_bytes, "{len} bytes");
        }
        // Keys that differ only in their last bytes hash apart.
        assert_ne!(key_hash(b"abcdefghi"), key_hash(b"abcdefghj"));
        assert_ne!(key_hash(b"abc"), key_hash(b"abc\0"));
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
        let mut reader = serde_json::Deserializer::from_str(r#"{"wa_id":"1","x":0,"waId":"2"}"#);
        let out = Ordered::deserialize(Camel::new(&mut reader, 1)).unwrap();
        assert_eq!(out, Ordered::of(&[("waId", json!("2")), ("x", json!(0))]));
    }

    /// An object's pairs in order, a repeated key replacing the value in its place: a
    /// JavaScript object (the crate's `Map` may sort its keys).
    #[derive(Debug, PartialEq, Default)]
    struct Ordered(Vec<(String, Value)>);

    impl Ordered {
        fn of(pairs: &[(&str, Value)]) -> Ordered {
            Ordered(
                pairs
                    .iter()
                    .map(|(key, value)| ((*key).to_owned(), value.clone()))
                    .collect(),
            )
        }

        fn insert(&mut self, key: String, value: Value) {
            match self.0.iter_mut().find(|(known, _)| *known == key) {
                Some((_, slot)) => *slot = value,
                None => self.0.push((key, value)),
            }
        }
    }

    impl<'de> Deserialize<'de> for Ordered {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct OrderedVisitor;
            impl<'de> Visitor<'de> for OrderedVisitor {
                type Value = Ordered;
                fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str("an object")
                }
                fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Ordered, A::Error> {
                    let mut out = Ordered::default();
                    while let Some((key, value)) = map.next_entry::<String, Value>()? {
                        out.insert(key, value);
                    }
                    Ok(out)
                }
            }
            d.deserialize_map(OrderedVisitor)
        }
    }

    /// A seeded xorshift: each call gives a number below `bound`.
    fn random(mut state: u64) -> impl FnMut(usize) -> usize {
        move |bound| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % bound as u64) as usize
        }
    }

    /// The adapter with one and two levels equals `JSON.parse` then as many passes written the
    /// obvious way.
    fn assert_fused_equals_nested(text: &str, case: usize) {
        // `JSON.parse`: a repeated key keeps its first place and takes the last value.
        let parsed: Ordered = serde_json::from_str(text).unwrap();
        for levels in [1u8, 2] {
            let mut reader = serde_json::Deserializer::from_str(text);
            let fused = Ordered::deserialize(Camel::new(&mut reader, levels)).unwrap();
            let mut nested = Ordered(parsed.0.clone());
            for _ in 0..levels {
                let mut pass = Ordered::default();
                for (key, value) in nested.0 {
                    pass.insert(camel_key(&key).into_owned(), value);
                }
                nested = pass;
            }
            assert_eq!(fused, nested, "case {case}, levels {levels}: {text}");
        }
    }

    /// One adapter with `levels: 2` must equal two nested one-pass adapters (the reference's
    /// two passes), whatever the duplicates and collisions.
    #[test]
    fn fused_levels_equal_nested_passes() {
        let alphabet = [
            "a_b", "aB", "a__b", "a_B", "a-b", "ab", "A_b", "a___b", "a_-b", "x",
        ];
        let mut next = random(0x9E37_79B9_7F4A_7C15);
        for case in 0..5000 {
            let pairs: Vec<String> = (0..1 + next(7))
                .map(|value| format!("{:?}:{value}", alphabet[next(alphabet.len())]))
                .collect();
            assert_fused_equals_nested(&format!("{{{}}}", pairs.join(",")), case);
        }
    }

    /// Objects with more keys than fit inline, some of them escaped (so not borrowed from the
    /// input), some too long for the inline buffer: still the reference's passes.
    #[test]
    fn long_objects_and_owned_keys_equal_nested_passes() {
        let alphabet = [
            "a_b",
            "aB",
            "a__b",
            "a-b",
            "x_y",
            "xY",
            "k1",
            "k_1",
            "k-2",
            "k2",
            "é_b",
            "éB",
            "a_very_long_key_of_more_than_32_bytes",
            "aVeryLongKeyOfMoreThan32Bytes",
            "a_very_long_key_of_more_than_32__bytes",
        ];
        let mut next = random(0x2545_F491_4F6C_DD1D);
        for case in 0..2000 {
            let pairs: Vec<String> = (0..next(30))
                .map(|value| {
                    let key = alphabet[next(alphabet.len())];
                    let key = if next(3) == 0 {
                        key.replace('_', "\\u005f")
                    } else {
                        key.to_owned()
                    };
                    format!("\"{key}\":{value}")
                })
                .collect();
            assert_fused_equals_nested(&format!("{{{}}}", pairs.join(",")), case);
        }
    }

    /// The word-at-a-time scan finds the first `_` or `-` exactly, whatever its neighbours, and
    /// hashes the whole key.
    #[test]
    fn scan_finds_separators_exactly() {
        let pieces = [
            "_", "-", "a", "^", "`", ",", ".", "\u{0}", "\u{ad}", "\u{7df}", "é", "Z", "\u{7f}",
        ];
        let mut next = random(0x9E37_79B9_7F4A_7C15);
        for _ in 0..20_000 {
            let key: String = (0..next(24)).map(|_| pieces[next(pieces.len())]).collect();
            let (hash, first) = scan_key(key.as_bytes());
            assert_eq!(first, key.find(['_', '-']), "{key:?}");
            assert_eq!(hash, key_hash(key.as_bytes()), "{key:?}");
        }
    }
}
