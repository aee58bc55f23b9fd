//! Small pieces shared by the pages.

mod alert;
mod back_link;
mod charts;
mod code_card;
mod header;
mod hinted_label;
mod loaded;
mod pictogram;
mod post_button;
mod session_row;
mod status_line;

pub use alert::{Alert, action_error};
pub use back_link::BackLink;
pub use charts::{HeatMap, PercentBars};
pub use code_card::CodeCardView;
pub use header::{PageHead, SiteHeader};
pub use hinted_label::HintedLabel;
pub use loaded::{Loaded, Refusal};
pub use pictogram::Pictogram;
pub use post_button::PostButton;
pub use session_row::{SessionRow, fill};
pub use status_line::{Changes, StatusLine};
