//! The sign-in sheet as an A4 PDF: the session's facts on top, then a table with one row per
//! person (name, structure, attendance, a box to sign in), a few empty rows for people who come
//! without being enrolled, the totals, and the facilitators' signatures. Signatures drawn on
//! the phone are traced in their boxes, with the time they were drawn. Long tables continue
//! on further pages, each with its column headings and "page n / N".
//!
//! The font is DejaVu Sans, embedded (and subset by krilla): it covers French and most names.

use super::SheetContent;
use krilla::Document;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::metadata::Metadata;
use krilla::page::PageSettings;
use krilla::paint::{Fill, LineCap, LineJoin, Stroke};
use krilla::surface::Surface;
use krilla::text::{Font, TextDirection};
use std::sync::LazyLock;
use toile_shared::signature::Signature;

static REGULAR: &[u8] = include_bytes!("../../../fonts/DejaVuSans.ttf");
static BOLD: &[u8] = include_bytes!("../../../fonts/DejaVuSans-Bold.ttf");

pub(super) static FONTS: LazyLock<(Font, Font)> = LazyLock::new(|| {
    let font = |data: &'static [u8]| Font::new(data.into(), 0).expect("the embedded DejaVu font parses");
    (font(REGULAR), font(BOLD))
});

pub(super) const WIDTH: f32 = 595.28;
pub(super) const HEIGHT: f32 = 841.89;
pub(super) const MARGIN: f32 = 40.0;
const ROW: f32 = 30.0;
/// Rows left empty for people who come without being enrolled.
const WALK_IN_ROWS: usize = 3;
/// Columns: name, structure, attendance, signature (x where each starts).
const COLUMNS: [f32; 4] = [MARGIN, 225.0, 345.0, 425.0];
const HEADINGS: [&str; 4] = ["Nom et prénom", "Structure", "Présence", "Signature"];

/// A line that fits `width` points at `size`: DejaVu Sans glyphs average under 0.6 em, so this
/// cuts long names a little early rather than letting them run into the next column.
pub(super) fn fit(text: &str, size: f32, width: f32) -> String {
    let max = ((width - 6.0) / (size * 0.6)).floor().max(1.0) as usize;
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let cut: String = text.chars().take(max.saturating_sub(1)).collect();
        format!("{}…", cut.trim_end())
    }
}

pub(super) struct Pen<'a, 'b> {
    pub(super) surface: Surface<'a>,
    pub(super) fonts: &'b (Font, Font),
}

impl Pen<'_, '_> {
    pub(super) fn text(&mut self, x: f32, y: f32, size: f32, bold: bool, text: &str) {
        let font = if bold { self.fonts.1.clone() } else { self.fonts.0.clone() };
        self.surface.set_fill(Some(Fill::default()));
        self.surface.draw_text(Point::from_xy(x, y), font, size, text, false, TextDirection::Auto);
    }

    pub(super) fn rect(&mut self, x: f32, y: f32, w: f32, h: f32) {
        let mut path = PathBuilder::new();
        if let Some(rect) = Rect::from_xywh(x, y, w, h) {
            path.push_rect(rect);
        }
        if let Some(path) = path.finish() {
            self.surface.set_fill(None);
            self.surface.set_stroke(Some(Stroke { width: 0.6, ..Stroke::default() }));
            self.surface.draw_path(&path);
            self.surface.set_stroke(None);
        }
    }

    /// Traces a drawn signature with its top-left corner at (x, y), `scale` points per unit.
    fn signature(&mut self, x: f32, y: f32, scale: f32, signature: &Signature) {
        let mut path = PathBuilder::new();
        for stroke in signature.strokes() {
            let point = |(px, py): (u16, u16)| (x + f32::from(px) * scale, y + f32::from(py) * scale);
            let (first, rest) = stroke.split_first().expect("a stroke has a point");
            let (fx, fy) = point(*first);
            path.move_to(fx, fy);
            // A dot is a stroke of no length: round caps draw it.
            path.line_to(fx, fy);
            for next in rest {
                let (nx, ny) = point(*next);
                path.line_to(nx, ny);
            }
        }
        if let Some(path) = path.finish() {
            self.surface.set_fill(None);
            self.surface.set_stroke(Some(Stroke {
                width: 1.0,
                line_cap: LineCap::Round,
                line_join: LineJoin::Round,
                ..Stroke::default()
            }));
            self.surface.draw_path(&path);
            self.surface.set_stroke(None);
        }
    }

