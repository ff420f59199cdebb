//! Values of any depth: how deep a parsed `Value` nests, and running a recursive walk of it on a
//! stack deep enough (both `Value` entry points use it).

use serde_json::Value;

/// Runs `f`, which walks `value` recursively, with a stack deep enough for `value`: on this
/// thread when `value` is nested at most [`SHALLOW_DEPTH`] levels, otherwise on a scoped
/// thread with a stack sized for its depth. `None` when the system refuses that thread.
pub(crate) fn with_stack_for<T: Send>(value: &Value, f: impl FnOnce() -> T + Send) -> Option<T> {
    with_stack_for_depth(depth_up_to(value, usize::MAX), f)
}

/// [`with_stack_for`] for a walk of JSON text (which the crate wrote, or read whole).
pub(crate) fn with_stack_for_text<T: Send>(text: &str, f: impl FnOnce() -> T + Send) -> Option<T> {
    with_stack_for_depth(text_depth(text), f)
}

fn with_stack_for_depth<T: Send>(depth: usize, f: impl FnOnce() -> T + Send) -> Option<T> {
    if depth <= SHALLOW_DEPTH {
        return Some(f());
    }
    let stack = depth
        .saturating_mul(STACK_PER_LEVEL)
        .saturating_add(STACK_BASE);
    std::thread::scope(|scope| {
        let handle = std::thread::Builder::new()
            .name("kapso-webhooks-deep-value".to_owned())
            .stack_size(stack)
            .spawn_scoped(scope, f)
            .ok()?;
        Some(
            handle
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
        )
    })
}

/// How deep the arrays and objects of JSON text nest (brackets inside strings do not count).
pub(crate) fn text_depth(text: &str) -> usize {
    let (mut depth, mut deepest, mut in_string, mut escaped) = (0_usize, 0, false, false);
    for &byte in text.as_bytes() {
        if in_string {
            match byte {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match byte {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    deepest
}

/// The deepest nesting handled on the caller's stack (serde_json's own limit
/// for bodies, so a parsed body never needs a thread): at most a few hundred KiB of stack in
/// debug builds.
pub(crate) const SHALLOW_DEPTH: usize = 128;

/// Stack per level of nesting for deeper values: about twice the most measured (debug builds:
/// ~4.3 KiB per level of nested objects inside a message's unknown key; release: ~1.4 KiB).
const STACK_PER_LEVEL: usize = if cfg!(debug_assertions) {
    8 << 10
} else {
    4 << 10
};

/// Stack for everything but the nesting.
const STACK_BASE: usize = 4 << 20;

/// The nesting depth of `value` (a scalar is 0, `[]` is 1), counted without recursion; stops
/// counting past `limit`.
pub(crate) fn depth_up_to(value: &Value, limit: usize) -> usize {
    let mut deepest = 0;
    let mut pending = vec![(value, 0_usize)];
    while let Some((value, depth)) = pending.pop() {
        let children: &mut dyn Iterator<Item = &Value> = match value {
            Value::Array(items) => &mut items.iter(),
            Value::Object(fields) => &mut fields.values(),
            _ => continue,
        };
        let depth = depth + 1;
        deepest = deepest.max(depth);
        if deepest > limit {
            break;
        }
        pending.extend(
            children
                .filter(|child| matches!(child, Value::Array(_) | Value::Object(_)))
                .map(|child| (child, depth)),
        );
    }
    deepest
}
