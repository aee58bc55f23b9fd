//! Helpers shared by Toile's integration tests and benchmarks.
