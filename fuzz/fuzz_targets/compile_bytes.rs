//! The `compile_bytes` fuzz target: see `duibiao_fuzz::compile_bytes`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| duibiao_fuzz::compile_bytes(data));
