//! [axum](https://docs.rs/axum) integration (feature `axum`): receive webhooks safely.
//!
//! Every `POST` is checked by the [`Verifier`] held in [`WebhookConfig`], which tells the three
//! kinds of delivery apart ([`DeliveryKind`]): a Meta body signed by Meta
//! (`X-Hub-Signature-256`), a Meta body forwarded by Kapso (`X-Webhook-Signature`, with
//! `X-Idempotency-Key`), or one of Kapso's own events (`X-Webhook-Signature` and
//! `X-Webhook-Event`).
//!
//! * [`Webhook`], an extractor for one route taking all three kinds: a [`Delivery`], either
//!   `Delivery::Meta { webhook, .. }` (a [`NormalizedWebhook`]) or `Delivery::Kapso(..)`.
//! * [`MetaWebhook`], for Meta bodies only (signed by Meta or forwarded by Kapso), and
//!   [`KapsoWebhook`], for Kapso events only.
//! * [`MetaHandshake`] and the ready [`handshake`] handler, which answer Meta's
//!   `GET` verification request (`hub.mode`, `hub.verify_token`, `hub.challenge`).
//! * [`router`], a ready [`Router`] serving both on [`WEBHOOK_PATH`], answering a panicking
//!   handler with `500`.
//! * `serve` and `shutdown_signal` (feature `server`): a ready HTTP/1.1 server with a header
//!   deadline, a connection cap and graceful shutdown on SIGTERM or Ctrl-C.
//!
//! Every refusal is a [`WebhookRejection`]. Meta and Kapso retry every answer other than `200`
//! (Kapso after 10, 40 and 90 seconds; Meta with decreasing frequency, for days), so a refusal
//! means a retry, and a refusal that will repeat means a delivery that never arrives:
//!
//! | Situation | Status | What the sender does |
//! |-----------|--------|----------------------|
//! | signature header missing, malformed or not matching the body | `401 Unauthorized` | retries, refused again: check the secret |
//! | signed by a sender (Meta or Kapso) for which no secret is configured | `401 Unauthorized` | retries, refused again: configure its secret |
//! | body over the limit ([`DEFAULT_BODY_LIMIT`] = 3 MiB unless configured) | `413 Payload Too Large` | retries, refused again (Meta sends at most 3 MiB) |
//! | body did not arrive within the deadline ([`DEFAULT_BODY_TIMEOUT`] = 10 s) | `408 Request Timeout` | retries (Meta and Kapso send a body at once, so this is rare) |
//! | buffer budget for unverified bodies spent ([`DEFAULT_BUFFER_BUDGET`] = 64 MiB) | `503 Service Unavailable`, `Retry-After` | retries later, and is taken then |
//! | body is not valid JSON (or not UTF-8), or could not be read | `400 Bad Request` | retries, refused again |
//! | an authentic delivery of a kind the extractor does not take | `400 Bad Request` | retries, refused again: take that kind too |
//! | handshake with a wrong mode or token, or no challenge | `403 Forbidden` | Meta does not subscribe the URL |
//! | no secret at all (or no verify token, for the handshake) configured | `500 Internal Server Error` | retries, refused until configured |
//! | the handler panicked (with [`router`]) | `500 Internal Server Error` | retries |
//!
//! Kapso wants a `200` within 10 seconds; otherwise it retries after 10, 40 and 90 seconds, and
//! repeated failures can pause the webhook. Deliveries may come more than once (a retry after a
//! lost answer), with the same `X-Idempotency-Key`.
//!
//! ## Acknowledge only what is safe
//!
//! A `200` tells the sender to forget the delivery. Answered before the delivery is stored
//! durably, it is lost if the process dies (a crash, a deploy, the machine) between the answer
//! and the store. So: store, then answer; process later, from the store; answer `500` (or
//! `503`) when the store fails, and the sender retries. Because retries repeat deliveries,
//! deduplicate when processing: by [`Delivery::idempotency_key`] (Kapso's
//! `X-Idempotency-Key`, also [`Verified::idempotency_key`](crate::verify::Verified)), and per
//! item by [`KapsoEvent::dedupe_key`](crate::KapsoEvent::dedupe_key),
//! [`Message::dedupe_key`](crate::Message::dedupe_key) and
//! [`Status::dedupe_key`](crate::Status::dedupe_key).
//!
//! ```no_run
//! use std::io::Write;
//! use axum::http::StatusCode;
//! use kapso_webhooks::axum::Webhook;
//! use kapso_webhooks::verify::Delivery;
//!
//! async fn receive(Webhook(delivery): Webhook) -> StatusCode {
//!     let lines: Vec<String> = match &delivery {
//!         // The reference's exact text: what Kapso's `normalizeWebhook` and `JSON.stringify` give.
//!         Delivery::Meta { webhook, .. } => vec![webhook.to_json()],
//!         Delivery::Kapso(events) => events.event_values().map(|v| v.to_string()).collect(),
//!         _ => return StatusCode::INTERNAL_SERVER_ERROR,
//!     };
//!     // 1. Store durably (here: appended to a file and synced; a database commit elsewhere).
//!     let stored = tokio::task::spawn_blocking(move || -> std::io::Result<()> {
//!         let mut inbox = std::fs::OpenOptions::new().create(true).append(true).open("inbox.ndjson")?;
//!         for line in lines {
//!             writeln!(inbox, "{line}")?;
//!         }
//!         inbox.sync_data()
//!     })
//!     .await;
//!     // 2. Then answer. A worker processes the inbox later, skipping keys already seen.
//!     match stored {
//!         Ok(Ok(())) => StatusCode::OK,
//!         _ => StatusCode::INTERNAL_SERVER_ERROR, // the sender retries
//!     }
//! }
//! ```
//!
//! ## What this module does, and what your server must add
//!
//! | Protection | Where | Without [`router`] or `serve` |
//! |------------|-------|-------------------------------|
//! | body limit (`413`), checked before reading | the extractors | nothing to add |
//! | body deadline (`408`), [`WebhookConfig::with_body_timeout`] | the extractors (needs the Tokio timer) | nothing to add |
//! | buffer budget (`503`), [`WebhookConfig::with_buffer_budget`] | the extractors, shared by the clones of one [`WebhookConfig`] | build one configuration and clone it |
//! | a panicking handler answered `500` | [`router`] | `tower_http::catch_panic::CatchPanicLayer` on your router |
//! | header deadline, idle kept-alive connections closed | `serve` (feature `server`) | `axum::serve` has none: hyper's `http1::Builder::header_read_timeout` with `timer(hyper_util::rt::TokioTimer::new())` |
//! | cap on open connections | `serve` | a semaphore around `accept` |
//! | graceful shutdown on SIGTERM or Ctrl-C | `serve` with `shutdown_signal` | `axum::serve(..).with_graceful_shutdown(..)`, bounded by your own deadline |
//!
//! The configuration comes from the router's state through [`FromRef`], so it
//! can live inside your own application state:
//!
//! ```no_run
//! use axum::{extract::FromRef, http::StatusCode, routing::get, Router};
//! use kapso_webhooks::axum::{handshake, Webhook, WebhookConfig};
//! use kapso_webhooks::verify::{Delivery, Verifier};
//!
//! #[derive(Clone)]
//! struct AppState {
//!     webhooks: WebhookConfig,
//!     // … your database pool, queues, …
//! }
//!
//! // Or `#[derive(FromRef)]` on `AppState`, with axum's `macros` feature.
//! impl FromRef<AppState> for WebhookConfig {
//!     fn from_ref(state: &AppState) -> Self {
//!         state.webhooks.clone()
//!     }
//! }
//!
//! async fn receive(Webhook(delivery): Webhook) -> StatusCode {
//!     match delivery {
//!         Delivery::Meta { webhook, origin } => {
//!             let key = origin.idempotency_key();
//!             println!("{key:?}: {}", webhook.to_json());
//!         }
//!         Delivery::Kapso(delivery) => {
//!             for event in delivery.events() {
//!                 println!("{}", event.to_json());
//!             }
//!         }
//!         _ => {}
//!     }
//!     StatusCode::OK
//! }
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let verifier = Verifier::new().with_kapso_secret(std::env::var("KAPSO_WEBHOOK_SECRET")?)?;
//! let state = AppState {
//!     webhooks: WebhookConfig::new(verifier)
//!         .with_verify_token(std::env::var("WHATSAPP_VERIFY_TOKEN").unwrap_or_default()),
//! };
//! let app: Router = Router::new()
//!     .route("/whatsapp", get(handshake).post(receive))
//!     .with_state(state);
//! # let _ = app;
//! # Ok(())
//! # }
//! ```
//!
//! The checks run in this order, so that nothing unauthenticated is buffered beyond the budget:
//! configuration (500), presence and shape of the signature header and a secret for its
//! sender (401), `Content-Length` against the limit (413), room in the buffer budget for the
//! declared length (503), reading the body under the limit (413), the budget (503, for a
//! chunked body) and the deadline (408), the HMAC over the exact bytes received (401), the
//! kind (400), JSON (400). The body limit is this module's own: axum's `DefaultBodyLimit` does
//! not apply to it.

