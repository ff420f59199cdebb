//! [`Numeric`]: a number as received, whether JSON sent it as a number or as a string.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Number, Value};

use crate::json::wire::{deserialize_text_or_number, Field, TextOrNumber, UnknownKeys};
use crate::raw_json::RawJson;

/// A number that some senders write as a JSON number (`38.9`) and others as a string
/// (`"38.9"`): coordinates, prices, quantities. The original form is kept, so serializing gives
/// back exactly what arrived; [`Numeric::as_f64`] reads either.
///
/// ```
/// use kapso_webhooks::numeric::Numeric;
/// let location: kapso_webhooks::meta::message::Location =
///     serde_json::from_str(r#"{"latitude":"38.9","longitude":-77.03}"#).unwrap();
/// assert_eq!(location.latitude.as_ref().and_then(Numeric::as_f64), Some(38.9));
/// assert_eq!(location.coordinates(), Some((38.9, -77.03)));
/// assert_eq!(serde_json::to_string(&location).unwrap(), r#"{"latitude":"38.9","longitude":-77.03}"#);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct Numeric(Repr);

/// Written as it was read: a number or a string.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(untagged)]
enum Repr {
    Number(Number),
    Text(String),
}

impl Numeric {
    /// The value as a float, when it is a number or a string holding one.
    ///
    /// ```
    /// assert_eq!(kapso_webhooks::numeric::Numeric::from(3).as_f64(), Some(3.0));
    /// ```
    pub fn as_f64(&self) -> Option<f64> {
        match &self.0 {
            Repr::Number(number) => number.as_f64(),
            Repr::Text(text) => text.trim().parse().ok(),
        }
    }

    /// The value as an integer, when it is a whole number (or a string holding one).
    ///
    /// ```
    /// assert_eq!(kapso_webhooks::numeric::Numeric::from(3).as_i64(), Some(3));
    /// ```
    pub fn as_i64(&self) -> Option<i64> {
        match &self.0 {
            Repr::Number(number) => number.as_i64(),
            Repr::Text(text) => text.trim().parse().ok(),
        }
    }
}

impl From<i64> for Numeric {
    fn from(number: i64) -> Self {
        Numeric(Repr::Number(number.into()))
    }
}

impl fmt::Display for Numeric {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Repr::Number(number) => write!(f, "{number}"),
            Repr::Text(text) => f.write_str(text),
        }
    }
}

impl<'de> Deserialize<'de> for Numeric {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        crate::json::wire::deserialize_strict(d, "expected a number or a numeric string")
    }
}

impl Field for Numeric {
    fn deserialize_field<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Result<Self, RawJson>, D::Error> {
        Ok(match deserialize_text_or_number(d)? {
            // Only strings that read as a number: anything else stays in `extra`.
            Ok(TextOrNumber::Text(text)) if text.trim().parse::<f64>().is_ok() => {
                Ok(Numeric(Repr::Text(text.into_owned())))
            }
            Ok(TextOrNumber::Text(text)) => Err(RawJson::from(Value::String(text.into_owned()))),
            Ok(TextOrNumber::Number(number)) => Ok(Numeric(Repr::Number(number))),
            Err(other) => Err(other),
        })
    }
}

impl UnknownKeys for Numeric {
    fn unknown_keys_into(&self, _: &str, _: &mut Vec<String>) {}
}
