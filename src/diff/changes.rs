//! The change set as data: what changed between base and head, with both locations. What a
//! change means (breaking, needs review, safe) is decided by the `contrail.compat` policy.

use serde::{Serialize, Serializer};

use crate::finding::FieldPath;
use crate::model::{Compatibility, Kind};

macro_rules! change_kinds {
    ($($variant:ident = $name:literal),* $(,)?) => {
        /// Every kind of change, named `subject.change` (docs/format.md lists them).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum ChangeKind {
            $($variant),*
        }

        impl ChangeKind {
            pub const ALL: &'static [ChangeKind] = &[$(ChangeKind::$variant),*];

            pub fn as_str(self) -> &'static str {
                match self {
                    $(ChangeKind::$variant => $name),*
                }
            }
        }
    };
}

change_kinds! {
    EventAdded = "event.added",
    EventRemoved = "event.removed",
    EventRemovedBeforeSunset = "event.removed_before_sunset",
    EventRetired = "event.retired",
    EventRenamed = "event.renamed",
    EventLifecycleChanged = "event.lifecycle_changed",
    EventDeprecatedWithoutSunset = "event.deprecated_without_sunset",
    EventDescriptionChanged = "event.description_changed",
    AdditionalPropertiesClosed = "additional_properties.closed",
    AdditionalPropertiesOpened = "additional_properties.opened",
    PropertyAddedOptional = "property.added_optional",
    PropertyAddedRequired = "property.added_required",
    PropertyRemoved = "property.removed",
    PropertyRemovedBeforeSunset = "property.removed_before_sunset",
    PropertyRetired = "property.retired",
    PropertyRenamed = "property.renamed",
    PropertyMadeRequired = "property.made_required",
    PropertyMadeOptional = "property.made_optional",
    PropertyLifecycleChanged = "property.lifecycle_changed",
    PropertyDeprecatedWithoutSunset = "property.deprecated_without_sunset",
    PropertyDescriptionChanged = "property.description_changed",
    TypeNarrowed = "type.narrowed",
    TypeWidened = "type.widened",
    TypeChanged = "type.changed",
    EnumValueAdded = "enum.value_added",
    EnumValueRemoved = "enum.value_removed",
    ConstraintTightened = "constraint.tightened",
    ConstraintRelaxed = "constraint.relaxed",
    PatternChanged = "pattern.changed",
    FormatAdded = "format.added",
    FormatRemoved = "format.removed",
    FormatChanged = "format.changed",
    DefaultChanged = "default.changed",
    PiiLowered = "pii.lowered",
    PiiRaised = "pii.raised",
    PiiClassified = "pii.classified",
    ConsentPurposeAdded = "consent.purpose_added",
    ConsentPurposeRemoved = "consent.purpose_removed",
    ResidencyChanged = "residency.changed",
    DestinationNewEvent = "destination.new_event",
    DestinationNewProperty = "destination.new_property",
    DestinationNoLongerReceivesEvent = "destination.no_longer_receives_event",
    DestinationNoLongerReceivesProperty = "destination.no_longer_receives_property",
    DestinationTypeChanged = "destination.type_changed",
    DestinationEnvironmentChanged = "destination.environment_changed",
    DestinationRegionChanged = "destination.region_changed",
    DestinationPiiCapRaised = "destination.pii_cap_raised",
    DestinationPiiCapLowered = "destination.pii_cap_lowered",
    DestinationRetentionLengthened = "destination.retention_lengthened",
    DestinationRetentionShortened = "destination.retention_shortened",
    DestinationAcceptsDirectPlain = "destination.accepts_direct_plain",
    DestinationAcceptsDirectHashed = "destination.accepts_direct_hashed",
    DestinationConsentPurposeAdded = "destination.consent_purpose_added",
    DestinationConsentPurposeRemoved = "destination.consent_purpose_removed",
    DestinationAllowlistAdded = "destination.allowlist_added",
    DestinationAllowlistRemoved = "destination.allowlist_removed",
    DestinationEventsAdded = "destination.events_added",
    DestinationEventsRemoved = "destination.events_removed",
    DestinationDenyAdded = "destination.deny_added",
    DestinationDenyRemoved = "destination.deny_removed",
    SourcePlatformChanged = "source.platform_changed",
    SourceRegionChanged = "source.region_changed",
    SourceEventsAdded = "source.events_added",
    SourceEventsRemoved = "source.events_removed",
    PipelineSourceChanged = "pipeline.source_changed",
    PipelineEventsAdded = "pipeline.events_added",
    PipelineEventsRemoved = "pipeline.events_removed",
    PipelineDestinationAdded = "pipeline.destination_added",
    PipelineDestinationRemoved = "pipeline.destination_removed",
    PipelineTransformationAdded = "pipeline.transformation_added",
    PipelineTransformationRemoved = "pipeline.transformation_removed",
    PipelineTransformationsReordered = "pipeline.transformations_reordered",
    TransformationEventsAdded = "transformation.events_added",
    TransformationEventsRemoved = "transformation.events_removed",
    TransformationProtectionAdded = "transformation.protection_added",
    TransformationProtectionRemoved = "transformation.protection_removed",
    TransformationEnrichmentAdded = "transformation.enrichment_added",
    TransformationEnrichmentRemoved = "transformation.enrichment_removed",
    TransformationStepsChanged = "transformation.steps_changed",
    IdentityRuleAdded = "identity.rule_added",
    IdentityRuleRemoved = "identity.rule_removed",
    IdentityMatchKeyAdded = "identity.match_key_added",
    IdentityMatchKeyRemoved = "identity.match_key_removed",
    IdentityMatchKeyChanged = "identity.match_key_changed",
    IdentityPrecedenceChanged = "identity.precedence_changed",
    IdentityMergeChanged = "identity.merge_changed",
}