use std::fmt;
use std::future::poll_fn;
use std::ops::{Deref, DerefMut};
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use axum::body::{Body, Bytes, HttpBody};
use axum::extract::{FromRef, FromRequest, FromRequestParts, Request};
use axum::handler::Handler;
use axum::http::{header, request::Parts, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use tower_http::catch_panic::CatchPanicLayer;

#[cfg(feature = "server")]
mod server;
#[cfg(feature = "server")]
pub use server::{
    bind, serve, shutdown_signal, ServerConfig, DEFAULT_HEADER_TIMEOUT, DEFAULT_MAX_CONNECTIONS,
    DEFAULT_SHUTDOWN_TIMEOUT,
};

use crate::kapso_event::KapsoDelivery;
use crate::verify::handshake::{verify_handshake_query, HandshakeError};
use crate::verify::{Delivery, DeliveryKind, MetaOrigin, Verifier, VerifyError};
use crate::NormalizedWebhook;

/// Default body limit: 3 MiB, the largest webhook body Meta sends.
///
/// ```
/// assert_eq!(kapso_webhooks::axum::DEFAULT_BODY_LIMIT, 3 * 1024 * 1024);
/// ```
pub const DEFAULT_BODY_LIMIT: usize = 3 * 1024 * 1024;

/// Default time to receive a whole body, from the end of its headers: 10 seconds.
///
/// Meta and Kapso send a body at once, in well under a second; Kapso gives up on an answer after
/// 10 seconds, so a body still arriving then is not worth waiting for. Past it the request is
/// answered `408` and the connection closed.
///
/// ```
/// use std::time::Duration;
/// assert_eq!(kapso_webhooks::axum::DEFAULT_BODY_TIMEOUT, Duration::from_secs(10));
/// ```
pub const DEFAULT_BODY_TIMEOUT: Duration = Duration::from_secs(10);

/// Default budget for bodies buffered before their signature is checked, shared by all
/// requests: 64 MiB, about 21 bodies of the largest size at once, a few thousand of the usual
/// size (a few kB).
///
/// ```
/// assert_eq!(kapso_webhooks::axum::DEFAULT_BUFFER_BUDGET, 64 * 1024 * 1024);
/// ```
pub const DEFAULT_BUFFER_BUDGET: usize = 64 * 1024 * 1024;

/// The `Retry-After` of a `503` answered when the buffer budget is spent, in seconds: 5.
///
/// ```
/// assert_eq!(kapso_webhooks::axum::RETRY_AFTER_SECONDS, 5);
/// ```
pub const RETRY_AFTER_SECONDS: u64 = 5;

/// The path [`router`] serves: `/webhook`.
///
/// ```
/// assert_eq!(kapso_webhooks::axum::WEBHOOK_PATH, "/webhook");
/// ```
pub const WEBHOOK_PATH: &str = "/webhook";

/// Secrets and limits for receiving webhooks, held in the router's state.
///
/// Extractors get it with [`FromRef`], so it can be the whole state (as in
/// [`router`]) or one field of yours (`#[derive(FromRef)]`). Cloning is cheap
/// (the contents are shared). `Debug` never prints the secrets.
///
/// * Secrets: the [`Verifier`] it is built from (Meta app secrets and/or Kapso
///   webhook secrets, several each for key rotation). With none, every `POST`
///   is refused with `500`.
/// * Verify token for the `GET` handshake:
///   [`with_verify_token`](Self::with_verify_token); if empty, every handshake
///   is refused with `500`.
/// * Body limit: [`with_body_limit`](Self::with_body_limit), default
///   [`DEFAULT_BODY_LIMIT`] (`413` past it).
/// * Body deadline: [`with_body_timeout`](Self::with_body_timeout), default
///   [`DEFAULT_BODY_TIMEOUT`] (`408` past it).
/// * Buffer budget: [`with_buffer_budget`](Self::with_buffer_budget), default
///   [`DEFAULT_BUFFER_BUDGET`]: bytes of unverified bodies buffered at once by all requests
///   sharing this configuration (and its clones); `503` with `Retry-After` when spent.
///
/// ```
/// use kapso_webhooks::axum::{WebhookConfig, DEFAULT_BODY_LIMIT};
/// use kapso_webhooks::verify::Verifier;
///
/// let verifier = Verifier::new()
///     .with_app_secret("current-app-secret")?
///     .with_app_secret("previous-app-secret")?
///     .with_kapso_secret("kapso-webhook-secret")?;
/// let config = WebhookConfig::new(verifier).with_verify_token("my-verify-token");
/// assert_eq!(config.body_limit(), DEFAULT_BODY_LIMIT);
/// assert_eq!(config.verifier().app_secret_count(), 2);
/// assert!(!format!("{config:?}").contains("current-app-secret"));
///
/// let small = config.clone().with_body_limit(64 * 1024);
/// assert_eq!(small.body_limit(), 65536);
/// assert_eq!(config.body_limit(), DEFAULT_BODY_LIMIT);
/// # Ok::<(), kapso_webhooks::verify::EmptySecret>(())
/// ```
#[derive(Clone)]
pub struct WebhookConfig {
    inner: Arc<ConfigInner>,
}

#[derive(Clone)]
struct ConfigInner {
    verifier: Verifier,
    verify_token: String,
    body_limit: usize,
    body_timeout: Option<Duration>,
    budget: Budget,
    unparseable_status: StatusCode,
}

/// Bytes of unverified bodies buffered at once, shared by every clone of a configuration.
#[derive(Clone)]
struct Budget {
    limit: usize,
    in_use: Arc<AtomicUsize>,
}

impl Budget {
    fn new(limit: usize) -> Self {
        Self {
            limit,
            in_use: Arc::new(AtomicUsize::new(0)),
        }
    }

    /// An empty reservation, released when dropped.
    fn reservation(&self) -> Reservation {
        Reservation {
            budget: self.clone(),
            bytes: 0,
        }
    }
}

/// Bytes taken from a [`Budget`], given back on drop.
struct Reservation {
    budget: Budget,
    bytes: usize,
}

impl Reservation {
    /// Takes `more` bytes from the budget; `false` (and nothing taken) when they are not left.
    fn grow(&mut self, more: usize) -> bool {
        let limit = self.budget.limit;
        let taken = self
            .budget
            .in_use
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |used| {
                used.checked_add(more).filter(|total| *total <= limit)
            });
        if taken.is_ok() {
            self.bytes = self.bytes.saturating_add(more);
        }
        taken.is_ok()
    }
}

