//! Calls: WhatsApp Business Calling events (`calls` field).

use chrono::{DateTime, Utc};
use compact_str::CompactString;

use crate::identity::UserIdentity;
use crate::json::wire::{open_enum, wire_struct};
use crate::meta::message::{ApiError, Media};
use crate::timestamp::Timestamp;

open_enum! {
    /// What happened to a call.
    ///
    /// ```
    /// use kapso_webhooks::meta::call::CallEvent;
    /// assert_eq!(CallEvent::from("connect"), CallEvent::Connect);
    /// ```
    pub enum CallEvent {
        /// The call is being set up (carries the SDP).
        Connect = "connect",
        /// The call ended.
        Terminate = "terminate",
    }
}

open_enum! {
    /// Who started a call.
    ///
    /// ```
    /// use kapso_webhooks::meta::call::CallDirection;
    /// assert_eq!(CallDirection::from("USER_INITIATED"), CallDirection::UserInitiated);
    /// ```
    pub enum CallDirection {
        /// The user called the business.
        UserInitiated = "USER_INITIATED",
        /// The business called the user.
        BusinessInitiated = "BUSINESS_INITIATED",
    }
}

wire_struct! {
    /// A call event, camelCased. The reference moves a Kapso `wacid` to `callId` when `callId`
    /// is missing; Meta's own payload names the call `id`.
    ///
    /// ```
    /// use kapso_webhooks::Call;
    /// use kapso_webhooks::meta::call::CallEvent;
    /// let call: Call = serde_json::from_str(
    ///     r#"{"id":"wacid.A","event":"terminate","status":"COMPLETED","duration":42}"#,
    /// ).unwrap();
    /// assert_eq!(call.event, Some(CallEvent::Terminate));
    /// assert_eq!(call.dedupe_key().as_deref(), Some("wacid.A:terminate:COMPLETED"));
    /// ```
    pub struct Call {
        /// The call ID (`wacid.…`).
        id: CompactString = "id",
        /// The call ID under Kapso's name (`callId`); [`Call::id_or_call_id`] gives either.
        call_id: CompactString = "callId",
        /// The caller's phone number.
        from: CompactString = "from",
        /// The caller's business-scoped user ID.
        from_user_id: CompactString = "fromUserId",
        /// The callee's phone number.
        to: CompactString = "to",
        /// The callee's business-scoped user ID.
        to_user_id: CompactString = "toUserId",
        /// What happened.
        event: CallEvent = "event",
        /// When it happened.
        timestamp: Timestamp = "timestamp",
        /// Who started the call.
        direction: CallDirection = "direction",
        /// The WebRTC session offer or answer.
        session: Box<CallSession> = "session",
        /// How the call ended: `COMPLETED`, `FAILED`, …
        status: CompactString = "status",
        /// When the call started.
        start_time: Timestamp = "startTime",
        /// When the call ended.
        end_time: Timestamp = "endTime",
        /// How long the call lasted, in seconds.
        duration: i64 = "duration",
        /// The string the business attached.
        biz_opaque_callback_data: CompactString = "bizOpaqueCallbackData",
        /// Why the call failed.
        errors: Vec<ApiError> = "errors",
        /// A recording of the call.
        call_recording: Box<CallRecording> = "callRecording",
        /// A transcript of the call.
        call_transcript: Box<CallTranscript> = "callTranscript",
    }
}

impl Call {
    /// The call's ID under either name: Meta's `id`, else Kapso's `callId` (the `call_id`
    /// field alone gives only the latter).
    ///
    /// ```
    /// let meta: kapso_webhooks::Call = serde_json::from_str(r#"{"id":"wacid.A"}"#).unwrap();
    /// assert_eq!(meta.id_or_call_id(), Some("wacid.A"));
    /// assert_eq!(meta.call_id, None);
    /// let kapso: kapso_webhooks::Call = serde_json::from_str(r#"{"callId":"wacid.B"}"#).unwrap();
    /// assert_eq!(kapso.id_or_call_id(), Some("wacid.B"));
    /// ```
    pub fn id_or_call_id(&self) -> Option<&str> {
        self.id.as_deref().or(self.call_id.as_deref())
    }

