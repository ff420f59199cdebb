//! Helpers shared by integration tests: fixture and corpus discovery,
//! JavaScript-like JSON comparison, the seeded webhook body generator, a
//! minimal HTTP/1.1 client, and a runner for the command-line tool.

#[cfg(feature = "cli")]
pub mod cli;
pub mod compare;
pub mod fixtures;
pub mod generator;
pub mod http_client;
