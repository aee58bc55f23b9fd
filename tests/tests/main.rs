//! Toile's integration and end-to-end tests, one binary: a module per subject, each through the
//! real server on a database of its own. Run one with `cargo test -p tests --test suite --
//! <module>::`, e.g. `roster::`. Tests run side by side; the one that measures the machine
//! takes it alone (`tests::machine`).

// Enrolments, seats and sessions
mod concurrency;
mod crash;
mod edits;
mod once;
mod processes;
mod programme;
mod seats;
mod writes;

// People and their records
mod participants;
mod privacy;
mod retention;
mod roster;
mod signatures;

// Messages
mod answers;
mod notifications;

// Staff: accounts, sign-ins, permissions, the journal and the figures
mod accounts;
mod api_tokens;
mod audit_trail;
mod figures;
mod permissions;
mod sign_in_guessing;
mod sign_in_lifetime;

// The API and the calendar feeds
mod api;
mod api_paging;
mod feeds;
mod openapi;

// The server as a whole: requests, errors, the command line, upgrades, the release build
mod cli;
mod guard;
mod page_errors;
mod release;
mod slow_clients;
mod upgrade;

// The release build in a browser (one shared Chromium) and under Lighthouse
mod e2e;
mod lighthouse;
