//! Any bytes: `sanitize` must not panic, and whatever it accepts must be
//! accepted again unchanged (a sanitised image is a fixed point).
#![no_main]

use libfuzzer_sys::fuzz_target;
use vigil_media::{sanitize, sniff};

fuzz_target!(|data: &[u8]| {
    let _ = sniff(data);
    if let Ok(image) = sanitize(data, None, true) {
        assert_eq!(sniff(&image.bytes), Some(image.mime));
        let again = sanitize(&image.bytes, Some(image.mime), false)
            .expect("a sanitised image is accepted again");
        assert_eq!(again.bytes, image.bytes, "sanitising is not a fixed point");
    }
});
