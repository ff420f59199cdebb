//! Message template events: `message_template_status_update`, `message_template_quality_update`,
//! `message_template_components_update` and `template_category_update`.

use compact_str::CompactString;

use crate::json::wire::{open_enum, wire_struct};
use crate::timestamp::Timestamp;

open_enum! {
    /// The `event` of a `message_template_status_update`: the template's new status.
    ///
    /// ```
    /// use kapso_webhooks::meta::event::template::TemplateEvent;
    /// assert_eq!(TemplateEvent::from("APPROVED"), TemplateEvent::Approved);
    /// assert!(TemplateEvent::from("SUSPENDED_FOREVER").is_other());
    /// ```
    pub enum TemplateEvent {
        /// Approved: it can be sent.
        Approved = "APPROVED",
        /// Archived after inactivity.
        Archived = "ARCHIVED",
        /// Restored from the archive.
        Unarchived = "UNARCHIVED",
        /// Deleted.
        Deleted = "DELETED",
        /// Disabled after negative feedback.
        Disabled = "DISABLED",
        /// Negative feedback: at risk of being disabled.
        Flagged = "FLAGGED",
        /// Under appeal.
        InAppeal = "IN_APPEAL",
        /// The account reached its template limit.
        LimitExceeded = "LIMIT_EXCEEDED",
        /// Locked: it cannot be edited.
        Locked = "LOCKED",
        /// Paused.
        Paused = "PAUSED",
        /// Under review.
        Pending = "PENDING",
        /// Deleted in WhatsApp Manager, removal pending.
        PendingDeletion = "PENDING_DELETION",
        /// No longer flagged or disabled.
        Reinstated = "REINSTATED",
        /// Rejected; see `reason` and `rejection_info`.
        Rejected = "REJECTED",
    }
}

open_enum! {
    /// Why a template was rejected (the `reason` of a status update).
    ///
    /// ```
    /// use kapso_webhooks::meta::event::template::TemplateRejectionReason;
    /// assert_eq!(TemplateRejectionReason::from("TAG_CONTENT_MISMATCH"), TemplateRejectionReason::TagContentMismatch);
    /// ```
    pub enum TemplateRejectionReason {
        /// Abusive content.
        AbusiveContent = "ABUSIVE_CONTENT",
        /// The category is not available.
        CategoryNotAvailable = "CATEGORY_NOT_AVAILABLE",
        /// The category is wrong.
        IncorrectCategory = "INCORRECT_CATEGORY",
        /// Invalid format; see `rejection_info`.
        InvalidFormat = "INVALID_FORMAT",
        /// No reason (approvals, pauses).
        None = "NONE",
        /// Promotional content.
        Promotional = "PROMOTIONAL",
        /// Scam.
        Scam = "SCAM",
        /// The content does not match the tag.
        TagContentMismatch = "TAG_CONTENT_MISMATCH",
    }
}

open_enum! {
    /// A template category.
    ///
    /// ```
    /// use kapso_webhooks::meta::event::template::TemplateCategory;
    /// assert_eq!(TemplateCategory::from("UTILITY"), TemplateCategory::Utility);
    /// ```
    pub enum TemplateCategory {
        /// Marketing.
        Marketing = "MARKETING",
        /// Utility.
        Utility = "UTILITY",
        /// Authentication.
        Authentication = "AUTHENTICATION",
    }
}

open_enum! {
    /// A template's quality score.
    ///
    /// ```
    /// use kapso_webhooks::meta::event::template::QualityScore;
    /// assert_eq!(QualityScore::from("YELLOW"), QualityScore::Yellow);
    /// assert_eq!(QualityScore::Unknown.as_str(), "UNKNOWN");
    /// ```
    pub enum QualityScore {
        /// High quality.
        Green = "GREEN",
        /// Medium quality.
        Yellow = "YELLOW",
        /// Low quality.
        Red = "RED",
        /// Not rated yet.
        Unknown = "UNKNOWN",
    }
}

