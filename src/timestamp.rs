//! [`Timestamp`]: a point in time exactly as the webhook sent it.

use std::borrow::Cow;
use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Number;

use crate::json::reader::{GaveUp, Reader};
use crate::json::wire::{deserialize_text_or_number, read_text_direct, Field, TextOrNumber};
use crate::raw_json::RawJson;

/// A timestamp as received: Meta sends Unix seconds as a string (`"1732000000"`), sometimes as a
/// number; Kapso sends ISO 8601 / RFC 3339 strings. The original form is kept, so serializing
/// gives back exactly what arrived; [`Timestamp::to_datetime`] reads it.
///
/// ```
/// use kapso_webhooks::Timestamp;
/// let t = Timestamp::from("1732000000");
/// assert_eq!(t.to_unix_seconds(), Some(1_732_000_000));
/// assert_eq!(t.to_datetime().unwrap().to_rfc3339(), "2024-11-19T07:06:40+00:00");
/// let iso = Timestamp::from("2025-01-01T12:00:00+01:00");
/// assert_eq!(iso.to_unix_seconds(), Some(1_735_729_200));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct Timestamp(Repr);

/// Written as it was read: a string or a number.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(untagged)]
enum Repr {
    Text(Text),
    Number(Number),
}

/// How many bytes of text a [`Timestamp`] holds without allocating: Meta's Unix seconds
/// (`"1732000000"`) and RFC 3339 times without fractions (`"2025-01-01T12:00:00Z"`).
const INLINE: usize = 22;

/// A timestamp's text: short ones inline, longer ones on the heap. Compared, hashed and
/// printed as the text.
#[derive(Clone)]
enum Text {
    Inline { len: u8, bytes: [u8; INLINE] },
    Heap(Box<str>),
}

impl Text {
    fn new(text: &str) -> Text {
        let mut bytes = [0; INLINE];
        match (bytes.get_mut(..text.len()), u8::try_from(text.len())) {
            (Some(slot), Ok(len)) => {
                slot.copy_from_slice(text.as_bytes());
                Text::Inline { len, bytes }
            }
            _ => Text::Heap(text.into()),
        }
    }

    fn as_str(&self) -> &str {
        match self {
            // Always UTF-8: the bytes were copied from a `str`, whole.
            Text::Inline { len, bytes } => {
                std::str::from_utf8(bytes.get(..usize::from(*len)).unwrap_or_default())
                    .unwrap_or_default()
            }
            Text::Heap(text) => text,
        }
    }
}

impl Serialize for Text {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl PartialEq for Text {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Text {}

impl std::hash::Hash for Text {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl Timestamp {
    /// The timestamp as a UTC date-time, when it is Unix seconds (string or number) or an
    /// RFC 3339 string; `None` for anything else.
    ///
    /// ```
    /// use kapso_webhooks::Timestamp;
    /// assert!(Timestamp::from("not a time").to_datetime().is_none());
    /// ```
    pub fn to_datetime(&self) -> Option<DateTime<Utc>> {
        match &self.0 {
            Repr::Text(text) => match text.as_str().trim().parse::<i64>() {
                Ok(seconds) => DateTime::from_timestamp(seconds, 0),
                Err(_) => DateTime::parse_from_rfc3339(text.as_str().trim())
                    .ok()
                    .map(|t| t.with_timezone(&Utc)),
            },
            Repr::Number(number) => number
                .as_i64()
                .and_then(|seconds| DateTime::from_timestamp(seconds, 0)),
        }
    }

    /// Seconds since the Unix epoch, when [`Timestamp::to_datetime`] can read the value.
    ///
    /// ```
    /// use kapso_webhooks::Timestamp;
    /// assert_eq!(Timestamp::from(1_700_000_000_i64).to_unix_seconds(), Some(1_700_000_000));
    /// ```
    pub fn to_unix_seconds(&self) -> Option<i64> {
        self.to_datetime().map(|t| t.timestamp())
    }

