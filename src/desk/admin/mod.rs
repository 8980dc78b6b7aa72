//! An administrator's pages: staff accounts (`staff.rs`), controllers
//! (`controllers.rs`), a controller's retention settings (`settings.rs`),
//! and the form parts and page pieces they share (`forms.rs`, `pages.rs`,
//! also used by the first-run setup).

pub mod controllers;
pub mod forms;
pub mod pages;
pub mod settings;
pub mod staff;
