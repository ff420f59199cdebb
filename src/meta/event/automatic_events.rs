//! Click-to-WhatsApp ad conversions (`automatic_events`): purchases and leads Meta detected in
//! chats that started from an ad.

use compact_str::CompactString;
use serde_json::Number;

use crate::json::wire::{open_enum, wire_struct};
use crate::meta::event::PhoneNumberMetadata;
use crate::timestamp::Timestamp;

open_enum! {
    /// The kind of conversion.
    ///
    /// ```
    /// use kapso_webhooks::meta::event::automatic_events::AutomaticEventName;
    /// assert_eq!(AutomaticEventName::from("LeadSubmitted"), AutomaticEventName::LeadSubmitted);
    /// ```
    pub enum AutomaticEventName {
        /// A purchase.
        Purchase = "Purchase",
        /// A lead.
        LeadSubmitted = "LeadSubmitted",
    }
}

wire_struct! {
    /// An `automatic_events` value.
    ///
    /// ```
    /// use kapso_webhooks::meta::event::automatic_events::AutomaticEvents;
    /// let events: AutomaticEvents = serde_json::from_str(
    ///     r#"{"messagingProduct":"whatsapp","automaticEvents":[{"id":"wamid.L","eventName":"LeadSubmitted"}]}"#)?;
    /// assert_eq!(events.automatic_events.unwrap()[0].id.as_deref(), Some("wamid.L"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub struct AutomaticEvents {
        /// Always `whatsapp`.
        messaging_product: CompactString = "messagingProduct",
        /// The business phone number.
        metadata: PhoneNumberMetadata = "metadata",
        /// The conversions.
        automatic_events: Vec<AutomaticEvent> = "automaticEvents",
    }
}

wire_struct! {
    /// One conversion detected in a chat.
    ///
    /// ```
    /// use kapso_webhooks::meta::event::automatic_events::{AutomaticEvent, AutomaticEventName};
    /// let event: AutomaticEvent = serde_json::from_str(r#"{"id":"wamid.X","eventName":"Purchase",
    ///   "timestamp":1732011900,"ctwaClid":"ARAk","customData":{"currency":"INR","value":2499}}"#).unwrap();
    /// assert_eq!(event.event_name, Some(AutomaticEventName::Purchase));
    /// let data = event.custom_data.unwrap();
    /// assert_eq!(data.value.and_then(|v| v.as_u64()), Some(2499));
    /// ```
    pub struct AutomaticEvent {
        /// The ID of the message the conversion was detected in.
        id: CompactString = "id",
        /// The kind of conversion.
        event_name: AutomaticEventName = "eventName",
        /// When.
        timestamp: Timestamp = "timestamp",
        /// The click-to-WhatsApp click ID of the ad.
        ctwa_clid: CompactString = "ctwaClid",
        /// The purchase amount (`Purchase`).
        custom_data: PurchaseData = "customData",
    }
}

wire_struct! {
    /// The amount of a purchase.
    ///
    /// ```
    /// use kapso_webhooks::meta::event::automatic_events::PurchaseData;
    /// let data: PurchaseData = serde_json::from_str(r#"{"currency":"BRL","value":89.9}"#)?;
    /// assert_eq!(data.currency.as_deref(), Some("BRL"));
    /// assert_eq!(data.value.and_then(|value| value.as_f64()), Some(89.9));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub struct PurchaseData {
        /// ISO 4217 currency code.
        currency: CompactString = "currency",
        /// The amount.
        value: Number = "value",
    }
}
