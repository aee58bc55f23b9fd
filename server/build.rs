//! `sqlx::migrate!` embeds the migrations when the crate compiles: a migration added alone must
//! recompile it too.
fn main() {
    println!("cargo:rerun-if-changed=../migrations");
}
