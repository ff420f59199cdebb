//! Business phone number events: `phone_number_name_update` (display name review) and
//! `phone_number_quality_update` (messaging limit and throughput), with the messaging limit tiers
//! they share with `business_capability_update`.

use compact_str::CompactString;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::json::wire::{deserialize_text, Field};
use crate::json::wire::{open_enum, wire_struct, UnknownKeys};
use crate::meta::event::account::ReviewDecision;
use crate::raw_json::RawJson;

open_enum! {
    /// A messaging limit tier: how many users a business may message in a rolling 24 hours.
    ///
    /// ```
    /// use kapso_webhooks::meta::event::phone_number::MessagingLimit;
    /// assert_eq!(MessagingLimit::from("TIER_10K").count(), Some(10_000));
    /// assert_eq!(MessagingLimit::from("TIER_UNLIMITED").count(), None);
    /// assert!(MessagingLimit::from("TIER_1M").is_other());
    /// ```
    pub enum MessagingLimit {
        /// 50 users.
        Tier50 = "TIER_50",
        /// 250 users.
        Tier250 = "TIER_250",
        /// 1,000 users (older tier).
        Tier1K = "TIER_1K",
        /// 2,000 users.
        Tier2K = "TIER_2K",
        /// 10,000 users.
        Tier10K = "TIER_10K",
        /// 100,000 users.
        Tier100K = "TIER_100K",
        /// The number has not sent a message yet.
        NotSet = "TIER_NOT_SET",
        /// Unlimited (higher throughput).
        Unlimited = "TIER_UNLIMITED",
    }
}

impl MessagingLimit {
    /// The number of users of a finite tier.
    ///
    /// ```
    /// use kapso_webhooks::meta::event::phone_number::MessagingLimit;
    /// assert_eq!(MessagingLimit::Tier250.count(), Some(250));
    /// assert_eq!(MessagingLimit::NotSet.count(), None);
    /// ```
    pub fn count(&self) -> Option<u64> {
        match self {
            MessagingLimit::Tier50 => Some(50),
            MessagingLimit::Tier250 => Some(250),
            MessagingLimit::Tier1K => Some(1_000),
            MessagingLimit::Tier2K => Some(2_000),
            MessagingLimit::Tier10K => Some(10_000),
            MessagingLimit::Tier100K => Some(100_000),
            MessagingLimit::NotSet | MessagingLimit::Unlimited | MessagingLimit::Other(_) => None,
        }
    }
}

/// A daily messaging limit as Meta sends it: a tier name (`"TIER_10K"`) or a plain number
/// (`2000`). Serializes back in the form it arrived in.
///
/// ```
/// use kapso_webhooks::meta::event::phone_number::{DailyLimit, MessagingLimit};
/// let tier: DailyLimit = serde_json::from_str(r#""TIER_2K""#).unwrap();
/// assert_eq!(tier, DailyLimit::Tier(MessagingLimit::Tier2K));
/// let count: DailyLimit = serde_json::from_str("2000").unwrap();
/// assert_eq!(count.count(), Some(2000));
/// assert_eq!(serde_json::to_string(&count).unwrap(), "2000");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DailyLimit {
    /// A tier name.
    Tier(MessagingLimit),
    /// A number of users (or conversations).
    Count(u64),
}

impl DailyLimit {
    /// The limit as a number, when it is finite and known.
    ///
    /// ```
    /// use kapso_webhooks::meta::event::phone_number::DailyLimit;
    /// let tier: DailyLimit = serde_json::from_str(r#""TIER_100K""#)?;
    /// let unlimited: DailyLimit = serde_json::from_str(r#""TIER_UNLIMITED""#)?;
    /// assert_eq!((tier.count(), unlimited.count()), (Some(100_000), None));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn count(&self) -> Option<u64> {
        match self {
            DailyLimit::Tier(tier) => tier.count(),
            DailyLimit::Count(count) => Some(*count),
        }
    }
}

impl Serialize for DailyLimit {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            DailyLimit::Tier(tier) => tier.serialize(serializer),
            DailyLimit::Count(count) => count.serialize(serializer),
        }
    }
}

impl<'de> Deserialize<'de> for DailyLimit {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        crate::json::wire::deserialize_strict(
            d,
            "expected a messaging limit (a tier name or a whole number)",
        )
    }
}

