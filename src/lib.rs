//! # kapso-webhooks
//!
//! Typed, normalized WhatsApp webhooks for Rust: raw Meta Cloud API webhooks, normalized exactly
//! like Kapso's TypeScript `normalizeWebhook` (npm `@kapso/whatsapp-cloud-api` 0.3.0), with typed
//! messages, statuses, calls and contacts on top, plus signature checks.
//!
//! ```
//! let body = br#"{"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{
//!   "field":"messages","value":{"messaging_product":"whatsapp",
//!   "metadata":{"display_phone_number":"15550001111","phone_number_id":"109283746550123"},
//!   "contacts":[{"profile":{"name":"Ana"},"user_id":"US.13491208655302741918"}],
//!   "messages":[{"from_user_id":"US.13491208655302741918","id":"wamid.A","timestamp":"1732000000",
//!                "type":"text","text":{"body":"Hola"}}]}}]}]}"#;
//!
//! let webhook = kapso_webhooks::normalize_webhook(body)?;
//! for message in &webhook.messages {
//!     // A user may arrive with a business-scoped user ID and no phone number.
//!     let sender = message.sender();
//!     assert_eq!(sender.phone_number, None);
//!     assert_eq!(sender.preferred_id(), Some("US.13491208655302741918"));
//!     assert_eq!(message.text_body(), Some("Hola"));
//!     assert_eq!(message.direction(), Some(&kapso_webhooks::Direction::Inbound));
//! }
//! // The JSON form is exactly the reference's output.
//! let json = serde_json::to_value(&webhook)?;
//! assert_eq!(json["messages"][0]["fromUserId"], "US.13491208655302741918");
//! assert_eq!(json["raw"]["messages"][0]["messagingProduct"], "whatsapp");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! See the README for the output shape, the deliberate deviations from the reference, and the
//! command-line tool.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod error;
mod json;

#[cfg(feature = "axum")]
pub mod axum;
pub mod identity;
pub mod kapso_event;
pub mod meta;
pub mod numeric;
pub mod timestamp;
pub mod verify;

pub use error::{Error, ErrorCategory};
pub use identity::UserIdentity;
pub use json::camel::camel_key;
pub use json::wire::Map;
pub use meta::call::{Call, CallDirection, CallEvent, CallRecording, CallSession, CallTranscript};
pub use meta::contact::{Contact, Profile};
pub use meta::message::{
    ApiError, Button, CallPermissionReply, ContactAddress, ContactEmail, ContactName, ContactOrg,
    ContactPhone, ContactUrl, Context, Edit, ErrorData, IdentityChange, Interactive,
    InteractiveType, Location, Media, Message, MessageType, NfmReply, Order, ProductItem, Reaction,
    Referral, ReferredProduct, ReplyChoice, Revoke, SharedContact, System, SystemType, Text,
    Unsupported, WelcomeMessage,
};
pub use meta::message::{Direction, Kapso};
pub use meta::status::{
    Conversation, ConversationOrigin, Pricing, PricingCategory, PricingModel, Status, StatusKind,
};
pub use meta::{normalize_value, normalize_webhook};
pub use meta::{Change, ChangeOrigin, NormalizedWebhook, Raw};
pub use numeric::Numeric;
pub use timestamp::Timestamp;
pub use verify::{Delivery, DeliveryKind, Verifier};

/// The type of every text field: a string that keeps up to 24 bytes inline, so that the short
/// ids, phone numbers and names of a webhook do not allocate. It derefs to `str`, compares with
/// `&str` and `String`, and converts into a `String` (`String::from`, `.into_string()`).
///
/// ```
/// let body = br#"{"entry":[{"changes":[{"field":"messages","value":{"messages":[
///   {"from":"15550104321","id":"wamid.A","type":"text","text":{"body":"Hola"}}]}}]}]}"#;
/// let webhook = kapso_webhooks::normalize_webhook(body)?;
/// let from: &kapso_webhooks::CompactString = webhook.messages[0].from.as_ref().unwrap();
/// assert_eq!(from, "15550104321");
/// assert_eq!(webhook.messages[0].from.as_deref(), Some("15550104321"));
/// let owned: String = from.clone().into_string();
/// assert_eq!(owned, "15550104321");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub use compact_str::CompactString;

/// The README's examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

pub use kapso_event::{
    kapso_delivery_from_value, parse_kapso_delivery, parse_kapso_event, BatchInfo,
    KapsoConversation, KapsoDelivery, KapsoEvent, KapsoEventName, KapsoHeaders, KapsoPayload,
    PayloadVersion,
};
pub use meta::message::{KapsoStatus, MediaData, MessageOrigin, ProcessingStatus, Transcript};

pub use meta::event::account::{
    AccountAlert, AccountReviewUpdate, AccountSettingsUpdate, AccountUpdate, AccountUpdateEvent,
    AlertEntityType, AlertInfo, AlertSeverity, AlertStatus, AlertType,
    AuthInternationalRateEligibility, BanInfo, BanState, BusinessCapabilityUpdate, CallHours,
    CallingSettings, DisconnectionInfo, DisconnectionInitiator, DisconnectionReason,
    ExceptionCountry, HolidayHours, OperatingHours, PartnerSolutionEvent, PartnerSolutionUpdate,
    PaymentConfigurationStatus, PaymentConfigurationUpdate, PhoneNumberSettings, Restriction,
    RestrictionType, ReviewDecision, SecurityEvent, SecurityUpdate, SipServer, SipSettings,
    SolutionStatus, VerificationInfo, ViolationInfo, VolumeTierInfo, WabaInfo,
};
pub use meta::event::automatic_events::{
    AutomaticEvent, AutomaticEventName, AutomaticEvents, PurchaseData,
};
pub use meta::event::flows::{AlertState, FlowErrorCount, FlowEvent, FlowStatus, FlowUpdate};
pub use meta::event::group::{
    GroupEvent, GroupEventType, GroupParticipant, GroupPictureChange, GroupSettingChange,
    GroupUpdate, JoinApprovalMode,
};
pub use meta::event::history::{
    HistoryChunk, HistoryContext, HistoryMessage, HistoryMessageStatus, HistoryMetadata,
    HistoryThread, HistoryUpdate, SmbAppStateSync, StateSyncAction, StateSyncItem,
    StateSyncMetadata, StateSyncType, SyncedContact,
};
pub use meta::event::phone_number::{
    DailyLimit, MessagingLimit, PhoneNumberNameUpdate, PhoneNumberQualityEvent,
    PhoneNumberQualityUpdate,
};
pub use meta::event::template::{
    DisableInfo, OtherInfo, QualityScore, RejectionInfo, TemplateButton, TemplateCategory,
    TemplateCategoryUpdate, TemplateComponentsUpdate, TemplateEvent, TemplatePauseTitle,
    TemplateQualityUpdate, TemplateRejectionReason, TemplateStatusUpdate,
};
pub use meta::event::user_preferences::{
    PreferenceCategory, PreferenceValue, UserPreference, UserPreferencesUpdate,
};
pub use meta::event::{Event, FieldEvent, PhoneNumberMetadata};
