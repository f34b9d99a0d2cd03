//! The `load_parts` fuzz target: see `duibiao_fuzz::load_parts`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| duibiao_fuzz::load_parts(data));
