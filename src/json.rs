//! The crate's private JSON machinery, used by every typed struct and by the normalizer:
//! - [`reader`]: the JSON reader of every valid body (serde_json only words the errors), which
//!   also records where values are and checks skipped values by a scan;
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