impl Drop for Reservation {
    fn drop(&mut self) {
        self.budget.in_use.fetch_sub(self.bytes, Ordering::AcqRel);
    }
}

impl WebhookConfig {
    /// A configuration checking signatures with `verifier`, with no verify token and the
    /// default body limit, body deadline and buffer budget.
    ///
    /// ```
    /// use kapso_webhooks::{axum::WebhookConfig, verify::Verifier};
    /// let config = WebhookConfig::new(Verifier::new().with_kapso_secret("whsec")?);
    /// assert_eq!(config.body_limit(), 3 * 1024 * 1024);
    /// # Ok::<(), kapso_webhooks::verify::EmptySecret>(())
    /// ```
    #[must_use]
    pub fn new(verifier: Verifier) -> Self {
        Self {
            inner: Arc::new(ConfigInner {
                verifier,
                verify_token: String::new(),
                body_limit: DEFAULT_BODY_LIMIT,
                body_timeout: Some(DEFAULT_BODY_TIMEOUT),
                budget: Budget::new(DEFAULT_BUFFER_BUDGET),
                unparseable_status: StatusCode::BAD_REQUEST,
            }),
        }
    }

    /// Sets the token Meta's `GET` handshake must present in `hub.verify_token`.
    ///
    /// ```
    /// use kapso_webhooks::axum::WebhookConfig;
    /// let config = WebhookConfig::default().with_verify_token("my-verify-token");
    /// # let _ = config;
    /// ```
    #[must_use]
    pub fn with_verify_token(mut self, token: impl Into<String>) -> Self {
        Arc::make_mut(&mut self.inner).verify_token = token.into();
        self
    }

    /// Sets the largest body accepted, in bytes; larger bodies get `413`.
    ///
    /// ```
    /// use kapso_webhooks::axum::WebhookConfig;
    /// let config = WebhookConfig::default().with_body_limit(1024 * 1024);
    /// assert_eq!(config.body_limit(), 1_048_576);
    /// ```
    #[must_use]
    pub fn with_body_limit(mut self, limit: usize) -> Self {
        Arc::make_mut(&mut self.inner).body_limit = limit;
        self
    }

    /// The largest body accepted, in bytes.
    ///
    /// ```
    /// use kapso_webhooks::axum::{WebhookConfig, DEFAULT_BODY_LIMIT};
    /// assert_eq!(WebhookConfig::default().body_limit(), DEFAULT_BODY_LIMIT);
    /// ```
    #[must_use]
    pub fn body_limit(&self) -> usize {
        self.inner.body_limit
    }

