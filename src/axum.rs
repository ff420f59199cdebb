//! [axum](https://docs.rs/axum) integration (feature `axum`): receive webhooks safely.
//!
//! * [`MetaWebhook`], an extractor that reads the raw body under a size limit,
//!   checks Meta's `X-Hub-Signature-256` against the app secret(s) held in
//!   [`WebhookConfig`], and hands the handler the [`NormalizedWebhook`].
//! * [`MetaHandshake`] and the ready [`handshake`] handler, which answer Meta's
//!   `GET` verification request (`hub.mode`, `hub.verify_token`, `hub.challenge`).
//! * [`router`], a ready [`Router`] serving both on [`WEBHOOK_PATH`].
//!
//! Every refusal is a [`WebhookRejection`], which answers:
//!
//! | Situation | Status |
//! |-----------|--------|
//! | signature header missing, malformed or not matching the body | `401 Unauthorized` |
//! | body over the limit ([`DEFAULT_BODY_LIMIT`] = 3 MiB unless configured) | `413 Payload Too Large` |
//! | body is not valid JSON (or not UTF-8), or could not be read | `400 Bad Request` |
//! | handshake with a wrong mode or token, or no challenge | `403 Forbidden` |
//! | no app secret (or no verify token, for the handshake) configured | `500 Internal Server Error` |
//!
//! The configuration comes from the router's state through [`FromRef`], so it
//! can live inside your own application state:
//!
//! ```no_run
//! use axum::{extract::FromRef, http::StatusCode, routing::get, Router};
//! use kapso_webhooks::axum::{handshake, MetaWebhook, WebhookConfig};
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
//! async fn receive(MetaWebhook(webhook): MetaWebhook) -> StatusCode {
//!     for message in webhook.messages() {
//!         println!("{:?}: {:?}", message.sender().preferred_id(), message.text_body());
//!     }
//!     StatusCode::OK
//! }
//!
//! let state = AppState {
//!     webhooks: WebhookConfig::new()
//!         .with_app_secret(std::env::var("WHATSAPP_APP_SECRET").unwrap_or_default())
//!         .with_verify_token(std::env::var("WHATSAPP_VERIFY_TOKEN").unwrap_or_default()),
//! };
//! let app: Router = Router::new()
//!     .route("/whatsapp", get(handshake).post(receive))
//!     .with_state(state);
//! # let _ = app;
//! ```
//!
//! The checks run in this order, so that nothing unauthenticated is buffered:
//! configuration (500), presence and shape of the signature header (401),
//! `Content-Length` against the limit (413), reading the body under the limit
//! (413), the HMAC over the exact bytes received (401), JSON (400). The body
//! limit is this module's own: axum's `DefaultBodyLimit` does not apply to it.

use std::fmt;
use std::future::poll_fn;
use std::ops::{Deref, DerefMut};
use std::pin::Pin;
use std::sync::Arc;

