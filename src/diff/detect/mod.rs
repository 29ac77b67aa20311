//! One detector per family of changes; each reads a [`super::Context`] and appends changes.

pub mod events;
pub mod identity;
pub mod properties;
pub mod routing;
mod schema;
