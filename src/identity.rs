//! [`UserIdentity`]: who a WhatsApp user is, by phone number, business-scoped user ID, or both.

/// A WhatsApp user as a webhook names them. Since business-scoped user IDs (BSUIDs) arrived, a
/// user may come with a BSUID and **no phone number**; never assume `phone_number` is there.
///
/// ```
/// let contact: kapso_webhooks::Contact =
///     serde_json::from_str(r#"{"userId":"US.13491208655302741918"}"#).unwrap();
/// let bsuid_only = contact.identity();
/// assert_eq!(bsuid_only.phone_number, None);
/// assert_eq!(bsuid_only.preferred_id(), Some("US.13491208655302741918"));
/// assert!(!bsuid_only.is_empty());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub struct UserIdentity<'a> {
    /// The phone number / WhatsApp ID (`from`, `wa_id`, `recipient_id`, …), when shared.
    pub phone_number: Option<&'a str>,
    /// The business-scoped user ID (`user_id`, `from_user_id`, `recipient_user_id`, …).
    pub user_id: Option<&'a str>,
    /// The parent business-scoped user ID, shared by the businesses of one portfolio.
    pub parent_user_id: Option<&'a str>,
    /// The user's WhatsApp username, when known.
    pub username: Option<&'a str>,
}

impl<'a> UserIdentity<'a> {
    /// The best single key for this user: the BSUID when present (stable even when the number
    /// changes or is hidden), otherwise the phone number.
    ///
    /// ```
    /// let contact: kapso_webhooks::Contact =
    ///     serde_json::from_str(r#"{"waId":"15551234567","userId":"US.1"}"#).unwrap();
    /// assert_eq!(contact.identity().preferred_id(), Some("US.1"));
    /// ```
    pub fn preferred_id(&self) -> Option<&'a str> {
        self.user_id.or(self.phone_number)
    }

    /// Whether no identifier at all is present.
    ///
    /// ```
    /// assert!(kapso_webhooks::UserIdentity::default().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.phone_number.is_none() && self.user_id.is_none() && self.parent_user_id.is_none()
    }
}