    /// When the event happened, as a UTC date-time.
    ///
    /// ```
    /// let call: kapso_webhooks::Call = serde_json::from_str(r#"{"id":"wacid.T","timestamp":"1700000060"}"#)?;
    /// assert_eq!(call.to_datetime().unwrap().to_rfc3339(), "2023-11-14T22:14:20+00:00");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn to_datetime(&self) -> Option<DateTime<Utc>> {
        self.timestamp.as_ref()?.to_datetime()
    }

    /// The caller: phone number, business-scoped user ID, or both.
    ///
    /// ```
    /// let call: kapso_webhooks::Call = serde_json::from_str(r#"{"id":"wacid.U","from":"15550104040","fromUserId":"US.7"}"#)?;
    /// assert_eq!(call.caller().phone_number, Some("15550104040"));
    /// assert_eq!(call.caller().user_id, Some("US.7"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn caller(&self) -> UserIdentity<'_> {
        UserIdentity {
            phone_number: self.from.as_deref(),
            user_id: self.from_user_id.as_deref(),
            ..UserIdentity::default()
        }
    }

    /// The key that identifies this call event across Meta's redeliveries:
    /// `"<call id>:<event>:<status>"` (such as `wacid.A:terminate:COMPLETED`; an absent event or
    /// status is empty), with the call ID of [`Call::id_or_call_id`]; `None` without a call ID.
    /// One call gets one key per event (`connect`, then `terminate`); a redelivered event has
    /// the same key.
    ///
    /// ```
    /// let call: kapso_webhooks::Call =
    ///     serde_json::from_str(r#"{"id":"wacid.A","event":"connect"}"#).unwrap();
    /// assert_eq!(call.dedupe_key().as_deref(), Some("wacid.A:connect:"));
    /// ```
    pub fn dedupe_key(&self) -> Option<String> {
        let id = self.id_or_call_id()?;
        let event = self.event.as_ref().map_or("", |e| e.as_str());
        let status = self.status.as_deref().unwrap_or("");
        Some(format!("{id}:{event}:{status}"))
    }
}

wire_struct! {
    /// A WebRTC session description.
    ///
    /// ```
    /// use kapso_webhooks::meta::call::CallSession;
    /// let session: CallSession = serde_json::from_str(r#"{"sdpType":"offer","sdp":"v=0"}"#)?;
    /// assert_eq!((session.sdp_type.as_deref(), session.sdp.as_deref()), (Some("offer"), Some("v=0")));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub struct CallSession {
        /// `offer` or `answer`.
        sdp_type: CompactString = "sdpType",
        /// The SDP.
        sdp: CompactString = "sdp",
    }
}

wire_struct! {
    /// A call recording.
    ///
    /// ```
    /// use kapso_webhooks::meta::call::CallRecording;
    /// let recording: CallRecording = serde_json::from_str(r#"{"type":"audio","audio":{"id":"MEDIA-5"}}"#)?;
    /// assert_eq!(recording.recording_type.as_deref(), Some("audio"));
    /// assert_eq!(recording.audio.unwrap().id.as_deref(), Some("MEDIA-5"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub struct CallRecording {
        /// `audio`.
        recording_type: CompactString = "type",
        /// The audio file.
        audio: Box<Media> = "audio",
    }
}

wire_struct! {
    /// A call transcript.
    ///
    /// ```
    /// use kapso_webhooks::meta::call::CallTranscript;
    /// let transcript: CallTranscript = serde_json::from_str(r#"{"document":{"id":"MEDIA-6","mimeType":"text/plain"}}"#)?;
    /// assert_eq!(transcript.document.unwrap().mime_type.as_deref(), Some("text/plain"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub struct CallTranscript {
        /// The transcript file.
        document: Box<Media> = "document",
    }
}