open_enum! {
    /// The `title` of a template pause or unpause (`other_info`).
    ///
    /// ```
    /// use kapso_webhooks::meta::event::template::TemplatePauseTitle;
    /// assert_eq!(TemplatePauseTitle::from("SECOND_PAUSE"), TemplatePauseTitle::SecondPause);
    /// ```
    pub enum TemplatePauseTitle {
        /// Paused for the first time.
        FirstPause = "FIRST_PAUSE",
        /// Paused for the second time.
        SecondPause = "SECOND_PAUSE",
        /// Paused by rate limiting.
        RateLimitingPause = "RATE_LIMITING_PAUSE",
        /// Unpaused.
        Unpause = "UNPAUSE",
        /// Disabled.
        Disabled = "DISABLED",
    }
}

wire_struct! {
    /// A `message_template_status_update` value.
    ///
    /// ```
    /// use kapso_webhooks::meta::event::template::{TemplateEvent, TemplateRejectionReason, TemplateStatusUpdate};
    /// let update: TemplateStatusUpdate = serde_json::from_str(r#"{"event":"REJECTED",
    ///   "messageTemplateId":1183746529012399,"messageTemplateName":"winter_sale_teaser",
    ///   "messageTemplateLanguage":"en_US","reason":"INVALID_FORMAT","messageTemplateCategory":"MARKETING",
    ///   "rejectionInfo":{"reason":"Two variables in a row.","recommendation":"Add text between them."}}"#).unwrap();
    /// assert_eq!(update.event, Some(TemplateEvent::Rejected));
    /// assert_eq!(update.reason, Some(TemplateRejectionReason::InvalidFormat));
    /// assert_eq!(update.rejection_info.unwrap().recommendation.as_deref(), Some("Add text between them."));
    /// ```
    pub struct TemplateStatusUpdate {
        /// The template's new status.
        event: TemplateEvent = "event",
        /// The template ID.
        template_id: u64 = "messageTemplateId",
        /// The template name.
        template_name: CompactString = "messageTemplateName",
        /// The template language and locale, such as `en_US`.
        template_language: CompactString = "messageTemplateLanguage",
        /// Why (rejections, pauses); `null` (absent) for templates scheduled for deletion.
        reason: TemplateRejectionReason = "reason",
        /// The template's category.
        template_category: TemplateCategory = "messageTemplateCategory",
        /// When the template is disabled (`DISABLED`, `FLAGGED`).
        disable_info: DisableInfo = "disableInfo",
        /// Why the template was paused or unpaused, locked or unlocked.
        other_info: OtherInfo = "otherInfo",
        /// Details of an `INVALID_FORMAT` rejection.
        rejection_info: RejectionInfo = "rejectionInfo",
    }
}

wire_struct! {
    /// When a template is (to be) disabled.
    ///
    /// ```
    /// use kapso_webhooks::meta::event::template::DisableInfo;
    /// let info: DisableInfo = serde_json::from_str(r#"{"disableDate":1767225600}"#)?;
    /// assert_eq!(info.disable_date.unwrap().to_unix_seconds(), Some(1767225600));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub struct DisableInfo {
        /// Unix seconds, or a date as Meta writes it (such as `January 31, 2021`).
        disable_date: Timestamp = "disableDate",
    }
}

wire_struct! {
    /// Why a template was paused or unpaused.
    ///
    /// ```
    /// use kapso_webhooks::meta::event::template::{OtherInfo, TemplatePauseTitle};
    /// let info: OtherInfo = serde_json::from_str(r#"{"title":"UNPAUSE","description":"Quality recovered."}"#)?;
    /// assert_eq!(info.title, Some(TemplatePauseTitle::Unpause));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub struct OtherInfo {
        /// The kind of pause.
        title: TemplatePauseTitle = "title",
        /// A human-readable description.
        description: CompactString = "description",
    }
}

wire_struct! {
    /// Why a template was rejected, and what to do.
    ///
    /// ```
    /// use kapso_webhooks::meta::event::template::RejectionInfo;
    /// let info: RejectionInfo = serde_json::from_str(r#"{"reason":"Dangling parameter.","recommendation":"End with text."}"#)?;
    /// assert_eq!(info.reason.as_deref(), Some("Dangling parameter."));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub struct RejectionInfo {
        /// The problem found.
        reason: CompactString = "reason",
        /// How to fix it.
        recommendation: CompactString = "recommendation",
    }
}

