//! A WhatsApp webhook endpoint with axum: verified, size limited, normalized.
//!
//! ```text
//! WHATSAPP_APP_SECRET=… KAPSO_WEBHOOK_SECRET=… WHATSAPP_VERIFY_TOKEN=… PORT=3000 \
//!     cargo run --example axum_server --features server
//! ```
//!
//! * `GET /webhook`: Meta's verification handshake (`200` with `hub.challenge`
//!   when `hub.verify_token` matches `WHATSAPP_VERIFY_TOKEN`, else `403`).
//! * `POST /webhook`: takes the three kinds of delivery, each checked with its
//!   sender's secret (at least one of the two must be set):
//!   - a Meta body signed by Meta (`X-Hub-Signature-256`, `WHATSAPP_APP_SECRET`),
//!   - a Meta body forwarded by Kapso (`X-Webhook-Signature`, `KAPSO_WEBHOOK_SECRET`),
//!   - Kapso events (`X-Webhook-Signature` and `X-Webhook-Event`, `KAPSO_WEBHOOK_SECRET`);
//!
//!   then prints one compact JSON line on stdout per delivery (the normalized
//!   webhook for a Meta body, by either route) or per Kapso event, and answers
//!   `200`. Refusals: `401` (signature, or a sender without a secret here),
//!   `413` (body over 3 MiB), `400` (not JSON).
//!
//!   `503` with `Retry-After` when the buffer budget for unverified bodies is spent, `408` for
//!   a body that does not arrive in time, `500` if the handler panics.
//!
//! Served by the crate's [`serve`]: headers must arrive within the header deadline (idle
//! kept-alive connections are closed after it too), bodies within the body deadline, and
//! connections are capped. Each has a default fit for Meta and Kapso and can be set here
//! (milliseconds, bytes): `HEADER_TIMEOUT_MS`, `BODY_TIMEOUT_MS`, `BUFFER_BUDGET_BYTES`,
//! `MAX_CONNECTIONS`, `SHUTDOWN_TIMEOUT_MS`.
//!
//! On SIGTERM or Ctrl-C it stops accepting, lets the deliveries in flight finish (within the
//! shutdown deadline), and exits 0. A `200` is answered only once the delivery's lines are
//! written and flushed; a real endpoint stores the delivery durably there instead.
//!
//! Listens on 127.0.0.1 only (put a TLS-terminating proxy or tunnel in front);
//! `PORT=0` picks a free port. Logs go to stderr, so stdout is pure NDJSON.
//!
//! `kapso-webhooks listen` (feature `cli`) is this server as a command, with flags.

use std::io::Write;
use std::net::Ipv4Addr;
use std::process::ExitCode;
use std::str::FromStr;
use std::time::Duration;

use axum::http::StatusCode;
use kapso_webhooks::axum::{
    bind, router, serve, shutdown_signal, ServerConfig, Webhook, WebhookConfig, WEBHOOK_PATH,
};
use kapso_webhooks::verify::{EmptySecret, Verifier};

