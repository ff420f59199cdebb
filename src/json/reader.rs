//! The JSON reader of [`crate::normalize_webhook`]'s one pass: a [`Deserializer`] over a body's
//! text that reads only what it fully understands and gives up otherwise.
//!
//! It accepts exactly the JSON that serde_json accepts, or less: whatever it gives up on
//! ([`GaveUp`]: invalid JSON, nesting of [`MAX_DEPTH`] levels or more, a lone surrogate, anything
//! it does not read itself) is read again by serde_json, which then either normalizes the body
//! the same way or words the error. What it reads, it hands to the visitors exactly as serde_json's
//! `Deserializer::from_str` would: the same `visit_*` calls with the same values, strings
//! borrowed from the text when they have no escapes, numbers parsed by serde_json itself when
//! they are not plain integers.
//!
//! Why a reader of our own: serde_json's reader is general (positions for errors, byte slices
//! and readers, raw values, a scratch buffer behind every string); this one does only what a
//! body needs and keeps strings and keys on a short path, which is most of a body's cost.

use std::fmt;

use serde::de::value::{BorrowedStrDeserializer, StrDeserializer};
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

/// Nesting this deep or deeper is left to serde_json (whose limit is 128 levels).
const MAX_DEPTH: u32 = 120;

/// Why [`Reader`] stopped: it gave up, and serde_json reads the body instead.
#[derive(Debug)]
pub(crate) struct GaveUp;

impl fmt::Display for GaveUp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("left to serde_json")
    }
}

impl std::error::Error for GaveUp {}

impl de::Error for GaveUp {
    #[cold]
    fn custom<T: fmt::Display>(_: T) -> Self {
        GaveUp
    }
}

type Result<T> = std::result::Result<T, GaveUp>;

/// Reads one JSON value from a body's text.
pub(crate) struct Reader<'de> {
    text: &'de str,
    at: usize,
    depth: u32,
    /// The unescaped text of the last string with escapes.
    scratch: String,
}

impl<'de> Reader<'de> {
    /// A reader at the start of `text`.
    pub(crate) fn new(text: &'de str) -> Self {
        Reader {
            text,
            at: 0,
            depth: 0,
            scratch: String::new(),
        }
    }

    /// Checks that nothing but whitespace follows the value.
    pub(crate) fn end(&mut self) -> Result<()> {
        match self.peek() {
            None => Ok(()),
            Some(_) => Err(GaveUp),
        }
    }