use axum::body::{Body, Bytes, HttpBody};
use axum::extract::{FromRef, FromRequest, FromRequestParts, Request};
use axum::handler::Handler;
use axum::http::{header, request::Parts, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use crate::kapso_event::{parse_kapso_delivery, KapsoDelivery, KapsoHeaders};
use crate::verify::handshake::{verify_handshake_query, HandshakeError};
use crate::verify::signature::{SignatureError, SignatureScheme};
use crate::{normalize_webhook, NormalizedWebhook};

/// Default body limit: 3 MiB, the largest webhook body Meta sends.
///
/// ```
/// assert_eq!(kapso_webhooks::axum::DEFAULT_BODY_LIMIT, 3 * 1024 * 1024);
/// ```
pub const DEFAULT_BODY_LIMIT: usize = 3 * 1024 * 1024;

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
/// * App secrets: [`with_app_secret`](Self::with_app_secret), repeatable for
///   key rotation (a signature is valid if any secret matches). Empty secrets
///   are ignored; with none, every `POST` is refused with `500`.
/// * Verify token for the `GET` handshake:
///   [`with_verify_token`](Self::with_verify_token); if empty, every handshake
///   is refused with `500`.
/// * Body limit: [`with_body_limit`](Self::with_body_limit), default
///   [`DEFAULT_BODY_LIMIT`].
///
/// ```
/// use kapso_webhooks::axum::{WebhookConfig, DEFAULT_BODY_LIMIT};
///
/// let config = WebhookConfig::new()
///     .with_app_secret("current-app-secret")
///     .with_app_secret("previous-app-secret")
///     .with_verify_token("my-verify-token");
/// assert_eq!(config.body_limit(), DEFAULT_BODY_LIMIT);
/// assert!(!format!("{config:?}").contains("current-app-secret"));
///
/// let small = config.clone().with_body_limit(64 * 1024);
/// assert_eq!(small.body_limit(), 65536);
/// assert_eq!(config.body_limit(), DEFAULT_BODY_LIMIT);
/// ```
#[derive(Clone)]
pub struct WebhookConfig {
    inner: Arc<ConfigInner>,
}

#[derive(Clone)]
struct ConfigInner {
    app_secrets: Vec<Vec<u8>>,
    kapso_secrets: Vec<Vec<u8>>,
    verify_token: String,
    body_limit: usize,
}

impl WebhookConfig {
    /// An empty configuration: no secrets, no verify token, the default body limit.
    ///
    /// ```
    /// let config = kapso_webhooks::axum::WebhookConfig::new();
    /// assert_eq!(config.body_limit(), 3 * 1024 * 1024);
    /// ```
    #[must_use]
    pub fn new() -> Self {
        Self {
            inner: Arc::new(ConfigInner {
                app_secrets: Vec::new(),
                kapso_secrets: Vec::new(),
                verify_token: String::new(),
                body_limit: DEFAULT_BODY_LIMIT,
            }),
        }
    }

    /// Adds a Meta app secret, the key of `X-Hub-Signature-256`. Call it once per
    /// secret to accept several during a rotation. An empty secret is ignored.
    ///
    /// ```
    /// use kapso_webhooks::axum::WebhookConfig;
    /// let config = WebhookConfig::new().with_app_secret("new").with_app_secret(b"old".as_slice());
    /// # let _ = config;
    /// ```
    #[must_use]
    pub fn with_app_secret(mut self, secret: impl Into<Vec<u8>>) -> Self {
        Arc::make_mut(&mut self.inner)
            .app_secrets
            .push(secret.into());
        self
    }

    /// Adds a Kapso webhook secret, for [`KapsoWebhook`] (`X-Webhook-Signature`). Repeat it to
    /// accept several during a rotation; an empty secret is ignored.
    ///
    /// ```
    /// use kapso_webhooks::axum::WebhookConfig;
    /// let config = WebhookConfig::new().with_kapso_secret("kapso-webhook-secret");
    /// assert!(!format!("{config:?}").contains("kapso-webhook-secret"));
    /// ```
    #[must_use]
    pub fn with_kapso_secret(mut self, secret: impl Into<Vec<u8>>) -> Self {
        let secret = secret.into();
        if !secret.is_empty() {
            Arc::make_mut(&mut self.inner).kapso_secrets.push(secret);
        }
        self
    }

    /// Sets the token Meta's `GET` handshake must present in `hub.verify_token`.
    ///
    /// ```
    /// use kapso_webhooks::axum::WebhookConfig;
    /// let config = WebhookConfig::new().with_verify_token("my-verify-token");
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
    /// let config = WebhookConfig::new().with_body_limit(1024 * 1024);
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
}

impl Default for WebhookConfig {
    /// Same as [`WebhookConfig::new`].
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for WebhookConfig {
    /// Shows how many secrets are set, never their values.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let configured = |set: bool| if set { "<redacted>" } else { "<unset>" };
        let app_secrets = self
            .inner
            .app_secrets
            .iter()
            .filter(|secret| !secret.is_empty())
            .count();
        f.debug_struct("WebhookConfig")
            .field("app_secrets", &format_args!("<{app_secrets} redacted>"))
            .field(
                "kapso_secrets",
                &format_args!("<{} redacted>", self.inner.kapso_secrets.len()),
            )
            .field(
                "verify_token",
                &format_args!("{}", configured(!self.inner.verify_token.is_empty())),
            )
            .field("body_limit", &self.inner.body_limit)
            .finish()
    }
}

/// Why a webhook request was refused; answers with a status and a short plain-text reason.
///
/// Use `Result<MetaWebhook, WebhookRejection>` as the extractor to see (log,
/// count, reshape) refusals yourself instead of answering them directly.
///
/// ```
/// use axum::{http::StatusCode, response::IntoResponse};
/// use kapso_webhooks::axum::WebhookRejection;
/// use kapso_webhooks::verify::signature::SignatureError;
///
/// let rejection = WebhookRejection::Signature(SignatureError::Mismatch);
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
    /// The signature header is missing, malformed or does not match (`401`), or
    /// no secret is configured ([`SignatureError::NoSecrets`], `500`).
    Signature(SignatureError),
    /// The body is larger than the configured limit (`413`).
    PayloadTooLarge {
        /// The configured limit, in bytes.
        limit: usize,
    },
    /// The body could not be read, e.g. the client went away (`400`).
    BodyRead(axum::Error),
    /// The body is signed correctly but is not valid JSON (`400`).
    InvalidJson(crate::Error),
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
    /// use kapso_webhooks::verify::signature::SignatureError;
    ///
    /// assert_eq!(
    ///     WebhookRejection::Signature(SignatureError::NoSecrets).status(),
    ///     StatusCode::INTERNAL_SERVER_ERROR
    /// );
    /// assert_eq!(
    ///     WebhookRejection::Handshake(HandshakeError::WrongToken).status(),
    ///     StatusCode::FORBIDDEN
    /// );
    /// ```
    #[must_use]
    pub fn status(&self) -> StatusCode {
        match self {
            Self::Signature(SignatureError::NoSecrets)
            | Self::Handshake(HandshakeError::NoTokenConfigured) => {
                StatusCode::INTERNAL_SERVER_ERROR
            }
            Self::Signature(_) => StatusCode::UNAUTHORIZED,
            Self::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            Self::BodyRead(_) | Self::InvalidJson(_) => StatusCode::BAD_REQUEST,
            Self::Handshake(_) => StatusCode::FORBIDDEN,
        }
    }
}

