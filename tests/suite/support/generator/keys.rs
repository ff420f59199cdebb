//! Key rules mirrored from the reference (only to stay clear of deviations), and the odd keys
//! used to perturb objects.

/// The reference's key camelCasing: `_` or `-` followed by an ASCII letter or
/// digit is removed and the character uppercased.
pub(super) fn camel(key: &str) -> String {
    let chars: Vec<char> = key.chars().collect();
    let mut out = String::with_capacity(key.len());
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        match chars.get(i + 1) {
            Some(&next) if (c == '_' || c == '-') && next.is_ascii_alphanumeric() => {
                out.push(next.to_ascii_uppercase());
                i += 2;
            }
            _ => {
                out.push(c);
                i += 1;
            }
        }
    }
    out
}

/// The reference's field key: `_` followed by a lowercase ASCII letter.
pub(super) fn field_key(field: &str) -> String {
    let chars: Vec<char> = field.chars().collect();
    let mut out = String::with_capacity(field.len());
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        match chars.get(i + 1) {
            Some(&next) if c == '_' && next.is_ascii_lowercase() => {
                out.push(next.to_ascii_uppercase());
                i += 2;
            }
            _ => {
                out.push(c);
                i += 1;
            }
        }
    }
    out
}

pub(super) fn all_digits(key: &str) -> bool {
    !key.is_empty() && key.bytes().all(|b| b.is_ascii_digit())
}

/// Keys whose value the generator controls (list items must be objects, `kapso`
/// must not be a truthy non-object, `order`/`interactive` write into `kapso`).
pub(super) const RESERVED: &[&str] = &[
    "kapso",
    "contacts",
    "messages",
    "messageEchoes",
    "statuses",
    "calls",
    "order",
    "interactive",
];

/// JavaScript `Object.prototype` members (D4) and `__proto__` (D3).
pub(super) const JS_MEMBERS: &[&str] = &[
    "__proto__",
    "constructor",
    "toString",
    "toLocaleString",
    "valueOf",
    "hasOwnProperty",
    "isPrototypeOf",
    "propertyIsEnumerable",
    "__defineGetter__",
    "__defineSetter__",
    "__lookupGetter__",
    "__lookupSetter__",
];

/// A key that is safe to add with an arbitrary value at any depth.
pub(super) fn free_key_ok(key: &str) -> bool {
    let mut current = key.to_owned();
    // The reference camelCases a key at most twice; a collision twin is the
    // key camelCased once more, so look two passes further.
    for _ in 0..5 {
        if all_digits(&current) || RESERVED.contains(&current.as_str()) || current == "__proto__" {
            return false;
        }
        current = camel(&current);
    }
    true
}

/// A field name that the reference files under `raw` without throwing.
pub(super) fn field_ok(field: &str) -> bool {
    let key = field_key(field);
    !all_digits(field) && !all_digits(&key) && !JS_MEMBERS.contains(&key.as_str())
}

// ---------------------------------------------------------------------------
// Vocabulary

pub(super) const ODD_KEYS: &[&str] = &[
    "a__b",
    "a-b",
    "a_1",
    "_x",
    "ABC_DEF",
    "trailing_",
    "trailing-",
    "__double",
    "-lead",
    "_-a",
    "a_-b",
    "a-_b",
    "mixed_Case-key",
    "snake_case_key",
    "kebab-case-key",
    "HTTP_URL",
    "a1_b2",
    "x_2x",
    "field_2x",
    "a_b_c_d",
    "with space",
    "dot.key",
    "nom_é",
    "日本_語",
    "_",
    "-",
    "__",
    "",
    "UPPER",
    "camelCase",
    "x__y__z",
    "v_1_2",
    "a-1-b",
    "a_B",
    "aB",
    "meta_data",
    "ref_",
    "_A_b",
    "é_a",
    "constructor",
    "toString",
    "has_own_property",
    "value_of",
];
