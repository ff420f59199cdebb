//! Marketing message preferences (`user_preferences`): a user stopped, resumed or signed up for
//! a business's marketing messages.

use compact_str::CompactString;

use crate::identity::UserIdentity;
use crate::json::wire::{open_enum, wire_struct};
use crate::meta::contact::Contact;
use crate::meta::event::PhoneNumberMetadata;
use crate::timestamp::Timestamp;

open_enum! {
    /// What a preference is about.
    ///
    /// ```
    /// use kapso_webhooks::meta::event::user_preferences::PreferenceCategory;
    /// assert_eq!(PreferenceCategory::from("marketing_messages"), PreferenceCategory::MarketingMessages);
    /// ```
    pub enum PreferenceCategory {
        /// Marketing messages.
        MarketingMessages = "marketing_messages",
    }
}

open_enum! {
    /// The preference the user set.
    ///
    /// ```
    /// use kapso_webhooks::meta::event::user_preferences::PreferenceValue;
    /// assert_eq!(PreferenceValue::from("stop"), PreferenceValue::Stop);
    /// ```
    pub enum PreferenceValue {
        /// The user asked to stop receiving them.
        Stop = "stop",
        /// The user asked to receive them again.
        Resume = "resume",
        /// The user signed up through a sign-up link.
        Signup = "signup",
    }
}

wire_struct! {
    /// A `user_preferences` value.
    ///
    /// ```
    /// use kapso_webhooks::meta::event::user_preferences::{PreferenceValue, UserPreferencesUpdate};
    /// let update: UserPreferencesUpdate = serde_json::from_str(
    ///     r#"{"contacts":[{"waId":"447700900222"}],"userPreferences":[{"waId":"447700900222","value":"resume"}]}"#)?;
    /// assert_eq!(update.contacts.unwrap()[0].wa_id.as_deref(), Some("447700900222"));
    /// assert_eq!(update.user_preferences.unwrap()[0].value, Some(PreferenceValue::Resume));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub struct UserPreferencesUpdate {
        /// Always `whatsapp`.
        messaging_product: CompactString = "messagingProduct",
        /// The business phone number.
        metadata: PhoneNumberMetadata = "metadata",
        /// The users concerned, camelCased once as in `raw` (the normalized ones are the
        /// change's contacts).
        contacts: Vec<Contact> = "contacts",
        /// The preferences.
        user_preferences: Vec<UserPreference> = "userPreferences",
    }
}

wire_struct! {
    /// One preference a user set.
    ///
    /// ```
    /// use kapso_webhooks::meta::event::user_preferences::{PreferenceCategory, PreferenceValue, UserPreference};
    /// let preference: UserPreference = serde_json::from_str(r#"{"waId":"919820012345",
    ///   "detail":"User requested to stop marketing messages","category":"marketing_messages",
    ///   "value":"stop","timestamp":1732011100}"#).unwrap();
    /// assert_eq!(preference.category, Some(PreferenceCategory::MarketingMessages));
    /// assert_eq!(preference.value, Some(PreferenceValue::Stop));
    /// assert_eq!(preference.to_datetime().unwrap().timestamp(), 1_732_011_100);
    /// ```
    pub struct UserPreference {
        /// The user's phone number, when shared.
        wa_id: CompactString = "waId",
        /// The user's business-scoped user ID.
        user_id: CompactString = "userId",
        /// The user's parent business-scoped user ID.
        parent_user_id: CompactString = "parentUserId",
        /// A human-readable description.
        detail: CompactString = "detail",
        /// What the preference is about.
        category: PreferenceCategory = "category",
        /// The preference.
        value: PreferenceValue = "value",
        /// When it was set.
        timestamp: Timestamp = "timestamp",
        /// The sign-up link used (`signup`).
        signup_id: CompactString = "signupId",
    }
}

impl UserPreference {
    /// Who set the preference: phone number, business-scoped user ID, or both.
    ///
    /// ```
    /// use kapso_webhooks::meta::event::user_preferences::UserPreference;
    /// let preference: UserPreference = serde_json::from_str(r#"{"userId":"US.9","value":"signup"}"#)?;
    /// assert_eq!(preference.identity().phone_number, None);
    /// assert_eq!(preference.identity().preferred_id(), Some("US.9"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn identity(&self) -> UserIdentity<'_> {
        UserIdentity::of(
            self.wa_id.as_deref(),
            self.user_id.as_deref(),
            self.parent_user_id.as_deref(),
            None,
        )
    }

    /// When it was set, as a UTC date-time.
    ///
    /// ```
    /// use kapso_webhooks::meta::event::user_preferences::UserPreference;
    /// let preference: UserPreference = serde_json::from_str(r#"{"value":"stop","timestamp":"1700000000"}"#)?;
    /// assert_eq!(preference.to_datetime().unwrap().to_rfc3339(), "2023-11-14T22:13:20+00:00");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn to_datetime(&self) -> Option<chrono::DateTime<chrono::Utc>> {
        self.timestamp.as_ref()?.to_datetime()
    }
}