impl fmt::Display for WebhookRejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Signature(SignatureError::NoSecrets) => {
                write!(f, "server misconfigured: {}", SignatureError::NoSecrets)
            }
            Self::Signature(err) => write!(f, "invalid signature: {err}"),
            Self::PayloadTooLarge { limit } => {
                write!(f, "request body is larger than the limit of {limit} bytes")
            }
            Self::BodyRead(err) => write!(f, "failed to read the request body: {err}"),
            Self::InvalidJson(err) => err.fmt(f),
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
            Self::Signature(err) => Some(err),
            Self::PayloadTooLarge { .. } => None,
            Self::BodyRead(err) => Some(err),
            Self::InvalidJson(err) => Some(err),
            Self::Handshake(err) => Some(err),
        }
    }
}

impl IntoResponse for WebhookRejection {
    /// The [`status`](WebhookRejection::status) with the reason as a `text/plain` body.
    fn into_response(self) -> Response {
        (self.status(), self.to_string()).into_response()
    }
}

impl From<SignatureError> for WebhookRejection {
    fn from(err: SignatureError) -> Self {
        Self::Signature(err)
    }
}

impl From<HandshakeError> for WebhookRejection {
    fn from(err: HandshakeError) -> Self {
        Self::Handshake(err)
    }
}

impl From<crate::Error> for WebhookRejection {
    fn from(err: crate::Error) -> Self {
        Self::InvalidJson(err)
    }
}

