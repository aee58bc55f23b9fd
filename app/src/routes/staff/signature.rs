//! Signing the sign-in sheet with a finger, on the attendance page: a drawing area that follows
//! the finger (an SVG path, the very form that is stored, sealed and traced in the PDF, see
//! `toile_shared::signature`), and a drawn signature shown back. Drawing needs JavaScript;
//! without it the page says to sign the printed sheet.

use crate::functions::sign_sheet;
use crate::models::SignatureMark;
use leptos::prelude::*;
use toile_shared::signature::{HEIGHT, Signature, WIDTH};
use toile_shared::{ParticipantId, SessionId};

const VIEW_BOX: &str = "0 0 300 100";

/// A signature as drawn, small, with what it is in words for screen readers.
#[component]
pub fn SignatureImage(mark: SignatureMark, who: String) -> impl IntoView {
    let said = format!("Signature de {who}, à {}", mark.time);
    view! {
        <p class="signed">
            <svg class="signature" viewBox=VIEW_BOX role="img" aria-label=said>
                <path d=mark.path />
            </svg>
            <span>{format!("Signé à {}", mark.time)}</span>
        </p>
    }
}

/// Where the pointer is, in the signature's units (none outside the browser).
fn units(surface: NodeRef<leptos::svg::Svg>, event: &leptos::ev::PointerEvent) -> Option<(f64, f64)> {
    #[cfg(feature = "hydrate")]
    {
        let surface = surface.get_untracked()?;
        let rect = surface.get_bounding_client_rect();
        if rect.width() <= 0.0 || rect.height() <= 0.0 {
            return None;
        }
        let x = (f64::from(event.client_x()) - rect.left()) * f64::from(WIDTH) / rect.width();
        let y = (f64::from(event.client_y()) - rect.top()) * f64::from(HEIGHT) / rect.height();
        Some((x, y))
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (surface, event, WIDTH, HEIGHT);
        None
    }
}

/// Keeps the finger's moves for the drawing area even when it slides out of it.
fn capture(surface: NodeRef<leptos::svg::Svg>, event: &leptos::ev::PointerEvent) {
    #[cfg(feature = "hydrate")]
    if let Some(surface) = surface.get_untracked() {
        let _ = surface.set_pointer_capture(event.pointer_id());
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (surface, event);
}

/// The drawing area with "Effacer", "Valider" and "Annuler". A signature too small to be one is
/// refused here with the rule's own words; a refused or unsent one stays drawn, to send again.
#[component]
pub fn SignaturePad(
    session: SessionId,
    /// The participant signing; `None` for the staff member themselves.
    participant: Option<ParticipantId>,
    /// "Signature de Amina Benali", "Votre signature".
    label: String,
    on_signed: Callback<SignatureMark>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let drawing = RwSignal::new(Signature::new());
    let pressed = StoredValue::new(false);
    let sending = RwSignal::new(false);
    let problem = RwSignal::new(None::<String>);
    let surface = NodeRef::<leptos::svg::Svg>::new();

    let down = move |event: leptos::ev::PointerEvent| {
        event.prevent_default();
        capture(surface, &event);
        if let Some((x, y)) = units(surface, &event) {
            pressed.set_value(true);
            problem.set(None);
            drawing.update(|d| d.start(x, y));
        }
    };
    let moved = move |event: leptos::ev::PointerEvent| {
        if pressed.get_value()
            && let Some((x, y)) = units(surface, &event)
        {
            drawing.update(|d| d.extend(x, y));
        }
    };
    let up = move |_| pressed.set_value(false);
    let send = move |_| {
        let signature = drawing.get_untracked();
        if let Err(refusal) = signature.check() {
            problem.set(Some(refusal.to_string()));
            return;
        }
        sending.set(true);
        problem.set(None);
        leptos::task::spawn_local(async move {
            let answer = sign_sheet(session, participant, signature.path()).await;
            sending.set(false);
            match answer {
                Ok(mark) => on_signed.run(mark),
                Err(error) => problem.set(Some(error.message)),
            }
        });
    };

    view! {
        <div class="signature-pad">
            <p class="signature-label">{label.clone()}</p>
            <svg
                class="signature-surface"
                viewBox=VIEW_BOX
                role="img"
                aria-label=format!("{label} : signez ici avec le doigt")
                node_ref=surface
                on:pointerdown=down
                on:pointermove=moved
                on:pointerup=up
                on:pointercancel=up
            >
                <path d=move || drawing.with(Signature::path) />
            </svg>
            <div role="alert">{move || problem.get().map(|message| view! { <p class="alert">{message}</p> })}</div>
            <div class="signature-actions">
                <button type="button" class="button-primary" on:click=send disabled=move || sending.get()>
                    {move || if sending.get() { "Envoi…" } else { "Valider la signature" }}
                </button>
                <button
                    type="button"
                    class="button-secondary"
                    on:click=move |_| {
                        problem.set(None);
                        drawing.set(Signature::new());
                    }
                >
                    "Effacer"
                </button>
                <button type="button" class="button-secondary" on:click=move |_| on_cancel.run(())>
                    "Annuler"
                </button>
            </div>
        </div>
    }
}

/// The staff member's own signature on the sheet, for the session's running.
#[island]
pub fn OwnSignature(session: SessionId, signed: Option<SignatureMark>) -> impl IntoView {
    let mark = RwSignal::new(signed);
    let open = RwSignal::new(false);
    // Drawing needs the page's code: the button shows once it runs.
    let alive = RwSignal::new(false);
    Effect::new(move || alive.set(true));
    view! {
        <section class="panel" aria-labelledby="signature-animation">
            <h2 id="signature-animation">"Votre signature (animation)"</h2>
            {move || {
                mark.get().map(|mark| view! { <SignatureImage mark who="vous".to_string() /> })
            }}
            <button
                type="button"
                class="button-secondary"
                hidden=move || !alive.get() || open.get()
                on:click=move |_| open.set(true)
            >
                {move || if mark.with(Option::is_some) { "Signer de nouveau" } else { "Signer la feuille" }}
            </button>
            {move || {
                open.get()
                    .then(|| {
                        view! {
                            <SignaturePad
                                session
                                participant=None
                                label="Votre signature".to_string()
                                on_signed=Callback::new(move |signed| {
                                    mark.set(Some(signed));
                                    open.set(false);
                                })
                                on_cancel=Callback::new(move |()| open.set(false))
                            />
                        }
                    })
            }}
            <noscript>
                <p>"Sans JavaScript, signez la feuille imprimée."</p>
            </noscript>
        </section>
    }
}
