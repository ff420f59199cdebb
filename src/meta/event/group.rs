//! WhatsApp Groups API events: `group_lifecycle_update` (created, deleted),
//! `group_participants_update` (joins, join requests, removals, departures),
//! `group_settings_update` (subject, description, picture) and `group_status_update`
//! (suspended, cleared). The four fields share one shape: a list of [`GroupEvent`]s.

use compact_str::CompactString;

use crate::json::wire::{open_enum, wire_struct};
use crate::meta::event::PhoneNumberMetadata;
use crate::meta::message::ApiError;
use crate::timestamp::Timestamp;

wire_struct! {
    /// The value of a `group_*` change.
    ///
    /// ```
    /// use kapso_webhooks::meta::event::group::{GroupEventType, GroupUpdate};
    /// let update: GroupUpdate = serde_json::from_str(r#"{"messagingProduct":"whatsapp","groups":[
    ///   {"timestamp":"1732011300","groupId":"GRP-1","type":"group_participants_add","reason":"invite_link",
    ///    "addedParticipants":[{"waId":"15550104321"}]}]}"#).unwrap();
    /// let group = &update.groups.as_ref().unwrap()[0];
    /// assert_eq!(group.event_type, Some(GroupEventType::GroupParticipantsAdd));
    /// assert_eq!(group.added_participants.as_ref().unwrap()[0].wa_id.as_deref(), Some("15550104321"));
    /// ```
    pub struct GroupUpdate {
        /// Always `whatsapp`.
        messaging_product: CompactString = "messagingProduct",
        /// The business phone number.
        metadata: PhoneNumberMetadata = "metadata",
        /// The group events.
        groups: Vec<GroupEvent> = "groups",
    }
}

open_enum! {
    /// What happened to a group (`type`).
    ///
    /// ```
    /// use kapso_webhooks::meta::event::group::GroupEventType;
    /// assert_eq!(GroupEventType::from("group_suspend_cleared"), GroupEventType::GroupSuspendCleared);
    /// ```
    pub enum GroupEventType {
        /// A group was created (or creating it failed; see `errors`).
        GroupCreate = "group_create",
        /// A group was deleted.
        GroupDelete = "group_delete",
        /// Participants joined.
        GroupParticipantsAdd = "group_participants_add",
        /// Participants were removed or left.
        GroupParticipantsRemove = "group_participants_remove",
        /// A user asked to join.
        GroupJoinRequestCreated = "group_join_request_created",
        /// A user withdrew a join request.
        GroupJoinRequestRevoked = "group_join_request_revoked",
        /// Settings were updated.
        GroupSettingsUpdate = "group_settings_update",
        /// The group was suspended.
        GroupSuspend = "group_suspend",
        /// The group's suspension was lifted.
        GroupSuspendCleared = "group_suspend_cleared",
    }
}

open_enum! {
    /// Whether users who follow the invite link need approval.
    ///
    /// ```
    /// use kapso_webhooks::meta::event::group::JoinApprovalMode;
    /// assert_eq!(JoinApprovalMode::from("approval_required"), JoinApprovalMode::ApprovalRequired);
    /// ```
    pub enum JoinApprovalMode {
        /// They join directly.
        AutoApprove = "auto_approve",
        /// They must be approved.
        ApprovalRequired = "approval_required",
    }
}

