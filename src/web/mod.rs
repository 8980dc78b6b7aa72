//! What the handlers share: the application state, how they run database
//! work, and how pages are sent. The server that mounts the handlers is
//! `crate::server`; nothing here imports a handler.

pub mod client;
pub mod error;
pub mod lang;
pub mod nul;
pub mod pages;
pub mod periodic;
mod state;

pub use client::client_ip;
pub use error::{PageError, PageResult};
pub use lang::{PageLang, VisitorLang};
pub use state::{AppState, blocking};