    /// Sets the time allowed to receive a whole body, counted from when the extractor starts
    /// reading it (just after the headers); past it the request gets `408` and the connection
    /// is closed. `None` waits as long as the client sends.
    ///
    /// The deadline uses the timer of the Tokio runtime serving the request: `#[tokio::main]`,
    /// `#[tokio::test]` and a runtime built with `enable_all()` or `enable_time()` have one.
    /// Outside of any Tokio runtime it is not applied; on a runtime built without its timer,
    /// Tokio panics when the deadline is set, so configure `with_body_timeout(None)` there.
    ///
    /// ```
    /// use std::time::Duration;
    /// use kapso_webhooks::axum::{WebhookConfig, DEFAULT_BODY_TIMEOUT};
    /// assert_eq!(WebhookConfig::default().body_timeout(), Some(DEFAULT_BODY_TIMEOUT));
    /// let config = WebhookConfig::default().with_body_timeout(Duration::from_secs(2));
    /// assert_eq!(config.body_timeout(), Some(Duration::from_secs(2)));
    /// assert_eq!(WebhookConfig::default().with_body_timeout(None).body_timeout(), None);
    /// ```
    #[must_use]
    pub fn with_body_timeout(mut self, timeout: impl Into<Option<Duration>>) -> Self {
        Arc::make_mut(&mut self.inner).body_timeout = timeout.into();
        self
    }

    /// The time allowed to receive a whole body, if limited.
    ///
    /// ```
    /// use kapso_webhooks::axum::{WebhookConfig, DEFAULT_BODY_TIMEOUT};
    /// assert_eq!(WebhookConfig::default().body_timeout(), Some(DEFAULT_BODY_TIMEOUT));
    /// ```
    #[must_use]
    pub fn body_timeout(&self) -> Option<Duration> {
        self.inner.body_timeout
    }

    /// Sets the budget, in bytes, for bodies buffered before their signature is checked, shared
    /// by every request served with this configuration or a clone of it. A request reserves its
    /// declared `Content-Length` before reading (a chunked body reserves as it arrives) and
    /// gives it back when the extractor is done; a request that does not fit is answered `503`
    /// with `Retry-After` ([`RETRY_AFTER_SECONDS`]), and both senders retry. Keep it at least
    /// the [body limit](Self::with_body_limit), or the largest bodies are never taken.
    ///
    /// The budget starts empty: a configuration made with this method does not share the
    /// bytes in use of the one it came from.
    ///
    /// ```
    /// use kapso_webhooks::axum::{WebhookConfig, DEFAULT_BUFFER_BUDGET};
    /// assert_eq!(WebhookConfig::default().buffer_budget(), DEFAULT_BUFFER_BUDGET);
    /// let config = WebhookConfig::default().with_buffer_budget(16 * 1024 * 1024);
    /// assert_eq!(config.buffer_budget(), 16_777_216);
    /// assert_eq!(config.buffered_bytes(), 0);
    /// ```
    #[must_use]
    pub fn with_buffer_budget(mut self, bytes: usize) -> Self {
        Arc::make_mut(&mut self.inner).budget = Budget::new(bytes);
        self
    }

    /// The budget for bodies buffered before their signature is checked, in bytes.
    ///
    /// ```
    /// use kapso_webhooks::axum::{WebhookConfig, DEFAULT_BUFFER_BUDGET};
    /// assert_eq!(WebhookConfig::default().buffer_budget(), DEFAULT_BUFFER_BUDGET);
    /// ```
    #[must_use]
    pub fn buffer_budget(&self) -> usize {
        self.inner.budget.limit
    }

    /// The bytes of the budget reserved right now by requests being read.
    ///
    /// ```
    /// use kapso_webhooks::axum::WebhookConfig;
    /// assert_eq!(WebhookConfig::default().buffered_bytes(), 0);
    /// ```
    #[must_use]
    pub fn buffered_bytes(&self) -> usize {
        self.inner.budget.in_use.load(Ordering::Acquire)
    }

    /// Sets the answer to a delivery that is authentic (its signature checks out) but cannot be
    /// parsed: a body that is not JSON. The default, `400 Bad Request`, makes the sender retry a
    /// body that will never parse (Kapso three more times, counting towards pausing the
    /// webhook; Meta for days). An application that prefers to acknowledge such a delivery can
    /// answer `200 OK` instead: the extractor still refuses it (the handler never sees it),
    /// with the error as the answer's text, so log it from a middleware or read it with
    /// `Result<Webhook, WebhookRejection>` in the handler. A status that is not `2xx`–`5xx` is
    /// taken as `400`.
    ///
    /// ```
    /// use axum::http::StatusCode;
    /// use kapso_webhooks::axum::WebhookConfig;
    /// assert_eq!(WebhookConfig::default().unparseable_status(), StatusCode::BAD_REQUEST);
    /// let config = WebhookConfig::default().with_unparseable_status(StatusCode::OK);
    /// assert_eq!(config.unparseable_status(), StatusCode::OK);
    /// ```
    #[must_use]
    pub fn with_unparseable_status(mut self, status: StatusCode) -> Self {
        let status = if (200..600).contains(&status.as_u16()) {
            status
        } else {
            StatusCode::BAD_REQUEST
        };
        Arc::make_mut(&mut self.inner).unparseable_status = status;
        self
    }

    /// The answer to an authentic delivery whose body cannot be parsed (default `400`).
    ///
    /// ```
    /// use axum::http::StatusCode;
    /// use kapso_webhooks::axum::WebhookConfig;
    /// assert_eq!(WebhookConfig::default().unparseable_status(), StatusCode::BAD_REQUEST);
    /// ```
    #[must_use]
    pub fn unparseable_status(&self) -> StatusCode {
        self.inner.unparseable_status
    }

    /// The verifier checking every `POST`.
    ///
    /// ```
    /// use kapso_webhooks::axum::WebhookConfig;
    /// assert_eq!(WebhookConfig::default().verifier().kapso_secret_count(), 0);
    /// ```
    #[must_use]
    pub fn verifier(&self) -> &Verifier {
        &self.inner.verifier
    }
}

