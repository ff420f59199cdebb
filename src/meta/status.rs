//! Statuses: what happened to a message the business sent (and call statuses).

use chrono::{DateTime, Utc};
use compact_str::CompactString;

use crate::identity::UserIdentity;
use crate::json::wire::{open_enum, wire_struct};
use crate::meta::message::ApiError;
use crate::timestamp::Timestamp;

open_enum! {
    /// A message's delivery status.
    ///
    /// ```
    /// use kapso_webhooks::StatusKind;
    /// assert_eq!(StatusKind::from("read"), StatusKind::Read);
    /// assert!(StatusKind::from("teleported").is_other());
    /// ```
    pub enum StatusKind {
        /// Sent to WhatsApp.
        Sent = "sent",
        /// Delivered to the user's device.
        Delivered = "delivered",
        /// Read by the user.
        Read = "read",
        /// A voice message was played.
        Played = "played",
        /// Could not be delivered; see `errors`.
        Failed = "failed",
        /// Deleted by the user.
        Deleted = "deleted",
        /// A warning about an item in a catalog message.
        Warning = "warning",
        /// A call is ringing (call statuses).
        Ringing = "RINGING",
        /// A call was accepted (call statuses).
        Accepted = "ACCEPTED",
        /// A call was rejected (call statuses).
        Rejected = "REJECTED",
    }
}

open_enum! {
    /// How a message is priced.
    ///
    /// ```
    /// use kapso_webhooks::meta::status::PricingModel;
    /// assert_eq!(PricingModel::from("PMP"), PricingModel::Pmp);
    /// ```
    pub enum PricingModel {
        /// Conversation-based pricing (until July 2025).
        Cbp = "CBP",
        /// Per-message pricing.
        Pmp = "PMP",
    }
}

open_enum! {
    /// A pricing or conversation category.
    ///
    /// ```
    /// use kapso_webhooks::meta::status::PricingCategory;
    /// assert_eq!(PricingCategory::from("utility"), PricingCategory::Utility);
    /// ```
    pub enum PricingCategory {
        /// Authentication templates.
        Authentication = "authentication",
        /// International authentication templates.
        AuthenticationInternational = "authentication_international",
        /// Marketing templates.
        Marketing = "marketing",
        /// Marketing Messages Lite API.
        MarketingLite = "marketing_lite",
        /// Utility templates.
        Utility = "utility",
        /// Free-form service replies.
        Service = "service",
        /// Free entry point (click-to-WhatsApp ads, Facebook page button).
        ReferralConversion = "referral_conversion",
        /// Older: any conversation the business started.
        BusinessInitiated = "business_initiated",
        /// Older: any conversation the user started.
        UserInitiated = "user_initiated",
    }
}

wire_struct! {
    /// A status update of a message the business sent, camelCased. `recipientId` is absent for
    /// users known only by a business-scoped user ID.
    ///
    /// ```
    /// use kapso_webhooks::{Status, StatusKind};
    /// let status: Status = serde_json::from_str(
    ///     r#"{"id":"wamid.A","status":"delivered","timestamp":"1732000000","recipientUserId":"US.1"}"#,
    /// ).unwrap();
    /// assert_eq!(status.status, Some(StatusKind::Delivered));
    /// assert_eq!(status.recipient().preferred_id(), Some("US.1"));
    /// assert_eq!(status.dedupe_key().as_deref(), Some("wamid.A:delivered"));
    /// ```
    pub struct Status {
        /// The message ID.
        id: CompactString = "id",
        /// The new status.
        status: StatusKind = "status",
        /// When the status changed.
        timestamp: Timestamp = "timestamp",
        /// The recipient's phone number, when shared.
        recipient_id: CompactString = "recipientId",
        /// The recipient's business-scoped user ID.
        recipient_user_id: CompactString = "recipientUserId",
        /// The recipient's parent business-scoped user ID (Meta's later spelling; see
        /// [`Status::recipient`] for the others).
        recipient_parent_user_id: CompactString = "recipientParentUserId",
        /// The recipient's parent business-scoped user ID, as Meta's February 2026 pages spell
        /// it.
        parent_recipient_user_id: CompactString = "parentRecipientUserId",
        /// The recipient's parent business-scoped user ID, as one of Meta's examples (a message
        /// sent to a BSUID) spells it.
        parent_user_id: CompactString = "parentUserId",
        /// `individual` or `group`.
        recipient_type: CompactString = "recipientType",
        /// The group member's phone number (group messages).
        recipient_participant_id: CompactString = "recipientParticipantId",
        /// The group member's business-scoped user ID.
        recipient_participant_user_id: CompactString = "recipientParticipantUserId",
        /// The group member's parent business-scoped user ID.
        recipient_participant_parent_user_id: CompactString = "recipientParticipantParentUserId",
        /// The conversation the message belongs to (conversation-based pricing).
        conversation: Box<Conversation> = "conversation",
        /// How the message is priced.
        pricing: Box<Pricing> = "pricing",
        /// Why the message failed.
        errors: Vec<ApiError> = "errors",
        /// The string the business attached when sending.
        biz_opaque_callback_data: CompactString = "bizOpaqueCallbackData",
        /// `call` for call statuses; absent for messages.
        status_type: CompactString = "type",
    }
}

