//! Random values: scalars, free keys, junk, wrong types, and the perturbation of an object's keys.

use super::json::{s, J};
use super::keys::{camel, free_key_ok, ODD_KEYS};
use super::rng::Rng;

pub(super) const WORDS: &[&str] = &[
    "hello",
    "Hola, ¿qué tal?",
    "ok",
    "Thanks!",
    "日本語のテキスト",
    "café crème",
    "line1\nline2",
    "tab\there",
    "quote \" and backslash \\",
    "",
    " ",
    "👍",
    "price: $10.50",
    "https://example.com/a?b=c&d=e",
    "<b>bold</b>",
    "1234",
    "null",
    "true",
];

// ---------------------------------------------------------------------------
// Random values

pub(super) fn scalar(rng: &mut Rng) -> J {
    match rng.below(14) {
        0 => J::Null,
        1 => J::Bool(true),
        2 => J::Bool(false),
        3 => J::Int(0),
        4 => J::Int(rng.int(-1000, 100_000)),
        5 => J::Raw(rng.pick(&[
            "1.5", "-0.25", "2.0", "1e3", "0.1", "3.14", "-7", "1E2", "0.0", "-0",
        ])),
        6 => s(""),
        7 => J::Raw(rng.pick(&[
            "\"\\u00e9t\\u00e9\"",
            "\"a\\/b\"",
            "\"\\ud83d\\ude00\"",
            "\"\\u0041\\u005f\\u0062\"",
            "\"\\b\\f\"",
        ])),
        8 => s(rng.pick(&["x", "é", "日本", "wa_id", "a-b", "+1 555-000"])),
        _ => s(rng.pick(WORDS)),
    }
}

pub(super) fn free_key(rng: &mut Rng) -> String {
    for _ in 0..20 {
        let key = if rng.chance(60) {
            rng.pick(ODD_KEYS).to_owned()
        } else {
            const ALPHABET: &[u8] = b"abcxyzABZ019__--";
            let len = rng.int(1, 9) as usize;
            (0..len).map(|_| char::from(rng.pick(ALPHABET))).collect()
        };
        if free_key_ok(&key) {
            return key;
        }
    }
    "fallback_key".to_owned()
}

pub(super) fn junk(rng: &mut Rng, depth: u32) -> J {
    if depth == 0 || rng.chance(55) {
        return scalar(rng);
    }
    if rng.chance(50) {
        let len = rng.below(4);
        J::Arr((0..len).map(|_| junk(rng, depth - 1)).collect())
    } else {
        let len = rng.below(4);
        J::Obj(
            (0..len)
                .map(|_| (free_key(rng), junk(rng, depth - 1)))
                .collect(),
        )
    }
}

/// A value of the wrong type for a known key.
pub(super) fn wrong(rng: &mut Rng) -> J {
    match rng.below(8) {
        0 => J::Null,
        1 => J::Int(5),
        2 => s("x"),
        3 => J::Bool(true),
        4 => J::Bool(false),
        5 => J::Arr(vec![]),
        6 => J::Obj(vec![]),
        _ => J::Raw("1.5"),
    }
}

/// Perturbs an object's keys: odd keys, camelCase collisions (both orders),
/// exact duplicates, wrong types, removals. Keys in [`RESERVED`] are left alone.
pub(super) fn perturb(rng: &mut Rng, pairs: &mut Vec<(String, J)>, percent: u64) {
    if !rng.chance(percent) {
        return;
    }
    let edits = 1 + rng.below(3);
    for _ in 0..edits {
        match rng.weighted(&[30, 25, 8, 15, 10, 12]) {
            0 => {
                let key = free_key(rng);
                let value = junk(rng, 2);
                let at = rng.below(pairs.len() + 1);
                pairs.insert(at.min(pairs.len()), (key, value));
            }
            1 => {
                // A collision: a snake/kebab key next to its camelCase form.
                let candidates: Vec<usize> = pairs
                    .iter()
                    .enumerate()
                    .filter(|(_, (key, _))| {
                        (key.contains('_') || key.contains('-')) && free_key_ok(key)
                    })
                    .map(|(i, _)| i)
                    .collect();
                let index = candidates.get(rng.below(candidates.len())).copied();
                if let Some((key, _)) = index.and_then(|i| pairs.get(i)) {
                    let twin = camel(key);
                    let value = if rng.chance(50) {
                        junk(rng, 1)
                    } else {
                        wrong(rng)
                    };
                    let (first, second) = if rng.chance(50) {
                        (key.clone(), twin)
                    } else {
                        (twin, key.clone())
                    };
                    if let Some(i) = index {
                        let old = pairs.remove(i);
                        let before = i.min(pairs.len());
                        if first == old.0 {
                            pairs.insert(before, old);
                            pairs.insert((before + 1).min(pairs.len()), (second, value));
                        } else {
                            pairs.insert(before, (first, value));
                            pairs.insert((before + 1).min(pairs.len()), old);
                        }
                    }
                }
            }
            2 => {
                // An exact duplicate key: the later value wins.
                let index = rng.below(pairs.len());
                if let Some((key, _)) = pairs.get(index) {
                    if free_key_ok(key) {
                        let key = key.clone();
                        let value = wrong(rng);
                        pairs.push((key, value));
                    }
                }
            }
            3 => {
                let index = rng.below(pairs.len());
                if let Some((key, value)) = pairs.get_mut(index) {
                    if free_key_ok(key) {
                        *value = wrong(rng);
                    }
                }
            }
            4 => {
                let index = rng.below(pairs.len());
                if pairs.get(index).is_some_and(|(key, _)| free_key_ok(key)) {
                    pairs.remove(index);
                }
            }
            _ => {
                let index = rng.below(pairs.len());
                if let Some((key, value)) = pairs.get_mut(index) {
                    if free_key_ok(key) {
                        *value = J::Null;
                    }
                }
            }
        }
    }
}

pub(super) fn finish(mut pairs: Vec<(String, J)>, percent: u64, rng: &mut Rng) -> J {
    perturb(rng, &mut pairs, percent);
    J::Obj(pairs)
}
