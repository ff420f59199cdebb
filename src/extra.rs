//! [`Extra`]: the keys of an object that its typed struct did not type, kept as text, and the
//! order every key of the object came in.

use std::fmt;

use compact_str::CompactString;
use serde::de::{MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;
use smallvec::SmallVec;

use crate::json::stringify::JsText;
use crate::json::wire::KeySeed;
use crate::raw_json::RawJson;

/// In [`Extra`]'s order: the next kept key (any other code is a typed field's index).
const KEPT: u8 = u8::MAX;

/// What a typed struct did not type: unknown keys, nulls, and values of an unexpected type,
/// each kept as [`RawJson`] text in the order it came in. Nothing is lost.
///
/// Every typed struct (`Message`, `Status`, their parts, …) has one, as its `extra` field. It
/// also remembers the order of *all* the object's keys, typed or not, so that the struct is
/// written back with its keys in the order they came in, as the reference writes them. Keys set
/// in code come after those.
///
/// ```
/// let body = br#"{"entry":[{"changes":[{"field":"messages","value":{"messages":[
///   {"new_key":{"x":1.0},"from":"1","id":5,"timestamp":"1732000000"}]}}]}]}"#;
/// let webhook = kapso_webhooks::normalize_webhook(body)?;
/// let message = &webhook.messages()[0];
/// // An unknown key, and a known key of an unexpected type (a number, not a string).
/// assert_eq!(message.extra.get("newKey"), Some(&serde_json::json!({"x": 1})));
/// assert_eq!(message.extra.get_json("id").map(|raw| raw.as_str()), Some("5"));
/// assert_eq!(message.extra.keys().collect::<Vec<_>>(), ["newKey", "id"]);
/// // Written back in the order the keys came in, numbers as JavaScript writes them.
/// assert!(webhook.to_json().contains(r#"{"newKey":{"x":1},"from":"1","id":5,"timestamp":"1732000000""#));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Default)]
pub struct Extra {
    entries: Vec<(CompactString, RawJson)>,
    /// The order the object's keys came in: a typed field's index, or [`KEPT`] for the next
    /// entry.
    order: SmallVec<[u8; 16]>,
    /// Which typed fields (of the first 64) are in `order`: a bit per index.
    typed: u64,
}

impl Extra {
    /// A new, empty `Extra`.
    ///
    /// ```
    /// assert!(kapso_webhooks::Extra::new().is_empty());
    /// ```
    pub fn new() -> Extra {
        Extra::default()
    }

    /// The value of `key`, parsed on first use (see [`RawJson::value`]).
    ///
    /// ```
    /// let mut extra = kapso_webhooks::Extra::new();
    /// extra.insert("a", serde_json::json!([1]));
    /// assert_eq!(extra.get("a"), Some(&serde_json::json!([1])));
    /// assert_eq!(extra.get("b"), None);
    /// ```
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.get_json(key).map(RawJson::value)
    }

    /// The value of `key`, as text.
    ///
    /// ```
    /// let mut extra = kapso_webhooks::Extra::new();
    /// extra.insert("a", serde_json::json!({"b": 1.0}));
    /// assert_eq!(extra.get_json("a").unwrap().as_str(), r#"{"b":1}"#);
    /// ```
    pub fn get_json(&self, key: &str) -> Option<&RawJson> {
        self.entries
            .iter()
            .find(|(known, _)| known == key)
            .map(|(_, value)| value)
    }

    /// Whether `key` is kept here.
    ///
    /// ```
    /// let mut extra = kapso_webhooks::Extra::new();
    /// extra.insert("a", serde_json::Value::Null);
    /// assert!(extra.contains_key("a"));
    /// ```
    pub fn contains_key(&self, key: &str) -> bool {
        self.position(key).is_some()
    }

    /// How many keys are kept.
    ///
    /// ```
    /// assert_eq!(kapso_webhooks::Extra::new().len(), 0);
    /// ```
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether no key is kept.
    ///
    /// ```
    /// assert!(kapso_webhooks::Extra::new().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The keys, in the order they came in.
    ///
    /// ```
    /// let mut extra = kapso_webhooks::Extra::new();
    /// extra.insert("b", 1.into());
    /// extra.insert("a", 2.into());
    /// assert_eq!(extra.keys().collect::<Vec<_>>(), ["b", "a"]);
    /// ```
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.entries.iter().map(|(key, _)| key.as_str())
    }

    /// The keys and their values as text, in the order they came in.
    ///
    /// ```
    /// let mut extra = kapso_webhooks::Extra::new();
    /// extra.insert("a", serde_json::json!(true));
    /// let pairs: Vec<_> = extra.iter().map(|(key, value)| (key, value.as_str())).collect();
    /// assert_eq!(pairs, [("a", "true")]);
    /// ```
    pub fn iter(&self) -> impl Iterator<Item = (&str, &RawJson)> {
        self.entries
            .iter()
            .map(|(key, value)| (key.as_str(), value))
    }

    /// Keeps `value` under `key`: in the place of an earlier value of `key`, or last. Returns
    /// the earlier value.
    ///
    /// ```
    /// let mut extra = kapso_webhooks::Extra::new();
    /// assert_eq!(extra.insert("a", 1.into()), None);
    /// assert_eq!(extra.insert("a", 2.into()).map(|old| old.into_value()), Some(1.into()));
    /// ```
    pub fn insert(&mut self, key: &str, value: Value) -> Option<RawJson> {
        self.insert_json(key, RawJson::from(value))
    }

    /// [`Extra::insert`] for a value already kept as text.
    ///
    /// ```
    /// let mut extra = kapso_webhooks::Extra::new();
    /// extra.insert_json("a", kapso_webhooks::RawJson::from(serde_json::json!([])));
    /// assert_eq!(extra.get_json("a").unwrap().as_str(), "[]");
    /// ```
    pub fn insert_json(&mut self, key: &str, value: RawJson) -> Option<RawJson> {
        self.record_kept(None, key, value)
    }

    /// Removes `key`, returning its value.
    ///
    /// ```
    /// let mut extra = kapso_webhooks::Extra::new();
    /// extra.insert("a", 1.into());
    /// assert!(extra.remove("a").is_some());
    /// assert!(extra.is_empty());
    /// ```
    pub fn remove(&mut self, key: &str) -> Option<RawJson> {
        let index = self.position(key)?;
        if let Some(code) = self.kept_code(index) {
            self.order.remove(code);
        }
        Some(self.entries.remove(index).1)
    }

    /// Where `key` is among the entries.
    fn position(&self, key: &str) -> Option<usize> {
        self.entries.iter().position(|(known, _)| known == key)
    }

    /// Where the code of the entry at `index` is in `order`.
    fn kept_code(&self, index: usize) -> Option<usize> {
        self.order
            .iter()
            .enumerate()
            .filter(|(_, &code)| code == KEPT)
            .nth(index)
            .map(|(at, _)| at)
    }

    /// Records that the typed field `field` (its index) took the value of `key`: in the place of
    /// a value kept for `key` earlier (which is dropped), or of its own earlier value, or last.
    #[inline(always)]
    pub(crate) fn record_typed(&mut self, field: u8, key: &str) {
        // The usual case: a key met for the first time, nothing kept yet.
        let bit = bit(field);
        if self.entries.is_empty() && bit != 0 {
            if self.typed & bit == 0 {
                self.typed |= bit;
                self.order.push(field);
            }
            return;
        }
        self.record_typed_slow(field, key);
    }

    /// [`Extra::record_typed`] when keys were kept, or for a field past the 64th.
    #[inline(never)]
    fn record_typed_slow(&mut self, field: u8, key: &str) {
        if !self.entries.is_empty() {
            if let Some(index) = self.position(key) {
                self.entries.remove(index);
                if let Some(code) = self.kept_code(index).and_then(|at| self.order.get_mut(at)) {
                    *code = field;
                    self.typed |= bit(field);
                    return;
                }
            }
        }
        if !self.has_typed(field) {
            self.order.push(field);
            self.typed |= bit(field);
        }
    }

    /// Whether the typed field `field` has its place in `order`.
    #[inline]
    fn has_typed(&self, field: u8) -> bool {
        match bit(field) {
            0 => self.order.contains(&field),
            bit => self.typed & bit != 0,
        }
    }

    /// Keeps `value` for `key` (the key of the typed field `field`, if it has one): in the place
    /// of an earlier value of `key`, typed or kept, or last.
    /// Returns the value it replaces, if `key` was kept already.
    pub(crate) fn record_kept(
        &mut self,
        field: Option<u8>,
        key: &str,
        value: RawJson,
    ) -> Option<RawJson> {
        if let Some(index) = self.position(key) {
            return self
                .entries
                .get_mut(index)
                .map(|(_, old)| std::mem::replace(old, value));
        }
        let typed_at = field.and_then(|field| self.order.iter().position(|&code| code == field));
        match typed_at {
            Some(at) => {
                let index = self
                    .order
                    .iter()
                    .take(at)
                    .filter(|&&code| code == KEPT)
                    .count();
                self.entries
                    .insert(index.min(self.entries.len()), (key.into(), value));
                if let Some(code) = self.order.get_mut(at) {
                    *code = KEPT;
                }
                if let Some(field) = field {
                    self.typed &= !bit(field);
                }
            }
            None => {
                self.entries.push((key.into(), value));
                self.order.push(KEPT);
            }
        }
        None
    }

    /// Forgets the place of the typed field `field`: set again, it comes last.
    pub(crate) fn forget_typed(&mut self, field: u8) {
        self.order.retain(|code| *code != field);
        self.typed &= !bit(field);
    }

    /// The order the keys came in, for writing the struct back: `Some(field)` for a typed
    /// field's index, `None` for the next kept entry.
    pub(crate) fn order(&self) -> impl Iterator<Item = Option<u8>> + '_ {
        self.order
            .iter()
            .map(|&code| if code == KEPT { None } else { Some(code) })
    }

    /// The entries, in order, for writing the struct back.
    pub(crate) fn entries(&self) -> std::slice::Iter<'_, (CompactString, RawJson)> {
        self.entries.iter()
    }
}

