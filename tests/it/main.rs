//! One integration-test binary (the suite links once). Every database test
//! runs on SQLite, and on PostgreSQL too when `TEST_DATABASE_URL` is set
//! (`.ci/run` always sets it).

mod support;

mod browser;
mod citizen;
mod cli;
mod desk;
mod desk_actions;
mod desk_actions_lang;
mod desk_admin;
mod desk_answers;
mod desk_letters;
mod desk_mail_state;
mod desk_qa;
mod desk_queue;
mod desk_refusal_lang;
mod desk_register;
mod desk_register_once;
mod desk_totp;
mod digest;
mod mail;
mod page_tour;
mod proofs;
mod purge;
mod queue_plans;
mod reference_numbers;
mod schema;
mod security;
mod security_proxy;
mod security_review;
mod server;
mod suppression_key;
