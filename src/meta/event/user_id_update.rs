//! Business-scoped user ID changes (`user_id_update`): a user's BSUID (and parent BSUID) was
//! replaced, with the previous and current values side by side.
//!
//! Meta documented `user_id_update` as a webhook field; since August 2026 it also reports BSUID
//! changes as `messages` system messages (`user_changed_user_id`, `user_changed_number`) with
//! `previous_user_id` / `previous_parent_user_id`. Some senders put a `user_id_update` list inside
//! a `messages` value. [`NormalizedWebhook::user_id_updates`] reads the list wherever it is, and
//! [`NormalizedWebhook::user_id_changes`] gives every (previous, current) pair, from the lists and
//! from system messages.
//!
//! [`NormalizedWebhook::user_id_updates`]: crate::NormalizedWebhook::user_id_updates
//! [`NormalizedWebhook::user_id_changes`]: crate::NormalizedWebhook::user_id_changes

use compact_str::CompactString;
use serde_json::Value;

use crate::identity::UserIdentity;
use crate::json::wire::wire_struct;
use crate::meta::contact::Contact;
use crate::meta::event::PhoneNumberMetadata;
use crate::meta::message::{Message, SystemType};
use crate::meta::{ChangeOrigin, NormalizedWebhook};
use crate::timestamp::Timestamp;

wire_struct! {
    /// A `user_id_update` value.
    ///
    /// ```
    /// use kapso_webhooks::meta::event::user_id_update::UserIdUpdates;
    /// let value: UserIdUpdates = serde_json::from_str(r#"{"messagingProduct":"whatsapp",
    ///   "userIdUpdate":[{"userId":{"previous":"US.1","current":"US.2"},"timestamp":"1750030073"}]}"#).unwrap();
    /// let update = &value.user_id_update.as_ref().unwrap()[0];
    /// assert_eq!(update.current().user_id, Some("US.2"));
    /// assert!(value.unknown_keys().is_empty());
    /// ```
    pub struct UserIdUpdates {
        /// Always `whatsapp`.
        messaging_product: CompactString = "messagingProduct",
        /// The business phone number.
        metadata: PhoneNumberMetadata = "metadata",
        /// The users concerned, camelCased once as in `raw` (the normalized ones are the
        /// change's contacts).
        contacts: Vec<Contact> = "contacts",
        /// The changes.
        user_id_update: Vec<UserIdUpdate> = "userIdUpdate",
    }
}

wire_struct! {
    /// One user's business-scoped user ID change. The user's phone number (`waId`) may be
    /// absent: follow the user by [`UserIdUpdate::previous`] → [`UserIdUpdate::current`].
    ///
    /// ```
    /// use kapso_webhooks::meta::event::user_id_update::UserIdUpdate;
    /// let update: UserIdUpdate = serde_json::from_str(r#"{"waId":"15550104321",
    ///   "detail":"User id for Ana has been updated.",
    ///   "userId":{"previous":"US.1","current":"US.2"},
    ///   "parentUserId":{"previous":"US.ENT.1","current":"US.ENT.2"},"timestamp":"1750030073"}"#).unwrap();
    /// assert_eq!(update.previous().user_id, Some("US.1"));
    /// assert_eq!(update.current().parent_user_id, Some("US.ENT.2"));
    /// assert_eq!(update.current().phone_number, Some("15550104321"));
    /// assert_eq!(update.to_datetime().unwrap().timestamp(), 1_750_030_073);
    /// ```
    pub struct UserIdUpdate {
        /// The user's phone number, when shared (unchanged by the update).
        wa_id: CompactString = "waId",
        /// A human-readable description.
        detail: CompactString = "detail",
        /// The business-scoped user ID, before and after.
        user_id: IdChange = "userId",
        /// The parent business-scoped user ID, before and after (when parent BSUIDs are on).
        parent_user_id: IdChange = "parentUserId",
        /// When the ID changed.
        timestamp: Timestamp = "timestamp",
    }
}

wire_struct! {
    /// An identifier before and after a change.
    ///
    /// ```
    /// let change: kapso_webhooks::meta::event::user_id_update::IdChange =
    ///     serde_json::from_str(r#"{"previous":"US.1","current":"US.2"}"#).unwrap();
    /// assert_eq!(change.current.as_deref(), Some("US.2"));
    /// ```
    pub struct IdChange {
        /// The value before the change.
        previous: CompactString = "previous",
        /// The value after the change.
        current: CompactString = "current",
    }
}

