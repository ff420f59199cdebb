//! kapso-webhooks (work in progress)
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod handshake;
pub mod signature;
