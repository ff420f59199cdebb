//! Telling who sent a delivery: webhook signatures and Meta's subscription handshake.
//!
//! - [`signature`]: Meta's `X-Hub-Signature-256` and Kapso's `X-Webhook-Signature`;
//! - [`handshake`]: Meta's `GET` verification request (`hub.mode`, `hub.verify_token`,
//!   `hub.challenge`).

pub mod handshake;
pub mod signature;
