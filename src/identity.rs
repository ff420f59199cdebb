//! [`UserIdentity`]: who a WhatsApp user is, by phone number, business-scoped user ID, or both.

/// A WhatsApp user as a webhook names them. Since business-scoped user IDs (BSUIDs) arrived, a
/// user may come with a BSUID and **no phone number**; never assume `phone_number` is there.
///
/// The four fields are kept apart: a phone number (`15550104321`), a BSUID (`US.1349…`, unique
/// to one business), a parent BSUID (`US.ENT.1181…`, shared by the businesses of one portfolio)
/// and a username (`@ana.ruiz` or `ana.ruiz`, as sent). An empty string counts as absent. When a
/// user's BSUID changes, [`NormalizedWebhook::user_id_changes`] gives the identity before and
/// after.
///
/// [`NormalizedWebhook::user_id_changes`]: crate::NormalizedWebhook::user_id_changes
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
    /// The business-scoped user ID (`user_id`, `from_user_id`, `recipient_user_id`, …): unique
    /// to one business, and it can change (see `user_id_update`).
    pub user_id: Option<&'a str>,
    /// The parent business-scoped user ID (`parent_user_id`, `from_parent_user_id`,
    /// `recipient_parent_user_id`, …), shared by the businesses of one portfolio; present only
    /// when parent BSUIDs are enabled.
    pub parent_user_id: Option<&'a str>,
    /// The user's WhatsApp username (`profile.username`, a message's `username`), when known; a
    /// display handle, not a key.
    pub username: Option<&'a str>,
}

impl<'a> UserIdentity<'a> {
    /// An identity from its parts; empty strings count as absent.
    pub(crate) fn of(
        phone_number: Option<&'a str>,
        user_id: Option<&'a str>,
        parent_user_id: Option<&'a str>,
        username: Option<&'a str>,
    ) -> Self {
        let present = |text: Option<&'a str>| text.filter(|text| !text.is_empty());
        UserIdentity {
            phone_number: present(phone_number),
            user_id: present(user_id),
            parent_user_id: present(parent_user_id),
            username: present(username),
        }
    }

    /// Whether both name the same user: they share a phone number, a BSUID or a parent BSUID
    /// (usernames are not compared: they can be given up and taken by someone else).
    ///
    /// ```
    /// let a: kapso_webhooks::Contact = serde_json::from_str(r#"{"userId":"US.1","waId":"15550104321"}"#).unwrap();
    /// let b: kapso_webhooks::Contact = serde_json::from_str(r#"{"userId":"US.1"}"#).unwrap();
    /// let c: kapso_webhooks::Contact = serde_json::from_str(r#"{"userId":"US.2"}"#).unwrap();
    /// assert!(a.identity().is_same_user(&b.identity()));
    /// assert!(!b.identity().is_same_user(&c.identity()));
    /// ```
    pub fn is_same_user(&self, other: &UserIdentity<'_>) -> bool {
        let same = |a: Option<&str>, b: Option<&str>| a.is_some() && a == b;
        same(self.phone_number, other.phone_number)
            || same(self.user_id, other.user_id)
            || same(self.parent_user_id, other.parent_user_id)
    }

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
