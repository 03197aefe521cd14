//! Shared helpers for integration tests.
pub mod site_gen;
