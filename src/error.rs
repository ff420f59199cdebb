//! [`Error`]: why a body could not be read.

use std::fmt;

/// A body that is not valid JSON (or not valid UTF-8), with the line and column where reading
/// stopped. Any *valid* JSON normalizes without error.
///
/// ```
/// let err = kapso_webhooks::normalize_webhook(b"{\"object\": }").unwrap_err();
/// assert_eq!((err.line(), err.column()), (1, 12));
/// assert_eq!(err.category(), kapso_webhooks::ErrorCategory::Syntax);
/// assert!(err.to_string().contains("line 1 column 12"));
/// ```
#[derive(Debug, thiserror::Error)]
#[error(
    "invalid webhook body: {} at line {line} column {column}",
    message(source)
)]
pub struct Error {
    source: serde_json::Error,
    line: usize,
    column: usize,
}

impl From<serde_json::Error> for Error {
    fn from(source: serde_json::Error) -> Self {
        Error {
            line: source.line(),
            column: source.column(),
            source,
        }
    }
}

/// serde_json's message without its own " at line L column C" suffix.
fn message(source: &serde_json::Error) -> String {
    let text = source.to_string();
    let suffix = format!(" at line {} column {}", source.line(), source.column());
    match text.strip_suffix(&suffix) {
        Some(message) => message.to_owned(),
        None => text,
    }
}

/// What kind of problem an [`Error`] is.
///
/// ```
/// use kapso_webhooks::{normalize_webhook, ErrorCategory};
/// assert_eq!(normalize_webhook(b"{\"a\":").unwrap_err().category(), ErrorCategory::Eof);
/// assert_eq!(normalize_webhook(b"[1e400]").unwrap_err().category(), ErrorCategory::Syntax);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorCategory {
    /// The input is not valid JSON (bad token, invalid UTF-8, a number out of range, a lone
    /// surrogate, trailing characters, nesting deeper than 128 levels).
    Syntax,
    /// The input ended in the middle of a value (including an empty body).
    Eof,
    /// Valid JSON that does not fit the expected shape (only where a shape is required, for
    /// example an event payload that must be an object).
    Data,
    /// Reading the input failed.
    Io,
}

impl Error {
    /// Invalid UTF-8 that serde_json did not locate (kept for completeness; serde_json reports
    /// invalid UTF-8 with its position).
    pub(crate) fn invalid_utf8() -> Error {
        Error::from(<serde_json::Error as serde::de::Error>::custom(
            "invalid UTF-8",
        ))
    }

    /// The 1-based line where the problem was found.
    ///
    /// ```
    /// let err = kapso_webhooks::normalize_webhook(b"{\n  \"object\": ?\n}").unwrap_err();
    /// assert_eq!(err.line(), 2);
    /// ```
    pub fn line(&self) -> usize {
        self.line
    }

    /// The 1-based column where the problem was found.
    ///
    /// ```
    /// let err = kapso_webhooks::normalize_webhook(b"[1, 2,, 3]").unwrap_err();
    /// assert_eq!(err.column(), 7);
    /// ```
    pub fn column(&self) -> usize {
        self.column
    }

    /// What kind of problem this is.
    ///
    /// ```
    /// use kapso_webhooks::{normalize_webhook, ErrorCategory};
    /// assert_eq!(normalize_webhook(b"").unwrap_err().category(), ErrorCategory::Eof);
    /// assert_eq!(normalize_webhook(b"{} x").unwrap_err().category(), ErrorCategory::Syntax);
    /// ```
    pub fn category(&self) -> ErrorCategory {
        match self.source.classify() {
            serde_json::error::Category::Io => ErrorCategory::Io,
            serde_json::error::Category::Syntax => ErrorCategory::Syntax,
            serde_json::error::Category::Data => ErrorCategory::Data,
            serde_json::error::Category::Eof => ErrorCategory::Eof,
        }
    }
}

impl fmt::Display for ErrorCategory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ErrorCategory::Syntax => "syntax",
            ErrorCategory::Eof => "eof",
            ErrorCategory::Data => "data",
            ErrorCategory::Io => "io",
        })
    }
}