    /// The text, as bytes.
    fn bytes(&self) -> &'de [u8] {
        self.text.as_bytes()
    }

    /// The next byte that is not whitespace, not consumed.
    #[inline]
    fn peek(&mut self) -> Option<u8> {
        while let Some(&byte) = self.bytes().get(self.at) {
            if !matches!(byte, b' ' | b'\n' | b'\t' | b'\r') {
                return Some(byte);
            }
            self.at += 1;
        }
        None
    }

    /// Reads the object or array whose opening bracket is next, up to `close`, with `visit`.
    #[inline(always)]
    fn nested<T>(
        &mut self,
        close: u8,
        visit: impl FnOnce(Items<'_, 'de>) -> Result<T>,
    ) -> Result<T> {
        self.nest()?;
        let value = visit(Items {
            reader: &mut *self,
            first: true,
        })?;
        self.unnest(close).map(|()| value)
    }

    /// Steps to the next item of an object or array (`close` ends it): over the comma before
    /// any item but the first, checking that what follows can start an item (`starts_item` of
    /// the next byte). `false` at the end.
    #[inline(always)]
    fn next_item(
        &mut self,
        first: &mut bool,
        close: u8,
        starts_item: impl Fn(Option<u8>) -> bool,
    ) -> Result<bool> {
        match self.peek() {
            Some(byte) if byte == close => return Ok(false),
            Some(b',') if !*first => self.at += 1,
            Some(_) if *first => {}
            _ => return Err(GaveUp),
        }
        *first = false;
        if starts_item(self.peek()) {
            Ok(true)
        } else {
            Err(GaveUp)
        }
    }

    /// Consumes `literal`, which must come next.
    fn eat(&mut self, literal: &[u8]) -> Result<()> {
        let end = self.at + literal.len();
        if self.bytes().get(self.at..end) == Some(literal) {
            self.at = end;
            Ok(())
        } else {
            Err(GaveUp)
        }
    }

    /// Reads a string whose opening quote is at `self.at`: borrowed from the text when it has
    /// no escapes, else unescaped into `scratch` (`None`).
    #[inline(always)]
    fn string(&mut self) -> Result<Option<&'de str>> {
        let start = self.at + 1;
        let end = find_special(self.bytes(), start);
        match self.bytes().get(end) {
            Some(b'"') => {
                self.at = end + 1;
                self.text.get(start..end).map(Some).ok_or(GaveUp)
            }
            Some(b'\\') => {
                self.unescape(start, end)?;
                Ok(None)
            }
            // A control character, or the end of the text.
            _ => Err(GaveUp),
        }
    }

    /// Unescapes a string that starts at `start` and has its first escape at `escape`.
    #[cold]
    fn unescape(&mut self, start: usize, mut escape: usize) -> Result<()> {
        self.scratch.clear();
        let mut from = start;
        loop {
            self.scratch
                .push_str(self.text.get(from..escape).ok_or(GaveUp)?);
            let bytes = self.bytes();
            let code = bytes.get(escape + 1).copied().ok_or(GaveUp)?;
            from = escape + 2;
            let unescaped = match code {
                b'"' => '"',
                b'\\' => '\\',
                b'/' => '/',
                b'b' => '\u{8}',
                b'f' => '\u{c}',
                b'n' => '\n',
                b'r' => '\r',
                b't' => '\t',
                b'u' => {
                    let first = hex4(bytes, from)?;
                    from += 4;
                    match first {
                        0xD800..=0xDBFF => {
                            if bytes.get(from..from + 2) != Some(b"\\u") {
                                return Err(GaveUp);
                            }
                            let second = hex4(bytes, from + 2)?;
                            if !(0xDC00..=0xDFFF).contains(&second) {
                                return Err(GaveUp);
                            }
                            from += 6;
                            let code = 0x1_0000 + ((first - 0xD800) << 10 | (second - 0xDC00));
                            char::from_u32(code).ok_or(GaveUp)?
                        }
                        _ => char::from_u32(first).ok_or(GaveUp)?,
                    }
                }
                _ => return Err(GaveUp),
            };
            self.scratch.push(unescaped);
            let next = find_special(bytes, from);
            match bytes.get(next) {
                Some(b'"') => {
                    self.scratch
                        .push_str(self.text.get(from..next).ok_or(GaveUp)?);
                    self.at = next + 1;
                    return Ok(());
                }
                Some(b'\\') => escape = next,
                _ => return Err(GaveUp),
            }
        }
    }

    /// Reads a number starting at `self.at` and visits it as serde_json would: `u64` for
    /// non-negative integers that fit, `i64` for negative ones, `f64` for the rest.
    fn number<V: Visitor<'de>>(&mut self, visitor: V) -> Result<V::Value> {
        let bytes = self.bytes();
        let start = self.at;
        let mut end = start;
        let mut value: u64 = 0;
        while let Some(&digit) = bytes.get(end) {
            if !digit.is_ascii_digit() {
                break;
            }
            value = value.wrapping_mul(10).wrapping_add(u64::from(digit - b'0'));
            end += 1;
        }
        let digits = end - start;
        let plain = (1..=19).contains(&digits)
            && (digits == 1 || bytes.get(start) != Some(&b'0'))
            && !matches!(bytes.get(end), Some(b'.' | b'e' | b'E' | b'-' | b'+'));
        if plain {
            self.at = end;
            return visitor.visit_u64(value);
        }
        // Anything else (signs, fractions, exponents, long integers) as serde_json reads it.
        while let Some(&byte) = bytes.get(end) {
            if !matches!(byte, b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E') {
                break;
            }
            end += 1;
        }
        let span = self.text.get(start..end).ok_or(GaveUp)?;
        let number: serde_json::Number = serde_json::from_str(span).map_err(|_| GaveUp)?;
        self.at = end;
        if let Some(n) = number.as_u64() {
            visitor.visit_u64(n)
        } else if let Some(n) = number.as_i64() {
            visitor.visit_i64(n)
        } else {
            visitor.visit_f64(number.as_f64().ok_or(GaveUp)?)
        }
    }

    /// Gives up unless the next value starts with one of `allowed`.
    fn expect_one_of(&mut self, allowed: &[u8]) -> Result<()> {
        match self.peek() {
            Some(byte) if allowed.contains(&byte) => Ok(()),
            _ => Err(GaveUp),
        }
    }

    /// Steps into an array or object whose opening bracket is at `self.at`.
    fn nest(&mut self) -> Result<()> {
        self.depth += 1;
        if self.depth >= MAX_DEPTH {
            return Err(GaveUp);
        }
        self.at += 1;
        Ok(())
    }

    /// Steps out of an array or object, whose closing bracket `close` must come next.
    fn unnest(&mut self, close: u8) -> Result<()> {
        self.depth -= 1;
        if self.peek() != Some(close) {
            return Err(GaveUp);
        }
        self.at += 1;
        Ok(())
    }
}