impl UserIdUpdate {
    /// The user as they were: the phone number (when shared) and the previous BSUIDs.
    ///
    /// ```
    /// let update: kapso_webhooks::meta::event::user_id_update::UserIdUpdate =
    ///     serde_json::from_str(r#"{"userId":{"previous":"MX.1","current":"MX.2"}}"#).unwrap();
    /// assert_eq!(update.previous().phone_number, None);
    /// assert_eq!(update.previous().preferred_id(), Some("MX.1"));
    /// ```
    pub fn previous(&self) -> UserIdentity<'_> {
        self.identity(|change| change.previous.as_deref())
    }

    /// The user as they are now: the phone number (when shared) and the current BSUIDs.
    ///
    /// ```
    /// let update: kapso_webhooks::meta::event::user_id_update::UserIdUpdate =
    ///     serde_json::from_str(r#"{"userId":{"previous":"MX.1","current":"MX.2"}}"#).unwrap();
    /// assert_eq!(update.current().preferred_id(), Some("MX.2"));
    /// ```
    pub fn current(&self) -> UserIdentity<'_> {
        self.identity(|change| change.current.as_deref())
    }

    /// The user with the BSUIDs that `side` picks from each change.
    fn identity<'a>(&'a self, side: fn(&'a IdChange) -> Option<&'a str>) -> UserIdentity<'a> {
        UserIdentity::of(
            self.wa_id.as_deref(),
            self.user_id.as_ref().and_then(side),
            self.parent_user_id.as_ref().and_then(side),
            None,
        )
    }

    /// When the ID changed, as a UTC date-time.
    ///
    /// ```
    /// let update: kapso_webhooks::meta::event::user_id_update::UserIdUpdate =
    ///     serde_json::from_str(r#"{"timestamp":1750030073}"#).unwrap();
    /// assert_eq!(update.to_datetime().unwrap().timestamp(), 1_750_030_073);
    /// ```
    pub fn to_datetime(&self) -> Option<chrono::DateTime<chrono::Utc>> {
        self.timestamp.as_ref()?.to_datetime()
    }
}

/// One user seen before and after an identity change (see
/// [`NormalizedWebhook::user_id_changes`]).
///
/// ```
/// let body = br#"{"entry":[{"changes":[{"field":"user_id_update","value":{"user_id_update":[
///   {"user_id":{"previous":"US.1","current":"US.2"}}]}}]}]}"#;
/// let webhook = kapso_webhooks::normalize_webhook(body).unwrap();
/// let change = webhook.user_id_changes().next().unwrap();
/// assert_eq!((change.previous.user_id, change.current.user_id), (Some("US.1"), Some("US.2")));
/// assert!(change.message.is_none());
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub struct UserIdChange<'a> {
    /// The user before the change.
    pub previous: UserIdentity<'a>,
    /// The user after the change.
    pub current: UserIdentity<'a>,
    /// The system message that reported it, when it came as one (`None` for a
    /// `user_id_update` item).
    pub message: Option<&'a Message>,
    /// The change it came in.
    pub origin: &'a ChangeOrigin,
}

impl<'a> UserIdChange<'a> {
    /// The change a system message reports, if it is a number or BSUID change
    /// (`user_changed_number`, `customer_changed_number`, `user_changed_user_id`).
    ///
    /// Before: the sender (`from`, or `system.customer`) and `system.previous_user_id` /
    /// `previous_parent_user_id` (or the sender's BSUIDs when they differ from the new ones).
    /// After: `system.new_wa_id` or `system.wa_id` (or the sender's number when only the BSUID
    /// changed), and `system.user_id` (or `new_user_id`) / `parent_user_id`.
    fn from_system(message: &'a Message, origin: &'a ChangeOrigin) -> Option<Self> {
        let system = message.system.as_deref()?;
        let number_changed = match system.system_type.as_ref()? {
            SystemType::UserChangedNumber | SystemType::CustomerChangedNumber => true,
            SystemType::UserChangedUserId => false,
            _ => return None,
        };
        let sender = message.sender();
        let new_phone = system.new_wa_id.as_deref().or(system.wa_id.as_deref());
        let current_user_id = system.user_id.as_deref().or(system.new_user_id.as_deref());
        let current_parent = system.parent_user_id.as_deref();
        let differs =
            |old: Option<&'a str>, new: Option<&'a str>| old.filter(|old| Some(*old) != new);
        let previous = UserIdentity::of(
            sender
                .phone_number
                .or(system.customer.as_deref())
                .or(if number_changed { None } else { new_phone }),
            system
                .previous_user_id
                .as_deref()
                .or(differs(sender.user_id, current_user_id)),
            system
                .previous_parent_user_id
                .as_deref()
                .or(differs(sender.parent_user_id, current_parent)),
            sender.username,
        );
        let current = UserIdentity::of(
            if number_changed {
                new_phone
            } else {
                new_phone.or(sender.phone_number)
            },
            current_user_id,
            current_parent,
            sender.username,
        );
        Some(UserIdChange {
            previous,
            current,
            message: Some(message),
            origin,
        })
    }