impl Serialize for ChangeKind {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl std::fmt::Display for ChangeKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A place in one side's resources, as policies address it (`{kind, name, field}`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct At {
    pub kind: Kind,
    pub name: String,
    #[serde(serialize_with = "dotted")]
    pub field: FieldPath,
}

impl At {
    pub fn new(kind: Kind, name: &str, field: FieldPath) -> Self {
        Self {
            kind,
            name: name.to_string(),
            field,
        }
    }
}

fn dotted<S: Serializer>(path: &FieldPath, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(path)
}

/// A value on each side.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Sides<T> {
    pub base: T,
    pub head: T,
}

/// One change between base and head.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Change {
    pub kind: ChangeKind,
    /// The event whose payloads the change concerns (its compatibility mode applies); for a
    /// rename or a removal, the event's name on the side where it still exists.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event: Option<String>,
    /// The property concerned, by its head name (its base name for a removal).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub property: Option<String>,
    /// The changed field of the property (`pattern`, `max_length`, `items.type`) or of the
    /// routing resource (`region`, `steps`), when the change is about one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// The value before and after (`null` when absent on that side).
    pub from: serde_json::Value,
    pub to: serde_json::Value,
    /// The compatibility mode that judges it: the event's `compatibility`, else the
    /// configuration's.
    pub mode: Compatibility,
    /// Every event the change reaches (a property's events; a destination's new events; the
    /// events a routing resource carries on either side).
    pub events: Vec<String>,
    /// Where the new state is, in head; `null` when nothing there holds it (a removal).
    pub head: Option<At>,
    /// Where the old state was, in base; `null` for an addition.
    pub base: Option<At>,
    /// The event's `additional_properties` on each side (`true` = open), for changes at an
    /// event that exists on both sides.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub open: Option<Sides<bool>>,
    /// Whether the property is required at the event, for a property added or removed
    /// there (on the side where it exists).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub required: Option<bool>,
    /// The event's `version` on each side, for changes at an event.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<Sides<Option<i64>>>,
    /// Why the change could not be fully judged: what it depends on was in a base file that
    /// could not be read. The reviewer diff then never calls it safe.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unknown: Option<String>,
}

impl Change {
    pub fn new(kind: ChangeKind, mode: Compatibility) -> Self {
        Self {
            kind,
            event: None,
            property: None,
            field: None,
            from: serde_json::Value::Null,
            to: serde_json::Value::Null,
            mode,
            events: Vec::new(),
            head: None,
            base: None,
            open: None,
            required: None,
            version: None,
            unknown: None,
        }
    }

    pub fn values(mut self, from: impl Serialize, to: impl Serialize) -> Self {
        self.from = serde_json::to_value(from).unwrap_or_default();
        self.to = serde_json::to_value(to).unwrap_or_default();
        self
    }

    pub fn at(mut self, base: Option<At>, head: Option<At>) -> Self {
        self.base = base;
        self.head = head;
        self
    }
}