wire_struct! {
    /// One group event.
    ///
    /// ```
    /// use kapso_webhooks::meta::event::group::{GroupEvent, GroupEventType, JoinApprovalMode};
    /// let event: GroupEvent = serde_json::from_str(r#"{"groupId":"GRP-7","type":"group_create",
    ///   "subject":"Book club","joinApprovalMode":"auto_approve"}"#)?;
    /// assert_eq!(event.event_type, Some(GroupEventType::GroupCreate));
    /// assert_eq!(event.subject.as_deref(), Some("Book club"));
    /// assert_eq!(event.join_approval_mode, Some(JoinApprovalMode::AutoApprove));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub struct GroupEvent {
        /// When it happened.
        timestamp: Timestamp = "timestamp",
        /// The group.
        group_id: CompactString = "groupId",
        /// What happened.
        event_type: GroupEventType = "type",
        /// The business's request this answers.
        request_id: CompactString = "requestId",
        /// The group's subject (creation).
        subject: CompactString = "subject",
        /// The group's description (creation).
        description: CompactString = "description",
        /// The invite link (creation).
        invite_link: CompactString = "inviteLink",
        /// Whether joining needs approval (creation).
        join_approval_mode: JoinApprovalMode = "joinApprovalMode",
        /// Why participants changed, such as `invite_link`.
        reason: CompactString = "reason",
        /// The participants who joined.
        added_participants: Vec<GroupParticipant> = "addedParticipants",
        /// The participants who were removed or left.
        removed_participants: Vec<GroupParticipant> = "removedParticipants",
        /// The participants who could not be removed.
        failed_participants: Vec<GroupParticipant> = "failedParticipants",
        /// The join request (join requests).
        join_request_id: CompactString = "joinRequestId",
        /// The user who asked to join (join requests).
        wa_id: CompactString = "waId",
        /// Who started a removal: the business, or the participant who left.
        initiated_by: CompactString = "initiatedBy",
        /// The new subject (settings).
        group_subject: GroupSettingChange = "groupSubject",
        /// The new description (settings).
        group_description: GroupSettingChange = "groupDescription",
        /// The new picture (settings).
        profile_picture: GroupPictureChange = "profilePicture",
        /// Why the request failed.
        errors: Vec<ApiError> = "errors",
    }
}

wire_struct! {
    /// A group participant.
    ///
    /// ```
    /// use kapso_webhooks::meta::event::group::GroupParticipant;
    /// let participant: GroupParticipant = serde_json::from_str(r#"{"userId":"US.42","input":"+15550102020"}"#)?;
    /// assert_eq!((participant.wa_id, participant.user_id.as_deref()), (None, Some("US.42")));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub struct GroupParticipant {
        /// The phone number, when shared.
        wa_id: CompactString = "waId",
        /// The business-scoped user ID.
        user_id: CompactString = "userId",
        /// The parent business-scoped user ID.
        parent_user_id: CompactString = "parentUserId",
        /// The identifier the business sent in its request.
        input: CompactString = "input",
        /// Why this participant failed.
        errors: Vec<ApiError> = "errors",
    }
}

wire_struct! {
    /// A change of a group's subject or description.
    ///
    /// ```
    /// use kapso_webhooks::meta::event::group::GroupSettingChange;
    /// let change: GroupSettingChange = serde_json::from_str(r#"{"text":"Weekly reads","updateSuccessful":true}"#)?;
    /// assert_eq!((change.text.as_deref(), change.update_successful), (Some("Weekly reads"), Some(true)));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub struct GroupSettingChange {
        /// The new text.
        text: CompactString = "text",
        /// Whether it was applied.
        update_successful: bool = "updateSuccessful",
        /// Why it was not.
        errors: Vec<ApiError> = "errors",
    }
}

wire_struct! {
    /// A change of a group's picture.
    ///
    /// ```
    /// use kapso_webhooks::meta::event::group::GroupPictureChange;
    /// let change: GroupPictureChange = serde_json::from_str(r#"{"mimeType":"image/png","updateSuccessful":false}"#)?;
    /// assert_eq!(change.mime_type.as_deref(), Some("image/png"));
    /// assert_eq!(change.update_successful, Some(false));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub struct GroupPictureChange {
        /// The picture's MIME type.
        mime_type: CompactString = "mimeType",
        /// The picture's SHA-256.
        sha256: CompactString = "sha256",
        /// Whether it was applied.
        update_successful: bool = "updateSuccessful",
        /// Why it was not.
        errors: Vec<ApiError> = "errors",
    }
}
