//! The `live_line` fuzz target: see `duibiao_fuzz::live_line`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| duibiao_fuzz::live_line(data));