    fn table_heading(&mut self, y: f32) {
        for (x, heading) in COLUMNS.iter().zip(HEADINGS) {
            self.text(x + 3.0, y + 14.0, 9.0, true, heading);
        }
        self.grid(y, 20.0);
    }

    fn grid(&mut self, y: f32, height: f32) {
        let right = WIDTH - MARGIN;
        for (i, x) in COLUMNS.iter().enumerate() {
            let end = COLUMNS.get(i + 1).copied().unwrap_or(right);
            self.rect(*x, y, end - x, height);
        }
    }

    pub(super) fn footer(&mut self, page: usize, pages: usize) {
        self.text(MARGIN, HEIGHT - 24.0, 8.0, false, &format!("Page {page} / {pages}"));
    }
}

/// Where the facts on top of the first page end (`header` draws down to there).
const HEADER_BOTTOM: f32 = MARGIN + 12.0 + 22.0 + 22.0 + 18.0 + 6.0 * 14.0 + 14.0;

/// The facts on top of the first page; returns where the table starts (`HEADER_BOTTOM`).
fn header(pen: &mut Pen, sheet: &SheetContent) -> f32 {
    let text_width = WIDTH - 2.0 * MARGIN;
    let mut y = MARGIN + 12.0;
    pen.text(MARGIN, y, 9.0, false, &fit(&sheet.group, 9.0, text_width));
    y += 22.0;
    pen.text(MARGIN, y, 16.0, true, "Feuille d'émargement");
    y += 22.0;
    pen.text(MARGIN, y, 12.0, true, &fit(&sheet.title, 12.0, text_width));
    y += 18.0;
    let facts = [
        ("Type", sheet.kind.clone()),
        ("Date", sheet.date.clone()),
        ("Horaire", sheet.hours.clone()),
        ("Lieu", if sheet.place.is_empty() { "—".into() } else { sheet.place.clone() }),
        ("Organisée par", sheet.organiser.clone()),
        ("Animation", sheet.facilitators.join(", ")),
    ];
    for (label, value) in facts {
        pen.text(MARGIN, y, 9.0, true, label);
        pen.text(MARGIN + 80.0, y, 9.0, false, &fit(&value, 9.0, text_width - 80.0));
        y += 14.0;
    }
    pen.text(MARGIN, y, 8.0, false, &fit(&sheet.mention, 8.0, text_width));
    y + 14.0
}

/// The end of the sheet: totals and the facilitators' signatures.
fn closing(pen: &mut Pen, sheet: &SheetContent, y: f32) {
    pen.text(MARGIN, y + 18.0, 9.0, true, &sheet.totals);
    // The seal and its hash on two lines: the hash alone is 64 characters.
    let (closed, hash) = match sheet.seal.split_once(". Empreinte") {
        Some((closed, hash)) => (format!("{closed}."), format!("Empreinte{hash}")),
        None => (sheet.seal.clone(), String::new()),
    };
    pen.text(MARGIN, y + 31.0, 7.0, false, &fit(&closed, 7.0, WIDTH - 2.0 * MARGIN));
    pen.text(MARGIN, y + 40.0, 7.0, false, &fit(&hash, 7.0, WIDTH - 2.0 * MARGIN));
    pen.text(MARGIN, y + 50.0, 9.0, true, "Signature de l'animation");
    pen.rect(MARGIN, y + 56.0, WIDTH - 2.0 * MARGIN, 56.0);
    // Those who signed on the phone, side by side: name, signature, time.
    let width = (WIDTH - 2.0 * MARGIN) / STAFF_SIGNATURES as f32;
    for (i, (name, signed)) in sheet.staff_signatures.iter().take(STAFF_SIGNATURES).enumerate() {
        let x = MARGIN + i as f32 * width + 4.0;
        pen.text(x, y + 66.0, 7.0, false, &fit(&format!("{name}, {}", signed.time), 7.0, width - 8.0));
        pen.signature(x, y + 70.0, 0.4, &signed.strokes);
    }
}

