//! A signature drawn with a finger on the sign-in sheet (émargement): strokes of points in a
//! box of `WIDTH` × `HEIGHT` units, written as SVG path data — `M12 40 13 41 15 44M60 50 …`,
//! each `M` starting a stroke and the pairs after it the points the finger went through.
//!
//! One form everywhere: the page draws that path while the finger moves, the server checks and
//! stores it, the seal hashes it, the PDF traces it. It stays small: the page drops points
//! closer than `MIN_STEP` to the previous one, and a signature holds at most `MAX_POINTS`
//! (about 5 KB), which a cheap phone on a slow network sends in one go.

use thiserror::Error;

/// The box a signature is drawn in, in units (3:1, the shape of a signature line).
pub const WIDTH: u16 = 300;
pub const HEIGHT: u16 = 100;
/// The most points a signature holds: a full name written slowly takes about 300.
pub const MAX_POINTS: usize = 600;
/// Points closer than this to the previous one add nothing a reader could see.
pub const MIN_STEP: f64 = 2.0;
/// The least ink a signature takes, in units: below that it is a tap, not a signature.
pub const MIN_INK: f64 = 30.0;
/// The longest path text `parse` reads: `MAX_POINTS` pairs of "300 100 ".
pub const MAX_PATH_CHARS: usize = MAX_POINTS * 8 + 64;

/// Why a drawn signature is refused.
#[derive(Clone, Copy, Debug, Error, PartialEq, Eq)]
pub enum SignatureError {
    #[error("La signature est vide : signez dans le cadre avec le doigt.")]
    Empty,
    #[error("La signature est trop longue : effacez-la et signez plus simplement.")]
    TooLong,
    #[error("La signature n'a pas pu être lue : effacez-la et signez de nouveau.")]
    Malformed,
}

impl SignatureError {
    /// Stable code for API clients and tests.
    pub fn code(self) -> &'static str {
        match self {
            SignatureError::Empty => "signature_empty",
            SignatureError::TooLong => "signature_too_long",
            SignatureError::Malformed => "signature_malformed",
        }
    }
}

/// Strokes of points, each within the box.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Signature {
    strokes: Vec<Vec<(u16, u16)>>,
}

fn clamp(x: f64, y: f64) -> (u16, u16) {
    let x = x.round().clamp(0.0, f64::from(WIDTH)) as u16;
    let y = y.round().clamp(0.0, f64::from(HEIGHT)) as u16;
    (x, y)
}

fn distance(a: (u16, u16), b: (u16, u16)) -> f64 {
    (f64::from(a.0) - f64::from(b.0)).hypot(f64::from(a.1) - f64::from(b.1))
}

impl Signature {
    pub fn new() -> Signature {
        Signature::default()
    }

    /// The strokes, in the order drawn.
    pub fn strokes(&self) -> &[Vec<(u16, u16)>] {
        &self.strokes
    }