impl Default for WebhookConfig {
    /// No secret (every `POST` gets `500`), no verify token, the default limits.
    fn default() -> Self {
        Self::new(Verifier::new())
    }
}

impl fmt::Debug for WebhookConfig {
    /// Shows how many secrets are set, never their values.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let token = if self.inner.verify_token.is_empty() {
            "<unset>"
        } else {
            "<redacted>"
        };
        f.debug_struct("WebhookConfig")
            .field("verifier", &self.inner.verifier)
            .field("verify_token", &format_args!("{token}"))
            .field("body_limit", &self.inner.body_limit)
            .field("body_timeout", &self.inner.body_timeout)
            .field("buffer_budget", &self.inner.budget.limit)
            .finish()
    }
}

/// Why a webhook request was refused; answers with a status and a short plain-text reason.
///
/// Use `Result<Webhook, WebhookRejection>` (or another extractor of this module) to see (log,
/// count, reshape) refusals yourself instead of answering them directly.
///
/// ```
/// use axum::{http::StatusCode, response::IntoResponse};
/// use kapso_webhooks::axum::WebhookRejection;
/// use kapso_webhooks::verify::signature::{SignatureError, SignatureScheme};
/// use kapso_webhooks::verify::VerifyError;
///
/// let rejection = WebhookRejection::Verify(VerifyError::Invalid {
///     scheme: SignatureScheme::Meta,
///     error: SignatureError::Mismatch,
/// });
/// assert_eq!(rejection.status(), StatusCode::UNAUTHORIZED);
/// assert_eq!(
///     rejection.to_string(),
///     "invalid signature: signature does not match the body under any configured secret"
/// );
/// assert_eq!(rejection.into_response().status(), StatusCode::UNAUTHORIZED);
///
/// let too_large = WebhookRejection::PayloadTooLarge { limit: 3 * 1024 * 1024 };
/// assert_eq!(too_large.status(), StatusCode::PAYLOAD_TOO_LARGE);
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub enum WebhookRejection {
    /// The signature header is missing, malformed or does not match, or its sender has no
    /// secret configured (`401`); or no secret is configured at all
    /// ([`VerifyError::NoSecrets`], `500`).
    Verify(VerifyError),
    /// The body is larger than the configured limit (`413`).
    PayloadTooLarge {
        /// The configured limit, in bytes.
        limit: usize,
    },
    /// The body could not be read, e.g. the client went away (`400`).
    BodyRead(axum::Error),
    /// The body did not arrive within the [body deadline](WebhookConfig::with_body_timeout)
    /// (`408`, and the connection is closed).
    BodyTimeout {
        /// The configured deadline.
        timeout: Duration,
    },
    /// The [buffer budget](WebhookConfig::with_buffer_budget) has no room for this body now
    /// (`503` with `Retry-After`; the sender retries later).
    Busy {
        /// The configured budget, in bytes.
        budget: usize,
    },
    /// The delivery is authentic but of a kind this extractor does not take, e.g. a Kapso
    /// event for [`MetaWebhook`] (`400`).
    UnexpectedKind {
        /// The kind received.
        kind: DeliveryKind,
    },
    /// The body is signed correctly but is not valid JSON: `400` unless the configuration
    /// says otherwise ([`WebhookConfig::with_unparseable_status`]).
    InvalidJson {
        /// Why the body does not parse.
        error: crate::Error,
        /// The status to answer with.
        status: StatusCode,
    },
    /// The `GET` verification handshake was refused (`403`), or no verify
    /// token is configured ([`HandshakeError::NoTokenConfigured`], `500`).
    Handshake(HandshakeError),
}

impl WebhookRejection {
    /// The status code this rejection answers with.
    ///
    /// ```
    /// use axum::http::StatusCode;
    /// use kapso_webhooks::axum::WebhookRejection;
    /// use kapso_webhooks::verify::handshake::HandshakeError;
    /// use kapso_webhooks::verify::{signature::SignatureScheme, VerifyError};
    ///
    /// assert_eq!(
    ///     WebhookRejection::Verify(VerifyError::NoSecrets).status(),
    ///     StatusCode::INTERNAL_SERVER_ERROR
    /// );
    /// assert_eq!(
    ///     WebhookRejection::Verify(VerifyError::UnconfiguredSender { scheme: SignatureScheme::Meta }).status(),
    ///     StatusCode::UNAUTHORIZED
    /// );
    /// assert_eq!(
    ///     WebhookRejection::Handshake(HandshakeError::WrongToken).status(),
    ///     StatusCode::FORBIDDEN
    /// );
    /// ```
    #[must_use]
    pub fn status(&self) -> StatusCode {
        match self {
            Self::Verify(VerifyError::NoSecrets)
            | Self::Handshake(HandshakeError::NoTokenConfigured) => {
                StatusCode::INTERNAL_SERVER_ERROR
            }
            Self::Verify(_) => StatusCode::UNAUTHORIZED,
            Self::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            Self::BodyTimeout { .. } => StatusCode::REQUEST_TIMEOUT,
            Self::Busy { .. } => StatusCode::SERVICE_UNAVAILABLE,
            Self::BodyRead(_) | Self::UnexpectedKind { .. } => StatusCode::BAD_REQUEST,
            Self::InvalidJson { status, .. } => *status,
            Self::Handshake(_) => StatusCode::FORBIDDEN,
        }
    }
}

impl fmt::Display for WebhookRejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Verify(err @ VerifyError::NoSecrets) => {
                write!(f, "server misconfigured: {err}")
            }
            Self::Verify(err) => write!(f, "invalid signature: {err}"),
            Self::PayloadTooLarge { limit } => {
                write!(f, "request body is larger than the limit of {limit} bytes")
            }
            Self::BodyRead(err) => write!(f, "failed to read the request body: {err}"),
            Self::BodyTimeout { timeout } => write!(
                f,
                "the request body did not arrive within {} ms",
                timeout.as_millis()
            ),
            Self::Busy { budget } => write!(
                f,
                "too many request bodies being received (budget of {budget} bytes); \
                 retry in {RETRY_AFTER_SECONDS} s"
            ),
            Self::UnexpectedKind { kind } => {
                write!(f, "this endpoint does not take a {kind}")
            }
            Self::InvalidJson { error, .. } => error.fmt(f),
            Self::Handshake(err @ HandshakeError::NoTokenConfigured) => {
                write!(f, "server misconfigured: {err}")
            }
            Self::Handshake(err) => write!(f, "verification refused: {err}"),
        }
    }
}

