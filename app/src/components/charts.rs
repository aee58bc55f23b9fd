//! Charts drawn on the server as SVG inside the page: readable without JavaScript, on a phone and
//! on paper, and nothing shipped to the browser. Small components rather than a chart crate: the
//! crates that draw SVG (plotters and the like) draw text as paths or need fonts, and give no
//! `<title>`/`<desc>`; these are a few rectangles and words. Each chart is an image with a name
//! and a description, and the page puts the same numbers in a table next to it.
//!
//! Colours are the Okabe–Ito pair (blue, orange), told apart by colour-blind readers and in grey
//! on paper (one is dark, one light); every bar also carries its value in words.

use leptos::prelude::*;

/// The first series' colour (dark blue) and the second's (orange).
const SERIES_COLOURS: [&str; 2] = ["#0072B2", "#E69F00"];

/// Horizontal bars in percent, one group per row (a month, a structure), one bar per series.
/// Rows grow downwards, so a year of months or thirty structures stays readable. Drawn twice,
/// CSS showing one: for a wide screen with the labels left of the bars, and for a phone with
/// each label above its bars, so the words stay at least 12 px where a wide drawing shrunk to
/// the phone's width would bring them down to 6.
#[component]
pub fn PercentBars(
    /// Unique in the page: names the title and description.
    id: &'static str,
    /// What the chart shows, in words: "72 % des places occupées de septembre à novembre".
    title: String,
    /// The series' names, in the colours' order: "Places occupées", "Présents".
    series: Vec<&'static str>,
    /// Each row's label and its values (None when there is nothing to measure).
    rows: Vec<(String, Vec<Option<u32>>)>,
) -> impl IntoView {
    // The scale ends at 100 %, or further when a session was overbooked.
    let top = rows.iter().flat_map(|(_, v)| v.iter().flatten()).copied().max().unwrap_or(0).max(100);
    let desc = format!(
        "Barres horizontales, une ligne par {}, de 0 à {top} %. Les mêmes chiffres sont dans le tableau qui suit.",
        if rows.len() > 1 { "ligne du tableau" } else { "valeur" },
    );
    let chart = Chart { id, title, desc, series, top };
    view! {
        {chart.wide(&rows)}
        {chart.narrow(&rows)}
    }
}

/// What both drawings of a `PercentBars` share.
struct Chart {
    id: &'static str,
    title: String,
    desc: String,
    series: Vec<&'static str>,
    top: u32,
}

impl Chart {
    /// The chart as an image with its name and description: `drawing` inside an SVG of
    /// `width` × `height` units, scaled to the width the CSS gives `class`.
    fn image(&self, class: &'static str, suffix: &str, width: u32, height: u32, drawing: AnyView) -> AnyView {
        let title_id = format!("{}{suffix}-titre", self.id);
        let desc_id = format!("{}{suffix}-desc", self.id);
        let labelled_by = format!("{title_id} {desc_id}");
        view! {
            <svg
                class=format!("chart {class}")
                role="img"
                aria-labelledby=labelled_by
                viewBox=format!("0 0 {width} {height}")
                width="100%"
                preserveAspectRatio="xMinYMin meet"
            >
                <title id=title_id>{self.title.clone()}</title>
                <desc id=desc_id>{self.desc.clone()}</desc>
                {drawing}
            </svg>
        }
        .into_any()
    }

    /// Labels left of the bars, 600 units wide: shown from 40rem, where a unit is a pixel or more.
    fn wide(&self, rows: &[(String, Vec<Option<u32>>)]) -> AnyView {
        const WIDTH: u32 = 600;
        const LABEL: u32 = 150;
        const BAR: u32 = 14;
        const GAP: u32 = 12;
        const LEGEND: u32 = 28;
        let plot = WIDTH - LABEL - 60;
        let group = BAR * self.series.len() as u32 + GAP;
        let height = LEGEND + group * rows.len().max(1) as u32 + 4;
        let legend = self.legend(|i| (LABEL + i * 170, 6));
        let style = Bars { left: LABEL, plot, pitch: BAR, thickness: BAR - 2, words_rise: 2, words_size: "12" };
        let bars = self.rows(rows, LEGEND, group, &style, |top, label, bars| {
            let middle = top + (BAR * bars) / 2 + 4;
            view! {
                <text x=LABEL - 6 y=middle font-size="12" text-anchor="end">
                    {shortened(label, 22)}
                </text>
            }
            .into_any()
        });
        let hundred = LABEL + 100 * plot / self.top;
        let drawing = view! {
            {legend}
            <line x1=LABEL y1=LEGEND - 2 x2=LABEL y2=height stroke="#555" />
            <line x1=hundred y1=LEGEND - 2 x2=hundred y2=height stroke="#999" stroke-dasharray="3 3" />
            {bars}
        };
        self.image("chart-wide", "", WIDTH, height, drawing.into_any())
    }

