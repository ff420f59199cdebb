//! Comparing JSON values the way JavaScript sees them.

use serde_json::Value;

/// Longest rendering of a value in a mismatch message.
const MAX_SHOWN: usize = 160;

/// Compares `actual` with `expected` as JavaScript would see them: object key
/// order is ignored, numbers are compared as `f64`, everything else exactly.
///
/// On mismatch, returns a message naming the JSON path of the first
/// difference (e.g. `$.messages[0].kapso.direction`) and both values.
pub fn js_equal(actual: &Value, expected: &Value) -> Result<(), String> {
    let mut path = String::from("$");
    compare(actual, expected, &mut path)
}

fn compare(actual: &Value, expected: &Value, path: &mut String) -> Result<(), String> {
    match (actual, expected) {
        (Value::Null, Value::Null) => Ok(()),
        (Value::Bool(a), Value::Bool(e)) if a == e => Ok(()),
        (Value::String(a), Value::String(e)) if a == e => Ok(()),
        (Value::Number(a), Value::Number(e)) if a.as_f64() == e.as_f64() => Ok(()),
        (Value::Array(a), Value::Array(e)) => {
            for (index, (a_item, e_item)) in a.iter().zip(e).enumerate() {
                let len = path.len();
                path.push_str(&format!("[{index}]"));
                compare(a_item, e_item, path)?;
                path.truncate(len);
            }
            if a.len() == e.len() {
                Ok(())
            } else {
                Err(format!(
                    "at {path}: array length {} differs from expected {}\n  actual:   {}\n  expected: {}",
                    a.len(),
                    e.len(),
                    show(actual),
                    show(expected)
                ))
            }
        }
        (Value::Object(a), Value::Object(e)) => {
            for (key, e_value) in e {
                let len = path.len();
                push_key(path, key);
                match a.get(key) {
                    Some(a_value) => compare(a_value, e_value, path)?,
                    None => {
                        return Err(format!(
                            "at {path}: key missing\n  actual:   (absent)\n  expected: {}",
                            show(e_value)
                        ))
                    }
                }
                path.truncate(len);
            }
            if let Some((key, a_value)) = a.iter().find(|(key, _)| !e.contains_key(*key)) {
                push_key(path, key);
                return Err(format!(
                    "at {path}: unexpected key\n  actual:   {}\n  expected: (absent)",
                    show(a_value)
                ));
            }
            Ok(())
        }
        _ => Err(format!(
            "at {path}: values differ\n  actual:   {}\n  expected: {}",
            show(actual),
            show(expected)
        )),
    }
}

/// Appends `.key` for identifier-like keys, `["key"]` otherwise.
fn push_key(path: &mut String, key: &str) {
    let mut chars = key.chars();
    let identifier = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '$')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$');
    if identifier {
        path.push('.');
        path.push_str(key);
    } else {
        path.push('[');
        path.push_str(&Value::String(key.to_owned()).to_string());
        path.push(']');
    }
}

/// The compact JSON of `value`, truncated to [`MAX_SHOWN`] characters.
fn show(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() <= MAX_SHOWN {
        text
    } else {
        let cut: String = text.chars().take(MAX_SHOWN).collect();
        format!("{cut}… ({} bytes)", text.len())
    }
}