impl std::error::Error for WebhookRejection {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Verify(err) => Some(err),
            Self::PayloadTooLarge { .. }
            | Self::BodyTimeout { .. }
            | Self::Busy { .. }
            | Self::UnexpectedKind { .. } => None,
            Self::BodyRead(err) => Some(err),
            Self::InvalidJson { error, .. } => Some(error),
            Self::Handshake(err) => Some(err),
        }
    }
}

impl IntoResponse for WebhookRejection {
    /// The [`status`](WebhookRejection::status) with the reason as a `text/plain` body;
    /// `503` adds `Retry-After`, and a refusal sent before the body was read whole (`408`,
    /// `413`, `503`) adds `Connection: close`.
    fn into_response(self) -> Response {
        let mut response = (self.status(), self.to_string()).into_response();
        let headers = response.headers_mut();
        if matches!(self, Self::Busy { .. }) {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(RETRY_AFTER_SECONDS));
        }
        if matches!(
            self,
            Self::Busy { .. } | Self::BodyTimeout { .. } | Self::PayloadTooLarge { .. }
        ) {
            headers.insert(header::CONNECTION, HeaderValue::from_static("close"));
        }
        response
    }
}

impl From<VerifyError> for WebhookRejection {
    fn from(err: VerifyError) -> Self {
        Self::Verify(err)
    }
}

impl From<HandshakeError> for WebhookRejection {
    fn from(err: HandshakeError) -> Self {
        Self::Handshake(err)
    }
}

/// Extractor for a `POST` of any kind: verified by the [`Verifier`] of [`WebhookConfig`],
/// size limited, and parsed into a [`Delivery`]: `Delivery::Meta { webhook, .. }` for a Meta
/// body (signed by Meta or forwarded by Kapso), `Delivery::Kapso(..)` for Kapso events.
///
/// Needs [`WebhookConfig`] in the state (`WebhookConfig: FromRef<S>`). It consumes the body,
/// so it must be the last extractor of a handler. Refusals are [`WebhookRejection`]s (401,
/// 413, 400, or 500 when no secret is configured). The `Content-Type` is not checked: the
/// signature is what makes a body trustworthy.
///
/// ```no_run
/// use axum::{http::StatusCode, routing::post, Router};
/// use kapso_webhooks::axum::{Webhook, WebhookConfig};
/// use kapso_webhooks::verify::{Delivery, Verifier};
///
/// async fn receive(Webhook(delivery): Webhook) -> StatusCode {
///     // Kapso retries: its deliveries carry a key to skip the ones already handled.
///     let _key = delivery.idempotency_key();
///     match delivery {
///         Delivery::Meta { webhook, .. } => println!("{webhook:?}"),
///         Delivery::Kapso(events) => println!("{} events", events.events().len()),
///         _ => {}
///     }
///     StatusCode::OK
/// }
///
/// let verifier = Verifier::new().with_app_secret("app-secret")?.with_kapso_secret("whsec")?;
/// let app: Router = Router::new()
///     .route("/webhook", post(receive))
///     .with_state(WebhookConfig::new(verifier));
/// # let _ = app;
/// # Ok::<(), kapso_webhooks::verify::EmptySecret>(())
/// ```
#[derive(Debug, Clone)]
pub struct Webhook(pub Delivery);

impl Webhook {
    /// The delivery.
    ///
    /// ```
    /// use kapso_webhooks::axum::Webhook;
    /// use kapso_webhooks::verify::{Delivery, DeliveryKind};
    /// use kapso_webhooks::{parse_kapso_delivery, KapsoHeaders};
    /// let events = parse_kapso_delivery(&KapsoHeaders::for_event("whatsapp.message.sent"), b"{}")?;
    /// let delivery = Webhook(Delivery::Kapso(events)).into_inner();
    /// assert_eq!(delivery.kind(), DeliveryKind::KapsoEvent);
    /// # Ok::<(), kapso_webhooks::Error>(())
    /// ```
    #[must_use]
    pub fn into_inner(self) -> Delivery {
        self.0
    }
}

impl Deref for Webhook {
    type Target = Delivery;

    fn deref(&self) -> &Delivery {
        &self.0
    }
}

impl<S> FromRequest<S> for Webhook
where
    WebhookConfig: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = WebhookRejection;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        Ok(Self(
            receive(req, &WebhookConfig::from_ref(state), |_| true).await?,
        ))
    }
}

/// Extractor for a Meta webhook `POST`, signed by Meta (`X-Hub-Signature-256`, app secret) or
/// forwarded by Kapso (`X-Webhook-Signature`, Kapso webhook secret): verified, size limited,
/// and normalized. A Kapso event is refused (`400`; take it with [`KapsoWebhook`] or
/// [`Webhook`]).
///
/// Needs [`WebhookConfig`] in the state (`WebhookConfig: FromRef<S>`). It
/// consumes the body, so it must be the last extractor of a handler. Refusals
/// are [`WebhookRejection`]s (401, 413, 400, or 500 when no secret is
/// configured). The `Content-Type` is not checked: the signature is what
/// makes a body trustworthy.
///
/// ```no_run
/// use axum::{http::StatusCode, routing::post, Router};
/// use kapso_webhooks::axum::{MetaWebhook, WebhookConfig};
/// use kapso_webhooks::verify::Verifier;
///
/// async fn receive(MetaWebhook { webhook, origin, .. }: MetaWebhook) -> StatusCode {
///     // `Some` when Kapso forwarded the body: skip keys already handled.
///     println!("{:?} {webhook:?}", origin.idempotency_key());
///     StatusCode::OK
/// }
///
/// let verifier = Verifier::new().with_app_secret("app-secret")?;
/// let app: Router = Router::new()
///     .route("/webhook", post(receive))
///     .with_state(WebhookConfig::new(verifier));
/// # let _ = app;
/// # Ok::<(), kapso_webhooks::verify::EmptySecret>(())
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct MetaWebhook {
    /// The normalized webhook.
    pub webhook: NormalizedWebhook,
    /// Who sent it: Meta, or Kapso forwarding it (with its `X-Idempotency-Key`).
    pub origin: MetaOrigin,
}

