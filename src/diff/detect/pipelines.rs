//! Changes of a pipeline that both sides define: its source, the events it routes, its
//! destinations and its transformations (which, and in which order).

use super::resource::Resource;
use crate::diff::pair::{self, Pair};
use crate::diff::{Change, ChangeKind, Context};
use crate::model::Kind;

pub fn detect(cx: &Context, out: &mut Vec<Change>) {
    use ChangeKind::*;
    for p in pair::by_name(&cx.base.pipelines, &cx.head.pipelines) {
        let Pair::Both(name, b, h) = p else {
            continue;
        };
        if cx.skipped(Kind::Pipeline, name) {
            continue;
        }
        let mut r = Resource::new(cx, Kind::Pipeline, name);
        if b.source != h.source {
            r.changed(PipelineSourceChanged, "source", &b.source, &h.source);
        }
        r.entries(
            (PipelineEventsAdded, PipelineEventsRemoved),
            "events",
            &b.events,
            &h.events,
        );
        r.entries(
            (PipelineDestinationAdded, PipelineDestinationRemoved),
            "destinations",
            &b.destinations,
            &h.destinations,
        );
        r.entries(
            (PipelineTransformationAdded, PipelineTransformationRemoved),
            "transformations",
            &b.transformations,
            &h.transformations,
        );
        // Transformations apply in order; the same ones in another order is a change too.
        let sorted = |v: &[String]| {
            let mut v = v.to_vec();
            v.sort();
            v
        };
        if b.transformations != h.transformations
            && sorted(&b.transformations) == sorted(&h.transformations)
        {
            r.changed(
                PipelineTransformationsReordered,
                "transformations",
                &b.transformations,
                &h.transformations,
            );
        }
        r.finish(out);
    }
}
