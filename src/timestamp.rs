//! [`Timestamp`]: a point in time exactly as the webhook sent it.

use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Number, Value};

use crate::wire::Field;

/// A timestamp as received: Meta sends Unix seconds as a string (`"1732000000"`), sometimes as a
/// number; Kapso sends ISO 8601 / RFC 3339 strings. The original form is kept, so serializing
/// gives back exactly what arrived; [`Timestamp::to_datetime`] reads it.
///
/// ```
/// use kapso_webhooks::Timestamp;
/// let t = Timestamp::from("1732000000");
/// assert_eq!(t.unix_seconds(), Some(1_732_000_000));
/// assert_eq!(t.to_datetime().unwrap().to_rfc3339(), "2024-11-19T07:06:40+00:00");
/// let iso = Timestamp::from("2025-01-01T12:00:00+01:00");
/// assert_eq!(iso.unix_seconds(), Some(1_735_729_200));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Timestamp(Repr);

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Repr {
    Text(String),
    Number(Number),
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
            Repr::Text(text) => match text.trim().parse::<i64>() {
                Ok(seconds) => DateTime::from_timestamp(seconds, 0),
                Err(_) => DateTime::parse_from_rfc3339(text.trim())
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
    /// assert_eq!(Timestamp::from(1_700_000_000_i64).unix_seconds(), Some(1_700_000_000));
    /// ```
    pub fn unix_seconds(&self) -> Option<i64> {
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
            Repr::Text(text) => Some(text),
            Repr::Number(_) => None,
        }
    }
}

impl From<&str> for Timestamp {
    fn from(text: &str) -> Self {
        Timestamp(Repr::Text(text.to_owned()))
    }
}

impl From<String> for Timestamp {
    fn from(text: String) -> Self {
        Timestamp(Repr::Text(text))
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
        Timestamp(Repr::Text(time.timestamp().to_string()))
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Repr::Text(text) => f.write_str(text),
            Repr::Number(number) => write!(f, "{number}"),
        }
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match &self.0 {
            Repr::Text(text) => serializer.serialize_str(text),
            Repr::Number(number) => number.serialize(serializer),
        }
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match Timestamp::deserialize_field(d)? {
            Ok(time) => Ok(time),
            Err(_) => Err(serde::de::Error::custom(
                "expected a timestamp (a string or a number)",
            )),
        }
    }
}

impl Field for Timestamp {
    fn deserialize_field<'de, D: Deserializer<'de>>(d: D) -> Result<Result<Self, Value>, D::Error> {
        Ok(Self::from_value(Value::deserialize(d)?))
    }

    fn from_value(value: Value) -> Result<Self, Value> {
        match value {
            Value::String(text) => Ok(Timestamp(Repr::Text(text))),
            Value::Number(number) => Ok(Timestamp(Repr::Number(number))),
            other => Err(other),
        }
    }
}
