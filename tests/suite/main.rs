//! The integration test suite, one binary: agreement with the reference (as JSON values, and as
//! exact text), deviations, bad inputs,
//! typed events, Kapso events, signatures, HTTP and HTTP under hostile traffic, the CLI,
//! generated bodies and properties.
//! Fixture and corpus discovery, JSON comparison, the body generator and the HTTP client live in
//! `support/`.

// Tests state their expectations with unwrap, expect, panic and indexing.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod support;

mod agreement;
mod bad_inputs;
mod cli;
mod deviations;
mod events;
mod generated;
mod hostile;
mod http;
mod kapso_event;
mod properties;
mod regressions;
mod signature;
mod text;
