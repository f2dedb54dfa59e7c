//! Cambodia's time: the campaign's days, months and printed times are
//! Cambodia's (UTC+7, no daylight saving), whatever the server's zone.

use time::{OffsetDateTime, UtcOffset};

/// Cambodia's offset from UTC.
pub const CAMBODIA: UtcOffset = time::macros::offset!(+7);

/// `t` as a clock in Cambodia reads it.
pub fn in_cambodia(t: OffsetDateTime) -> OffsetDateTime {
    t.to_offset(CAMBODIA)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn midnight_utc_is_seven_in_the_morning() {
        let t = OffsetDateTime::from_unix_timestamp(1_764_892_800).expect("t"); // 2025-12-05 00:00 UTC
        let local = in_cambodia(t);
        assert_eq!((local.hour(), local.day()), (7, 5));
        assert_eq!(local, t);
    }
}
