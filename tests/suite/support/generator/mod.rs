//! A seeded, deterministic generator of webhook bodies for differential testing
//! against the reference `normalizeWebhook`.
//!
//! Most bodies are realistic WhatsApp Cloud API / Kapso payloads with
//! perturbations (odd keys, camelCase collisions, wrong types, nulls, missing
//! keys); a minority are structurally odd (non-object bodies, bad `entry` or
//! `changes`, skipped values, arrays as values).
//!
//! The generator deliberately avoids the inputs where the reference is wrong
//! or throws (deviations D1–D7 of the guide):
//! - D1: items of `contacts`, `messages`, `message_echoes`, `statuses` and
//!   `calls` lists (at the change value level) are always objects;
//! - D2: an existing `kapso` is an object or falsy, never a truthy non-object
//!   (an empty array only where nothing else is written into it);
//! - D3/D4: no `__proto__` key, no field named like an `Object.prototype` member;
//! - D5/D6: small integers, simple floats, no overflowing numbers, no lone
//!   surrogates;
//! - D7: no key that is, or camelCases to, all digits.
//!
//! Each body is generated from its own stream, seeded by `(seed, index)`, so a
//! prefix of `bodies(seed, n)` does not depend on `n`.
//!
//! Modules, from the outside in: `envelope` (body, `entry`, `changes`,
//! `metadata`), `change_values` (the `value` of each field), `messages` and
//! `content` (a message and its type-specific part), `items` (contacts,
//! statuses, calls), `ids` (numbers, ids, timestamps), `values` (scalars, junk,
//! perturbation of keys), `keys` (the reference's key rules), `json` (the JSON
//! tree and its writer) and `rng` (the random stream).

mod change_values;
mod content;
mod envelope;
mod ids;
mod items;
mod json;
mod keys;
mod messages;
mod rng;
mod values;

use envelope::body;
use rng::Rng;

/// The seed of the committed fixtures (`fixtures/generated/`).
pub const SEED: u64 = 0x6b61_7073_6f5f_7765;

/// The number of committed generated bodies.
pub const COUNT: usize = 2500;

/// Generates `count` webhook bodies (compact JSON, one line each) from `seed`.
pub fn bodies(seed: u64, count: usize) -> Vec<String> {
    (0..count)
        .map(|index| {
            let mut rng = Rng::new(seed ^ (index as u64).wrapping_mul(0xa076_1d64_78bd_642f));
            let mut out = String::new();
            body(&mut rng).write(&mut out);
            out
        })
        .collect()
}
