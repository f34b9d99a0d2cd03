//! The `protocol` fuzz target: see `duibiao_fuzz::protocol`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| duibiao_fuzz::protocol(data));
