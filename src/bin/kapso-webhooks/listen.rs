//! `kapso-webhooks listen`: the crate's hardened server (`kapso_webhooks::axum::serve`) as a
//! command, printing each accepted delivery and, with `--forward`, passing it on to a local
//! application.

use std::io::Write;
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::{Body, Bytes, HttpBody};
use axum::extract::Request;
use axum::http::{header, HeaderMap, HeaderName, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Extension, Router};
use kapso_webhooks::axum::{
    bind, handshake, serve, shutdown_signal, ServerConfig, Webhook, WebhookConfig, WebhookRejection,
};
use kapso_webhooks::verify::Verifier;

use crate::EXIT_USAGE;

/// What `listen` was asked to do.
pub struct Options {
    /// Address to listen on.
    pub host: IpAddr,
    /// Port (`0`: a free one).
    pub port: u16,
    /// The webhook path.
    pub path: String,
    /// Meta app secrets.
    pub app_secrets: Vec<String>,
    /// Kapso webhook secrets.
    pub kapso_secrets: Vec<String>,
    /// The handshake's verify token.
    pub verify_token: Option<String>,
    /// Pretty-print the deliveries.
    pub pretty: bool,
    /// Where to pass verified deliveries on.
    pub forward: Option<String>,
    /// Deadline of a forwarded request.
    pub forward_timeout: Duration,
}

/// What the handler needs besides the [`WebhookConfig`].
struct Shared {
    pretty: bool,
    forward: Option<Forward>,
}

/// The application deliveries are passed on to.
struct Forward {
    url: String,
    agent: ureq::Agent,
}

/// Runs the server until SIGTERM or Ctrl-C.
pub fn run(options: Options) -> ExitCode {
    let secrets = options
        .app_secrets
        .iter()
        .chain(&options.kapso_secrets)
        .filter(|secret| !secret.is_empty())
        .count();
    if secrets == 0 {
        eprintln!(
            "kapso-webhooks listen: no secret: give --app-secret (or WHATSAPP_APP_SECRET) and/or \
             --kapso-secret (or KAPSO_WEBHOOK_SECRET) to verify deliveries"
        );
        return ExitCode::from(EXIT_USAGE);
    }
    if !options.path.starts_with('/') {
        eprintln!(
            "kapso-webhooks listen: --path {:?} must start with '/'",
            options.path
        );
        return ExitCode::from(EXIT_USAGE);
    }
    let verifier = match verifier(&options.app_secrets, &options.kapso_secrets) {
        Ok(verifier) => verifier,
        Err(err) => {
            eprintln!("kapso-webhooks listen: {err}");
            return ExitCode::from(EXIT_USAGE);
        }
    };
    let mut config = WebhookConfig::new(verifier);
    match options.verify_token.as_deref() {
        Some(token) if !token.is_empty() => config = config.with_verify_token(token),
        _ => eprintln!(
            "kapso-webhooks listen: no --verify-token (WHATSAPP_VERIFY_TOKEN): GET handshakes \
             get 500"
        ),
    }
    let forward = options.forward.as_ref().map(|url| Forward {
        url: url.clone(),
        agent: crate::http_agent(options.forward_timeout, false),
    });
    let shared = Arc::new(Shared {
        pretty: options.pretty,
        forward,
    });
    let tee = shared.forward.is_some();

    let mut app = Router::new()
        .route(&options.path, get(handshake).post(receive))
        .with_state(config)
        .layer(Extension(shared));
    if tee {
        app = app.layer(middleware::from_fn(keep_body));
    }
    let app = app
        .layer(tower_http::catch_panic::CatchPanicLayer::new())
        .layer(middleware::from_fn(log_refusals));

    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("kapso-webhooks listen: cannot start the runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(async move {
        let addr = SocketAddr::new(options.host, options.port);
        let listener = match bind(addr) {
            Ok(listener) => listener,
            Err(err) => {
                eprintln!("kapso-webhooks listen: cannot listen on {addr}: {err}");
                return ExitCode::FAILURE;
            }
        };
        match listener.local_addr() {
            Ok(addr) => eprintln!("listening on http://{addr}{}", options.path),
            Err(err) => eprintln!("listening (address unknown: {err})"),
        }
        if let Some(url) = &options.forward {
            eprintln!("forwarding verified deliveries to {url}");
        }
        match serve(listener, app, ServerConfig::default(), shutdown_signal()).await {
            Ok(()) => {
                eprintln!("shut down");
                ExitCode::SUCCESS
            }
            Err(err) => {
                eprintln!("kapso-webhooks listen: {err}");
                ExitCode::FAILURE
            }
        }
    })
}

/// A verifier with each non-empty secret.
fn verifier(
    app_secrets: &[String],
    kapso_secrets: &[String],
) -> Result<Verifier, kapso_webhooks::verify::EmptySecret> {
    let mut verifier = Verifier::new();
    for secret in app_secrets.iter().filter(|secret| !secret.is_empty()) {
        verifier = verifier.with_app_secret(secret.as_bytes())?;
    }
    for secret in kapso_secrets.iter().filter(|secret| !secret.is_empty()) {
        verifier = verifier.with_kapso_secret(secret.as_bytes())?;
    }
    Ok(verifier)
}