#[tokio::main]
async fn main() -> ExitCode {
    let app_secret = std::env::var("WHATSAPP_APP_SECRET").unwrap_or_default();
    let kapso_secret = std::env::var("KAPSO_WEBHOOK_SECRET").unwrap_or_default();
    if app_secret.is_empty() && kapso_secret.is_empty() {
        eprintln!(
            "axum_server: set WHATSAPP_APP_SECRET (your Meta app secret) and/or \
             KAPSO_WEBHOOK_SECRET (your Kapso webhook's secret) to verify signatures"
        );
        return ExitCode::from(2);
    }
    let verifier = match verifier(app_secret, kapso_secret) {
        Ok(verifier) => verifier,
        Err(err) => {
            eprintln!("axum_server: {err}");
            return ExitCode::from(2);
        }
    };
    let verify_token = std::env::var("WHATSAPP_VERIFY_TOKEN").unwrap_or_default();
    if verify_token.is_empty() {
        eprintln!("axum_server: WHATSAPP_VERIFY_TOKEN is not set; GET handshakes will get 500");
    }
    let port = match std::env::var("PORT") {
        Err(_) => 3000,
        Ok(port) => match port.parse::<u16>() {
            Ok(port) => port,
            Err(err) => {
                eprintln!("axum_server: PORT={port:?} is not a port number: {err}");
                return ExitCode::from(2);
            }
        },
    };
    let (config, server) = match limits(WebhookConfig::new(verifier), ServerConfig::default()) {
        Ok(limits) => limits,
        Err(err) => {
            eprintln!("axum_server: {err}");
            return ExitCode::from(2);
        }
    };

    let app = router(config.with_verify_token(verify_token), print_delivery);

    let listener = match bind((Ipv4Addr::LOCALHOST, port).into()) {
        Ok(listener) => listener,
        Err(err) => {
            eprintln!("axum_server: cannot listen on 127.0.0.1:{port}: {err}");
            return ExitCode::FAILURE;
        }
    };
    match listener.local_addr() {
        Ok(addr) => eprintln!("axum_server: listening on http://{addr}{WEBHOOK_PATH}"),
        Err(err) => eprintln!("axum_server: listening (address unknown: {err})"),
    }
    match serve(listener, app, server, shutdown_signal()).await {
        Ok(()) => {
            eprintln!("axum_server: shut down");
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("axum_server: {err}");
            ExitCode::FAILURE
        }
    }
}

/// The deadlines, budget and caps set in the environment over the defaults.
fn limits(
    mut config: WebhookConfig,
    mut server: ServerConfig,
) -> Result<(WebhookConfig, ServerConfig), String> {
    if let Some(ms) = env_number::<u64>("HEADER_TIMEOUT_MS")? {
        server = server.with_header_timeout(Duration::from_millis(ms));
    }
    if let Some(ms) = env_number::<u64>("BODY_TIMEOUT_MS")? {
        config = config.with_body_timeout(Duration::from_millis(ms));
    }
    if let Some(bytes) = env_number::<usize>("BUFFER_BUDGET_BYTES")? {
        config = config.with_buffer_budget(bytes);
    }
    if let Some(max) = env_number::<usize>("MAX_CONNECTIONS")? {
        server = server.with_max_connections(max);
    }
    if let Some(ms) = env_number::<u64>("SHUTDOWN_TIMEOUT_MS")? {
        server = server.with_shutdown_timeout(Duration::from_millis(ms));
    }
    Ok((config, server))
}

/// The number in the environment variable `name`, if set.
fn env_number<T: FromStr>(name: &str) -> Result<Option<T>, String> {
    match std::env::var(name) {
        Err(_) => Ok(None),
        Ok(value) => value
            .trim()
            .parse()
            .map(Some)
            .map_err(|_| format!("{name}={value:?} is not a number")),
    }
}

/// A verifier with each secret that is set.
fn verifier(app_secret: String, kapso_secret: String) -> Result<Verifier, EmptySecret> {
    let mut verifier = Verifier::new();
    if !app_secret.is_empty() {
        verifier = verifier.with_app_secret(app_secret)?;
    }
    if !kapso_secret.is_empty() {
        verifier = verifier.with_kapso_secret(kapso_secret)?;
    }
    Ok(verifier)
}

/// Prints one accepted delivery as compact JSON lines: the normalized webhook
/// for a Meta body (signed by Meta or forwarded by Kapso), one line per event
/// for Kapso events. Answering `500` when stdout fails makes the sender retry
/// the delivery later instead of losing it.
async fn print_delivery(Webhook(delivery): Webhook) -> StatusCode {
    let Ok(lines) = delivery.to_json_lines(false) else {
        return StatusCode::INTERNAL_SERVER_ERROR;
    };
    let mut stdout = std::io::stdout().lock();
    let written = lines
        .iter()
        .try_for_each(|line| writeln!(stdout, "{line}"))
        .and_then(|()| stdout.flush());
    match written {
        Ok(()) => StatusCode::OK,
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}
