//! Contacts: the profile of the user a `messages` change is about.

use compact_str::CompactString;

use crate::identity::UserIdentity;
use crate::json::wire::wire_struct;

wire_struct! {
    /// The user a change is about, camelCased. `waId` is absent for users known only by a
    /// business-scoped user ID.
    ///
    /// ```
    /// let contact: kapso_webhooks::Contact = serde_json::from_str(
    ///     r#"{"profile":{"name":"Ana","username":"ana.b"},"userId":"US.1"}"#,
    /// ).unwrap();
    /// assert_eq!(contact.wa_id, None);
    /// assert_eq!(contact.identity().preferred_id(), Some("US.1"));
    /// assert_eq!(contact.name(), Some("Ana"));
    /// ```
    pub struct Contact {
        /// The user's WhatsApp ID (phone number), when shared.
        wa_id: CompactString = "waId",
        /// The user's business-scoped user ID.
        user_id: CompactString = "userId",
        /// The user's parent business-scoped user ID.
        parent_user_id: CompactString = "parentUserId",
        /// The user's identity key hash.
        identity_key_hash: CompactString = "identityKeyHash",
        /// The user's profile.
        profile: Profile = "profile",
        /// The user's WhatsApp username, when sent beside `waId` rather than in the profile (as
        /// in group participant lists).
        username: CompactString = "username",
    }
}

wire_struct! {
    /// A user's public profile.
    ///
    /// ```
    /// use kapso_webhooks::meta::contact::Profile;
    /// let profile: Profile = serde_json::from_str(r#"{"name":"Rui","countryCode":"PT"}"#)?;
    /// assert_eq!((profile.name.as_deref(), profile.country_code.as_deref()), (Some("Rui"), Some("PT")));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub struct Profile {
        /// The display name.
        name: CompactString = "name",
        /// The user's WhatsApp username (`@ana.ruiz` or `ana.ruiz`, as sent), when the user
        /// adopted one. Omitted on `sent` statuses.
        username: CompactString = "username",
        /// The country code, when given.
        country_code: CompactString = "countryCode",
    }
}

impl Contact {
    /// The profile name, when present.
    ///
    /// ```
    /// let named: kapso_webhooks::Contact = serde_json::from_str(r#"{"waId":"1","profile":{"name":"Lea"}}"#)?;
    /// let bare: kapso_webhooks::Contact = serde_json::from_str(r#"{"waId":"2"}"#)?;
    /// assert_eq!((named.name(), bare.name()), (Some("Lea"), None));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn name(&self) -> Option<&str> {
        self.profile.as_ref()?.name.as_deref()
    }

    /// Who this contact is: phone number, business-scoped user IDs and username (the
    /// profile's, or the contact's own).
    ///
    /// ```
    /// let contact: kapso_webhooks::Contact = serde_json::from_str(
    ///     r#"{"profile":{"name":"Ana","username":"@ana.ruiz"},"userId":"US.1","parentUserId":"US.ENT.1"}"#,
    /// ).unwrap();
    /// let identity = contact.identity();
    /// assert_eq!(identity.phone_number, None);
    /// assert_eq!(identity.parent_user_id, Some("US.ENT.1"));
    /// assert_eq!(identity.username, Some("@ana.ruiz"));
    /// ```
    pub fn identity(&self) -> UserIdentity<'_> {
        UserIdentity::of(
            self.wa_id.as_deref(),
            self.user_id.as_deref(),
            self.parent_user_id.as_deref(),
            self.profile
                .as_ref()
                .and_then(|p| p.username.as_deref())
                .or(self.username.as_deref()),
        )
    }
}