    pub fn points(&self) -> usize {
        self.strokes.iter().map(Vec::len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.strokes.is_empty()
    }

    /// The finger touches at (x, y), in units (clamped to the box): a new stroke. Ignored once
    /// the signature is full.
    pub fn start(&mut self, x: f64, y: f64) {
        if self.points() < MAX_POINTS {
            self.strokes.push(vec![clamp(x, y)]);
        }
    }

    /// The finger moved to (x, y): the stroke goes on, unless the point is too close to the
    /// last one to show or the signature is full.
    pub fn extend(&mut self, x: f64, y: f64) {
        let full = self.points() >= MAX_POINTS;
        let point = clamp(x, y);
        if let Some(stroke) = self.strokes.last_mut()
            && !full
            && stroke.last().is_none_or(|last| distance(*last, point) >= MIN_STEP)
        {
            stroke.push(point);
        }
    }

    /// How much line was drawn, in units; a dot counts for a little.
    pub fn ink(&self) -> f64 {
        self.strokes
            .iter()
            .map(|stroke| match stroke.len() {
                1 => 1.0,
                _ => stroke.windows(2).map(|pair| distance(pair[0], pair[1])).sum(),
            })
            .sum()
    }

    /// Whether it can go on a sheet: enough ink, not too many points.
    pub fn check(&self) -> Result<(), SignatureError> {
        if self.points() > MAX_POINTS {
            Err(SignatureError::TooLong)
        } else if self.ink() < MIN_INK {
            Err(SignatureError::Empty)
        } else {
            Ok(())
        }
    }

    /// The SVG path data. A one-point stroke (a dot) repeats its point, so that a round line
    /// cap draws it.
    pub fn path(&self) -> String {
        let mut path = String::new();
        for stroke in &self.strokes {
            path.push('M');
            let dot = (stroke.len() == 1).then(|| stroke[0]);
            for (i, (x, y)) in stroke.iter().chain(dot.iter()).enumerate() {
                if i > 0 {
                    path.push(' ');
                }
                path.push_str(&format!("{x} {y}"));
            }
        }
        path
    }

    /// Reads path data written by `path` (spaces may vary) and checks it.
    pub fn parse(text: &str) -> Result<Signature, SignatureError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(SignatureError::Empty);
        }
        if text.len() > MAX_PATH_CHARS {
            return Err(SignatureError::TooLong);
        }
        let Some(body) = text.strip_prefix('M') else { return Err(SignatureError::Malformed) };
        let mut strokes = Vec::new();
        for part in body.split('M') {
            let numbers: Vec<u16> = part
                .split_ascii_whitespace()
                .map(|n| n.parse::<u16>().map_err(|_| SignatureError::Malformed))
                .collect::<Result<_, _>>()?;
            if numbers.is_empty() || !numbers.len().is_multiple_of(2) {
                return Err(SignatureError::Malformed);
            }
            let stroke: Vec<(u16, u16)> = numbers.chunks(2).map(|pair| (pair[0], pair[1])).collect();
            if stroke.iter().any(|&(x, y)| x > WIDTH || y > HEIGHT) {
                return Err(SignatureError::Malformed);
            }
            strokes.push(stroke);
        }
        let signature = Signature { strokes };
        signature.check()?;
        Ok(signature)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scribble() -> Signature {
        let mut signature = Signature::new();
        signature.start(10.0, 50.0);
        for step in 1..=40 {
            signature.extend(10.0 + f64::from(step) * 5.0, 50.0 + if step % 2 == 0 { 20.0 } else { -20.0 });
        }
        signature.start(250.0, 80.0);
        signature
    }

    #[test]
    fn a_drawn_signature_is_written_and_read_back_the_same() {
        let signature = scribble();
        let path = signature.path();
        assert!(path.starts_with("M10 50 15 30 20 70"), "{path}");
        assert!(path.ends_with("M250 80 250 80"), "a dot repeats its point: {path}");
        let read = Signature::parse(&path).unwrap();
        assert_eq!(read.path(), path, "the stored form is stable");
        assert_eq!(read.strokes().len(), 2);
    }

    #[test]
    fn a_tap_is_not_a_signature() {
        let mut tap = Signature::new();
        tap.start(100.0, 50.0);
        tap.extend(103.0, 51.0);
        assert_eq!(tap.check(), Err(SignatureError::Empty));
        assert_eq!(Signature::parse(&tap.path()), Err(SignatureError::Empty));
        assert_eq!(Signature::parse("  "), Err(SignatureError::Empty));
    }

    #[test]
    fn points_too_close_to_show_are_dropped_and_the_box_is_kept() {
        let mut signature = Signature::new();
        signature.start(-20.0, 500.0);
        signature.extend(0.4, 99.6);
        signature.extend(1.0, 100.0);
        signature.extend(900.0, 100.0);
        assert_eq!(signature.strokes(), &[vec![(0, 100), (300, 100)]]);
    }

    #[test]
    fn a_signature_holds_a_bounded_number_of_points() {
        let mut signature = Signature::new();
        signature.start(0.0, 0.0);
        for i in 0..2000 {
            signature.extend(f64::from(i % 2) * 300.0, f64::from(i % 100));
        }
        assert_eq!(signature.points(), MAX_POINTS);
        assert!(signature.check().is_ok());
        assert!(signature.path().len() <= MAX_PATH_CHARS, "{}", signature.path().len());
        let too_many = format!("M{}", "300 100 0 0 ".repeat(MAX_POINTS / 2 + 1));
        assert_eq!(Signature::parse(&too_many), Err(SignatureError::TooLong));
    }

    #[test]
    fn anything_but_points_in_the_box_is_refused() {
        for bad in [
            "L10 10 20 20",
            "M10 10 20",
            "M10 10 20 20Z",
            "M10 -1 20 20",
            "M301 10 20 20",
            "M10 101 20 20",
            "M10 10 200 20<script>",
            "M1e2 10 20 20",
            "MM10 10 200 20",
        ] {
            assert_eq!(Signature::parse(bad), Err(SignatureError::Malformed), "{bad}");
        }
        assert!(Signature::parse("M10 10   200 20 ").is_ok(), "spaces may vary");
    }
}
