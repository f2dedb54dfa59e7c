//! Feeds arbitrary text to `vigil_extract::extract` and checks its promises: no
//! panic, spans on char boundaries inside the text, results sorted by start.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let found = vigil_extract::extract(&text);
    for f in &found {
        assert!(f.start < f.end && f.end <= text.len());
        assert!(text.is_char_boundary(f.start) && text.is_char_boundary(f.end));
        assert!(!f.value.is_empty());
    }
    assert!(found.windows(2).all(|w| w[0].start <= w[1].start));
});