/// The first `"`, `\` or control character at or after `from`, or the end of `bytes`.
#[inline(always)]
pub(crate) fn find_special(bytes: &[u8], mut at: usize) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    while let Some(chunk) = bytes.get(at..at + 8) {
        let word = u64::from_le_bytes(chunk.try_into().unwrap_or_default());
        let quotes = word ^ (ONES * u64::from(b'"'));
        let backslashes = word ^ (ONES * u64::from(b'\\'));
        // A byte below 0x20 has its top three bits clear.
        let found = (quotes.wrapping_sub(ONES) & !quotes
            | backslashes.wrapping_sub(ONES) & !backslashes
            | word.wrapping_sub(ONES * 0x20) & !word)
            & HIGHS;
        if found != 0 {
            return at + found.trailing_zeros() as usize / 8;
        }
        at += 8;
    }
    while let Some(&byte) = bytes.get(at) {
        if byte == b'"' || byte == b'\\' || byte < 0x20 {
            return at;
        }
        at += 1;
    }
    at
}

/// The four hex digits at `at`, as a number.
fn hex4(bytes: &[u8], at: usize) -> Result<u32> {
    let digits = bytes.get(at..at + 4).ok_or(GaveUp)?;
    digits.iter().try_fold(0, |n, &digit| {
        let value = char::from(digit).to_digit(16).ok_or(GaveUp)?;
        Ok(n << 4 | value)
    })
}

/// The methods serde_json only accepts for values that start with one of some bytes.
macro_rules! shaped {
    ($($method:ident $(($($arg:ident: $ty:ty),*))? => $allowed:expr;)*) => {
        $(
            fn $method<V: Visitor<'de>>(self, $($($arg: $ty,)*)? visitor: V) -> Result<V::Value> {
                $($(let _ = $arg;)*)?
                self.expect_one_of($allowed)?;
                self.deserialize_any(visitor)
            }
        )*
    };
}

/// The methods this reader leaves to serde_json.
macro_rules! left_to_serde_json {
    ($($method:ident $(($($arg:ident: $ty:ty),*))?;)*) => {
        $(
            fn $method<V: Visitor<'de>>(self, $($($arg: $ty,)*)? _: V) -> Result<V::Value> {
                $($(let _ = $arg;)*)?
                Err(GaveUp)
            }
        )*
    };
}

const NUMBER: &[u8] = b"-0123456789";