impl Status {
    /// When the status changed, as a UTC date-time.
    ///
    /// ```
    /// let status: kapso_webhooks::Status = serde_json::from_str(r#"{"id":"wamid.D","timestamp":"1700000000"}"#)?;
    /// assert_eq!(status.to_datetime().unwrap().to_rfc3339(), "2023-11-14T22:13:20+00:00");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn to_datetime(&self) -> Option<DateTime<Utc>> {
        self.timestamp.as_ref()?.to_datetime()
    }

    /// Who the message was sent to: phone number (`recipientId`), business-scoped user ID
    /// (`recipientUserId`) and parent BSUID, whichever are present. The parent BSUID is read
    /// from `recipientParentUserId`, else `parentRecipientUserId`, else `parentUserId` (Meta's
    /// pages use all three). The username is in the change's contact.
    ///
    /// ```
    /// let status: kapso_webhooks::Status = serde_json::from_str(
    ///     r#"{"id":"wamid.A","status":"read","recipientUserId":"US.1","parentRecipientUserId":"US.ENT.1"}"#,
    /// ).unwrap();
    /// let recipient = status.recipient();
    /// assert_eq!(recipient.phone_number, None);
    /// assert_eq!(recipient.parent_user_id, Some("US.ENT.1"));
    /// ```
    pub fn recipient(&self) -> UserIdentity<'_> {
        UserIdentity::of(
            self.recipient_id.as_deref(),
            self.recipient_user_id.as_deref(),
            [
                &self.recipient_parent_user_id,
                &self.parent_recipient_user_id,
                &self.parent_user_id,
            ]
            .into_iter()
            .find_map(|id| id.as_deref().filter(|id| !id.is_empty())),
            None,
        )
    }

    /// The key that identifies this status update across Meta's redeliveries:
    /// `"<message id>:<status>"` (such as `wamid.A:delivered`), `None` without a message ID.
    /// One message gets one update per status (`sent`, `delivered`, `read`, …), each with its
    /// own key; a redelivered update has the same key. An unknown status counts as written.
    ///
    /// ```
    /// let status: kapso_webhooks::Status =
    ///     serde_json::from_str(r#"{"id":"wamid.A","status":"read"}"#).unwrap();
    /// assert_eq!(status.dedupe_key().as_deref(), Some("wamid.A:read"));
    /// ```
    pub fn dedupe_key(&self) -> Option<String> {
        let id = self.id.as_deref()?;
        let status = self.status.as_ref().map_or("", |s| s.as_str());
        Some(format!("{id}:{status}"))
    }
}

wire_struct! {
    /// The conversation a message belongs to.
    ///
    /// ```
    /// use kapso_webhooks::meta::status::{Conversation, PricingCategory};
    /// let conversation: Conversation = serde_json::from_str(r#"{"id":"CONV-1","origin":{"type":"service"}}"#)?;
    /// assert_eq!(conversation.id.as_deref(), Some("CONV-1"));
    /// assert_eq!(conversation.origin.unwrap().origin_type, Some(PricingCategory::Service));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub struct Conversation {
        /// The conversation ID.
        id: CompactString = "id",
        /// When the conversation window closes.
        expiration_timestamp: Timestamp = "expirationTimestamp",
        /// What opened the conversation.
        origin: Box<ConversationOrigin> = "origin",
    }
}

wire_struct! {
    /// What opened a conversation.
    ///
    /// ```
    /// use kapso_webhooks::meta::status::{ConversationOrigin, PricingCategory};
    /// let origin: ConversationOrigin = serde_json::from_str(r#"{"type":"referral_conversion"}"#)?;
    /// assert_eq!(origin.origin_type, Some(PricingCategory::ReferralConversion));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub struct ConversationOrigin {
        /// The conversation category.
        origin_type: PricingCategory = "type",
    }
}

wire_struct! {
    /// How a message is priced.
    ///
    /// ```
    /// use kapso_webhooks::meta::status::{Pricing, PricingCategory, PricingModel};
    /// let pricing: Pricing = serde_json::from_str(r#"{"billable":false,"pricingModel":"PMP","category":"service","type":"free_customer_service"}"#)?;
    /// assert_eq!((pricing.billable, pricing.pricing_model), (Some(false), Some(PricingModel::Pmp)));
    /// assert_eq!(pricing.category, Some(PricingCategory::Service));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub struct Pricing {
        /// Whether the message is charged.
        billable: bool = "billable",
        /// The pricing model.
        pricing_model: PricingModel = "pricingModel",
        /// The pricing category.
        category: PricingCategory = "category",
        /// `regular`, `free_customer_service` or `free_entry_point` (per-message pricing).
        pricing_type: CompactString = "type",
    }
}
