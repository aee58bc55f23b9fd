//! The `toile` command line. Every command reads `DATABASE_URL` (default: an SQLite file
//! under `data/`).

use crate::config::Config;
use crate::core::store::DEFAULT_URL;
use crate::core::{CoreError, NewSite, NewUser, StoreOptions};
use clap::{Parser, Subcommand};
use std::net::SocketAddr;
use toile_shared::authz::Actor;
use toile_shared::{Role, StructureKind};

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
    /// Manage the group's structures.
    Structure {
        #[command(subcommand)]
        command: StructureCommand,
    },
    /// Manage the structures' sites (where sessions take place).
    Site {
        #[command(subcommand)]
        command: SiteCommand,
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
    /// Apply the retention rules now (the server does it every day): anonymise the people
    /// archived longer than kept, delete audit entries older than kept.
    Retention,
}

#[derive(Subcommand, Debug)]
pub enum StructureCommand {
    /// Add a structure (prints its id; an existing name gives the existing one's).
    Add {
        #[arg(long)]
        name: String,
        /// ei, aci, ai, etti, eiti, geiq or other
        #[arg(long)]
        kind: String,
        #[arg(long)]
        siret: Option<String>,
    },
}

#[derive(Subcommand, Debug)]
pub enum SiteCommand {
    /// Add a site of a structure (prints its id).
    Add {
        /// The structure's id (`toile structure add` prints it).
        #[arg(long)]
        structure: i64,
        #[arg(long)]
        name: String,
        #[arg(long)]
        address: String,
        #[arg(long)]
        postcode: String,
        #[arg(long)]
        city: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum UserCommand {
    /// Add a staff member. The password is asked for at the terminal, or read from standard
    /// input with --password-stdin: never on the command line, where `ps` and the shell's
    /// history would show it.
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
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Turn an account off: its sign-ins and API tokens stop at once.
    Deactivate {
        #[arg(long)]
        email: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum TokenCommand {
    /// Create an API token for a staff member; prints it once on standard output.
    Create {
        #[arg(long)]
        email: String,
        /// What the token is for (the software that will use it).
        #[arg(long, default_value = "ligne de commande")]
        name: String,
        /// How many days it works (at most 365).
        #[arg(long, default_value_t = toile_shared::api_tokens::MAX_TOKEN_DAYS)]
        days: u32,
    },
    /// Revoke every API token of a staff member.
    Revoke {
        #[arg(long)]
        email: String,
    },
}

/// The new account's password: from standard input when asked, else typed twice at a
/// terminal without echo; none when there is no terminal to ask at.
fn read_password(from_stdin: bool) -> Result<Option<String>, String> {
    use std::io::{BufRead, IsTerminal};
    if from_stdin {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line).map_err(|e| e.to_string())?;
        let password = line.trim_end_matches(['\r', '\n']).to_string();
        return if password.is_empty() {
            Err("mot de passe vide sur l'entrée standard".into())
        } else {
            Ok(Some(password))
        };
    }
    if !std::io::stdin().is_terminal() {
        eprintln!("Aucun mot de passe (pas de terminal) : le compte ne peut pas encore se connecter.");
        return Ok(None);
    }
    let first = rpassword::prompt_password("Mot de passe : ").map_err(|e| e.to_string())?;
    let second = rpassword::prompt_password("Encore une fois : ").map_err(|e| e.to_string())?;
    if first != second {
        return Err("les deux mots de passe sont différents".into());
    }
    Ok(Some(first))
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
    let core = crate::config::open_core(&cli.database_url, StoreOptions::default()).await.map_err(|e| e.to_string())?;
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => {
            let options = crate::config::site_options().map_err(|e| e.to_string())?;
            crate::serve::serve(core, Config::from_env(), options, cli.addr).await.map_err(|e| e.to_string())
        }
        Command::Migrate => {
            eprintln!("Base de données à jour.");
            Ok(())
        }
        Command::Seed { .. } => {
            let summary = crate::seed::demo(&core).await.map_err(describe)?;
            eprintln!("{summary}");
            Ok(())
        }
        Command::Structure { command: StructureCommand::Add { name, kind, siret } } => {
            let kind = StructureKind::parse(&kind)
                .ok_or_else(|| format!("type inconnu {kind:?} : ei, aci, ai, etti, eiti, geiq ou other"))?;
            let id = core.ensure_structure(&OPERATOR, &name, kind, siret.as_deref()).await.map_err(describe)?;
            println!("{id}");
            eprintln!("Structure « {} » (id {id}).", name.trim());
            Ok(())
        }
        Command::Site { command: SiteCommand::Add { structure, name, address, postcode, city } } => {
            let site = NewSite { structure_id: structure, name, address, postcode, city, access_notes: None };
            let id = core.add_site(&OPERATOR, site).await.map_err(describe)?;
            println!("{id}");
            eprintln!("Lieu créé (id {id}).");
            Ok(())
        }
        Command::User { command: UserCommand::Deactivate { email } } => {
            let id = core.deactivate_user(&OPERATOR, &email).await.map_err(describe)?;
            eprintln!("Compte {id} désactivé : ses connexions et ses jetons d'API sont arrêtés.");
            Ok(())
        }
        Command::Token { command: TokenCommand::Revoke { email } } => {
            let revoked = core.revoke_api_tokens(&OPERATOR, &email).await.map_err(describe)?;
            eprintln!("{revoked} jeton(s) d'API révoqué(s).");
            Ok(())
        }
        Command::User { command: UserCommand::Add { email, name, role, structure, password_stdin } } => {
            let role = Role::parse(&role.replace('-', "_"))
                .ok_or_else(|| format!("rôle inconnu {role:?} : cip, coordinator, group-coordinator ou admin"))?;
            let password = read_password(password_stdin)?;
            let id = core
                .add_user(&OPERATOR, NewUser { email, display_name: name, role, structure_id: structure, password })
                .await
                .map_err(describe)?;
            eprintln!("Compte créé (id {id}).");
            Ok(())
        }
        Command::Token { command: TokenCommand::Create { email, name, days } } => {
            let created = core.create_api_token(&OPERATOR, &email, &name, days).await.map_err(describe)?;
            println!("{}", created.token);
            let end = created.expires_at.with_timezone(&chrono_tz::Europe::Paris).format("%d/%m/%Y");
            eprintln!("Jeton {} créé, valable jusqu'au {end}.", created.id);
            Ok(())
        }
        Command::Retention => {
            let pass = core.apply_retention().await.map_err(describe)?;
            eprintln!(
                "{} personne(s) anonymisée(s), {} entrée(s) du journal et {} message(s) envoyé(s) supprimé(s).",
                pass.anonymised, pass.audit_entries_deleted, pass.messages_deleted
            );
            Ok(())
        }
    }
}
