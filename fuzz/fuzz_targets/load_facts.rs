//! The `load_facts` fuzz target: see `duibiao_fuzz::load_facts`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| duibiao_fuzz::load_facts(data));