/// Staff signatures the closing has room for.
const STAFF_SIGNATURES: usize = 4;
/// Points per signature unit in a row's box: 300 × 100 units in 66 × 22 points.
const ROW_SIGNATURE_SCALE: f32 = 0.22;

/// Space the closing needs below the table.
const CLOSING: f32 = 120.0;

/// How the rows fall on pages: the first page has the facts, the last the closing.
fn paginate(rows: usize, first_top: f32) -> Vec<std::ops::Range<usize>> {
    let bottom = HEIGHT - MARGIN - 20.0;
    let fits = |top: f32, closing: bool| {
        let room = bottom - top - 20.0 - if closing { CLOSING } else { 0.0 };
        (room / ROW).floor().max(1.0) as usize
    };
    let mut pages = Vec::new();
    let mut start = 0;
    let mut top = first_top;
    loop {
        let left = rows - start;
        if left <= fits(top, true) {
            pages.push(start..rows);
            return pages;
        }
        let take = fits(top, false).min(left);
        pages.push(start..start + take);
        start += take;
        top = MARGIN;
    }
}

/// The sheet as PDF bytes.
pub fn render(sheet: &SheetContent) -> Result<Vec<u8>, String> {
    let fonts = &*FONTS;
    let mut lines: Vec<Option<&super::SheetRow>> = sheet.rows.iter().map(Some).collect();
    lines.extend(std::iter::repeat_n(None, WALK_IN_ROWS));
    let mut document = Document::new();
    document.set_metadata(
        Metadata::new()
            .title(format!("Feuille d'émargement — {} — {}", sheet.title, sheet.date))
            .language("fr".into())
            .creator("Toile".into()),
    );
    let pages = paginate(lines.len(), HEADER_BOTTOM);
    for (index, range) in pages.iter().enumerate() {
        let mut page = document.start_page_with(PageSettings::from_wh(WIDTH, HEIGHT).expect("A4"));
        let mut pen = Pen { surface: page.surface(), fonts };
        let mut y = if index == 0 { header(&mut pen, sheet) } else { MARGIN };
        pen.table_heading(y);
        y += 20.0;
        for line in &lines[range.clone()] {
            if let Some(row) = line {
                let name = format!("{} {}", row.last_name.to_uppercase(), row.first_name);
                pen.text(COLUMNS[0] + 3.0, y + 18.0, 10.0, false, &fit(&name, 10.0, COLUMNS[1] - COLUMNS[0]));
                pen.text(COLUMNS[1] + 3.0, y + 18.0, 9.0, false, &fit(&row.structure, 9.0, COLUMNS[2] - COLUMNS[1]));
                let attendance =
                    if row.overbooked { format!("{} (surnombre)", row.attendance) } else { row.attendance.clone() };
                pen.text(COLUMNS[2] + 3.0, y + 18.0, 9.0, false, &fit(attendance.trim(), 9.0, COLUMNS[3] - COLUMNS[2]));
                if let Some(signed) = &row.signature {
                    pen.signature(COLUMNS[3] + 3.0, y + 4.0, ROW_SIGNATURE_SCALE, &signed.strokes);
                    pen.text(COLUMNS[3] + 74.0, y + 18.0, 7.0, false, &format!("signé {}", signed.time));
                }
            }
            pen.grid(y, ROW);
            y += ROW;
        }
        if index + 1 == pages.len() {
            closing(&mut pen, sheet, y);
        }
        pen.footer(index + 1, pages.len());
    }
    document.finish().map_err(|error| format!("{error:?}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lists_continue_on_further_pages_with_the_closing_on_the_last() {
        assert_eq!(paginate(5, 250.0), vec![0..5]);
        let pages = paginate(60, 250.0);
        assert!(pages.len() >= 3, "{pages:?}");
        assert_eq!(pages.first().unwrap().start, 0);
        assert_eq!(pages.last().unwrap().end, 60);
        assert!(pages.windows(2).all(|w| w[0].end == w[1].start), "no row lost or repeated: {pages:?}");
    }

    #[test]
    fn a_name_too_long_for_its_column_is_cut_with_an_ellipsis() {
        assert_eq!(fit("Amina", 10.0, 100.0), "Amina");
        let cut = fit(&"Benali-".repeat(10), 10.0, 100.0);
        assert!(cut.ends_with('…') && cut.chars().count() < 20, "{cut}");
    }
}