/// Extractor for a `POST` from Meta: verified (`X-Hub-Signature-256`), size
/// limited, and normalized.
///
/// Needs [`WebhookConfig`] in the state (`WebhookConfig: FromRef<S>`). It
/// consumes the body, so it must be the last extractor of a handler. Refusals
/// are [`WebhookRejection`]s (401, 413, 400, or 500 when no app secret is
/// configured). The `Content-Type` is not checked: the signature is what
/// makes a body trustworthy.
///
/// ```no_run
/// use axum::{http::StatusCode, routing::post, Router};
/// use kapso_webhooks::axum::{MetaWebhook, WebhookConfig};
///
/// async fn receive(MetaWebhook(webhook): MetaWebhook) -> StatusCode {
///     println!("{} messages, {} statuses", webhook.messages().len(), webhook.statuses().len());
///     StatusCode::OK
/// }
///
/// let config = WebhookConfig::new().with_app_secret("app-secret");
/// let app: Router = Router::new().route("/webhook", post(receive)).with_state(config);
/// # let _ = app;
/// ```
#[derive(Debug, Clone)]
pub struct MetaWebhook(pub NormalizedWebhook);

impl MetaWebhook {
    /// The normalized webhook.
    ///
    /// ```
    /// use kapso_webhooks::axum::MetaWebhook;
    /// let webhook = kapso_webhooks::normalize_webhook(b"{}")?;
    /// assert!(MetaWebhook(webhook).into_inner().messages().is_empty());
    /// # Ok::<(), kapso_webhooks::Error>(())
    /// ```
    #[must_use]
    pub fn into_inner(self) -> NormalizedWebhook {
        self.0
    }
}

impl Deref for MetaWebhook {
    type Target = NormalizedWebhook;

    fn deref(&self) -> &NormalizedWebhook {
        &self.0
    }
}

impl DerefMut for MetaWebhook {
    fn deref_mut(&mut self) -> &mut NormalizedWebhook {
        &mut self.0
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
        let body = read_signed_body(
            req,
            SignatureScheme::Meta,
            &config.inner.app_secrets,
            config.inner.body_limit,
        )
        .await?;
        Ok(Self(normalize_webhook(&body)?))
    }
}

/// Extractor for a Kapso webhook delivery (Kapso's own events): checks `X-Webhook-Signature`
/// against the Kapso secrets of [`WebhookConfig`], with the same body limit and refusals as
/// [`MetaWebhook`], then parses every event of the delivery (one, or all of a batch) with the
/// `X-Webhook-*` headers.
///
/// ```no_run
/// use axum::{http::StatusCode, routing::post, Router};
/// use kapso_webhooks::axum::{KapsoWebhook, WebhookConfig};
///
/// async fn receive(KapsoWebhook(delivery): KapsoWebhook) -> StatusCode {
///     // Kapso retries: use the idempotency key to skip deliveries already handled.
///     let _key = delivery.idempotency_key();
///     for event in &delivery.events {
///         println!("{}", event.to_json());
///     }
///     StatusCode::OK
/// }
///
/// let config = WebhookConfig::new().with_kapso_secret("kapso-webhook-secret");
/// let app: Router = Router::new().route("/kapso", post(receive)).with_state(config);
/// # let _ = app;
/// ```
#[derive(Debug, Clone)]
pub struct KapsoWebhook(pub KapsoDelivery);

