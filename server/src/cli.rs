//! The `toile` command line. Every command reads `DATABASE_URL` (default: an SQLite file
//! under `data/`).

use crate::config::Config;
use crate::core::store::DEFAULT_URL;
use crate::core::{Core, CoreError, NewUser};
use clap::{Parser, Subcommand};
use std::net::SocketAddr;
use toile_shared::Role;
use toile_shared::authz::Actor;

#[derive(Parser, Debug)]
#[command(
    name = "toile",
    version,
    about = "Toile: des ateliers collectifs partagés entre les structures d'un groupe IAE."
)]
pub struct Cli {
    /// sqlite://path/to/file.db or postgres://user@host/db
    #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_URL, global = true)]
    pub database_url: String,
    /// Address `serve` listens on; port 0 picks a free port.
    #[arg(long, env = "TOILE_ADDR", default_value = "127.0.0.1:3000", global = true)]
    pub addr: SocketAddr,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Serve the pages and the API (the default command).
    Serve,
    /// Apply the database migrations.
    Migrate,
    /// Load data.
    Seed {
        /// A realistic demo network (idempotent).
        #[arg(long, required = true)]
        demo: bool,
    },
    /// Manage staff accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Manage API tokens.
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
}

#[derive(Subcommand, Debug)]
pub enum UserCommand {
    /// Add a staff member.
    Add {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// cip, coordinator, group-coordinator or admin
        #[arg(long)]
        role: String,
        #[arg(long)]
        structure: Option<i64>,
        #[arg(long)]
        password: Option<String>,
    },
}

#[derive(Subcommand, Debug)]
pub enum TokenCommand {
    /// Create an API token for a staff member; prints it once on standard output.
    Create {
        #[arg(long)]
        email: String,
    },
}

/// The `toile` program: logs to standard error, exit code 1 with a French message on failure.
pub async fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn,tower_http=warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    match run(Cli::parse()).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("erreur : {error}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn describe(error: CoreError) -> String {
    match error {
        CoreError::Invalid(fields) => {
            fields.iter().map(|f| format!("{} : {}", f.field, f.message)).collect::<Vec<_>>().join("; ")
        }
        other => other.to_string(),
    }
}

/// Who acts at the command line: whoever runs it, on the server itself.
const OPERATOR: Actor = Actor::Operator;

pub async fn run(cli: Cli) -> Result<(), String> {
    let core = Core::open(&cli.database_url).await.map_err(|e| e.to_string())?;
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => crate::serve::serve(core, Config::from_env(), cli.addr).await.map_err(|e| e.to_string()),
        Command::Migrate => {
            eprintln!("Base de données à jour.");
            Ok(())
        }
        Command::Seed { .. } => {
            let summary = crate::seed::demo(&core).await.map_err(describe)?;
            eprintln!("{summary}");
            Ok(())
        }
        Command::User { command: UserCommand::Add { email, name, role, structure, password } } => {
            let role = Role::parse(&role.replace('-', "_"))
                .ok_or_else(|| format!("rôle inconnu {role:?} : cip, coordinator, group-coordinator ou admin"))?;
            let id = core
                .add_user(&OPERATOR, NewUser { email, display_name: name, role, structure_id: structure, password })
                .await
                .map_err(describe)?;
            eprintln!("Compte créé (id {id}).");
            Ok(())
        }
        Command::Token { command: TokenCommand::Create { email } } => {
            let token = core.create_api_token(&OPERATOR, &email).await.map_err(describe)?;
            println!("{token}");
            Ok(())
        }
    }
}
