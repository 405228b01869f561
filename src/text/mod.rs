//! Text at the lowest level, shared by every stage and depending on no other module of the
//! crate: letter folding ([`fold`]), word boundaries and whitespace ([`words`]), date values
//! and day arithmetic ([`date`]), and the format of the word lists in `data/` ([`list`]).

pub mod date;
pub mod fold;
pub mod list;
pub mod words;

pub use fold::{fold, fold_into, fold_letter};
pub use words::squash_spaces;