/// The bytes of a request's body as the extractor reads them (only with `--forward`).
#[derive(Clone, Default)]
struct BodyCopy(Arc<Mutex<Vec<u8>>>);

/// A request body that copies each data frame it yields into a [`BodyCopy`]: the extractor
/// keeps its limits, deadline and budget, and the forwarder gets the exact bytes.
struct TeeBody {
    inner: Body,
    copy: BodyCopy,
}

impl HttpBody for TeeBody {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<hyper::body::Frame<Bytes>, axum::Error>>> {
        let polled = Pin::new(&mut self.inner).poll_frame(cx);
        if let Poll::Ready(Some(Ok(frame))) = &polled {
            if let (Some(data), Ok(mut copy)) = (frame.data_ref(), self.copy.0.lock()) {
                copy.extend_from_slice(data);
            }
        }
        polled
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> hyper::body::SizeHint {
        self.inner.size_hint()
    }
}

/// Wraps the request body in a [`TeeBody`] and hands its copy to the handler.
async fn keep_body(request: Request, next: Next) -> Response {
    let copy = BodyCopy::default();
    let (mut parts, body) = request.into_parts();
    parts.extensions.insert(copy.clone());
    let body = Body::new(TeeBody { inner: body, copy });
    next.run(Request::from_parts(parts, body)).await
}

/// Prints every answer that is not a success (refusals, the application's own answers with
/// `--forward`) on stderr: the request, the status and the text.
async fn log_refusals(request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let response = next.run(request).await;
    let status = response.status();
    if status.is_success() {
        if method == Method::GET {
            eprintln!("{method} {path}: {status}: handshake answered");
        }
        return response;
    }
    let (parts, body) = response.into_parts();
    let text = axum::body::to_bytes(body, 64 * 1024)
        .await
        .unwrap_or_default();
    eprintln!(
        "{method} {path}: answered {status}: {}",
        String::from_utf8_lossy(&text).trim_end()
    );
    Response::from_parts(parts, Body::from(text))
}

/// Prints an accepted delivery (then forwards it, with `--forward`); a refusal is answered
/// as the extractor says.
async fn receive(
    Extension(shared): Extension<Arc<Shared>>,
    copy: Option<Extension<BodyCopy>>,
    method: Method,
    headers: HeaderMap,
    webhook: Result<Webhook, WebhookRejection>,
) -> Response {
    let delivery = match webhook {
        Ok(Webhook(delivery)) => delivery,
        Err(rejection) => return rejection.into_response(),
    };
    let Ok(lines) = delivery.to_json_lines(shared.pretty) else {
        return (
            StatusCode::INTERNAL_SERVER_ERROR,
            "cannot serialize the delivery",
        )
            .into_response();
    };
    let written = {
        let mut stdout = std::io::stdout().lock();
        lines
            .iter()
            .try_for_each(|line| writeln!(stdout, "{line}"))
            .and_then(|()| stdout.flush())
    };
    if written.is_err() {
        // The sender retries later instead of the delivery being lost.
        return (
            StatusCode::INTERNAL_SERVER_ERROR,
            "cannot write the delivery",
        )
            .into_response();
    }
    let (Some(forward), Some(Extension(copy))) = (shared.forward.as_ref(), copy) else {
        return StatusCode::OK.into_response();
    };
    let body = copy.0.lock().map(|body| body.clone()).unwrap_or_default();
    let url = forward.url.clone();
    let agent = forward.agent.clone();
    let answer =
        tokio::task::spawn_blocking(move || pass_on(&agent, &url, method, &headers, body)).await;
    match answer {
        Ok(Ok((status, body))) => (status, body).into_response(),
        Ok(Err(err)) => {
            let text = format!("the application at {} did not answer: {err}", forward.url);
            (StatusCode::BAD_GATEWAY, text).into_response()
        }
        Err(_) => (StatusCode::BAD_GATEWAY, "the forwarder failed").into_response(),
    }
}

/// Headers that belong to one connection, not to the delivery: not passed on.
const HOP_BY_HOP: [HeaderName; 5] = [
    header::HOST,
    header::CONTENT_LENGTH,
    header::CONNECTION,
    header::TRANSFER_ENCODING,
    header::UPGRADE,
];

/// Sends the delivery to the application: same method, the original headers and bytes.
fn pass_on(
    agent: &ureq::Agent,
    url: &str,
    method: Method,
    headers: &HeaderMap,
    body: Vec<u8>,
) -> Result<(StatusCode, Vec<u8>), ureq::Error> {
    let mut request = ureq::http::Request::builder()
        .method(method.as_str())
        .uri(url);
    for (name, value) in headers {
        if !HOP_BY_HOP.contains(name) {
            request = request.header(name.as_str(), value.as_bytes());
        }
    }
    let request = request.body(body)?;
    let mut response = agent.run(request)?;
    let status =
        StatusCode::from_u16(response.status().as_u16()).unwrap_or(StatusCode::BAD_GATEWAY);
    let body = response.body_mut().read_to_vec()?;
    Ok((status, body))
}
