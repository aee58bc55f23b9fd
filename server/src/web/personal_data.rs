//! A copy of everything Toile holds on a person (their right of access): one set of words,
//! written as JSON for software and as a plain page to read or print. The page is standalone
//! (no script, no stylesheet to fetch), so it can be sent or printed as it is.

use super::french;
use super::port::people::record_line;
use crate::core::PersonalData;
use chrono::{DateTime, SubsecRound, Utc};
use leptos::prelude::*;
use serde::Serialize;
use toile_app::models::RecordLine;
use toile_shared::audit::AuditAction;

/// The copy, in the words the person reads (keys in French, dates in ISO 8601).
#[derive(Serialize, Debug)]
pub struct DataCopy {
    pub copie_du: DateTime<Utc>,
    pub personne: Person,
    pub seances: Vec<Session>,
    /// Browsers signed in as them when the copy was made.
    pub connexions_ouvertes: i64,
    pub liens_agenda: i64,
    /// What was done for, by or about them (the journal keeps twelve months by default).
    pub journal: Vec<TrailEntry>,
}

#[derive(Serialize, Debug)]
pub struct Person {
    pub identifiant: i64,
    pub prenom: String,
    pub nom: String,
    pub structure: String,
    pub referent: Option<String>,
    pub telephone: Option<String>,
    pub email: Option<String>,
    pub inscrite_dans_toile_le: DateTime<Utc>,
    pub code_utilise_le: Option<DateTime<Utc>>,
    pub archivee_le: Option<DateTime<Utc>>,
    pub anonymisee_le: Option<DateTime<Utc>>,
}

#[derive(Serialize, Debug)]
pub struct Session {
    pub seance: i64,
    pub titre: String,
    pub date: DateTime<Utc>,
    pub inscription: String,
    pub presence: String,
    pub inscrite_par: String,
}

#[derive(Serialize, Debug)]
pub struct TrailEntry {
    pub le: DateTime<Utc>,
    pub action: String,
    pub par: String,
}

impl DataCopy {
    pub fn new(data: &PersonalData) -> DataCopy {
        let entry = &data.record.entry;
        DataCopy {
            // To the second, as every other date of the copy.
            copie_du: data.generated_at.trunc_subsecs(0),
            personne: Person {
                identifiant: entry.id,
                prenom: entry.first_name.clone(),
                nom: entry.last_name.clone(),
                structure: entry.structure_name.clone(),
                referent: entry.referent_name.clone(),
                telephone: entry.phone.clone(),
                email: entry.email.clone(),
                inscrite_dans_toile_le: data.registered_at,
                code_utilise_le: data.code_last_used_at,
                archivee_le: data.archived_at,
                anonymisee_le: data.anonymised_at,
            },
            seances: data
                .record
                .history
                .iter()
                .map(|line| {
                    let RecordLine { session_id, title, status, attendance, enrolled_by, .. } = record_line(line);
                    Session {
                        seance: session_id,
                        titre: title,
                        date: line.starts_at,
                        inscription: status,
                        presence: attendance,
                        inscrite_par: enrolled_by,
                    }
                })
                .collect(),
            connexions_ouvertes: data.sign_ins,
            liens_agenda: data.calendar_links,
            journal: data
                .trail
                .iter()
                .map(|row| TrailEntry {
                    le: DateTime::from_timestamp(row.at, 0).unwrap_or_default(),
                    action: AuditAction::label_of(&row.action).to_string(),
                    par: match (&row.actor_name, row.actor.as_str()) {
                        (Some(name), _) => name.clone(),
                        (None, actor) if actor.starts_with("participant:") => "la personne".into(),
                        (None, _) => "Toile".into(),
                    },
                })
                .collect(),
        }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// The same copy as a page; every value is escaped by the renderer.
    pub fn to_html(&self, group: &str) -> String {
        let p = &self.personne;
        let name = format!("{} {}", p.prenom, p.nom);
        let when = |at: Option<DateTime<Utc>>| at.map(french::date_and_time);
        let facts: Vec<(&str, Option<String>)> = vec![
            ("Structure", Some(p.structure.clone())),
            ("Référent·e", p.referent.clone()),
            ("Téléphone", p.telephone.clone()),
            ("E-mail", p.email.clone()),
            ("Inscrite dans Toile le", when(Some(p.inscrite_dans_toile_le))),
            ("Code utilisé pour la dernière fois le", when(p.code_utilise_le)),
            ("Archivée le", when(p.archivee_le)),
            ("Données effacées le", when(p.anonymisee_le)),
            ("Connexions ouvertes", Some(self.connexions_ouvertes.to_string())),
            ("Liens d'agenda", Some(self.liens_agenda.to_string())),
        ];
        let made = french::date_and_time(self.copie_du);
        let sessions = self.seances.iter().map(|s| {
            let date = french::date_and_time(s.date);
            view! {
                <tr>
                    <td>{date}</td>
                    <td>{s.titre.clone()}</td>
                    <td>{s.inscription.clone()}</td>
                    <td>{s.presence.clone()}</td>
                    <td>{s.inscrite_par.clone()}</td>
                </tr>
            }
        });
        let trail = self.journal.iter().map(|t| {
            let date = french::date_and_time(t.le);
            view! {
                <tr>
                    <td>{date}</td>
                    <td>{t.action.clone()}</td>
                    <td>{t.par.clone()}</td>
                </tr>
            }
        });
        let body = view! {
            <main>
                <h1>{format!("Vos données dans Toile : {name}")}</h1>
                <p>{format!("Copie faite le {made} pour {group}.")}</p>
                <h2>"Ce que Toile sait de vous"</h2>
                <dl>
                    {facts
                        .into_iter()
                        .filter_map(|(label, value)| value.map(|value| view! { <dt>{label}</dt><dd>{value}</dd> }))
                        .collect_view()}
                </dl>
                <h2>"Vos séances"</h2>
                <table>
                    <thead>
                        <tr>
                            <th scope="col">"Date"</th>
                            <th scope="col">"Séance"</th>
                            <th scope="col">"Inscription"</th>
                            <th scope="col">"Présence"</th>
                            <th scope="col">"Qui vous a inscrit·e"</th>
                        </tr>
                    </thead>
                    <tbody>{sessions.collect_view()}</tbody>
                </table>
                <h2>"Ce qui a été fait à votre sujet"</h2>
                <table>
                    <thead>
                        <tr>
                            <th scope="col">"Quand"</th>
                            <th scope="col">"Quoi"</th>
                            <th scope="col">"Par qui"</th>
                        </tr>
                    </thead>
                    <tbody>{trail.collect_view()}</tbody>
                </table>
                <p>
                    "Pour faire corriger ou effacer ces données, adressez-vous à votre conseiller ou conseillère, ou à la coordination de votre structure."
                </p>
            </main>
        }
        .to_html();
        let title = leptos::view! { <title>{format!("Vos données dans Toile : {name}")}</title> }.to_html();
        format!(
            "<!DOCTYPE html>\n<html lang=\"fr\"><head><meta charset=\"utf-8\">\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">{title}\
             <style>body{{font-family:sans-serif;max-width:60rem;margin:1rem auto;padding:0 1rem;line-height:1.5}}\
             table{{border-collapse:collapse;width:100%}}th,td{{border:1px solid #555;padding:.25rem .5rem;text-align:left}}\
             dt{{font-weight:bold}}</style></head><body>{body}</body></html>\n"
        )
    }
}
