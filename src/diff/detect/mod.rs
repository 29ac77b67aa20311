//! One detector per family of changes; each reads a [`super::Context`] and appends changes.

pub mod destinations;
pub mod events;
pub mod identity;
pub mod pipelines;
pub mod properties;
mod resource;
pub mod routing;
mod schema;
pub mod sources;
pub mod transformations;