    /// The change one camelCased `user_id_update` item reports (borrowed from `raw`).
    fn from_item(item: &'a Value, origin: &'a ChangeOrigin) -> Option<Self> {
        let item = item.as_object()?;
        let text = |key: &str| item.get(key).and_then(Value::as_str);
        let pair = |key: &str, side: &str| item.get(key)?.get(side)?.as_str();
        let phone = text("waId");
        Some(UserIdChange {
            previous: UserIdentity::of(
                phone,
                pair("userId", "previous"),
                pair("parentUserId", "previous"),
                None,
            ),
            current: UserIdentity::of(
                phone,
                pair("userId", "current"),
                pair("parentUserId", "current"),
                None,
            ),
            message: None,
            origin,
        })
    }
}

impl NormalizedWebhook {
    /// Every item of a `user_id_update` list, typed, with the origin of its change: the items of
    /// `user_id_update` changes and of `user_id_update` lists inside other changes' values (such
    /// as `messages`). A list of another shape stays in `raw` untouched.
    ///
    /// ```
    /// let body = br#"{"entry":[{"id":"214736902158834","changes":[{"field":"user_id_update","value":{
    ///   "user_id_update":[{"wa_id":"15550104321","user_id":{"previous":"US.1","current":"US.2"},
    ///     "timestamp":"1750030073"}]}}]}]}"#;
    /// let webhook = kapso_webhooks::normalize_webhook(body).unwrap();
    /// let (update, origin) = webhook.user_id_updates().next().unwrap();
    /// assert_eq!(update.previous().user_id, Some("US.1"));
    /// assert_eq!(update.current().user_id, Some("US.2"));
    /// assert_eq!(origin.waba_id.as_deref(), Some("214736902158834"));
    /// ```
    pub fn user_id_updates(&self) -> impl Iterator<Item = (UserIdUpdate, &ChangeOrigin)> {
        self.user_id_update_items().filter_map(|(item, origin)| {
            let update = crate::meta::event::parse::<UserIdUpdate>(item)?;
            Some((*update, origin))
        })
    }

    /// Every user whose identity changed, before and after, in document order: each
    /// `user_id_update` item (see [`NormalizedWebhook::user_id_updates`]) and each system
    /// message reporting a new number or a new business-scoped user ID. Use it to move what
    /// you keep about `previous` to `current`.
    ///
    /// ```
    /// let body = br#"{"entry":[{"changes":[{"field":"messages","value":{"messages":[
    ///   {"from_user_id":"US.2","id":"wamid.S","type":"system","system":{"type":"user_changed_user_id",
    ///    "user_id":"US.2","previous_user_id":"US.1"}}]}}]}]}"#;
    /// let webhook = kapso_webhooks::normalize_webhook(body).unwrap();
    /// let change = webhook.user_id_changes().next().unwrap();
    /// assert_eq!(change.previous.user_id, Some("US.1"));
    /// assert_eq!(change.current.user_id, Some("US.2"));
    /// assert_eq!(change.current.phone_number, None);
    /// ```
    pub fn user_id_changes(&self) -> impl Iterator<Item = UserIdChange<'_>> {
        self.changes().flat_map(|change| {
            let origin = change.origin();
            let items = user_id_update_list(change.value())
                .iter()
                .filter_map(move |item| UserIdChange::from_item(item, origin));
            let systems = change
                .messages()
                .iter()
                .filter_map(move |message| UserIdChange::from_system(message, origin));
            items.chain(systems)
        })
    }

    /// The items of every `userIdUpdate` list, each with the origin of its change.
    fn user_id_update_items(&self) -> impl Iterator<Item = (&Value, &ChangeOrigin)> {
        self.changes().flat_map(|change| {
            let origin = change.origin();
            user_id_update_list(change.value())
                .iter()
                .map(move |item| (item, origin))
        })
    }
}

/// The `userIdUpdate` list of a camelCased change value (empty when there is none).
fn user_id_update_list(value: Option<&Value>) -> &[Value] {
    value
        .and_then(|value| value.get("userIdUpdate"))
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}