/// The bit of a typed field's index in [`Extra`]'s `typed` (none past 63).
fn bit(field: u8) -> u64 {
    1_u64.checked_shl(u32::from(field)).unwrap_or(0)
}

impl<'a> IntoIterator for &'a Extra {
    type Item = (&'a str, &'a RawJson);
    type IntoIter = std::iter::Map<
        std::slice::Iter<'a, (CompactString, RawJson)>,
        fn(&'a (CompactString, RawJson)) -> (&'a str, &'a RawJson),
    >;

    fn into_iter(self) -> Self::IntoIter {
        self.entries
            .iter()
            .map(|(key, value)| (key.as_str(), value))
    }
}

/// The parsed value of a key, as `serde_json::Value` indexes: a missing key gives `null`.
///
/// ```
/// let mut extra = kapso_webhooks::Extra::new();
/// extra.insert("a", serde_json::json!({"b": 2}));
/// assert_eq!(extra["a"]["b"], 2);
/// assert!(extra["missing"].is_null());
/// ```
impl std::ops::Index<&str> for Extra {
    type Output = Value;

    fn index(&self, key: &str) -> &Value {
        static NULL: Value = Value::Null;
        self.get(key).unwrap_or(&NULL)
    }
}

/// Equal when the same keys hold the same values, in whatever order.
impl PartialEq for Extra {
    fn eq(&self, other: &Self) -> bool {
        self.entries.len() == other.entries.len()
            && self
                .entries
                .iter()
                .all(|(key, value)| other.get_json(key) == Some(value))
    }
}

impl fmt::Debug for Extra {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

/// An object of the kept keys.
impl Serialize for Extra {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.entries.len()))?;
        for (key, value) in &self.entries {
            map.serialize_entry(key.as_str(), value)?;
        }
        map.end()
    }
}

/// From an object: every key kept.
impl<'de> Deserialize<'de> for Extra {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct ExtraVisitor;

        impl<'de> Visitor<'de> for ExtraVisitor {
            type Value = Extra;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Extra, A::Error> {
                let mut extra = Extra::new();
                while let Some(key) = map.next_key_seed(KeySeed)? {
                    let value = map.next_value_seed(JsText)?;
                    extra.record_kept(None, &key, RawJson::from_js_text(value));
                }
                Ok(extra)
            }
        }

        d.deserialize_map(ExtraVisitor)
    }
}
