//! The crate's private JSON machinery, used by every typed struct and by the normalizer:
//! - [`reader`]: a fast JSON reader for the normalizer's one pass (serde_json reads what it
//!   gives up on);
//! - [`depth`]: how deep a parsed `Value` nests, and a stack deep enough to walk it;
//! - [`camel`]: camelCasing keys on the fly, as the reference does, with its collision rules;
//! - [`known_keys`]: Meta's common snake_case keys camelCased ahead of time;
//! - [`wire`]: "take the known keys, keep the rest": the macros that declare typed structs with
//!   an `extra` map and open enums, and the seeds and visitors they share;
//! - [`stringify`]: `JSON.stringify`'s text from Rust values, and transcoding into it;
//! - [`rewrite`]: a body's text straight to JavaScript's text, keys camelCased.

pub(crate) mod camel;
pub(crate) mod depth;
pub(crate) mod known_keys;
pub(crate) mod reader;
pub(crate) mod rewrite;
pub(crate) mod stringify;
pub(crate) mod wire;
