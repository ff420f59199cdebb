//! Helpers shared by integration tests: JavaScript-like JSON comparison, the
//! seeded webhook body generator, and a minimal HTTP/1.1 client.
#![allow(dead_code)]

pub mod compare;
pub mod generator;
pub mod http_client;
