//! Shared by the tests and the benchmark.

pub mod corpus;