impl Field for DailyLimit {
    fn deserialize_field<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Result<Self, RawJson>, D::Error> {
        Ok(match deserialize_text::<_, MessagingLimit>(d)? {
            Ok(tier) => Ok(DailyLimit::Tier(tier)),
            Err(other) => u64::from_raw(other).map(DailyLimit::Count),
        })
    }
}

impl UnknownKeys for DailyLimit {
    fn unknown_keys_into(&self, _: &str, _: &mut Vec<String>) {}
}

open_enum! {
    /// The `event` of a `phone_number_quality_update`.
    ///
    /// ```
    /// use kapso_webhooks::meta::event::phone_number::PhoneNumberQualityEvent;
    /// assert_eq!(PhoneNumberQualityEvent::from("UPGRADE"), PhoneNumberQualityEvent::Upgrade);
    /// ```
    pub enum PhoneNumberQualityEvent {
        /// The messaging limit went down.
        Downgrade = "DOWNGRADE",
        /// The number's quality is low; the limit may go down.
        Flagged = "FLAGGED",
        /// The number is still being registered.
        Onboarding = "ONBOARDING",
        /// The number is no longer flagged.
        Unflagged = "UNFLAGGED",
        /// The messaging limit went up.
        Upgrade = "UPGRADE",
        /// The number moved to higher throughput.
        ThroughputUpgrade = "THROUGHPUT_UPGRADE",
    }
}

wire_struct! {
    /// A `phone_number_name_update` value: the review of a requested display name.
    ///
    /// ```
    /// use kapso_webhooks::meta::event::phone_number::PhoneNumberNameUpdate;
    /// use kapso_webhooks::meta::event::account::ReviewDecision;
    /// let update: PhoneNumberNameUpdate = serde_json::from_str(r#"{"displayPhoneNumber":"15550001111",
    ///   "decision":"APPROVED","requestedVerifiedName":"Lakeshore Ceramics","rejectionReason":null}"#).unwrap();
    /// assert_eq!(update.decision, Some(ReviewDecision::Approved));
    /// assert_eq!(update.rejection_reason, None);
    /// assert!(update.unknown_keys().is_empty());
    /// ```
    pub struct PhoneNumberNameUpdate {
        /// The business display phone number.
        display_phone_number: CompactString = "displayPhoneNumber",
        /// The review decision.
        decision: ReviewDecision = "decision",
        /// The display name that was requested.
        requested_verified_name: CompactString = "requestedVerifiedName",
        /// Why the name was rejected (Meta sends `null` otherwise).
        rejection_reason: CompactString = "rejectionReason",
    }
}

wire_struct! {
    /// A `phone_number_quality_update` value: a change of a number's messaging limit or
    /// throughput.
    ///
    /// ```
    /// use kapso_webhooks::meta::event::phone_number::{MessagingLimit, PhoneNumberQualityEvent, PhoneNumberQualityUpdate};
    /// let update: PhoneNumberQualityUpdate = serde_json::from_str(r#"{"displayPhoneNumber":"15550001111",
    ///   "event":"UPGRADE","currentLimit":"TIER_10K","oldLimit":"TIER_2K"}"#).unwrap();
    /// assert_eq!(update.event, Some(PhoneNumberQualityEvent::Upgrade));
    /// assert_eq!(update.current_limit.as_ref().and_then(|l| l.count()), Some(10_000));
    /// ```
    pub struct PhoneNumberQualityUpdate {
        /// The business display phone number.
        display_phone_number: CompactString = "displayPhoneNumber",
        /// What changed.
        event: PhoneNumberQualityEvent = "event",
        /// The current messaging limit (being replaced by `maxDailyConversationsPerBusiness`).
        current_limit: MessagingLimit = "currentLimit",
        /// The previous messaging limit, for limit changes.
        old_limit: MessagingLimit = "oldLimit",
        /// The business portfolio's messaging limit.
        max_daily_conversations_per_business: DailyLimit = "maxDailyConversationsPerBusiness",
        /// The per-number daily conversation limit (older payloads).
        max_daily_conversation_per_phone: u64 = "maxDailyConversationPerPhone",
    }
}
