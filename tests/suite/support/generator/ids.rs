//! Business numbers, customer numbers, message ids, timestamps and BSUIDs.

use super::json::{s, J};
use super::rng::Rng;

pub(super) struct Biz {
    pub(super) phone_number_id: String,
    pub(super) display: String,
    /// `display` as 11 digits (country code 1).
    pub(super) display_digits: String,
}

pub(super) fn biz(rng: &mut Rng) -> Biz {
    let digits = format!("1555{}", rng.digits(7));
    let display = if rng.chance(25) {
        format_number(rng, &digits)
    } else {
        digits.clone()
    };
    Biz {
        phone_number_id: {
            let len = rng.int(12, 16) as usize;
            rng.digits(len)
        },
        display,
        display_digits: digits,
    }
}

/// `digits` (11 of them) written with punctuation.
pub(super) fn format_number(rng: &mut Rng, digits: &str) -> String {
    let part = |from: usize, to: usize| digits.get(from..to).unwrap_or_default().to_owned();
    let (c, a, b, d) = (part(0, 1), part(1, 4), part(4, 7), part(7, 11));
    match rng.below(6) {
        0 => format!("+{c} {a}-{b}-{d}"),
        1 => format!("+{c} ({a}) {b} {d}"),
        2 => format!("{c}.{a}.{b}.{d}"),
        3 => format!("+{c}{a}{b}{d}"),
        4 => format!("{c}-{a}-{b}-{d} ext"),
        _ => format!("+{c} {a}-{b}"),
    }
}

pub(super) fn customer(rng: &mut Rng) -> String {
    match rng.below(10) {
        0 => format!("+44 7700 {}", rng.digits(6)),
        1 => format!("٩٧١{}", rng.digits(8)),
        _ => format!(
            "{}{}",
            rng.pick(&["1", "44", "52", "91", "34", "81"]),
            rng.digits(10)
        ),
    }
}

pub(super) fn wamid(rng: &mut Rng) -> String {
    format!("wamid.HBgL{}", rng.alnum(24))
}

pub(super) fn timestamp(rng: &mut Rng) -> J {
    match rng.weighted(&[85, 8, 3, 2, 2]) {
        0 => s(format!("17{}", rng.digits(8))),
        1 => J::Int(rng.int(1_600_000_000, 1_800_000_000)),
        2 => J::Null,
        3 => s(""),
        _ => J::Raw("1700000000.5"),
    }
}

pub(super) fn bsuid(rng: &mut Rng) -> String {
    format!("US.{}", rng.alnum(16))
}
