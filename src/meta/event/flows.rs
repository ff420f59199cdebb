//! WhatsApp Flows events (`flows`): status changes, endpoint and client error rates, endpoint
//! latency and availability alerts, and version expiry warnings.
//!
//! (A user's *answer* to a Flow is a message: see `Message::interactive` and `Kapso::flow_response`.)

use compact_str::CompactString;
use serde_json::Number;

use crate::json::wire::{open_enum, wire_struct};

open_enum! {
    /// The `event` of a `flows` change.
    ///
    /// ```
    /// use kapso_webhooks::meta::event::flows::FlowEvent;
    /// assert_eq!(FlowEvent::from("ENDPOINT_LATENCY"), FlowEvent::EndpointLatency);
    /// ```
    pub enum FlowEvent {
        /// The Flow's status changed; see `old_status` and `new_status`.
        FlowStatusChange = "FLOW_STATUS_CHANGE",
        /// The error rate of client requests crossed (or went back under) a threshold.
        ClientErrorRate = "CLIENT_ERROR_RATE",
        /// The error rate of endpoint requests crossed (or went back under) a threshold.
        EndpointErrorRate = "ENDPOINT_ERROR_RATE",
        /// The endpoint's p90 latency crossed (or went back under) a threshold.
        EndpointLatency = "ENDPOINT_LATENCY",
        /// The endpoint's availability fell under (or went back over) a threshold.
        EndpointAvailability = "ENDPOINT_AVAILABILITY",
        /// The Flow's JSON version will soon stop being supported; see `warning`.
        FlowVersionExpiryWarning = "FLOW_VERSION_EXPIRY_WARNING",
    }
}

open_enum! {
    /// The status of a Flow.
    ///
    /// ```
    /// use kapso_webhooks::meta::event::flows::FlowStatus;
    /// assert_eq!(FlowStatus::from("THROTTLED"), FlowStatus::Throttled);
    /// assert_eq!(FlowStatus::Published.as_str(), "PUBLISHED");
    /// ```
    pub enum FlowStatus {
        /// Being edited.
        Draft = "DRAFT",
        /// Published: it can be sent.
        Published = "PUBLISHED",
        /// Deprecated: it can no longer be sent.
        Deprecated = "DEPRECATED",
        /// Blocked by a failing endpoint health check.
        Blocked = "BLOCKED",
        /// Throttled by a failing endpoint health check.
        Throttled = "THROTTLED",
    }
}

open_enum! {
    /// Whether a Flow alert started or ended.
    ///
    /// ```
    /// use kapso_webhooks::meta::event::flows::AlertState;
    /// assert_eq!(AlertState::from("DEACTIVATED"), AlertState::Deactivated);
    /// ```
    pub enum AlertState {
        /// The threshold was crossed.
        Activated = "ACTIVATED",
        /// The metric is back within the threshold.
        Deactivated = "DEACTIVATED",
    }
}

wire_struct! {
    /// A `flows` value. Which metrics are present depends on `event`.
    ///
    /// ```
    /// use kapso_webhooks::meta::event::flows::{AlertState, FlowEvent, FlowUpdate};
    /// let update: FlowUpdate = serde_json::from_str(r#"{"event":"ENDPOINT_ERROR_RATE","flowId":"1093847562019283",
    ///   "errorRate":17.5,"threshold":10,"alertState":"ACTIVATED",
    ///   "errors":[{"errorType":"TIMEOUT","errorRate":71.42,"errorCount":5}]}"#).unwrap();
    /// assert_eq!(update.event, Some(FlowEvent::EndpointErrorRate));
    /// assert_eq!(update.alert_state, Some(AlertState::Activated));
    /// assert_eq!(update.error_rate.as_ref().and_then(|r| r.as_f64()), Some(17.5));
    /// assert_eq!(update.errors.as_ref().unwrap()[0].error_count, Some(5));
    /// ```
    pub struct FlowUpdate {
        /// What happened.
        event: FlowEvent = "event",
        /// A human-readable description.
        message: CompactString = "message",
        /// The Flow ID.
        flow_id: CompactString = "flowId",
        /// The status before (`FLOW_STATUS_CHANGE`; absent when the Flow was just created).
        old_status: FlowStatus = "oldStatus",
        /// The status now (`FLOW_STATUS_CHANGE`).
        new_status: FlowStatus = "newStatus",
        /// A version expiry warning.
        warning: CompactString = "warning",
        /// Whether the alert started or ended (metric alerts).
        alert_state: AlertState = "alertState",
        /// The threshold crossed: a percentage, or milliseconds for latency.
        threshold: Number = "threshold",
        /// The error rate, in percent (error rate alerts).
        error_rate: Number = "errorRate",
        /// The errors behind the error rate.
        errors: Vec<FlowErrorCount> = "errors",
        /// The p50 latency in milliseconds (`ENDPOINT_LATENCY`).
        p50_latency: u64 = "p50Latency",
        /// The p90 latency in milliseconds (`ENDPOINT_LATENCY`).
        p90_latency: u64 = "p90Latency",
        /// How many requests were measured (`ENDPOINT_LATENCY`).
        requests_count: u64 = "requestsCount",
        /// The availability, in percent (`ENDPOINT_AVAILABILITY`).
        availability: Number = "availability",
    }
}

wire_struct! {
    /// One kind of error behind a Flow error rate.
    ///
    /// ```
    /// use kapso_webhooks::meta::event::flows::FlowErrorCount;
    /// let error: FlowErrorCount = serde_json::from_str(r#"{"errorType":"INVALID_SCREEN_TRANSITION","errorRate":12.5,"errorCount":3}"#)?;
    /// assert_eq!(error.error_count, Some(3));
    /// assert_eq!(error.error_rate.and_then(|rate| rate.as_f64()), Some(12.5));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub struct FlowErrorCount {
        /// The error, such as `TIMEOUT` or `INVALID_SCREEN_TRANSITION`.
        error_type: CompactString = "errorType",
        /// Its share of the errors, in percent.
        error_rate: Number = "errorRate",
        /// How many times it happened.
        error_count: u64 = "errorCount",
    }
}