impl KapsoWebhook {
    /// The parsed delivery.
    ///
    /// ```
    /// use kapso_webhooks::{axum::KapsoWebhook, parse_kapso_delivery, KapsoHeaders};
    /// let delivery = parse_kapso_delivery(&KapsoHeaders::for_event("whatsapp.message.sent"), b"{}")?;
    /// assert_eq!(KapsoWebhook(delivery).into_inner().events.len(), 1);
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
        let headers = KapsoHeaders::from_pairs(req.headers().iter());
        let body = read_signed_body(
            req,
            SignatureScheme::Kapso,
            &config.inner.kapso_secrets,
            config.inner.body_limit,
        )
        .await?;
        Ok(Self(parse_kapso_delivery(&headers, &body)?))
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
/// let config = WebhookConfig::new().with_verify_token("my-verify-token");
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
/// let config = WebhookConfig::new().with_verify_token("my-verify-token");
/// let app: Router = Router::new().route("/webhook", get(handshake)).with_state(config);
/// # let _ = app;
/// ```
pub async fn handshake(MetaHandshake(challenge): MetaHandshake) -> String {
    challenge
}

/// A ready [`Router`] for a webhook endpoint at [`WEBHOOK_PATH`]: `GET` runs
/// the [`handshake`], `POST` runs `on_webhook` (any axum handler whose state is
/// [`WebhookConfig`], typically taking a [`MetaWebhook`]). Other methods get `405`.
///
/// To serve another path or keep your own state, compose the pieces instead:
/// `Router::new().route("/my/path", get(handshake).post(on_webhook))`
/// with a state from which `WebhookConfig` can be taken ([`FromRef`]).
///
/// ```no_run
/// use axum::http::StatusCode;
/// use kapso_webhooks::axum::{router, MetaWebhook, WebhookConfig};
///
/// # async fn run() -> std::io::Result<()> {
/// let config = WebhookConfig::new()
///     .with_app_secret(std::env::var("WHATSAPP_APP_SECRET").unwrap_or_default())
///     .with_verify_token(std::env::var("WHATSAPP_VERIFY_TOKEN").unwrap_or_default());
/// let app = router(config, |MetaWebhook(webhook): MetaWebhook| async move {
///     println!("{} messages", webhook.messages().len());
///     StatusCode::OK
/// });
/// let listener = tokio::net::TcpListener::bind("127.0.0.1:3000").await?;
/// axum::serve(listener, app).await
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
}

/// Reads a request body signed with `scheme` under `secrets`, at most `limit` bytes.
///
/// Shared by every signed-webhook extractor (Meta now; Kapso's
/// `X-Webhook-Signature` uses the same steps with its own scheme and secrets).
/// See the module documentation for the order of the checks.
async fn read_signed_body(
    req: Request,
    scheme: SignatureScheme,
    secrets: &[Vec<u8>],
    limit: usize,
) -> Result<Bytes, WebhookRejection> {
    let (parts, body) = req.into_parts();
    let signature = signature_header(&parts.headers, scheme);
    let signature = signature.as_deref();

    // Configuration and header shape first: `verify` checks them in that order
    // before comparing digests, so over an empty body only `Mismatch` (or `Ok`)
    // means "well formed, now read the body".
    match scheme.verify(b"", signature, secrets) {
        Ok(()) | Err(SignatureError::Mismatch) => {}
        Err(err) => return Err(err.into()),
    }

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
    let capacity = declared
        .and_then(|declared| usize::try_from(declared).ok())
        .unwrap_or(0)
        .min(limit);

    let body = read_limited(body, limit, capacity).await?;
    scheme.verify(&body, signature, secrets)?;
    Ok(body)
}

/// The signature header's value, if present. A value that is not ASCII is
/// passed on lossily so that it is reported as malformed, not as missing.
fn signature_header(headers: &HeaderMap, scheme: SignatureScheme) -> Option<String> {
    headers
        .get(scheme.header_name())
        .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned())
}

/// Collects the body, failing as soon as it grows past `limit` bytes.
async fn read_limited(
    mut body: Body,
    limit: usize,
    capacity: usize,
) -> Result<Bytes, WebhookRejection> {
    let mut buffer = Vec::with_capacity(capacity);
    while let Some(frame) = poll_fn(|cx| Pin::new(&mut body).poll_frame(cx)).await {
        let frame = frame.map_err(WebhookRejection::BodyRead)?;
        if let Ok(data) = frame.into_data() {
            if data.len() > limit.saturating_sub(buffer.len()) {
                return Err(WebhookRejection::PayloadTooLarge { limit });
            }
            buffer.extend_from_slice(&data);
        }
    }
    Ok(Bytes::from(buffer))
}
