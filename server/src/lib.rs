//! Toile's server: the domain core over the database, and its adapters (JSON API, pages, CLI).

pub mod api;
pub mod cli;
pub mod config;
pub mod core;
pub mod feeds;
pub mod french;
pub mod json_error;
pub mod links;
pub mod listen;
pub mod notify;
pub mod seed;
pub mod serve;
pub mod signed_in;
pub mod web;
