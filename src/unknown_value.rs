//! [`UnknownValue`]: what the `Other` case of every open enum holds.

use std::fmt;

/// A wire value that an open enum (such as [`MessageType`](crate::MessageType)) does not know,
/// kept as received in its `Other` case.
///
/// Only parsing builds one (`From<&str>`, `From<String>`, `FromStr` and `Deserialize` of the
/// enum), and parsing turns every known value into its own variant: an `UnknownValue` never
/// holds a value the enum knows. So `MessageType::Other(_)` is never `"text"`, and matching on
/// the known variants is enough. Read the value with [`UnknownValue::as_str`] (or the enum's own
/// `as_str()`).
///
/// ```
/// use kapso_webhooks::{MessageType, UnknownValue};
/// let parsed = MessageType::from("hologram");
/// let MessageType::Other(value) = &parsed else { unreachable!() };
/// assert_eq!(value.as_str(), "hologram");
/// assert_eq!(parsed.as_str(), "hologram");
/// // A known value always parses to its variant.
/// assert_eq!(MessageType::from("text"), MessageType::Text);
/// assert!(!MessageType::from("text").is_other());
/// let _: &UnknownValue = value;
/// ```
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UnknownValue(String);

impl UnknownValue {
    /// Wraps a value the caller already found unknown (only the open enums' parsers do).
    pub(crate) fn new(value: String) -> UnknownValue {
        UnknownValue(value)
    }

    /// The value, as received.
    ///
    /// ```
    /// let status = kapso_webhooks::StatusKind::from("teleported");
    /// let kapso_webhooks::StatusKind::Other(value) = status else { unreachable!() };
    /// assert_eq!(value.as_str(), "teleported");
    /// ```
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for UnknownValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl fmt::Display for UnknownValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for UnknownValue {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl PartialEq<str> for UnknownValue {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for UnknownValue {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

impl From<UnknownValue> for String {
    fn from(value: UnknownValue) -> String {
        value.0
    }
}