    /// The original text, when the timestamp arrived as a string.
    ///
    /// ```
    /// use kapso_webhooks::Timestamp;
    /// assert_eq!(Timestamp::from("1700000000").as_str(), Some("1700000000"));
    /// ```
    pub fn as_str(&self) -> Option<&str> {
        match &self.0 {
            Repr::Text(text) => Some(text.as_str()),
            Repr::Number(_) => None,
        }
    }
}

impl From<&str> for Timestamp {
    fn from(text: &str) -> Self {
        Timestamp(Repr::Text(Text::new(text)))
    }
}

impl From<String> for Timestamp {
    fn from(text: String) -> Self {
        Timestamp(Repr::Text(Text::new(&text)))
    }
}

impl From<i64> for Timestamp {
    fn from(seconds: i64) -> Self {
        Timestamp(Repr::Number(seconds.into()))
    }
}

impl From<DateTime<Utc>> for Timestamp {
    /// Unix seconds as a string, the way Meta sends them.
    fn from(time: DateTime<Utc>) -> Self {
        Timestamp(Repr::Text(Text::new(&time.timestamp().to_string())))
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Repr::Text(text) => f.write_str(text.as_str()),
            Repr::Number(number) => write!(f, "{number}"),
        }
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        crate::json::wire::deserialize_strict(d, "expected a timestamp (a string or a number)")
    }
}

impl Field for Timestamp {
    fn deserialize_field<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Result<Self, RawJson>, D::Error> {
        // Strings straight from the input (a short one does not allocate); numbers from their
        // text.
        Ok(match deserialize_text_or_number(d)? {
            Ok(TextOrNumber::Text(Cow::Borrowed(text))) => Ok(Timestamp::from(text)),
            Ok(TextOrNumber::Text(Cow::Owned(text))) => Ok(Timestamp::from(text)),
            Ok(TextOrNumber::Number(number)) => Ok(Timestamp(Repr::Number(number))),
            Err(other) => Err(other),
        })
    }

    /// Strings and short integers (an entry's `time`) read as they are; other values through
    /// serde.
    fn read_direct(reader: &mut Reader<'_>, levels: u8) -> Result<Result<Self, RawJson>, GaveUp> {
        match reader.plain_integer() {
            Some(number) => Ok(Ok(Timestamp(Repr::Number(Number::from(number))))),
            None => read_text_direct(reader, levels),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    /// Texts short enough to sit inline and longer ones behave alike: same text, same
    /// timestamp; read back, printed and serialized exactly as given.
    #[test]
    fn inline_and_heap_texts_keep_their_text() {
        let texts = [
            "",
            "1732000000",
            "2025-01-01T12:00:00Z",
            "2025-01-01T12:00:00+01",  // 22 bytes: the longest inline
            "2025-01-01T12:00:00+01:", // 23 bytes: the shortest on the heap
            "2025-01-01T12:00:00.123456+01:00",
            "ünïcödé ✓ 1732000000",
            "ünïcödé ✓ 1732000000 and more",
        ];
        for text in texts {
            let from_str = Timestamp::from(text);
            let from_string = Timestamp::from(text.to_owned());
            let read: Timestamp = serde_json::from_value(Value::from(text)).unwrap();
            for time in [&from_str, &from_string, &read] {
                assert_eq!(time, &from_str, "{text}");
                assert_eq!(time.as_str(), Some(text));
                assert_eq!(time.to_string(), text);
                assert_eq!(serde_json::to_value(time).unwrap(), Value::from(text));
                assert_eq!(format!("{time:?}"), format!("Timestamp(Text({text:?}))"));
            }
        }
        assert_eq!(
            Timestamp::from("1732000000").to_unix_seconds(),
            Some(1_732_000_000)
        );
    }

    /// Numbers stay numbers; other shapes are handed back whole.
    #[test]
    fn numbers_are_taken_and_other_shapes_handed_back() {
        for number in [
            serde_json::json!(1_732_000_000),
            serde_json::json!(-1),
            serde_json::json!(1.5),
        ] {
            let time = Timestamp::deserialize_field(&number).unwrap().unwrap();
            assert_eq!(serde_json::to_value(&time).unwrap(), number);
        }
        for odd in [
            serde_json::json!(null),
            serde_json::json!(true),
            serde_json::json!([1, "2"]),
            serde_json::json!({"a": {"b": 1}}),
        ] {
            assert_eq!(
                Timestamp::deserialize_field(&odd).unwrap(),
                Err(crate::raw_json::RawJson::from(odd.clone()))
            );
        }
    }
}
