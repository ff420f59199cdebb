//! The JSON reader of [`crate::normalize_webhook`]'s one pass: a [`Deserializer`] over a body's
//! text that reads only what it fully understands and gives up otherwise.
//!
//! It accepts exactly the JSON that serde_json (with its default features) accepts, so it is the
//! only reader of a valid body: whatever it gives up on ([`GaveUp`]: invalid JSON, numbers
//! serde_json finds out of range, nesting of [`MAX_DEPTH`] levels, a lone surrogate, and the few
//! methods it does not read itself, such as `deserialize_bytes`) is read again by serde_json,
//! which words the error. What it reads, it hands to the visitors exactly as serde_json's
//! `Deserializer::from_str` would: the same `visit_*` calls with the same values, strings
//! borrowed from the text when they have no escapes; floats are correctly rounded, where
//! serde_json's default parsing may be one unit in the last place off (see [`Reader::number`]).
//!
//! Besides the [`Deserializer`], the reader offers the few steps the normalizer's direct reading
//! needs (keys, elements, strings, spans, and a position to go back to): see
//! [`crate::json::wire::read_object_direct`].
//!
//! Why a reader of our own: serde_json's reader is general (positions for errors, byte slices
//! and readers, raw values, a scratch buffer behind every string); this one does only what a
//! body needs and keeps strings and keys on a short path, which is most of a body's cost.

use std::fmt;
use std::ops::Range;

use serde::de::value::{BorrowedStrDeserializer, StrDeserializer};
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use smallvec::SmallVec;

/// The nesting serde_json refuses (its recursion limit): a value may be nested 127 levels deep,
/// not 128 (`[[…]]` of 127 brackets reads, of 128 fails), whether arrays or objects. Values that
/// serde_json skips instead of reading (`deserialize_ignored_any`) have no limit, there or here.
const MAX_DEPTH: u32 = 128;

/// The name of the newtype struct whose deserialization records the byte range of the value
/// read through it: see [`Reader::take_spans`].
pub(crate) const SPAN: &str = "$kapso_webhooks::private::Span";

/// The newtype name with which a value is asked to be checked and skipped: the reader skips it
/// without visiting it (as fast as a scan), with the checks reading it would make; other
/// deserializers visit it (see [`crate::json::wire::Checked`]).
pub(crate) const CHECK: &str = "$kapso_webhooks::private::Check";

/// Where a reader is: what [`Reader::rewind`] goes back to.
#[derive(Clone, Copy)]
pub(crate) struct Position {
    at: usize,
    depth: u32,
    /// How many edits were recorded, and how many odd places seen (see [`Reader::recording`]).
    edits: usize,
    odd: u32,
}

/// A place where the text of a value read directly is not already its camelCased JavaScript
/// text, as [`Reader::recording`] notes them: what writing the value must change. The others
/// are copied as they are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Edit {
    /// Its byte range in the text.
    pub(crate) start: u32,
    pub(crate) end: u32,
    pub(crate) kind: EditKind,
}

/// What an [`Edit`] changes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum EditKind {
    /// A key without escapes (the text inside its quotes) that camelCasing changes.
    Key,
    /// A string with escapes (quotes included), written again with `JSON.stringify`'s.
    Escaped,
    /// A value not read token by token (skipped, or read through serde), written by the text
    /// writer with all of its rules.
    Value,
}

/// The edits of a body: inline for the usual few.
pub(crate) type Edits = SmallVec<[Edit; 8]>;

/// An object key read by [`Reader::next_key`].
pub(crate) enum NextKey<'de> {
    /// The object ended.
    End,
    /// A key without escapes, borrowed from the text; its colon was read.
    Plain(&'de str),
    /// A key with escapes, not read.
    Escaped,
}

/// Byte ranges of values in a text: inline for the usual few (a change value and its items).
pub(crate) type Spans = SmallVec<[Range<usize>; 4]>;

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
    /// Whether nesting [`MAX_DEPTH`] levels deep is refused.
    bounded: bool,
    /// The unescaped text of the last string with escapes.
    scratch: String,
    /// The byte ranges of the values read through a [`SPAN`] newtype, in the order they start.
    spans: Spans,
    /// Whether edits may be noted (see [`Reader::recording`]), and whether they are (inside a
    /// value begun by [`Reader::begin_edited_span`]).
    may_record: bool,
    recording: bool,
    /// The edits noted, in the order they start.
    edits: Edits,
    /// How many odd places were seen: whitespace between tokens, or a key that names an array
    /// index (see [`Reader::recording`]).
    odd: u32,
    /// The spans (by index) whose values' edits are all they need, each with its range in
    /// `edits` (see [`Reader::end_edited_span`]).
    edited: EditedSpans,
}

/// The spans whose values can be written from their edits, each with the range of its edits.
pub(crate) type EditedSpans = SmallVec<[(usize, Range<usize>); 2]>;

impl<'de> Reader<'de> {
    /// A reader at the start of `text`.
    pub(crate) fn new(text: &'de str) -> Self {
        Reader {
            text,
            at: 0,
            depth: 0,
            bounded: true,
            scratch: String::new(),
            spans: SmallVec::new(),
            may_record: false,
            recording: false,
            edits: SmallVec::new(),
            odd: 0,
            edited: SmallVec::new(),
        }
    }

    /// The same reader, noting inside the values begun by [`Reader::begin_edited_span`] where
    /// the text read directly (keys given to [`Reader::note_key`], strings read by
    /// [`Reader::text`]) differs from its camelCased JavaScript text ([`Edit`]s), and counting
    /// the odd places that need the text writer's rules for the whole value. Values read
    /// otherwise (skipped, or through serde) are each one [`EditKind::Value`] edit
    /// ([`Reader::note_value`]). Texts of 4 GiB or more are not noted.
    pub(crate) fn recording(mut self) -> Self {
        self.may_record = u32::try_from(self.text.len()).is_ok();
        self
    }

    /// The edits noted so far, in the order they start, and the spans that can be written from
    /// them ([`Reader::end_edited_span`]); the reader's lists are emptied.
    pub(crate) fn take_edits(&mut self) -> (Edits, EditedSpans) {
        (
            std::mem::take(&mut self.edits),
            std::mem::take(&mut self.edited),
        )
    }

    /// [`Reader::begin_span`] of a value whose edits are noted, when this reader notes them:
    /// the span's index and where the value starts, for [`Reader::end_edited_span`].
    pub(crate) fn begin_edited_span(&mut self) -> (usize, Position) {
        let index = self.begin_span();
        self.recording = self.may_record;
        (index, self.position())
    }

    /// [`Reader::end_span`] of a value begun by [`Reader::begin_edited_span`], noting that it
    /// can be written from its edits when no odd place was seen in it.
    pub(crate) fn end_edited_span(&mut self, (index, from): (usize, Position)) {
        self.end_span(index);
        if self.recording && self.odd == from.odd {
            self.edited.push((index, from.edits..self.edits.len()));
        }
        self.recording = false;
    }

