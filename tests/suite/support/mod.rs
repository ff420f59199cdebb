//! Helpers shared by integration tests: JavaScript-like JSON comparison, the
//! seeded webhook body generator, a minimal HTTP/1.1 client, and a runner for
//! the command-line tool.

#[cfg(feature = "cli")]
pub mod cli;
pub mod compare;
pub mod generator;
pub mod http_client;
