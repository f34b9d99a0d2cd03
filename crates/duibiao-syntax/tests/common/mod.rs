//! Support shared by the syntax crate's tests.

pub mod round_trip;
