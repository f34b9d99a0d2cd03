//! The `compile_tokens` fuzz target: see `duibiao_fuzz::compile_tokens`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| duibiao_fuzz::compile_tokens(data));