impl<'de> Deserializer<'de> for &mut Reader<'de> {
    type Error = GaveUp;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.peek().ok_or(GaveUp)? {
            b'"' => match self.string()? {
                Some(text) => visitor.visit_borrowed_str(text),
                None => visitor.visit_str(&self.scratch),
            },
            b'{' => self.nested(b'}', |items| visitor.visit_map(items)),
            b'[' => self.nested(b']', |items| visitor.visit_seq(items)),
            b'n' => {
                self.eat(b"null")?;
                visitor.visit_unit()
            }
            b't' => {
                self.eat(b"true")?;
                visitor.visit_bool(true)
            }
            b'f' => {
                self.eat(b"false")?;
                visitor.visit_bool(false)
            }
            b'-' | b'0'..=b'9' => self.number(visitor),
            _ => Err(GaveUp),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        if self.peek() == Some(b'n') {
            self.eat(b"null")?;
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value> {
        // serde_json's raw values are read through a newtype of this name.
        if name.starts_with("$serde_json") {
            return Err(GaveUp);
        }
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_any(de::IgnoredAny)?;
        visitor.visit_unit()
    }

    shaped! {
        deserialize_bool => b"tf";
        deserialize_i8 => NUMBER; deserialize_i16 => NUMBER; deserialize_i32 => NUMBER;
        deserialize_i64 => NUMBER; deserialize_u8 => NUMBER; deserialize_u16 => NUMBER;
        deserialize_u32 => NUMBER; deserialize_u64 => NUMBER; deserialize_f32 => NUMBER;
        deserialize_f64 => NUMBER;
        deserialize_str => b"\""; deserialize_string => b"\""; deserialize_identifier => b"\"";
        deserialize_unit => b"n";
        deserialize_unit_struct(name: &'static str) => b"n";
        deserialize_seq => b"[";
        deserialize_tuple(len: usize) => b"[";
        deserialize_tuple_struct(name: &'static str, len: usize) => b"[";
        deserialize_map => b"{";
        deserialize_struct(name: &'static str, fields: &'static [&'static str]) => b"{[";
    }

    left_to_serde_json! {
        deserialize_i128; deserialize_u128; deserialize_char; deserialize_bytes;
        deserialize_byte_buf;
        deserialize_enum(name: &'static str, variants: &'static [&'static str]);
    }
}

/// The pairs of an object, or the elements of an array, being read.
struct Items<'r, 'de> {
    reader: &'r mut Reader<'de>,
    first: bool,
}

impl<'de> MapAccess<'de> for Items<'_, 'de> {
    type Error = GaveUp;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>> {
        let reader = &mut *self.reader;
        if !reader.next_item(&mut self.first, b'}', |next| next == Some(b'"'))? {
            return Ok(None);
        }
        let key = reader.string()?;
        if reader.peek() != Some(b':') {
            return Err(GaveUp);
        }
        reader.at += 1;
        match key {
            Some(key) => seed.deserialize(BorrowedStrDeserializer::new(key)),
            None => seed.deserialize(StrDeserializer::new(&reader.scratch)),
        }
        .map(Some)
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value> {
        seed.deserialize(&mut *self.reader)
    }
}

impl<'de> SeqAccess<'de> for Items<'_, 'de> {
    type Error = GaveUp;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>> {
        let reader = &mut *self.reader;
        if !reader.next_item(&mut self.first, b']', |next| {
            !matches!(next, Some(b']') | None)
        })? {
            return Ok(None);
        }
        seed.deserialize(&mut *reader).map(Some)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use std::path::Path;

    use crate::meta::normalize::{read, read_with_serde_json};
    use crate::meta::webhook::NormalizedWebhook;

    /// Whether [`read`] agrees with serde_json's reading of `text`: never `Ok` where serde_json
    /// fails, and the same result (every field, `extra`, change origins) where both read it.
    /// Returns whether the reader read the text itself.
    fn check(text: &str) -> bool {
        // `raw` is the kept text in both: everything else is compared.
        let finished = |mut out: NormalizedWebhook| {
            let keeps_text = out.finish();
            format!(
                "{keeps_text} {:?}",
                (
                    &out.object,
                    &out.phone_number_id,
                    &out.display_phone_number,
                    &out.contacts,
                    &out.messages,
                    &out.statuses,
                    &out.calls,
                    &out.changes,
                )
            )
        };
        match (read(text), read_with_serde_json(text)) {
            (Ok(ours), Ok(theirs)) => {
                assert_eq!(finished(ours), finished(theirs), "for {text}");
                true
            }
            (Ok(_), Err(error)) => panic!("read invalid JSON ({error}): {text}"),
            (Err(_), _) => false,
        }
    }

    fn fixture_bodies() -> Vec<String> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
        let files = |dir: &Path| {
            let mut paths: Vec<_> = std::fs::read_dir(dir)
                .into_iter()
                .flatten()
                .map(|entry| entry.unwrap().path())
                .collect();
            paths.sort();
            paths
                .into_iter()
                .map(|path| std::fs::read_to_string(path).unwrap())
        };
        let mut bodies: Vec<String> = files(&root.join("meta/body")).collect();
        let generated = std::fs::read_to_string(root.join("generated/bodies.ndjson")).unwrap();
        bodies.extend(generated.lines().map(str::to_owned));
        // The recorded corpus when it is beside the repository (it is in CI).
        bodies.extend(files(&root.join("../../shared/corpus/meta/body")));
        assert!(bodies.len() > 2_600, "{} bodies", bodies.len());
        bodies
    }

    /// Every fixture is read by the reader itself, as serde_json reads it, compact or pretty.
    #[test]
    fn reads_every_fixture_itself_and_as_serde_json_does() {
        for body in fixture_bodies() {
            assert!(check(&body), "gave up on {body}");
            let value: serde_json::Value = serde_json::from_str(&body).unwrap();
            let pretty = serde_json::to_string_pretty(&value).unwrap();
            assert!(check(&pretty), "gave up on {pretty}");
        }
    }

    /// Values of every kind, valid and not, in every place of a body: the reader reads the valid
    /// ones it knows as serde_json does, and never accepts one serde_json rejects.
    #[test]
    fn agrees_with_serde_json_on_odd_values() {
        // (value, whether the reader must read it itself)
        let values: &[(&str, bool)] = &[
            ("0", true),
            ("7", true),
            ("1234567890123456789", true),
            ("-0", true),
            ("-1", true),
            ("1.5", true),
            ("-2.25e-3", true),
            ("1E+5", true),
            ("1e5", true),
            ("12345678901234567890", true),
            ("18446744073709551615", true),
            ("18446744073709551616", true),
            ("-9223372036854775808", true),
            ("-9223372036854775809", true),
            ("1e400", false),
            ("-1e400", false),
            ("01", false),
            ("-01", false),
            ("1.", false),
            (".5", false),
            ("+1", false),
            ("-", false),
            ("1e", false),
            ("1e+", false),
            ("0x10", false),
            ("1.5.2", false),
            ("2-1", false),
            ("true", true),
            ("false", true),
            ("null", true),
            ("tru", false),
            ("nul", false),
            ("falsey", false),
            ("True", false),
            ("NaN", false),
            ("\"\"", true),
            ("\"plain\"", true),
            ("\"a\\\"b\"", true),
            ("\"\\\\\"", true),
            ("\"\\/\"", true),
            ("\"\\b\\f\\n\\r\\t\"", true),
            ("\"\\u00e9\\u00E9\"", true),
            ("\"\\u0000\"", true),
            ("\"\\ud83d\\ude00\"", true),
            ("\"é🙂\"", true),
            ("\"\\ud83d\"", false),
            ("\"\\ude00\"", false),
            ("\"\\ud83d\\u0041\"", false),
            ("\"\\ud83dx\"", false),
            ("\"\\u00\"", false),
            ("\"\\uZZZZ\"", false),
            ("\"\\x\"", false),
            ("\"tab\there\"", false),
            ("\"nl\nhere\"", false),
            ("\"\u{1f}\"", false),
            ("\"unclosed", false),
            ("\"a\\", false),
            ("[]", true),
            ("{}", true),
            ("[1,2]", true),
            ("[1,]", false),
            ("[,1]", false),
            ("[1 2]", false),
            ("{\"a\":1,}", false),
            ("{\"a\" 1}", false),
            ("{\"a\":1 \"b\":2}", false),
            ("{1:2}", false),
            ("{\"a\\u005fb\":1}", true),
            ("{\"a\":}", false),
            (" [ 1 , { \"a\" : [ ] } ] ", true),
            ("[", false),
            ("{", false),
            ("]", false),
            ("", false),
        ];
        let places = [
            "{}",
            "{\"object\":{}}",
            "{\"object\":\"x\",\"entry\":{}}",
            "{\"entry\":[{\"id\":{},\"time\":{},\"changes\":[{\"field\":{},\"value\":{\"metadata\":{\"phone_number_id\":{}},\"messages\":[{\"from\":\"1\",\"id\":{},\"type\":\"text\",\"text\":{\"body\":{}},\"odd_key\":{}}],\"statuses\":[{\"id\":\"s\",\"status\":{},\"pricing\":{}}],\"other\":{}}}]}]}",
            "{\"entry\":[{\"changes\":[{\"field\":\"messages\",\"value\":{\"contacts\":[{}],\"calls\":{}}}]}]}",
        ];
        let mut read_itself = 0;
        for place in places {
            for &(value, must_read) in values {
                let text = place.replace("{}", value);
                let read = check(&text);
                if must_read {
                    assert!(read, "gave up on {text}");
                    read_itself += 1;
                }
            }
        }
        assert!(read_itself > 150);
    }

    /// Every prefix of a body, and the body with any one byte changed to a byte that matters to
    /// JSON: never read where serde_json fails, read the same where both succeed.
    #[test]
    fn agrees_with_serde_json_on_broken_bodies() {
        let bodies = fixture_bodies();
        let mut read_itself = 0;
        // Ten of the compact fixtures (a fuzz target covers the rest: see `fuzz/`).
        for body in bodies.iter().take(117).step_by(12) {
            for end in 0..body.len() {
                if let Some(prefix) = body.get(..end) {
                    check(prefix);
                }
            }
            for at in 0..body.len() {
                for byte in [b'"', b'\\', b'}', b']', b',', b'0', 1] {
                    let mut bytes = body.clone().into_bytes();
                    bytes[at] = byte;
                    if let Ok(text) = String::from_utf8(bytes) {
                        read_itself += usize::from(check(&text));
                    }
                }
            }
        }
        assert!(read_itself > 1_000, "{read_itself}");
    }

    /// Nesting is left to serde_json before its own limit.
    #[test]
    fn leaves_deep_nesting_to_serde_json() {
        for depth in [super::MAX_DEPTH as usize - 2, 127, 128, 129, 300] {
            let text = format!("{{\"a\":{}1{}}}", "[".repeat(depth), "]".repeat(depth));
            check(&text);
        }
        let shallow = format!("{}1{}", "[".repeat(100), "]".repeat(100));
        assert!(check(&shallow));
    }
}
