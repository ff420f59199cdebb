//! A WhatsApp webhook endpoint with axum: verified, size limited, normalized.
//!
//! ```text
//! WHATSAPP_APP_SECRET=… WHATSAPP_VERIFY_TOKEN=… PORT=3000 \
//!     cargo run --example axum_server --features axum
//! ```
//!
//! * `GET /webhook`: Meta's verification handshake (`200` with `hub.challenge`
//!   when `hub.verify_token` matches `WHATSAPP_VERIFY_TOKEN`, else `403`).
//! * `POST /webhook`: checks `X-Hub-Signature-256` against
//!   `WHATSAPP_APP_SECRET`, then prints the normalized webhook as one compact
//!   JSON line on stdout and answers `200`. Refusals: `401` (signature), `413`
//!   (body over 3 MiB), `400` (not JSON).
//!
//! Listens on 127.0.0.1 only (put a TLS-terminating proxy or tunnel in front);
//! `PORT=0` picks a free port. Logs go to stderr, so stdout is pure NDJSON.

use std::io::Write;
use std::net::Ipv4Addr;
use std::process::ExitCode;

use axum::http::StatusCode;
use kapso_webhooks::axum::{router, MetaWebhook, WebhookConfig, WEBHOOK_PATH};

#[tokio::main]
async fn main() -> ExitCode {
    let app_secret = std::env::var("WHATSAPP_APP_SECRET").unwrap_or_default();
    if app_secret.is_empty() {
        eprintln!(
            "axum_server: set WHATSAPP_APP_SECRET (your Meta app secret) to verify signatures"
        );
        return ExitCode::from(2);
    }
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

    let config = WebhookConfig::new()
        .with_app_secret(app_secret)
        .with_verify_token(verify_token);
    let app = router(config, print_webhook);

    let listener = match tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, port)).await {
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
    match axum::serve(listener, app).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("axum_server: {err}");
            ExitCode::FAILURE
        }
    }
}

/// Prints one accepted webhook as a compact JSON line. Answering `500` when
/// stdout fails makes Meta retry the delivery later instead of losing it.
async fn print_webhook(MetaWebhook(webhook): MetaWebhook) -> StatusCode {
    let Ok(line) = serde_json::to_string(&webhook) else {
        return StatusCode::INTERNAL_SERVER_ERROR;
    };
    let mut stdout = std::io::stdout().lock();
    match writeln!(stdout, "{line}").and_then(|()| stdout.flush()) {
        Ok(()) => StatusCode::OK,
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}