impl MetaWebhook {
    /// The normalized webhook.
    ///
    /// ```
    /// use kapso_webhooks::axum::MetaWebhook;
    /// fn webhook_of(extracted: MetaWebhook) -> kapso_webhooks::NormalizedWebhook {
    ///     extracted.into_inner()
    /// }
    /// ```
    #[must_use]
    pub fn into_inner(self) -> NormalizedWebhook {
        self.webhook
    }

    /// [`DeliveryKind::Meta`] or [`DeliveryKind::MetaForwarded`].
    ///
    /// ```
    /// use kapso_webhooks::axum::MetaWebhook;
    /// use kapso_webhooks::verify::DeliveryKind;
    /// fn forwarded(extracted: &MetaWebhook) -> bool {
    ///     extracted.kind() == DeliveryKind::MetaForwarded
    /// }
    /// ```
    #[must_use]
    pub fn kind(&self) -> DeliveryKind {
        self.origin.kind()
    }
}

impl Deref for MetaWebhook {
    type Target = NormalizedWebhook;

    fn deref(&self) -> &NormalizedWebhook {
        &self.webhook
    }
}

impl DerefMut for MetaWebhook {
    fn deref_mut(&mut self) -> &mut NormalizedWebhook {
        &mut self.webhook
    }
}

impl<S> FromRequest<S> for MetaWebhook
where
    WebhookConfig: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = WebhookRejection;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let config = WebhookConfig::from_ref(state);
        match receive(req, &config, DeliveryKind::is_meta_body).await? {
            Delivery::Meta { webhook, origin } => Ok(Self { webhook, origin }),
            other => Err(WebhookRejection::UnexpectedKind { kind: other.kind() }),
        }
    }
}

/// Extractor for a Kapso webhook delivery (Kapso's own events, `X-Webhook-Signature` and
/// `X-Webhook-Event`): verified with the Kapso secrets of [`WebhookConfig`], with the same body
/// limit and refusals as [`MetaWebhook`], then every event of the delivery (one, or all of a
/// batch) parsed with the `X-Webhook-*` headers. A Meta body is refused (`400`; take it with
/// [`MetaWebhook`] or [`Webhook`]).
///
/// ```no_run
/// use axum::{http::StatusCode, routing::post, Router};
/// use kapso_webhooks::axum::{KapsoWebhook, WebhookConfig};
/// use kapso_webhooks::verify::Verifier;
///
/// async fn receive(KapsoWebhook(delivery): KapsoWebhook) -> StatusCode {
///     // Kapso retries: use the idempotency key to skip deliveries already handled.
///     let _key = delivery.idempotency_key();
///     for event in delivery.events() {
///         println!("{}", event.to_json());
///     }
///     StatusCode::OK
/// }
///
/// let verifier = Verifier::new().with_kapso_secret("kapso-webhook-secret")?;
/// let app: Router = Router::new()
///     .route("/kapso", post(receive))
///     .with_state(WebhookConfig::new(verifier));
/// # let _ = app;
/// # Ok::<(), kapso_webhooks::verify::EmptySecret>(())
/// ```
#[derive(Debug, Clone)]
pub struct KapsoWebhook(pub KapsoDelivery);

impl KapsoWebhook {
    /// The parsed delivery.
    ///
    /// ```
    /// use kapso_webhooks::{axum::KapsoWebhook, parse_kapso_delivery, KapsoHeaders};
    /// let delivery = parse_kapso_delivery(&KapsoHeaders::for_event("whatsapp.message.sent"), b"{}")?;
    /// assert_eq!(KapsoWebhook(delivery).into_inner().events().len(), 1);
    /// # Ok::<(), kapso_webhooks::Error>(())
    /// ```
    #[must_use]
    pub fn into_inner(self) -> KapsoDelivery {
        self.0
    }
}

impl Deref for KapsoWebhook {
    type Target = KapsoDelivery;

    fn deref(&self) -> &KapsoDelivery {
        &self.0
    }
}

impl<S> FromRequest<S> for KapsoWebhook
where
    WebhookConfig: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = WebhookRejection;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let config = WebhookConfig::from_ref(state);
        let accepts = |kind| kind == DeliveryKind::KapsoEvent;
        match receive(req, &config, accepts).await? {
            Delivery::Kapso(delivery) => Ok(Self(delivery)),
            other => Err(WebhookRejection::UnexpectedKind { kind: other.kind() }),
        }
    }
}

/// Extractor for Meta's `GET` verification request: the `hub.challenge` to echo
/// back, once `hub.mode` is `subscribe` and `hub.verify_token` matches the token
/// in [`WebhookConfig`] (compared in constant time).
///
/// Refusals are [`WebhookRejection::Handshake`]: `403`, or `500` when no
/// verify token is configured. [`handshake`] is the ready handler built on it.
///
/// ```no_run
/// use axum::{routing::get, Router};
/// use kapso_webhooks::axum::{MetaHandshake, WebhookConfig};
///
/// async fn verify(MetaHandshake(challenge): MetaHandshake) -> String {
///     eprintln!("Meta verified the callback URL");
///     challenge
/// }
///
/// let config = WebhookConfig::default().with_verify_token("my-verify-token");
/// let app: Router = Router::new().route("/webhook", get(verify)).with_state(config);
/// # let _ = app;
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetaHandshake(pub String);

impl<S> FromRequestParts<S> for MetaHandshake
where
    WebhookConfig: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = WebhookRejection;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let config = WebhookConfig::from_ref(state);
        let query = parts.uri.query().unwrap_or_default();
        let challenge = verify_handshake_query(query, &config.inner.verify_token)?;
        Ok(Self(challenge))
    }
}