    /// Each label above its bars, 300 units wide for a phone: at 320 px a unit is 0.96 px, so
    /// the 13-unit words read at 12.5 px.
    fn narrow(&self, rows: &[(String, Vec<Option<u32>>)]) -> AnyView {
        const WIDTH: u32 = 300;
        const LINE: u32 = 20;
        const BAR: u32 = 18;
        const GAP: u32 = 12;
        let plot = WIDTH - 56;
        let legend_height = LINE * self.series.len() as u32 + 6;
        let group = LINE + BAR * self.series.len() as u32 + GAP;
        let height = legend_height + group * rows.len().max(1) as u32;
        let legend = self.legend(|i| (0, i * LINE + 3));
        // The bars start a line lower than their row, under its label.
        let style = Bars { left: 0, plot, pitch: BAR, thickness: BAR - 3, words_rise: 4, words_size: "13" };
        let bars = self.rows(rows, legend_height + LINE, group, &style, |top, label, _| {
            view! {
                <text x="0" y=top - 5 font-size="13" font-weight="bold">
                    {shortened(label, 36)}
                </text>
            }
            .into_any()
        });
        let hundred = 100 * plot / self.top;
        let drawing = view! {
            {legend}
            <line x1=hundred y1=legend_height x2=hundred y2=height stroke="#999" stroke-dasharray="3 3" />
            {bars}
        };
        self.image("chart-narrow", "-etroit", WIDTH, height, drawing.into_any())
    }

    /// Each series' colour and name, the `i`-th square's top left corner at `at(i)`.
    fn legend(&self, at: impl Fn(u32) -> (u32, u32)) -> AnyView {
        self.series
            .iter()
            .enumerate()
            .map(|(i, name)| {
                let (x, y) = at(i as u32);
                view! {
                    <rect x=x y=y width="14" height="14" fill=SERIES_COLOURS[i % 2] />
                    <text x=x + 20 y=y + 12 font-size="13">
                        {*name}
                    </text>
                }
            })
            .collect_view()
            .into_any()
    }

    /// Every row, the first one's bars at `first` and each next one `group` units lower: its label,
    /// drawn by `label(top of its bars, the row's label, how many bars)`, then its bars.
    fn rows(
        &self,
        rows: &[(String, Vec<Option<u32>>)],
        first: u32,
        group: u32,
        style: &Bars,
        label: impl Fn(u32, &str, u32) -> AnyView,
    ) -> AnyView {
        rows.iter()
            .enumerate()
            .map(|(r, (name, values))| {
                let top = first + r as u32 * group;
                view! {
                    {label(top, name, values.len() as u32)}
                    {self.bars(style, top, values)}
                }
            })
            .collect_view()
            .into_any()
    }

    /// One row's bars, a series each from `top` down, each followed by its value in words.
    fn bars(&self, style: &Bars, top: u32, values: &[Option<u32>]) -> AnyView {
        values
            .iter()
            .enumerate()
            .map(|(s, value)| {
                let y = top + s as u32 * style.pitch;
                let width = value.map_or(0, |v| v * style.plot / self.top);
                view! {
                    <rect x=style.left y=y + 1 width=width height=style.thickness fill=SERIES_COLOURS[s % 2] />
                    <text x=style.left + width + 4 y=y + style.pitch - style.words_rise font-size=style.words_size>
                        {in_words(*value)}
                    </text>
                }
            })
            .collect_view()
            .into_any()
    }
}

/// How a drawing draws its bars (the wide one and the phone's differ only in these).
struct Bars {
    /// Where the bars start, and how long a bar of 100 % is, in units.
    left: u32,
    plot: u32,
    /// From one bar's top to the next's, and a bar's thickness.
    pitch: u32,
    thickness: u32,
    /// The value's words: their baseline this far above the next bar's top, their size.
    words_rise: u32,
    words_size: &'static str,
}

/// A bar's value in words: "72 %", or a dash when there was nothing to measure.
fn in_words(value: Option<u32>) -> String {
    value.map_or_else(|| "–".to_string(), |v| format!("{v} %"))
}

