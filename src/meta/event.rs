//! Typed events: every change of a webhook, in document order, with a typed value.
//!
//! The normalized JSON keeps each non-message change as camelCased JSON under `raw` (that is the
//! reference's shape, and it does not change). [`NormalizedWebhook::events`] reads the same
//! changes again as typed values: one [`Event`] variant per field Meta documents, built from the
//! change's camelCased value, each paired with the [`ChangeOrigin`] of its change (the WABA ID and
//! `time` of its entry, which the reference drops). A field this crate does not know, or a known
//! field whose value is not an object, is [`Event::Other`] — never an error, never skipped.
//!
//! Every typed struct follows the crate's rule: known keys are typed, anything else (unknown keys,
//! values of an unexpected type) stays in its `extra` map, so nothing is lost and
//! `serde_json::to_value` gives back the camelCased value. [`Event::unknown_keys`] lists what was
//! left in `extra` at any depth.
//!
//! ```
//! use kapso_webhooks::{normalize_webhook, Event};
//!
//! let body = br#"{"object":"whatsapp_business_account","entry":[{"id":"214736902158834","time":1732011000,
//!   "changes":[{"field":"message_template_status_update","value":{"event":"APPROVED",
//!     "message_template_id":1183746529012345,"message_template_name":"order_shipped",
//!     "message_template_language":"en_US","reason":"NONE"}}]}]}"#;
//! let webhook = normalize_webhook(body)?;
//! for item in webhook.events() {
//!     match &item.event {
//!         Event::MessageTemplateStatusUpdate(update) => {
//!             assert_eq!(update.template_name.as_deref(), Some("order_shipped"));
//!             assert_eq!(update.event.as_ref().map(|e| e.as_str()), Some("APPROVED"));
//!             // The entry's WABA ID and time, which the normalized JSON does not keep.
//!             assert_eq!(item.origin.waba_id.as_deref(), Some("214736902158834"));
//!             assert_eq!(item.origin.time.as_ref().and_then(|t| t.to_unix_seconds()), Some(1732011000));
//!         }
//!         other => panic!("unexpected event {other:?}"),
//!     }
//! }
//! # Ok::<(), kapso_webhooks::Error>(())
//! ```

pub mod account;
pub mod automatic_events;
pub mod business_username;
pub mod flows;
pub mod group;
pub mod history;
pub mod phone_number;
pub mod template;
pub mod user_id_update;
pub mod user_preferences;

use compact_str::CompactString;
use serde_json::Value;

use crate::json::wire::{wire_struct, Field};
use crate::meta::event::account::{
    AccountAlert, AccountReviewUpdate, AccountSettingsUpdate, AccountUpdate,
    BusinessCapabilityUpdate, PartnerSolutionUpdate, PaymentConfigurationUpdate, SecurityUpdate,
};
use crate::meta::event::automatic_events::{AutomaticEvent, AutomaticEvents};
use crate::meta::event::business_username::BusinessUsernameUpdate;
use crate::meta::event::flows::FlowUpdate;
use crate::meta::event::group::GroupUpdate;
use crate::meta::event::history::{HistoryUpdate, SmbAppStateSync};
use crate::meta::event::phone_number::{PhoneNumberNameUpdate, PhoneNumberQualityUpdate};
use crate::meta::event::template::{
    TemplateCategoryUpdate, TemplateComponentsUpdate, TemplateQualityUpdate, TemplateStatusUpdate,
};
use crate::meta::event::user_id_update::UserIdUpdates;
use crate::meta::event::user_preferences::{UserPreference, UserPreferencesUpdate};
use crate::meta::{Change, ChangeOrigin, NormalizedWebhook};
use crate::timestamp::Timestamp;

wire_struct! {
    /// The `metadata` of a change that concerns one business phone number.
    pub struct PhoneNumberMetadata {
        /// The business's display phone number.
        display_phone_number: CompactString = "displayPhoneNumber",
        /// The business phone number's ID.
        phone_number_id: CompactString = "phoneNumberId",
    }
}