/// Ready handler for Meta's `GET` verification request: `200` with the
/// challenge as a `text/plain` body, or a [`WebhookRejection`] (`403`/`500`).
///
/// ```no_run
/// use axum::{routing::get, Router};
/// use kapso_webhooks::axum::{handshake, WebhookConfig};
///
/// let config = WebhookConfig::default().with_verify_token("my-verify-token");
/// let app: Router = Router::new().route("/webhook", get(handshake)).with_state(config);
/// # let _ = app;
/// ```
pub async fn handshake(MetaHandshake(challenge): MetaHandshake) -> String {
    challenge
}

/// A ready [`Router`] for a webhook endpoint at [`WEBHOOK_PATH`]: `GET` runs
/// the [`handshake`], `POST` runs `on_webhook` (any axum handler whose state is
/// [`WebhookConfig`]; with a [`Webhook`] it takes all three kinds of delivery,
/// with a [`MetaWebhook`] or [`KapsoWebhook`] only those). Other methods get `405`. A handler
/// that panics is answered `500` (so the sender retries) and the server goes on serving.
///
/// Serve it with `serve` (feature `server`), which adds the header deadline, the connection
/// cap and graceful shutdown; `axum::serve`, as below, works but has no header deadline, so a
/// client that never finishes its headers keeps its connection forever.
///
/// To serve another path or keep your own state, compose the pieces instead:
/// `Router::new().route("/my/path", get(handshake).post(on_webhook))`
/// with a state from which `WebhookConfig` can be taken ([`FromRef`]).
///
/// ```no_run
/// use axum::http::StatusCode;
/// use kapso_webhooks::axum::{router, Webhook, WebhookConfig};
/// use kapso_webhooks::verify::{Delivery, Verifier};
///
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// let mut verifier = Verifier::new();
/// if let Ok(secret) = std::env::var("WHATSAPP_APP_SECRET") {
///     verifier = verifier.with_app_secret(secret)?;
/// }
/// if let Ok(secret) = std::env::var("KAPSO_WEBHOOK_SECRET") {
///     verifier = verifier.with_kapso_secret(secret)?;
/// }
/// let config = WebhookConfig::new(verifier)
///     .with_verify_token(std::env::var("WHATSAPP_VERIFY_TOKEN").unwrap_or_default());
/// let app = router(config, |Webhook(delivery): Webhook| async move {
///     println!("{:?} (key {:?})", delivery.kind(), delivery.idempotency_key());
///     StatusCode::OK
/// });
/// let listener = tokio::net::TcpListener::bind("127.0.0.1:3000").await?;
/// axum::serve(listener, app).await?;
/// # Ok(())
/// # }
/// ```
pub fn router<H, T>(config: WebhookConfig, on_webhook: H) -> Router
where
    H: Handler<T, WebhookConfig>,
    T: 'static,
{
    Router::new()
        .route(WEBHOOK_PATH, get(handshake).post(on_webhook))
        .with_state(config)
        .layer(CatchPanicLayer::new())
}

/// Verifies, reads and parses a signed `POST`, refusing the kinds `accepts` does not take.
///
/// Shared by every signed-webhook extractor. See the module documentation for the order of
/// the checks.
async fn receive(
    req: Request,
    config: &WebhookConfig,
    accepts: impl Fn(DeliveryKind) -> bool,
) -> Result<Delivery, WebhookRejection> {
    let (parts, body) = req.into_parts();
    let limit = config.inner.body_limit;

    // Configuration, kind and header shape first: nothing is read when they already say no.
    let signed = config.inner.verifier.check_headers(&parts.headers)?;

    let declared = parts
        .headers
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.trim().parse::<u64>().ok());
    if let Some(declared) = declared {
        if declared > u64::try_from(limit).unwrap_or(u64::MAX) {
            return Err(WebhookRejection::PayloadTooLarge { limit });
        }
    }
    // Room in the shared budget before reading a byte: a body that does not fit is refused
    // now rather than buffered.
    let mut reservation = config.inner.budget.reservation();
    let capacity = declared
        .and_then(|declared| usize::try_from(declared).ok())
        .unwrap_or(0)
        .min(limit);
    if !reservation.grow(capacity) {
        return Err(WebhookRejection::Busy {
            budget: config.inner.budget.limit,
        });
    }

    let read = read_limited(body, limit, capacity, &mut reservation);
    let body = match config.inner.body_timeout {
        Some(timeout) if tokio::runtime::Handle::try_current().is_ok() => {
            tokio::time::timeout(timeout, read)
                .await
                .map_err(|_| WebhookRejection::BodyTimeout { timeout })??
        }
        _ => read.await?,
    };
    let verified = signed.verify(&body)?;
    if !accepts(verified.kind()) {
        return Err(WebhookRejection::UnexpectedKind {
            kind: verified.kind(),
        });
    }
    verified
        .parse()
        .map_err(|error| WebhookRejection::InvalidJson {
            error,
            status: config.inner.unparseable_status,
        })
}

/// Collects the body, failing as soon as it grows past `limit` bytes or past what `reservation`
/// can take from the budget (`capacity` bytes are reserved already).
async fn read_limited(
    mut body: Body,
    limit: usize,
    capacity: usize,
    reservation: &mut Reservation,
) -> Result<Bytes, WebhookRejection> {
    let mut buffer = Vec::with_capacity(capacity);
    while let Some(frame) = poll_fn(|cx| Pin::new(&mut body).poll_frame(cx)).await {
        let frame = frame.map_err(WebhookRejection::BodyRead)?;
        if let Ok(data) = frame.into_data() {
            if data.len() > limit.saturating_sub(buffer.len()) {
                return Err(WebhookRejection::PayloadTooLarge { limit });
            }
            let needed = buffer.len().saturating_add(data.len());
            if needed > reservation.bytes && !reservation.grow(needed - reservation.bytes) {
                return Err(WebhookRejection::Busy {
                    budget: reservation.budget.limit,
                });
            }
            buffer.extend_from_slice(&data);
        }
    }
    Ok(Bytes::from(buffer))
}
