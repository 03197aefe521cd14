//! Fuzz target: decoding arbitrary bytes (gzip, BOMs, charset prescan,
//! detection) under a small size limit never panics, and what decodes is
//! free of NUL characters.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(decoded) = deboil::decode::decode_limited(data, None, 1 << 20) {
        assert!(!decoded.text.contains('\0'));
    }
    let _ = deboil::decode::decode_limited(data, Some("shift_jis"), 1 << 20);
    let _ = deboil::decode::prescan_charset(data);
});
