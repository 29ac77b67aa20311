//! Changes of a source that both sides define: what it runs on (`platform`), where it
//! collects (`region`) and which events it emits (`events`).

use super::resource::Resource;
use crate::diff::pair::{self, Pair};
use crate::diff::{Change, ChangeKind, Context};
use crate::model::Kind;

pub fn detect(cx: &Context, out: &mut Vec<Change>) {
    for p in pair::by_name(&cx.base.sources, &cx.head.sources) {
        let Pair::Both(name, b, h) = p else {
            continue;
        };
        if cx.skipped(Kind::Source, name) {
            continue;
        }
        let mut r = Resource::new(cx, Kind::Source, name);
        if b.platform != h.platform {
            r.changed(
                ChangeKind::SourcePlatformChanged,
                "platform",
                b.platform,
                h.platform,
            );
        }
        if b.region != h.region {
            r.changed(
                ChangeKind::SourceRegionChanged,
                "region",
                &b.region,
                &h.region,
            );
        }
        r.entries(
            (
                ChangeKind::SourceEventsAdded,
                ChangeKind::SourceEventsRemoved,
            ),
            "events",
            &b.events,
            &h.events,
        );
        r.finish(out);
    }
}