/// Declares the webhook fields this crate knows, once: the [`Event`] enum (a variant per field),
/// its typed reading and [`Event::unknown_keys`], [`KNOWN_FIELDS`] and [`MESSAGE_FIELDS`], and
/// the [`NormalizedWebhook`] accessors of the typed fields that have one. Each field comes as
/// sent and camelCased (as `raw` files it, and as it is matched); a typed field may list other
/// spellings after `|`, read into the same variant (each is in [`KNOWN_FIELDS`]).
macro_rules! webhook_fields {
    (
        $(#[$meta:meta])*
        pub enum Event<'a> {
            items {
                $(
                    $(#[$item_meta:meta])*
                    $item:ident = $item_sent:literal as $item_camel:literal;
                )*
            }
            typed {
                $(
                    $(#[$typed_meta:meta])*
                    $typed:ident($ty:ty) = $typed_sent:literal as $typed_camel:literal
                        $(| $alias_sent:literal as $alias_camel:literal)* {
                        $($(#[$accessor_meta:meta])* fn $accessor:ident;)?
                    }
                )*
            }
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone)]
        #[non_exhaustive]
        pub enum Event<'a> {
            $(
                $(#[$item_meta])*
                $item(Change<'a>),
            )*
            $(
                $(#[$typed_meta])*
                $typed(Box<$ty>),
            )*
            /// A field this crate does not know, a known field whose value is not an object, or a
            /// change without a string `field` (then both are `None`).
            Other {
                /// The camelCased field name, as used in `raw`.
                field: Option<&'a str>,
                /// The change's value, camelCased once, as in `raw`.
                value: Option<&'a Value>,
            },
        }

        /// The webhook fields this crate knows, as Meta sends them: each has its own [`Event`]
        /// variant.
        ///
        /// ```
        /// assert!(kapso_webhooks::meta::event::KNOWN_FIELDS.contains(&"account_alerts"));
        /// ```
        pub const KNOWN_FIELDS: &[&str] = &[$($item_sent,)* $($typed_sent, $($alias_sent,)*)*];

        /// The fields among [`KNOWN_FIELDS`] whose changes carry messages, statuses or calls: their
        /// events point at the change ([`Event::Messages`] and its siblings).
        pub const MESSAGE_FIELDS: &[&str] = &[$($item_sent,)*];

        impl<'a> Event<'a> {
            /// Reads one change.
            fn from_change(change: Change<'a>) -> Self {
                let field = change.field();
                let value = change.value();
                match field {
                    $(Some($item_camel) => return Event::$item(change),)*
                    _ => {}
                }
                field
                    .zip(value.filter(|v| v.is_object()))
                    .and_then(|(field, value)| Self::typed(field, value))
                    .unwrap_or(Event::Other { field, value })
            }

            /// The typed event of a known field whose value is an object.
            fn typed(field: &str, value: &Value) -> Option<Self> {
                Some(match field {
                    $($typed_camel $(| $alias_camel)* => Event::$typed(parse(value)?),)*
                    _ => return None,
                })
            }

            /// The paths of the keys a typed event left in `extra` maps, at any depth (see
            /// [`AccountAlert::unknown_keys`] and its siblings). Empty for the message-bearing
            /// variants (their items are in the normalized lists) and for [`Event::Other`].
            ///
            /// ```
            /// let body = br#"{"entry":[{"changes":[{"field":"account_alerts","value":{
            ///   "entity_type":"WABA","alert_info":{"alert_type":"OBA_APPROVED","alert_color":"green"}}}]}]}"#;
            /// let webhook = kapso_webhooks::normalize_webhook(body).unwrap();
            /// let event = webhook.events().next().unwrap().event;
            /// assert_eq!(event.unknown_keys(), ["alertInfo.alertColor"]);
            /// ```
            pub fn unknown_keys(&self) -> Vec<String> {
                match self {
                    $(Event::$item(_) => Vec::new(),)*
                    $(Event::$typed(v) => v.unknown_keys(),)*
                    Event::Other { .. } => Vec::new(),
                }
            }
        }

        impl NormalizedWebhook {
            $($(
                #[doc = concat!("Each `", $typed_sent, "` change, typed, with its origin.")]
                $(#[$accessor_meta])*
                pub fn $accessor(&self) -> impl Iterator<Item = ($ty, &ChangeOrigin)> {
                    self.events().filter_map(|item| match item.event {
                        Event::$typed(value) => Some((*value, item.origin)),
                        _ => None,
                    })
                }
            )?)*
        }

        #[cfg(test)]
        mod table_tests {
            use crate::json::camel::{camel_field, camel_key};

            /// Each field's camelCased form is the one `raw` files it under (and the one
            /// `camel_key` gives).
            #[test]
            fn camel_forms_match_the_sent_names() {
                for (sent, camel) in [
                    $(($item_sent, $item_camel),)*
                    $(($typed_sent, $typed_camel), $(($alias_sent, $alias_camel),)*)*
                ] {
                    assert_eq!(camel_field(sent), camel);
                    assert_eq!(camel_key(sent), camel);
                }
            }
        }
    };
}

webhook_fields! {
    /// The typed value of one change, by field. Typed payloads are owned; the message-bearing fields
    /// point at the change, whose [`Change::messages`], [`Change::statuses`], [`Change::calls`] and
    /// [`Change::contacts`] are the normalized, typed items.
    ///
    /// Unknown fields (and known fields whose value is not an object) are [`Event::Other`]. The enum
    /// is `#[non_exhaustive]`: new fields become new variants.
    ///
    /// ```
    /// use kapso_webhooks::{normalize_webhook, Event};
    /// let body = br#"{"entry":[{"id":"1","changes":[
    ///   {"field":"shopping_cart_abandoned","value":{"cart_id":"c-1"}},
    ///   {"field":"security","value":{"event":"PIN_CHANGED","display_phone_number":"15550001111"}}]}]}"#;
    /// let webhook = normalize_webhook(body).unwrap();
    /// let events: Vec<_> = webhook.events().map(|item| item.event).collect();
    /// assert!(matches!(&events[0], Event::Other { field: Some("shoppingCartAbandoned"), .. }));
    /// assert!(matches!(&events[1], Event::Security(update) if update.event.as_ref().unwrap().as_str() == "PIN_CHANGED"));
    /// ```
    pub enum Event<'a> {
        items {
            /// `messages`: inbound messages and message statuses (and their contacts).
            Messages = "messages" as "messages";
            /// `calls`: calls (and call statuses).
            Calls = "calls" as "calls";
            /// `smb_message_echoes`: messages the business sent from the WhatsApp Business app.
            SmbMessageEchoes = "smb_message_echoes" as "smbMessageEchoes";
        }
        typed {
            /// `account_alerts`.
            AccountAlerts(AccountAlert) = "account_alerts" as "accountAlerts" {
                ///
                /// ```
                /// let body = br#"{"entry":[{"id":"214736902158834","changes":[{"field":"account_alerts","value":{
                ///   "entity_type":"PHONE_NUMBER","entity_id":"109283746550123",
                ///   "alert_info":{"alert_severity":"WARNING","alert_status":"ACTIVE","alert_type":"OBA_REJECTED"}}}]}]}"#;
                /// let webhook = kapso_webhooks::normalize_webhook(body).unwrap();
                /// let (alert, origin) = webhook.account_alerts().next().unwrap();
                /// assert_eq!(alert.entity_id.as_deref(), Some("109283746550123"));
                /// assert_eq!(origin.waba_id.as_deref(), Some("214736902158834"));
                /// ```
                fn account_alerts;
            }
            /// `account_review_update`.
            AccountReviewUpdate(AccountReviewUpdate) = "account_review_update" as "accountReviewUpdate" { fn account_review_updates; }
            /// `account_settings_update`.
            AccountSettingsUpdate(AccountSettingsUpdate) = "account_settings_update" as "accountSettingsUpdate" {}
            /// `account_update`.
            AccountUpdate(AccountUpdate) = "account_update" as "accountUpdate" { fn account_updates; }
            /// `automatic_events`.
            AutomaticEvents(AutomaticEvents) = "automatic_events" as "automaticEvents" {}
            /// `business_capability_update`.
            BusinessCapabilityUpdate(BusinessCapabilityUpdate) = "business_capability_update" as "businessCapabilityUpdate" { fn business_capability_updates; }
            /// `business_username_updates` (also sent as `business_username_update`): a business
            /// username approved, reserved, changed or deleted.
            BusinessUsernameUpdates(BusinessUsernameUpdate) = "business_username_updates" as "businessUsernameUpdates"
                | "business_username_update" as "businessUsernameUpdate" {
                ///
                /// ```
                /// let body = br#"{"entry":[{"id":"214736902158834","changes":[
                ///   {"field":"business_username_updates","value":{"display_phone_number":"15550001111",
                ///     "username":"harbor_tea","status":"approved"}},
                ///   {"field":"business_username_update","value":{"display_phone_number":"15550001111",
                ///     "event":"updated","username":"harbor.tea","previous_username":"harbor_tea"}}]}]}"#;
                /// let webhook = kapso_webhooks::normalize_webhook(body).unwrap();
                /// let updates: Vec<_> = webhook.business_username_updates().map(|(u, _)| u).collect();
                /// assert_eq!(updates[0].status.as_ref().unwrap().as_str(), "approved");
                /// assert_eq!(updates[1].previous_username.as_deref(), Some("harbor_tea"));
                /// ```
                fn business_username_updates;
            }
            /// `flows`.
            Flows(FlowUpdate) = "flows" as "flows" { fn flow_updates; }
            /// `group_lifecycle_update`: groups created or deleted.
            GroupLifecycleUpdate(GroupUpdate) = "group_lifecycle_update" as "groupLifecycleUpdate" {}
            /// `group_participants_update`: joins, join requests, removals, departures.
            GroupParticipantsUpdate(GroupUpdate) = "group_participants_update" as "groupParticipantsUpdate" {}
            /// `group_settings_update`: subject, description or picture changes.
            GroupSettingsUpdate(GroupUpdate) = "group_settings_update" as "groupSettingsUpdate" {}
            /// `group_status_update`: groups suspended or cleared.
            GroupStatusUpdate(GroupUpdate) = "group_status_update" as "groupStatusUpdate" {}
            /// `history`: WhatsApp Business app chat history. A media-sync change carries `messages`,
            /// which are also normalized: see [`FieldEvent::change`].
            History(HistoryUpdate) = "history" as "history" { fn history_updates; }
            /// `message_template_components_update`.
            MessageTemplateComponentsUpdate(TemplateComponentsUpdate) = "message_template_components_update" as "messageTemplateComponentsUpdate" { fn template_components_updates; }
            /// `message_template_quality_update`.
            MessageTemplateQualityUpdate(TemplateQualityUpdate) = "message_template_quality_update" as "messageTemplateQualityUpdate" { fn template_quality_updates; }
            /// `message_template_status_update`.
            MessageTemplateStatusUpdate(TemplateStatusUpdate) = "message_template_status_update" as "messageTemplateStatusUpdate" {
                ///
                /// ```
                /// let body = br#"{"entry":[{"id":"214736902158834","changes":[{"field":"message_template_status_update",
                ///   "value":{"event":"REJECTED","message_template_id":1183746529012399,"reason":"INVALID_FORMAT"}}]}]}"#;
                /// let webhook = kapso_webhooks::normalize_webhook(body).unwrap();
                /// let (update, _) = webhook.template_status_updates().next().unwrap();
                /// assert_eq!(update.template_id, Some(1183746529012399));
                /// assert_eq!(update.reason.unwrap().as_str(), "INVALID_FORMAT");
                /// ```
                fn template_status_updates;
            }
            /// `partner_solutions`.
            PartnerSolutions(PartnerSolutionUpdate) = "partner_solutions" as "partnerSolutions" { fn partner_solution_updates; }
            /// `payment_configuration_update`.
            PaymentConfigurationUpdate(PaymentConfigurationUpdate) = "payment_configuration_update" as "paymentConfigurationUpdate" { fn payment_configuration_updates; }
            /// `phone_number_name_update`.
            PhoneNumberNameUpdate(PhoneNumberNameUpdate) = "phone_number_name_update" as "phoneNumberNameUpdate" { fn phone_number_name_updates; }
            /// `phone_number_quality_update`.
            PhoneNumberQualityUpdate(PhoneNumberQualityUpdate) = "phone_number_quality_update" as "phoneNumberQualityUpdate" { fn phone_number_quality_updates; }
            /// `security`.
            Security(SecurityUpdate) = "security" as "security" { fn security_updates; }
            /// `smb_app_state_sync`: WhatsApp Business app contacts added or removed.
            SmbAppStateSync(SmbAppStateSync) = "smb_app_state_sync" as "smbAppStateSync" { fn smb_app_state_syncs; }
            /// `template_category_update`.
            TemplateCategoryUpdate(TemplateCategoryUpdate) = "template_category_update" as "templateCategoryUpdate" { fn template_category_updates; }
            /// `user_id_update`: users' business-scoped user IDs changed (see also
            /// [`NormalizedWebhook::user_id_changes`], which also reads system messages).
            UserIdUpdate(UserIdUpdates) = "user_id_update" as "userIdUpdate" {}
            /// `user_preferences`: marketing message preferences.
            UserPreferences(UserPreferencesUpdate) = "user_preferences" as "userPreferences" {}
        }
    }
}

impl Event<'_> {
    /// Whether this is [`Event::Other`]: a field the crate does not type.
    ///
    /// ```
    /// let body = br#"{"entry":[{"changes":[{"field":"brand_new_field","value":{"a":1}}]}]}"#;
    /// let webhook = kapso_webhooks::normalize_webhook(body).unwrap();
    /// assert!(webhook.events().all(|item| item.event.is_other()));
    /// ```
    pub fn is_other(&self) -> bool {
        matches!(self, Event::Other { .. })
    }
}

/// Types a camelCased change value (borrowed: nothing is cloned but what is kept).
pub(crate) fn parse<T: Field>(value: &Value) -> Option<Box<T>> {
    match T::deserialize_field(value) {
        Ok(Ok(typed)) => Some(Box::new(typed)),
        Ok(Err(_)) | Err(_) => None,
    }
}

/// One change as a typed [`Event`], with where it came from.
///
/// ```
/// let body = br#"{"entry":[{"id":"214736902158834","time":1732011000,"changes":[{"field":"account_review_update",
///   "value":{"decision":"APPROVED"}}]}]}"#;
/// let webhook = kapso_webhooks::normalize_webhook(body).unwrap();
/// let item = webhook.events().next().unwrap();
/// assert_eq!(item.waba_id(), Some("214736902158834"));
/// assert_eq!(item.origin.field.as_deref(), Some("account_review_update"));
/// assert_eq!(item.change().field(), Some("accountReviewUpdate"));
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct FieldEvent<'a> {
    /// The change's origin: the entry's WABA ID and `time`, the field as sent, and the change's
    /// own phone number metadata.
    pub origin: &'a ChangeOrigin,
    /// The typed value.
    pub event: Event<'a>,
    change: Change<'a>,
}

impl<'a> FieldEvent<'a> {
    /// The change itself: its camelCased value and its normalized contacts, messages, statuses
    /// and calls (a `user_preferences` change has contacts, a `history` media sync has messages).
    pub fn change(&self) -> Change<'a> {
        self.change
    }

    /// The entry's `id`: the WhatsApp Business Account ID (a business portfolio ID for
    /// `partner_solutions`).
    pub fn waba_id(&self) -> Option<&'a str> {
        self.origin.waba_id.as_deref()
    }

    /// The entry's `time`: when Meta sent the change.
    pub fn time(&self) -> Option<&'a Timestamp> {
        self.origin.time.as_ref()
    }
}

