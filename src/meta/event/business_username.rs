//! Business usernames (`business_username_updates`, also spelled `business_username_update`):
//! a business phone number's username was approved, reserved, changed or deleted.

use compact_str::CompactString;

use crate::json::wire::{open_enum, wire_struct};

open_enum! {
    /// The state of a business username.
    ///
    /// ```
    /// use kapso_webhooks::meta::event::business_username::BusinessUsernameStatus;
    /// assert_eq!(BusinessUsernameStatus::from("approved"), BusinessUsernameStatus::Approved);
    /// assert!(BusinessUsernameStatus::from("suspended").is_other());
    /// ```
    pub enum BusinessUsernameStatus {
        /// The username is live.
        Approved = "approved",
        /// The username is held for the business.
        Reserved = "reserved",
        /// The username was removed (`username` is then omitted).
        Deleted = "deleted",
    }
}

wire_struct! {
    /// A `business_username_updates` value. Meta documents
    /// `{display_phone_number, username, status}`; other senders use `event` and
    /// `previous_username` instead of (or besides) `status`. All are typed; every key is optional.
    ///
    /// ```
    /// use kapso_webhooks::meta::event::business_username::{BusinessUsernameStatus, BusinessUsernameUpdate};
    /// let update: BusinessUsernameUpdate = serde_json::from_str(
    ///     r#"{"displayPhoneNumber":"15550001111","username":"harbor_tea","status":"approved"}"#,
    /// ).unwrap();
    /// assert_eq!(update.status, Some(BusinessUsernameStatus::Approved));
    /// assert_eq!(update.username.as_deref(), Some("harbor_tea"));
    /// ```
    pub struct BusinessUsernameUpdate {
        /// The business phone number the username belongs to.
        display_phone_number: CompactString = "displayPhoneNumber",
        /// The username (omitted when `status` is `deleted`).
        username: CompactString = "username",
        /// The username's new state (Meta's documented shape).
        status: BusinessUsernameStatus = "status",
        /// What happened, as a word such as `updated` (the other shape).
        event: CompactString = "event",
        /// The username before the change (the other shape).
        previous_username: CompactString = "previousUsername",
    }
}