wire_struct! {
    /// A `message_template_quality_update` value.
    ///
    /// ```
    /// use kapso_webhooks::meta::event::template::{QualityScore, TemplateQualityUpdate};
    /// let update: TemplateQualityUpdate = serde_json::from_str(
    ///     r#"{"previousQualityScore":"GREEN","newQualityScore":"RED","messageTemplateId":4455,"messageTemplateName":"promo_b"}"#)?;
    /// assert_eq!(update.new_quality_score, Some(QualityScore::Red));
    /// assert_eq!(update.template_id, Some(4455));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub struct TemplateQualityUpdate {
        /// The score before.
        previous_quality_score: QualityScore = "previousQualityScore",
        /// The score now.
        new_quality_score: QualityScore = "newQualityScore",
        /// The template ID.
        template_id: u64 = "messageTemplateId",
        /// The template name.
        template_name: CompactString = "messageTemplateName",
        /// The template language and locale.
        template_language: CompactString = "messageTemplateLanguage",
    }
}

wire_struct! {
    /// A `message_template_components_update` value: a template's content changed.
    ///
    /// ```
    /// use kapso_webhooks::meta::event::template::TemplateComponentsUpdate;
    /// let update: TemplateComponentsUpdate = serde_json::from_str(r#"{"messageTemplateName":"order_ready",
    ///   "messageTemplateElement":"Your order is ready.","messageTemplateButtons":[{"messageTemplateButtonType":"QUICK_REPLY"}]}"#)?;
    /// assert_eq!(update.template_element.as_deref(), Some("Your order is ready."));
    /// assert_eq!(update.template_buttons.unwrap().len(), 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub struct TemplateComponentsUpdate {
        /// The template ID.
        template_id: u64 = "messageTemplateId",
        /// The template name.
        template_name: CompactString = "messageTemplateName",
        /// The template language and locale.
        template_language: CompactString = "messageTemplateLanguage",
        /// The header text.
        template_title: CompactString = "messageTemplateTitle",
        /// The body text.
        template_element: CompactString = "messageTemplateElement",
        /// The footer text.
        template_footer: CompactString = "messageTemplateFooter",
        /// The buttons.
        template_buttons: Vec<TemplateButton> = "messageTemplateButtons",
    }
}

wire_struct! {
    /// A button of a template.
    ///
    /// ```
    /// use kapso_webhooks::meta::event::template::TemplateButton;
    /// let button: TemplateButton = serde_json::from_str(
    ///     r#"{"messageTemplateButtonType":"URL","messageTemplateButtonText":"Track","messageTemplateButtonUrl":"https://example.com/t"}"#)?;
    /// assert_eq!((button.button_type.as_deref(), button.url.as_deref()), (Some("URL"), Some("https://example.com/t")));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub struct TemplateButton {
        /// `URL`, `PHONE_NUMBER`, `QUICK_REPLY`, …
        button_type: CompactString = "messageTemplateButtonType",
        /// The label.
        text: CompactString = "messageTemplateButtonText",
        /// The URL of a `URL` button.
        url: CompactString = "messageTemplateButtonUrl",
        /// The number of a `PHONE_NUMBER` button.
        phone_number: CompactString = "messageTemplateButtonPhoneNumber",
    }
}

wire_struct! {
    /// A `template_category_update` value: a template's category changed, or will change.
    ///
    /// ```
    /// use kapso_webhooks::meta::event::template::{TemplateCategory, TemplateCategoryUpdate};
    /// let update: TemplateCategoryUpdate = serde_json::from_str(r#"{"messageTemplateId":1183746529012377,
    ///   "previousCategory":"UTILITY","newCategory":"MARKETING"}"#).unwrap();
    /// assert_eq!(update.new_category, Some(TemplateCategory::Marketing));
    /// ```
    pub struct TemplateCategoryUpdate {
        /// The template ID.
        template_id: u64 = "messageTemplateId",
        /// The template name.
        template_name: CompactString = "messageTemplateName",
        /// The template language and locale.
        template_language: CompactString = "messageTemplateLanguage",
        /// The category before.
        previous_category: TemplateCategory = "previousCategory",
        /// The category now (or the one the business chose, for pending changes).
        new_category: TemplateCategory = "newCategory",
        /// The category Meta determined (pending changes).
        correct_category: TemplateCategory = "correctCategory",
        /// When a pending change takes effect.
        category_update_timestamp: Timestamp = "categoryUpdateTimestamp",
    }
}
