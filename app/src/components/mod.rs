//! Small pieces shared by the pages.

mod alert;
mod back_link;
mod charts;
mod code_card;
mod header;
mod loaded;
mod pictogram;
mod session_row;
mod status_line;

pub use alert::{Alert, action_error};
pub use back_link::BackLink;
pub use charts::{HeatMap, PercentBars};
pub use code_card::CodeCardView;
pub use header::SiteHeader;
pub use loaded::{Loaded, Refusal};
pub use pictogram::Pictogram;
pub use session_row::{SessionRow, fill};
pub use status_line::{Changes, StatusLine};