    /// Notes a key read directly: its text `raw`, and `camel`, its final form. A key that
    /// camelCasing changes (it shortens) is an edit; one that names an array index (or may,
    /// once camelCased) is odd, as JavaScript moves it.
    #[inline]
    pub(crate) fn note_key(&mut self, raw: &str, camel: &str) {
        if !self.recording {
            return;
        }
        if raw.len() != camel.len() {
            let start = (raw.as_ptr() as usize).wrapping_sub(self.text.as_ptr() as usize);
            self.note(start, start + raw.len(), EditKind::Key);
        }
        // A key that starts with a digit keeps it camelCased: its final form tells.
        if camel.as_bytes().first().is_some_and(u8::is_ascii_digit) {
            self.odd += 1;
        }
    }

    /// Ends a value read since `from` without its edits: the whole value is one
    /// [`EditKind::Value`] edit, unless its text is already its JavaScript text (a literal, an
    /// integer of up to 18 digits other than `-0`, a string without escapes).
    pub(crate) fn note_value(&mut self, from: Position) {
        if !self.recording {
            return;
        }
        self.edits.truncate(from.edits);
        self.odd = from.odd;
        if !self.is_javascript_text(from.at) {
            self.note(from.at, self.at, EditKind::Value);
        }
    }

    /// Whether the text of the value from `start` up to here (valid JSON) is its JavaScript
    /// text already: a literal, an integer of up to 18 digits other than `-0`, or a string
    /// without escapes (the text writer copies those as they are).
    fn is_javascript_text(&self, start: usize) -> bool {
        let bytes = self.bytes();
        match bytes.get(start..self.at).unwrap_or_default() {
            [b't' | b'f' | b'n', ..] => true,
            [b'"', ..] => self.plain_string_end(start) == Some(self.at),
            [b'-', b'0'] => false,
            [b'-', digits @ ..] | digits => {
                !digits.is_empty() && digits.len() <= 18 && digits.iter().all(u8::is_ascii_digit)
            }
        }
    }

    #[inline]
    fn note(&mut self, start: usize, end: usize, kind: EditKind) {
        // A recording reader's text is shorter than 4 GiB.
        if let (Ok(start), Ok(end)) = (u32::try_from(start), u32::try_from(end)) {
            self.edits.push(Edit { start, end, kind });
        }
    }

    /// The same reader without a limit on nesting: for texts built from already parsed values,
    /// read on a thread whose stack is sized for their depth.
    pub(crate) fn unbounded(mut self) -> Self {
        self.bounded = false;
        self
    }

    /// The byte ranges of the values read so far through a newtype struct named [`SPAN`], from
    /// each value's first byte to just past its last, in the order the values start (a value
    /// before the values nested in it); the reader's list is emptied.
    pub(crate) fn take_spans(&mut self) -> Spans {
        std::mem::take(&mut self.spans)
    }

    /// Checks that nothing but whitespace follows the value.
    pub(crate) fn end(&mut self) -> Result<()> {
        match self.peek() {
            None => Ok(()),
            Some(_) => Err(GaveUp),
        }
    }

    /// Starts recording the byte range of the value that is next (see [`Reader::take_spans`]);
    /// gives the index to end it with.
    pub(crate) fn begin_span(&mut self) -> usize {
        self.peek();
        let index = self.spans.len();
        self.spans.push(self.at..self.at);
        index
    }

    /// Ends the byte range `index` of [`Reader::begin_span`] here, after its value.
    pub(crate) fn end_span(&mut self, index: usize) {
        let end = self.at;
        if let Some(span) = self.spans.get_mut(index) {
            span.end = end;
        }
    }

    /// Where the reader is.
    pub(crate) fn position(&self) -> Position {
        Position {
            at: self.at,
            depth: self.depth,
            edits: self.edits.len(),
            odd: self.odd,
        }
    }

    /// Goes back to `position`, to read again what was read since, with the edits noted since
    /// dropped. The recorded spans stay: what is read again is inside a typed object, where no
    /// span is recorded.
    pub(crate) fn rewind(&mut self, position: Position) {
        self.at = position.at;
        self.depth = position.depth;
        self.edits.truncate(position.edits);
        self.odd = position.odd;
    }

    /// The first byte of the next value (not consumed).
    pub(crate) fn next_byte(&mut self) -> Option<u8> {
        self.peek()
    }

    /// Steps into the object or array whose opening bracket is next.
    pub(crate) fn open(&mut self) -> Result<()> {
        self.nest()
    }

    /// Steps out of an object (`close` is `}`) or array (`]`) once its last item is read.
    pub(crate) fn close(&mut self, close: u8) -> Result<()> {
        self.unnest(close)
    }

