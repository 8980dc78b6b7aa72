//! dsr-tracker: citizens exercise their GDPR rights towards a public body, a
//! DPO works the request queue within the legal deadlines, and a nightly
//! purge deletes what the law says must go.
//!
//! Error rule (from crates.io): data code returns `QueryResult` or a small
//! thiserror enum; `anyhow` only at the edges (CLI, startup); handlers turn
//! one error type per route into a response.

pub mod api;
pub mod audit;
pub mod citizen;
pub mod cli;
pub mod clock;
pub mod config;
pub mod db;
pub mod demo;
pub mod desk;
pub mod digest;
pub mod domain;
pub mod i18n;
pub mod mail;
pub mod purge;
pub mod security;
pub mod server;
pub mod store;
pub mod web;
