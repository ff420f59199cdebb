//! STAND-IN (replaced by the real module): body text straight to JavaScript text.
#![allow(dead_code, missing_docs)]
use serde::Deserialize;
use serde_json::Value;

use crate::json::camel::Camel;

#[derive(Debug)]
pub(crate) struct Malformed;

pub(crate) fn write_camel(text: &str, levels: u8, out: &mut String) -> Result<(), Malformed> {
    let v = Value::deserialize(Camel::new(
        &mut serde_json::Deserializer::from_str(text),
        levels,
    ))
    .map_err(|_| Malformed)?;
    out.push_str(&serde_json::to_string(&v).map_err(|_| Malformed)?);
    Ok(())
}
