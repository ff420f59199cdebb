//! Helpers shared by integration tests: JavaScript-like JSON comparison and
//! the seeded webhook body generator.
#![allow(dead_code)]

pub mod compare;
pub mod generator;