    /// The next key of the object being read (`first`: none was read yet), and its colon.
    #[inline(always)]
    pub(crate) fn next_key(&mut self, first: &mut bool) -> Result<NextKey<'de>> {
        if !self.next_item(first, b'}', |next| next == Some(b'"'))? {
            return Ok(NextKey::End);
        }
        let start = self.at + 1;
        let end = find_special(self.bytes(), start);
        match self.bytes().get(end) {
            Some(b'"') => {}
            Some(b'\\') => return Ok(NextKey::Escaped),
            _ => return Err(GaveUp),
        }
        let key = self.text.get(start..end).ok_or(GaveUp)?;
        self.at = end + 1;
        if self.peek() != Some(b':') {
            return Err(GaveUp);
        }
        self.at += 1;
        Ok(NextKey::Plain(key))
    }

    /// Steps to the next element of the array being read (`first`: none was read yet);
    /// `false` at its end.
    pub(crate) fn next_element(&mut self, first: &mut bool) -> Result<bool> {
        self.next_item(first, b']', |next| !matches!(next, Some(b']') | None))
    }

    /// The text of the string that is next, quotes included, when it has no escapes (then it is
    /// its own JavaScript text): read. `None` otherwise, nothing read.
    #[inline]
    pub(crate) fn plain_string_text(&mut self) -> Option<&'de str> {
        if self.peek() != Some(b'"') {
            return None;
        }
        let end = self.plain_string_end(self.at)?;
        let text = self.text.get(self.at..end)?;
        self.at = end;
        Some(text)
    }

    /// Where the string whose opening quote is at `start` ends (past its closing quote), when
    /// it has no escapes: its closing quote is its first special byte.
    #[inline]
    fn plain_string_end(&self, start: usize) -> Option<usize> {
        let end = find_special(self.bytes(), start + 1);
        (self.bytes().get(end) == Some(&b'"')).then_some(end + 1)
    }

    /// The integer that is next, when it is written with 1 to 18 digits and nothing else (then
    /// it is its own JavaScript text): read. `None` otherwise, nothing read.
    #[inline]
    pub(crate) fn plain_integer(&mut self) -> Option<u64> {
        let bytes = self.bytes();
        let start = self.at;
        let mut end = start;
        let mut value: u64 = 0;
        while let Some(&digit) = bytes.get(end).filter(|digit| digit.is_ascii_digit()) {
            value = value * 10 + u64::from(digit - b'0');
            end += 1;
            if end - start > 18 {
                return None;
            }
        }
        let digits = end - start;
        let leading_zero = digits > 1 && bytes.get(start) == Some(&b'0');
        if digits == 0 || leading_zero || matches!(bytes.get(end), Some(b'.' | b'e' | b'E')) {
            return None;
        }
        self.at = end;
        Some(value)
    }

    /// Reads the string that is next, as a `T`.
    #[inline]
    pub(crate) fn text<T: for<'a> From<&'a str>>(&mut self) -> Result<T> {
        let start = self.at;
        Ok(match self.string()? {
            Some(text) => T::from(text),
            None => {
                if self.recording {
                    self.note(start, self.at, EditKind::Escaped);
                }
                T::from(self.scratch.as_str())
            }
        })
    }

    /// The text, as bytes.
    fn bytes(&self) -> &'de [u8] {
        self.text.as_bytes()
    }

    /// The next byte that is not whitespace, not consumed.
    #[inline]
    fn peek(&mut self) -> Option<u8> {
        match self.bytes().get(self.at) {
            // One comparison: whitespace is at most `b' '`, and so is nothing else valid here.
            Some(&byte) if byte > b' ' => Some(byte),
            _ => self.peek_past_whitespace(),
        }
    }

    /// [`Reader::peek`] past whitespace (an odd place), at the end, or at a control byte (which
    /// no JSON value starts with).
    #[cold]
    fn peek_past_whitespace(&mut self) -> Option<u8> {
        let start = self.at;
        while let Some(&byte) = self.bytes().get(self.at) {
            if !matches!(byte, b' ' | b'\n' | b'\t' | b'\r') {
                if self.at > start {
                    self.odd += 1;
                }
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
    fn unescape(&mut self, start: usize, escape: usize) -> Result<()> {
        self.at = unescape(self.text, start, escape, &mut self.scratch).ok_or(GaveUp)?;
        Ok(())
    }

    /// Reads a number starting at `self.at` and visits it exactly as serde_json's
    /// `Deserializer::from_str` does with its default features: `u64` for integer literals that
    /// fit it, `i64` for negative ones that fit that (`-0` is not one of them: serde_json visits
    /// it as the float `-0.0`), `f64` for every other integer literal and for any literal with a
    /// fraction or an exponent.
    ///
    /// Which numbers are accepted is serde_json's choice exactly (see [`in_serde_json_range`]);
    /// the `f64` visited is the correctly rounded value of the literal (`str::parse`), where
    /// serde_json's default parsing may be one unit in the last place off (`9007199254740993.0`,
    /// `2.2250738585072011e-308`): the reader is the only reader of valid JSON, and the right
    /// value is its choice. A literal serde_json accepts whose correctly rounded value is beyond
    /// `f64::MAX` would be read as `±f64::MAX`.
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
            && !matches!(bytes.get(end), Some(b'.' | b'e' | b'E'));
        if plain {
            self.at = end;
            return visitor.visit_u64(value);
        }
        self.other_number(visitor)
    }

    /// Reads a number that is not a plain integer of at most 19 digits: see [`Reader::number`].
    #[cold]
    #[inline(never)]
    fn other_number<V: Visitor<'de>>(&mut self, visitor: V) -> Result<V::Value> {
        let parts = NumberParts::scan(self.bytes(), self.at)?;
        let literal = self.text.get(self.at..parts.end).ok_or(GaveUp)?;
        let integer = self.text.get(parts.integer.clone()).ok_or(GaveUp)?;
        let float = parts.fraction.is_some() || parts.exponent.is_some();
        if !float {
            if let Ok(n) = integer.parse::<u64>() {
                self.at = parts.end;
                if !parts.negative {
                    return visitor.visit_u64(n);
                }
                return match 0_i64.checked_sub_unsigned(n) {
                    // serde_json reads `-0` as a float.
                    Some(n) if n != 0 => visitor.visit_i64(n),
                    _ => visitor.visit_f64(-(n as f64)),
                };
            }
        }
        if !in_serde_json_range(self.bytes(), &parts) {
            return Err(GaveUp);
        }
        let value: f64 = literal.parse().map_err(|_| GaveUp)?;
        let value = if value.is_finite() {
            value
        } else {
            f64::MAX.copysign(value)
        };
        self.at = parts.end;
        visitor.visit_f64(value)
    }

    /// Skips the next value without reading it, exactly as serde_json's `ignore_value` does:
    /// without recursion (so at any depth), numbers checked against the grammar only (`1e400`
    /// passes), strings without control characters and with valid escapes, a `\u` escape being
    /// any four hex digits (a lone surrogate passes).
    fn skip(&mut self) -> Result<()> {
        self.skip_value(false)
    }

    /// Skips the next value, checking it exactly as reading it would (what [`CHECK`] asks):
    /// numbers in serde_json's range, no lone surrogate, the nesting limit.
    pub(crate) fn skip_checked(&mut self) -> Result<()> {
        if !self.recording {
            return self.skip_value(true);
        }
        // A string without escapes is its own JavaScript text: no edit.
        if self.plain_string_text().is_some() {
            return Ok(());
        }
        let from = self.position();
        self.skip_value(true)?;
        self.note_value(from);
        Ok(())
    }

    /// [`Reader::skip`], or [`Reader::skip_checked`] when `strict`.
    fn skip_value(&mut self, strict: bool) -> Result<()> {
        // The closing brackets of the arrays and objects being skipped.
        let mut open: SmallVec<[u8; 16]> = SmallVec::new();
        loop {
            match self.peek().ok_or(GaveUp)? {
                b'"' => self.skip_string(strict)?,
                b'n' => self.eat(b"null")?,
                b't' => self.eat(b"true")?,
                b'f' => self.eat(b"false")?,
                b'-' | b'0'..=b'9' => self.skip_number(strict)?,
                bracket @ (b'[' | b'{') => {
                    // As `nest` counts it: one level more, even for an empty one.
                    let depth = self.depth as usize + open.len() + 1;
                    if strict && self.bounded && depth >= MAX_DEPTH as usize {
                        return Err(GaveUp);
                    }
                    self.at += 1;
                    let close = if bracket == b'[' { b']' } else { b'}' };
                    if self.peek() == Some(close) {
                        self.at += 1;
                    } else {
                        open.push(close);
                        if close == b'}' {
                            self.skip_key(strict)?;
                        }
                        continue;
                    }
                }
                _ => return Err(GaveUp),
            }
            // After a value: close what ends here, up to the next item.
            loop {
                let Some(&close) = open.last() else {
                    return Ok(());
                };
                match self.peek() {
                    Some(b',') => {
                        self.at += 1;
                        if close == b'}' {
                            self.skip_key(strict)?;
                        }
                        break;
                    }
                    Some(byte) if byte == close => {
                        self.at += 1;
                        open.pop();
                    }
                    _ => return Err(GaveUp),
                }
            }
        }
    }

    /// Skips an object's key and its colon.
    fn skip_key(&mut self, strict: bool) -> Result<()> {
        if self.peek() != Some(b'"') {
            return Err(GaveUp);
        }
        self.skip_string(strict)?;
        if self.peek() != Some(b':') {
            return Err(GaveUp);
        }
        self.at += 1;
        Ok(())
    }

    /// Skips the string whose opening quote is at `self.at`, as serde_json's `ignore_str`; when
    /// `strict`, a lone surrogate escape is refused too, as reading the string refuses it.
    fn skip_string(&mut self, strict: bool) -> Result<()> {
        let bytes = self.bytes();
        let mut at = self.at + 1;
        loop {
            at = find_special(bytes, at);
            match bytes.get(at) {
                Some(b'"') => {
                    self.at = at + 1;
                    return Ok(());
                }
                Some(b'\\') => match bytes.get(at + 1) {
                    Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => at += 2,
                    Some(b'u') => {
                        let code = hex4(bytes, at + 2)?;
                        at += 6;
                        if strict && (0xD800..=0xDFFF).contains(&code) {
                            // A leading surrogate and its trailing one, or nothing.
                            if code > 0xDBFF || bytes.get(at..at + 2) != Some(b"\\u") {
                                return Err(GaveUp);
                            }
                            let second = hex4(bytes, at + 2)?;
                            if !(0xDC00..=0xDFFF).contains(&second) {
                                return Err(GaveUp);
                            }
                            at += 6;
                        }
                    }
                    _ => return Err(GaveUp),
                },
                _ => return Err(GaveUp),
            }
        }
    }

    /// Skips the number at `self.at`: its grammar, and when `strict` its range as reading it
    /// checks it.
    fn skip_number(&mut self, strict: bool) -> Result<()> {
        let parts = NumberParts::scan(self.bytes(), self.at)?;
        let plain =
            parts.fraction.is_none() && parts.exponent.is_none() && parts.integer.len() < 20;
        if strict && !plain && !in_serde_json_range(self.bytes(), &parts) {
            return Err(GaveUp);
        }
        self.at = parts.end;
        Ok(())
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
        if self.bounded && self.depth >= MAX_DEPTH {
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

/// Unescapes the string of `text` that starts at `start` (after its opening quote) and has its
/// first escape at `escape`, into `into`; gives the position after its closing quote. `None`
/// for an invalid escape (a lone surrogate among them), a control character or a missing end.
/// (The reader and the text writer both use it.)
pub(crate) fn unescape(
    text: &str,
    start: usize,
    mut escape: usize,
    into: &mut String,
) -> Option<usize> {
    let bytes = text.as_bytes();
    into.clear();
    let mut from = start;
    loop {
        into.push_str(text.get(from..escape)?);
        let code = *bytes.get(escape + 1)?;
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
                let first = hex4(bytes, from).ok()?;
                from += 4;
                match first {
                    0xD800..=0xDBFF => {
                        if bytes.get(from..from + 2) != Some(b"\\u") {
                            return None;
                        }
                        let second = hex4(bytes, from + 2).ok()?;
                        if !(0xDC00..=0xDFFF).contains(&second) {
                            return None;
                        }
                        from += 6;
                        char::from_u32(0x1_0000 + ((first - 0xD800) << 10 | (second - 0xDC00)))?
                    }
                    _ => char::from_u32(first)?,
                }
            }
            _ => return None,
        };
        into.push(unescaped);
        let next = find_special(bytes, from);
        match bytes.get(next) {
            Some(b'"') => {
                into.push_str(text.get(from..next)?);
                return Some(next + 1);
            }
            Some(b'\\') => escape = next,
            _ => return None,
        }
    }
}

/// The four hex digits at `at`, as a number.
fn hex4(bytes: &[u8], at: usize) -> Result<u32> {
    let digits = bytes.get(at..at + 4).ok_or(GaveUp)?;
    digits.iter().try_fold(0, |n, &digit| {
        let value = char::from(digit).to_digit(16).ok_or(GaveUp)?;
        Ok(n << 4 | value)
    })
}

/// Where the parts of a number literal are, in the text.
struct NumberParts {
    /// Whether it starts with `-`.
    negative: bool,
    /// The digits before the point.
    integer: Range<usize>,
    /// The digits after the point, if there is one.
    fraction: Option<Range<usize>>,
    /// Whether the exponent is not negative, and its digits, if there is one.
    exponent: Option<(bool, Range<usize>)>,
    /// Just past the literal's last byte.
    end: usize,
}

impl NumberParts {
    /// Checks the number at `start` against JSON's grammar (RFC 8259:
    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`), reading as much as it can, as
    /// serde_json does: what follows the literal is for the caller to check.
    fn scan(bytes: &[u8], start: usize) -> Result<NumberParts> {
        let digits = |from: usize| {
            let mut end = from;
            while bytes.get(end).is_some_and(u8::is_ascii_digit) {
                end += 1;
            }
            end
        };
        let negative = bytes.get(start) == Some(&b'-');
        let integer_start = start + usize::from(negative);
        let integer_end = match bytes.get(integer_start) {
            Some(b'0') => integer_start + 1,
            Some(b'1'..=b'9') => digits(integer_start + 1),
            _ => return Err(GaveUp),
        };
        let mut end = integer_end;
        let mut fraction = None;
        if bytes.get(end) == Some(&b'.') {
            let fraction_end = digits(end + 1);
            if fraction_end == end + 1 {
                return Err(GaveUp);
            }
            fraction = Some(end + 1..fraction_end);
            end = fraction_end;
        }
        let mut exponent = None;
        if matches!(bytes.get(end), Some(b'e' | b'E')) {
            let sign = bytes.get(end + 1);
            let digits_start = end + 1 + usize::from(matches!(sign, Some(b'+' | b'-')));
            let exponent_end = digits(digits_start);
            if exponent_end == digits_start {
                return Err(GaveUp);
            }
            exponent = Some((sign != Some(&b'-'), digits_start..exponent_end));
            end = exponent_end;
        }
        Ok(NumberParts {
            negative,
            integer: integer_start..integer_end,
            fraction,
            exponent,
            end,
        })
    }
}

/// Whether serde_json (default features, without `float_roundtrip`) accepts a number literal
/// read as a float: its own algorithm, followed step by step, rejects a literal when the float
/// it computes overflows. It keeps the first digits that fit a `u64` (the integer part's
/// further digits count as powers of ten, the fraction's are dropped), then multiplies by a
/// power of ten: so it rejects `1.7976931348623158e308`, which rounds to `f64::MAX`, and `1e400`,
/// but accepts `1e-400` (as `0.0`) and `0e400`. The sign plays no part.
fn in_serde_json_range(bytes: &[u8], parts: &NumberParts) -> bool {
    let digits = |range: &Range<usize>| bytes.get(range.clone()).unwrap_or_default().iter();
    let mut significand: u64 = 0;
    let mut exponent: i32 = 0;
    let mut overflowed = false;
    for &digit in digits(&parts.integer) {
        let next = significand
            .checked_mul(10)
            .and_then(|n| n.checked_add(u64::from(digit - b'0')));
        match next {
            Some(next) if !overflowed => significand = next,
            _ => {
                overflowed = true;
                exponent = exponent.saturating_add(1);
            }
        }
    }
    if let Some(fraction) = &parts.fraction {
        for &digit in digits(fraction) {
            let next = significand
                .checked_mul(10)
                .and_then(|n| n.checked_add(u64::from(digit - b'0')));
            match next {
                Some(next) => {
                    significand = next;
                    exponent = exponent.saturating_sub(1);
                }
                None => break,
            }
        }
    }
    if let Some((positive, range)) = &parts.exponent {
        let mut power: i32 = 0;
        for &digit in digits(range) {
            let next = power
                .checked_mul(10)
                .and_then(|n| n.checked_add(i32::from(digit - b'0')));
            match next {
                Some(next) => power = next,
                // An exponent beyond `i32`: only zero or a tiny number.
                None => return significand == 0 || !positive,
            }
        }
        exponent = if *positive {
            exponent.saturating_add(power)
        } else {
            exponent.saturating_sub(power)
        };
    }
    match exponent {
        ..0 => true,
        // Below `1.85e19 * 1e288`: no overflow.
        0..=288 => true,
        289..=308 => format!("1e{exponent}")
            .parse::<f64>()
            .is_ok_and(|power| (significand as f64 * power).is_finite()),
        _ => significand == 0,
    }
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
        if name == CHECK {
            self.skip_checked()?;
            return visitor.visit_unit();
        }
        if name == SPAN {
            let span = self.begin_span();
            let value = visitor.visit_newtype_struct(&mut *self)?;
            self.end_span(span);
            return Ok(value);
        }
        visitor.visit_newtype_struct(self)
    }

    /// Skips a value as serde_json skips it: checked against JSON's grammar only (any number,
    /// any `\u` escape, any depth).
    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.skip()?;
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

    #[inline]
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
        if !reader.next_element(&mut self.first)? {
            return Ok(None);
        }
        seed.deserialize(&mut *reader).map(Some)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
pub(crate) mod tests {
    use std::fmt;
    use std::path::Path;

    use serde::de::{self, Deserializer, Visitor};
    use serde::Deserialize;

    use super::{Reader, SPAN};
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
                    out.phone_number_id(),
                    out.display_phone_number(),
                    &out.contacts,
                    &out.messages,
                    &out.statuses,
                    &out.calls,
                    &out.changes,
                )
            )
        };
        match (read(text, false), read_with_serde_json(text)) {
            (Ok(ours), Ok(theirs)) => {
                assert_eq!(finished(ours), finished(theirs), "for {text}");
                true
            }
            (Ok(_), Err(error)) => panic!("read invalid JSON ({error}): {text}"),
            (Err(_), _) => false,
        }
    }

    /// Every fixture, generated and corpus body (the corpus when it is beside the repository,
    /// as in CI); also used by other modules' tests.
    pub(crate) fn fixture_bodies() -> Vec<String> {
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
            ("-0.0", true),
            ("1e-400", true),
            ("0e400", true),
            ("1.7976931348623157e308", true),
            ("1e400", false),
            ("1.7976931348623159e308", false),
            ("1e99999999999", false),
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

    /// `count` random bodies whose envelopes, change values, `metadata` and items need the
    /// rules at every level now and then (repeats, camelCase collisions at either pass, escaped
    /// keys, objects of 40 keys, odd shapes, odd items in arrays), with values of every kind.
    pub(crate) fn random_bodies(count: usize) -> Vec<String> {
        const KEYS: &[&str] = &[
            "id",
            "from",
            "wa_id",
            "waId",
            "wa__id",
            "wa_Id",
            "w\\u0061_id",
            "type",
            "text",
            "body",
            "timestamp",
            "context",
            "errors",
            "code",
            "user_id",
            "userId",
            "x-y",
            "xY",
            "x_y",
            "a_b_c",
            "aB_c",
            "profile",
            "name",
            "status",
            "recipient_id",
            "\\u0069d",
            "7",
            "0",
        ];
        struct Random(u64);
        impl Random {
            fn below(&mut self, n: usize) -> usize {
                self.0 ^= self.0 << 13;
                self.0 ^= self.0 >> 7;
                self.0 ^= self.0 << 17;
                usize::try_from(self.0 % n as u64).unwrap()
            }
            /// One of `options`, now and then something else: a repeat, an odd shape.
            fn pick<'a>(&mut self, options: &[&'a str]) -> &'a str {
                options[self.below(options.len())]
            }
        }
        fn scalar(r: &mut Random) -> &'static str {
            r.pick(&[
                "\"s\"",
                "12",
                "null",
                "\"1700000000\"",
                "[]",
                "{}",
                "\"\"",
                "\"a\\nb\\u00e9\\\"\"",
                "1.50",
                "-0",
                "-7",
                "1E2",
                "18446744073709551616",
                "true",
                r#"{"k_v":[1,{"0":2,"a_b":"\u0041"}]}"#,
            ])
        }
        fn value(r: &mut Random, depth: usize, out: &mut String) {
            match r.below(if depth > 2 { 4 } else { 7 }) {
                0..=3 => out.push_str(scalar(r)),
                4 | 5 => object(r, depth + 1, out),
                _ => {
                    out.push('[');
                    for at in 0..r.below(4) {
                        if at > 0 {
                            out.push(',');
                        }
                        value(r, depth + 1, out);
                    }
                    out.push(']');
                }
            }
        }
        fn object(r: &mut Random, depth: usize, out: &mut String) {
            // Now and then more keys than are read directly.
            let len = if r.below(20) == 0 { 40 } else { r.below(7) };
            let pairs: Vec<(String, String)> = (0..len)
                .map(|at| {
                    let mut key = KEYS[r.below(KEYS.len())].to_owned();
                    if len > 8 {
                        key.push_str(&at.to_string());
                    }
                    let mut text = String::new();
                    value(r, depth, &mut text);
                    (key, text)
                })
                .collect();
            write_object(&pairs, out);
        }
        fn write_object(pairs: &[(String, String)], out: &mut String) {
            out.push('{');
            for (at, (key, value)) in pairs.iter().enumerate() {
                if at > 0 {
                    out.push(',');
                }
                out.push_str(&format!("\"{key}\":{value}"));
            }
            out.push('}');
        }
        /// An object of some of `keys` (each with its value) and now and then one of `rare`
        /// (repeats, escaped keys), in a random order.
        fn envelope_object(
            r: &mut Random,
            keys: &[&str],
            rare: &[&str],
            mut value: impl FnMut(&mut Random, &str) -> String,
        ) -> String {
            let mut chosen: Vec<&str> = keys.iter().copied().filter(|_| r.below(3) > 0).collect();
            while r.below(5) == 0 {
                chosen.push(r.pick(rare));
            }
            for at in (1..chosen.len()).rev() {
                chosen.swap(at, r.below(at + 1));
            }
            let pairs: Vec<(String, String)> = chosen
                .into_iter()
                .map(|key| {
                    let text = if r.below(12) == 0 {
                        scalar(r).to_owned()
                    } else {
                        value(r, key)
                    };
                    (key.to_owned(), text)
                })
                .collect();
            let mut out = String::new();
            write_object(&pairs, &mut out);
            out
        }
        fn array(r: &mut Random, mut item: impl FnMut(&mut Random) -> String) -> String {
            let items: Vec<String> = (0..r.below(4))
                .map(|_| {
                    if r.below(10) == 0 {
                        scalar(r).to_owned()
                    } else {
                        item(r)
                    }
                })
                .collect();
            format!("[{}]", items.join(","))
        }
        let items = |r: &mut Random| {
            array(r, |r| {
                let mut out = String::new();
                object(r, 0, &mut out);
                out
            })
        };
        let metadata = |r: &mut Random| {
            envelope_object(
                r,
                &["phone_number_id", "display_phone_number", "x"],
                &["phoneNumberId", "phone_number_id", "\\u0078", "x"],
                |r, _| r.pick(&["\"15550001111\"", "\"2\"", "7", "{}"]).to_owned(),
            )
        };
        let change_value = |r: &mut Random| {
            envelope_object(
                r,
                &[
                    "metadata",
                    "messaging_product",
                    "contacts",
                    "messages",
                    "message_echoes",
                    "statuses",
                    "calls",
                    "errors",
                ],
                &["messageEchoes", "messages", "\\u0063alls", "metadata"],
                |r, key| match key {
                    "metadata" => metadata(r),
                    "messaging_product" => "\"whatsapp\"".to_owned(),
                    _ => items(r),
                },
            )
        };
        let change = |r: &mut Random| {
            envelope_object(
                r,
                &["field", "value", "x"],
                &["value", "\\u0076alue"],
                |r, key| match key {
                    "field" => r
                        .pick(&["\"messages\"", "\"\"", "\"calls\"", "3"])
                        .to_owned(),
                    "value" | "\\u0076alue" => change_value(r),
                    _ => scalar(r).to_owned(),
                },
            )
        };
        let entry = |r: &mut Random| {
            envelope_object(
                r,
                &["id", "time", "changes"],
                &["changes", "\\u0069d"],
                |r, key| match key {
                    "id" | "\\u0069d" => "\"1\"".to_owned(),
                    "time" => "1700000000".to_owned(),
                    _ => array(r, change),
                },
            )
        };
        let mut r = Random(0x9e37_79b9_7f4a_7c15);
        (0..count)
            .map(|_| {
                envelope_object(
                    &mut r,
                    &["object", "entry", "x"],
                    &["entry", "\\u0065ntry", "object"],
                    |r, key| match key {
                        "object" => "\"whatsapp_business_account\"".to_owned(),
                        "entry" | "\\u0065ntry" => array(r, entry),
                        _ => scalar(r).to_owned(),
                    },
                )
            })
            .collect()
    }

    /// Bodies read straight from the text ([`crate::meta::normalize`]'s direct walk) read as
    /// serde_json's reading of them through the generic walk: random envelopes, change values
    /// and items whose objects need the rules (repeated keys, camelCase collisions at either
    /// pass, escaped keys, more keys than are read directly), values of other shapes at every
    /// level, arrays with items of another shape. Most are read directly, the others by the
    /// walk, and both ways agree with serde_json.
    #[test]
    fn bodies_read_directly_agree_with_serde_json() {
        // Each rule at each level, and whether the body is read directly.
        let message = |id: &str| format!(r#"{{"from":"1","id":"{id}","type":"text"}}"#);
        let value = |value: &str| {
            format!(
                r#"{{"object":"whatsapp_business_account","entry":[{{"id":"1","changes":[{{"field":"messages","value":{value}}}]}}]}}"#
            )
        };
        let fixed = [
            // Repeats the envelope reads in order: the last wins.
            (value(&format!(r#"{{"messages":[{}]}},"value":{{"messages":[{}]}}"#, message("a"), message("b"))), true),
            (r#"{"entry":[{"changes":[{"field":"a","value":{"messages":[{"id":"x"}]}}]}],"entry":[{"changes":[],"changes":[{"field":"b","value":{"statuses":[{"id":"y"}]}}]}],"object":"o","object":7}"#.to_owned(), true),
            // Repeats and collisions the camelCase passes decide: read by the walk.
            (value(r#"{"metadata":{"phone_number_id":"1","phoneNumberId":"2","phone_number_id":"3"}}"#), false),
            (value(&format!(r#"{{"message_echoes":[{}],"messageEchoes":[{}]}}"#, message("a"), message("b"))), false),
            (value(&format!(r#"{{"messages":[{}],"statuses":[],"messages":[{}]}}"#, message("a"), message("b"))), false),
            (value(r#"{"contacts":[{"wa_id":"1","waId":"2","wa_id":"3","profile":{"name":"a","name":"b"}}]}"#), true),
            // Escaped keys: the envelope's and the change value's by the walk, the items'
            // objects by the camelCase adapter.
            (r#"{"\u0065ntry":[{"changes":[{"field":"messages","value":{"messages":[{"id":"x"}]}}]}]}"#.to_owned(), false),
            (value(r#"{"\u006dessages":[{"id":"x"}]}"#), false),
            (value(r#"{"messages":[{"\u0069d":"x","type":"text","text":{"b\u006fdy":"hi"}}]}"#), true),
        ];
        for (body, direct) in &fixed {
            assert!(check(body), "gave up on {body}");
            assert_eq!(
                crate::meta::normalize::reads_directly(body),
                *direct,
                "{body}"
            );
        }
        let mut directly = 0;
        for body in random_bodies(600) {
            assert!(check(&body), "gave up on {body}");
            directly += usize::from(crate::meta::normalize::reads_directly(&body));
        }
        // Most bodies exercise the direct reading, some the walk.
        assert!((300..580).contains(&directly), "{directly} read directly");
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

    /// A body nested as deep as serde_json allows is read by the reader itself; one level more
    /// is refused by both.
    #[test]
    fn reads_bodies_nested_up_to_serde_json_limit() {
        for depth in 120..=130 {
            let text = format!("{{\"a\":{}1{}}}", "[".repeat(depth), "]".repeat(depth));
            let serde_json_reads = read_with_serde_json(&text).is_ok();
            assert_eq!(check(&text), serde_json_reads, "{depth} levels");
            // The body's object is one level more.
            assert_eq!(serde_json_reads, depth < 127, "{depth} levels");
        }
        let shallow = format!("{}1{}", "[".repeat(100), "]".repeat(100));
        assert!(check(&shallow));
    }

    /// How one value is visited.
    #[derive(Debug, PartialEq)]
    enum Visited {
        U64(u64),
        I64(i64),
        /// The bits of the float.
        F64(u64),
    }

    struct Visit;

    impl<'de> Visitor<'de> for Visit {
        type Value = Visited;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a number")
        }

        fn visit_u64<E: de::Error>(self, n: u64) -> Result<Visited, E> {
            Ok(Visited::U64(n))
        }

        fn visit_i64<E: de::Error>(self, n: i64) -> Result<Visited, E> {
            Ok(Visited::I64(n))
        }

        fn visit_f64<E: de::Error>(self, n: f64) -> Result<Visited, E> {
            Ok(Visited::F64(n.to_bits()))
        }
    }

    /// How the reader visits the whole of `text`, `None` when it gives up.
    fn ours(text: &str) -> Option<Visited> {
        let mut reader = Reader::new(text);
        let visited = (&mut reader).deserialize_any(Visit).ok()?;
        reader.end().ok()?;
        Some(visited)
    }

    /// How serde_json visits the whole of `text`, `None` when it fails.
    fn theirs(text: &str) -> Option<Visited> {
        let mut reader = serde_json::Deserializer::from_str(text);
        let visited = (&mut reader).deserialize_any(Visit).ok()?;
        reader.end().ok()?;
        Some(visited)
    }

    /// Numbers: accepted exactly when serde_json with its default features accepts them, visited
    /// as it visits them, floats correctly rounded.
    #[test]
    fn reads_numbers_as_serde_json_default_features_do() {
        use Visited::{F64, I64, U64};
        let float = |literal: &str| F64(literal.parse::<f64>().unwrap().to_bits());
        // (literal, whether serde_json's default features accept it)
        let cases: &[(&str, bool)] = &[
            ("0", true),
            ("-0", true),
            ("-0.0", true),
            ("1.0", true),
            ("1e2", true),
            ("-1.5E+10", true),
            ("0.1", true),
            ("5e-324", true),
            ("2.2250738585072011e-308", true),
            ("1.7976931348623157e308", true),
            ("1.7976931348623159e308", false),
            ("1e400", false),
            ("-1e400", false),
            ("1e99999999999", false),
            (&format!("1{}", "0".repeat(399)), false),
            (&format!("-1{}", "0".repeat(399)), false),
            ("1e-400", true),
            ("-1e-400", true),
            ("1e-99999999999", true),
            ("0e400", true),
            ("0.0e99999999999", true),
            ("0.1e309", true),
            ("18446744073709551615", true),
            ("18446744073709551616", true),
            ("-9223372036854775808", true),
            ("-9223372036854775809", true),
            ("-18446744073709551616", true),
            ("01", false),
            ("-01", false),
            ("1.", false),
            (".5", false),
            ("1e", false),
            ("+1", false),
            ("-", false),
            ("1e+", false),
            ("--1", false),
            ("1.e5", false),
            ("-a", false),
        ];
        for &(literal, accepted) in cases {
            let visited = ours(literal);
            assert_eq!(visited.is_some(), accepted, "{literal}");
            // The serde_json linked here agrees on all of these, whatever its features.
            let expected = theirs(literal);
            assert_eq!(expected.is_some(), accepted, "serde_json on {literal}");
            let (Some(visited), Some(expected)) = (visited, expected) else {
                continue;
            };
            match expected {
                F64(_) => assert_eq!(visited, float(literal), "{literal}"),
                integer => assert_eq!(visited, integer, "{literal}"),
            }
        }
        assert_eq!(ours("-0"), Some(F64((-0.0_f64).to_bits())));
        assert_eq!(ours("0"), Some(U64(0)));
        assert_eq!(ours("18446744073709551615"), Some(U64(u64::MAX)));
        assert_eq!(
            ours("18446744073709551616"),
            Some(F64(18446744073709551616.0_f64.to_bits()))
        );
        assert_eq!(ours("-9223372036854775808"), Some(I64(i64::MIN)));
        assert_eq!(
            ours("-9223372036854775809"),
            Some(float("-9223372036854775809"))
        );
        assert_eq!(ours("1e-400"), Some(F64(0.0_f64.to_bits())));
        assert_eq!(ours("-1e-400"), Some(F64((-0.0_f64).to_bits())));
        // Rounds to `f64::MAX`, yet serde_json's default parsing overflows and refuses it.
        assert_eq!(ours("1.7976931348623158e308"), None);
    }

    /// Floats with more digits than a `u64` holds, or halfway cases: correctly rounded (where
    /// serde_json's default parsing is not always).
    #[test]
    fn rounds_long_decimals_correctly() {
        let cases: &[(&str, f64)] = &[
            (
                "0.1000000000000000055511151231257827021181583404541015625",
                0.1,
            ),
            ("9007199254740993.0", 9007199254740992.0),
            ("9007199254740995.0", 9007199254740996.0),
            ("2.4703282292062328e-324", 5e-324),
            ("2.4703282292062327e-324", 0.0),
            ("2.2250738585072011e-308", 2.225073858507201e-308),
            ("123456789012345678901234567890", 1.2345678901234568e29),
            (
                "-123456789012345678901234567890.5e-10",
                -12345678901234567890.12345678905,
            ),
        ];
        for &(literal, value) in cases {
            assert_eq!(literal.parse::<f64>().unwrap().to_bits(), value.to_bits());
            let visited = ours(literal);
            assert_eq!(visited, Some(Visited::F64(value.to_bits())), "{literal}");
        }
        // serde_json's default parsing accepts it, though it rounds beyond `f64::MAX`.
        assert_eq!(
            ours("1.79769313486231587e308"),
            Some(Visited::F64(f64::MAX.to_bits()))
        );
    }

    /// Whether `text` is one value nested `depth` levels deep, read as a `Value`, by the reader
    /// and by serde_json.
    fn nested_value(text: &str, reader: Reader<'_>) -> (bool, bool) {
        let mut reader = reader;
        let ours = serde_json::Value::deserialize(&mut reader).is_ok() && reader.end().is_ok();
        let theirs = serde_json::from_str::<serde_json::Value>(text).is_ok();
        (ours, theirs)
    }

    /// serde_json reads a value nested 127 levels deep, not 128; so does the reader, arrays or
    /// objects; unbounded, it reads any depth.
    #[test]
    fn refuses_nesting_exactly_where_serde_json_does() {
        for depth in 120..=132 {
            let array = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
            let object = format!("{}1{}", "{\"a\":".repeat(depth), "}".repeat(depth));
            let mixed = format!(
                "{}1{}",
                "[{\"a\":".repeat(depth / 2),
                "}]".repeat(depth / 2)
            );
            for (text, levels) in [(&array, depth), (&object, depth), (&mixed, depth / 2 * 2)] {
                let (ours, theirs) = nested_value(text, Reader::new(text));
                assert_eq!(ours, theirs, "{levels} levels: {text}");
                assert_eq!(ours, levels <= 127, "{levels} levels: {text}");
            }
        }
        // Deeper values need a deeper stack than a test thread's.
        std::thread::Builder::new()
            .stack_size(256 << 20)
            .spawn(|| {
                let text = format!("{}1{}", "[{\"a\":".repeat(500), "}]".repeat(500));
                assert!(nested_value(&text, Reader::new(&text).unbounded()).0);
                assert!(!nested_value(&text, Reader::new(&text)).0);
            })
            .unwrap()
            .join()
            .unwrap();
    }

    /// A skipped value (`IgnoredAny`) is checked as serde_json checks it: the grammar only, any
    /// depth.
    #[test]
    fn skips_values_as_serde_json_does() {
        let deep = format!("{}{}", "[{\"a\":".repeat(5_000), "}]".repeat(5_000));
        let texts = [
            "1e400",
            "-1e999999999999",
            "\"\\ud800\"",
            "\"\\udc00\\ud800x\"",
            "[1, {\"a\": [true, false, null, \"x\\n\"]}, -0.5e-3, {}, []]",
            " { } ",
            deep.as_str(),
            "01",
            "1.",
            "-",
            "\"\\x\"",
            "\"\\u12\"",
            "\"tab\there\"",
            "[1,]",
            "[,1]",
            "[1 2]",
            "{\"a\":1,}",
            "{\"a\" 1}",
            "{1:2}",
            "{\"a\":}",
            "[",
            "{\"a\":1",
            "[}",
            "{]",
            "tru",
            "",
        ];
        for text in texts {
            let mut reader = Reader::new(text);
            let ours = de::IgnoredAny::deserialize(&mut reader).is_ok() && reader.end().is_ok();
            let theirs = serde_json::from_str::<de::IgnoredAny>(text).is_ok();
            assert_eq!(ours, theirs, "{text:.80}");
        }
    }

    /// A value checked and skipped (`Checked`) is accepted exactly when reading it is: the
    /// reader's scan and its visit agree, at every nesting depth around the limit too.
    #[test]
    fn checked_skips_accept_what_reading_accepts() {
        use crate::json::wire::Checked;
        let mut texts: Vec<String> = [
            "1e400",
            "-1e400",
            "1e-400",
            "1.7976931348623158e308",
            "1.79769313486231587e308",
            "123456789012345678901234567890",
            "-9223372036854775809",
            "18446744073709551616",
            "\"\\ud800\"",
            "\"\\udc00\"",
            "\"\\ud83d\\ude00\"",
            "\"\\ud83d\\u0041\"",
            "\"\\ud83dx\"",
            "\"x\\u00e9\"",
            "[1, {\"a\": [true, false, null, \"x\\n\"]}, -0.5e-3, {}, []]",
            "01",
            "1.",
            "-",
            "\"\\x\"",
            "\"tab\there\"",
            "[1,]",
            "{\"a\":1,}",
            "{\"a\" 1}",
            "[",
            "tru",
            "",
            "{\"\\ud800\":1}",
        ]
        .iter()
        .map(|text| (*text).to_owned())
        .collect();
        for depth in 120..=130 {
            texts.push(format!("{}{}", "[".repeat(depth), "]".repeat(depth)));
            texts.push(format!(
                "{}1{}",
                "{\"a\":[".repeat(depth / 2),
                "]}".repeat(depth / 2)
            ));
        }
        for text in &texts {
            let mut reader = Reader::new(text);
            let skipped = Checked::deserialize(&mut reader).is_ok() && reader.end().is_ok();
            let mut reader = Reader::new(text);
            let read = de::Deserializer::deserialize_any(&mut reader, Checked).is_ok()
                && reader.end().is_ok();
            assert_eq!(skipped, read, "{text:.80}");
        }
    }

    /// A value read through the [`SPAN`] newtype.
    #[derive(Debug, PartialEq)]
    struct Spanned<T>(T);

    impl<'de, T: Deserialize<'de>> Deserialize<'de> for Spanned<T> {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct Newtype<T>(std::marker::PhantomData<T>);

            impl<'de, T: Deserialize<'de>> Visitor<'de> for Newtype<T> {
                type Value = Spanned<T>;

                fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str("a value")
                }

                fn visit_newtype_struct<D: Deserializer<'de>>(
                    self,
                    d: D,
                ) -> Result<Spanned<T>, D::Error> {
                    T::deserialize(d).map(Spanned)
                }
            }

            d.deserialize_newtype_struct(SPAN, Newtype(std::marker::PhantomData))
        }
    }

    /// The spans of `text` read as a `T`, each with its text.
    fn spans<'t, T: Deserialize<'t>>(text: &'t str) -> (T, Vec<&'t str>) {
        let mut reader = Reader::new(text);
        let value = T::deserialize(&mut reader).unwrap();
        reader.end().unwrap();
        let spans = reader.take_spans();
        assert!(reader.take_spans().is_empty());
        let texts = spans.into_iter().map(|span| &text[span]).collect();
        (value, texts)
    }

    #[test]
    fn records_spans_in_document_order() {
        let text = " [ [ 1 , 2 ] ,[ ],\n[3]\t] ";
        let (value, texts) = spans::<Spanned<Vec<Spanned<Vec<Spanned<u64>>>>>>(text);
        assert_eq!(value.0.len(), 3);
        assert_eq!(
            texts,
            [
                "[ [ 1 , 2 ] ,[ ],\n[3]\t]",
                "[ 1 , 2 ]",
                "1",
                "2",
                "[ ]",
                "[3]",
                "3"
            ]
        );

        let text = "{ \"a\" :  {\"b\": \"x\\ny\"} , \"c\":-1.5e3 ,\"d\":null}";
        let (value, texts) =
            spans::<std::collections::BTreeMap<String, Spanned<serde_json::Value>>>(text);
        assert_eq!(value.len(), 3);
        assert_eq!(texts, ["{\"b\": \"x\\ny\"}", "-1.5e3", "null"]);

        // Another newtype records nothing.
        #[derive(Deserialize)]
        struct Plain(#[allow(dead_code)] Vec<u64>);
        let (_, texts) = spans::<Plain>(" [1] ");
        assert!(texts.is_empty());

        // Optional values: the span of a present one, through `deserialize_option`.
        let (value, texts) = spans::<Vec<Option<Spanned<String>>>>("[null, \"s\" ]");
        assert_eq!(value, [None, Some(Spanned("s".to_owned()))]);
        assert_eq!(texts, ["\"s\""]);
    }
}