/// The pooling table as a heat map: darker cells for more attendances, the number written in
/// each. Drawn at its natural size and scrolled sideways on a phone rather than shrunk.
#[component]
pub fn HeatMap(
    id: &'static str,
    title: String,
    rows: Vec<String>,
    columns: Vec<String>,
    cells: Vec<Vec<u32>>,
) -> impl IntoView {
    const LABEL: u32 = 170;
    const HEADER: u32 = 110;
    const CELL_W: u32 = 64;
    const CELL_H: u32 = 30;
    let max = cells.iter().flatten().copied().max().unwrap_or(0).max(1);
    let width = LABEL + CELL_W * columns.len() as u32 + 10;
    let height = HEADER + CELL_H * rows.len() as u32 + 4;
    let title_id = format!("{id}-titre");
    let desc_id = format!("{id}-desc");
    let labelled_by = format!("{title_id} {desc_id}");
    let desc = "Carte de chaleur : en ligne la structure des personnes, en colonne la structure qui organise ; \
                plus la case est foncée, plus il y a de présences. Les mêmes chiffres sont dans le tableau qui suit.";
    let heads = columns
        .into_iter()
        .enumerate()
        .map(|(c, name)| {
            let x = LABEL + c as u32 * CELL_W + CELL_W / 2;
            let y = HEADER - 8;
            view! {
                <text x=x y=y font-size="12" transform=format!("rotate(-40 {x} {y})")>
                    {shortened(&name, 16)}
                </text>
            }
        })
        .collect_view();
    let lines = rows
        .into_iter()
        .zip(cells)
        .enumerate()
        .map(|(r, (name, values))| {
            let y = HEADER + r as u32 * CELL_H;
            let squares = values
                .into_iter()
                .enumerate()
                .map(|(c, value)| {
                    let x = LABEL + c as u32 * CELL_W;
                    let fill = heat(value, max);
                    view! {
                        <rect x=x y=y width=CELL_W - 2 height=CELL_H - 2 fill=fill stroke="#bbb" />
                        <text x=x + CELL_W / 2 - 1 y=y + CELL_H / 2 + 4 font-size="12" text-anchor="middle" fill="#111111">
                            {value}
                        </text>
                    }
                })
                .collect_view();
            view! {
                <text x=LABEL - 6 y=y + CELL_H / 2 + 4 font-size="12" text-anchor="end">
                    {shortened(&name, 24)}
                </text>
                {squares}
            }
        })
        .collect_view();
    // Scrolled sideways on a phone: a keyboard reaches the scroll too, and a screen reader
    // hears what the region holds.
    view! {
        <div class="chart-scroll" tabindex="0" role="region" aria-label="Carte de chaleur, qui défile sur le côté">
            <svg
                class="chart chart-natural"
                role="img"
                aria-labelledby=labelled_by
                viewBox=format!("0 0 {width} {height}")
                width=width
                height=height
            >
                <title id=title_id>{title}</title>
                <desc id=desc_id>{desc}</desc>
                {heads}
                {lines}
            </svg>
        </div>
    }
}

/// A cell's fill for `value` out of `max`, white to mid blue: the darkest still leaves black
/// numbers a contrast above 4.5:1, so one ink reads on every cell, on screen and on paper.
fn heat(value: u32, max: u32) -> String {
    let share = f64::from(value) / f64::from(max);
    let channel = |light: f64, dark: f64| (light + (dark - light) * share).round() as u8;
    format!("#{:02x}{:02x}{:02x}", channel(247.0, 91.0), channel(251.0, 142.0), channel(255.0, 201.0))
}

/// At most `chars` characters, the cut marked; the full text is in the table.
fn shortened(text: &str, chars: usize) -> String {
    if text.chars().count() <= chars {
        text.to_string()
    } else {
        format!("{}…", text.chars().take(chars - 1).collect::<String>().trim_end())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heat_goes_from_white_to_a_blue_that_black_numbers_still_read_on() {
        assert_eq!(heat(0, 10), "#f7fbff");
        assert_eq!(heat(10, 10), "#5b8ec9");
    }

    #[test]
    fn long_labels_are_cut_with_a_mark() {
        assert_eq!(shortened("Atelier Nord", 22), "Atelier Nord");
        assert_eq!(shortened("Structure d'insertion du Val de Lys", 12), "Structure d…");
    }
}