impl NormalizedWebhook {
    /// Every change of the body, in document order, as a typed [`Event`] with its origin.
    ///
    /// Covers every change that was normalized: message-bearing fields point at their change,
    /// known fields are typed, and anything else is [`Event::Other`]. Reading events never
    /// changes the normalized JSON. Known only for a webhook normalized from a body (empty after
    /// `Deserialize`, like [`NormalizedWebhook::changes`]).
    ///
    /// ```
    /// use kapso_webhooks::{normalize_webhook, Event};
    /// let body = br#"{"entry":[
    ///   {"id":"WABA-1","time":1732011000,"changes":[{"field":"account_alerts","value":{"entity_type":"WABA",
    ///     "entity_id":"WABA-1","alert_info":{"alert_severity":"CRITICAL","alert_type":"OBA_APPROVED"}}}]},
    ///   {"id":"WABA-2","changes":[{"field":"messages","value":{"metadata":{"phone_number_id":"222"},
    ///     "messages":[{"from":"15550104321","id":"wamid.A","type":"text","text":{"body":"Hi"}}]}}]}]}"#;
    /// let webhook = normalize_webhook(body).unwrap();
    /// let mut events = webhook.events();
    ///
    /// let first = events.next().unwrap();
    /// let Event::AccountAlerts(alert) = &first.event else { panic!() };
    /// let info = alert.alert_info.as_ref().unwrap();
    /// assert_eq!(info.alert_severity.as_ref().unwrap().as_str(), "CRITICAL");
    /// assert_eq!(first.waba_id(), Some("WABA-1"));
    ///
    /// let second = events.next().unwrap();
    /// let Event::Messages(change) = &second.event else { panic!() };
    /// assert_eq!(change.messages()[0].text_body(), Some("Hi"));
    /// assert_eq!(second.origin.phone_number_id.as_deref(), Some("222"));
    /// assert!(events.next().is_none());
    /// ```
    pub fn events(&self) -> impl Iterator<Item = FieldEvent<'_>> {
        self.changes().map(|change| FieldEvent {
            origin: change.origin(),
            event: Event::from_change(change),
            change,
        })
    }

    /// Each item of every `user_preferences` change, with the origin of its change.
    ///
    /// ```
    /// let body = br#"{"entry":[{"id":"214736902158834","changes":[{"field":"user_preferences","value":{
    ///   "user_preferences":[{"wa_id":"919820012345","category":"marketing_messages","value":"stop","timestamp":1732011100}]}}]}]}"#;
    /// let webhook = kapso_webhooks::normalize_webhook(body).unwrap();
    /// let (preference, _) = webhook.user_preferences().next().unwrap();
    /// assert_eq!(preference.value.as_ref().unwrap().as_str(), "stop");
    /// assert_eq!(preference.identity().phone_number, Some("919820012345"));
    /// ```
    pub fn user_preferences(&self) -> impl Iterator<Item = (UserPreference, &ChangeOrigin)> {
        self.items_of(|event| match event {
            Event::UserPreferences(update) => update.user_preferences,
            _ => None,
        })
    }

    /// Each item of every `automatic_events` change (purchases and leads from click-to-WhatsApp
    /// ads), with the origin of its change.
    ///
    /// ```
    /// let body = br#"{"entry":[{"id":"214736902158834","changes":[{"field":"automatic_events","value":{
    ///   "automatic_events":[{"id":"wamid.X","event_name":"Purchase","timestamp":1732011900,
    ///     "custom_data":{"currency":"INR","value":2499}}]}}]}]}"#;
    /// let webhook = kapso_webhooks::normalize_webhook(body).unwrap();
    /// let (event, _) = webhook.automatic_events().next().unwrap();
    /// assert_eq!(event.event_name.unwrap().as_str(), "Purchase");
    /// assert_eq!(event.custom_data.unwrap().currency.as_deref(), Some("INR"));
    /// ```
    pub fn automatic_events(&self) -> impl Iterator<Item = (AutomaticEvent, &ChangeOrigin)> {
        self.items_of(|event| match event {
            Event::AutomaticEvents(update) => update.automatic_events,
            _ => None,
        })
    }

    /// Each change of the four `group_*` fields, typed, with its origin (the field is in
    /// `origin.field`).
    pub fn group_updates(&self) -> impl Iterator<Item = (GroupUpdate, &ChangeOrigin)> {
        self.items_of(|event| match event {
            Event::GroupLifecycleUpdate(update)
            | Event::GroupParticipantsUpdate(update)
            | Event::GroupSettingsUpdate(update)
            | Event::GroupStatusUpdate(update) => Some([*update]),
            _ => None,
        })
    }

    /// The items `pick` takes from each event, each with the origin of its change.
    fn items_of<'w, I: IntoIterator>(
        &'w self,
        pick: impl Fn(Event<'w>) -> Option<I> + 'w,
    ) -> impl Iterator<Item = (I::Item, &'w ChangeOrigin)> + 'w
    where
        I::IntoIter: 'w,
    {
        self.events()
            .filter_map(move |item| Some((pick(item.event)?, item.origin)))
            .flat_map(|(items, origin)| items.into_iter().map(move |item| (item, origin)))
    }
}
