package contrail.residency

import data.contrail.lib

# Built-in residency and retention rules over the catalog's exposures: one row per
# (destination, declared property, treatment), computed by contrail from the flows.

# METADATA
# title: Property stored outside its allowed regions
# description: |
#   ## What it does
#   Flags a property with `residency` that a pipeline delivers to a destination whose
#   `region` is not listed (a destination without `region` violates it too). Hashing does
#   not help; a masked property carries nothing and passes. One finding per (property,
#   destination), on the property's `residency`, naming the events and pipelines involved.
#
#   ## Why is this bad?
#   Data residency commitments (EU-only storage, local health-data laws) bind wherever the
#   data lands: one pipeline to a tool hosted elsewhere breaks them for every customer.
#
#   ## Example
#   ```yaml
#   kind: Property
#   name: postal_code
#   type: string
#   pii: indirect
#   residency: [eu]
#   ---
#   kind: Event
#   name: address_updated
#   properties: [{ ref: postal_code }]
#   ---
#   kind: Source
#   name: web
#   platform: web
#   events: ["*"]
#   ---
#   kind: Destination
#   name: product_analytics
#   type: product_analytics
#   environment: prod
#   region: us
#   pii: indirect
#   ---
#   kind: Pipeline
#   name: web_to_analytics
#   source: web
#   destinations: [product_analytics]
#   events: ["*"]
#   ```
#
#   Use instead:
#   ```yaml
#   kind: Property
#   name: postal_code
#   type: string
#   pii: indirect
#   residency: [eu]
#   ---
#   kind: Event
#   name: address_updated
#   properties: [{ ref: postal_code }]
#   ---
#   kind: Source
#   name: web
#   platform: web
#   events: ["*"]
#   ---
#   kind: Destination
#   name: product_analytics
#   type: product_analytics
#   environment: prod
#   region: us
#   pii: indirect
#   ---
#   kind: Transformation
#   name: drop_postal_code
#   events: ["*"]
#   steps: [{ drop: postal_code }]
#   ---
#   kind: Pipeline
#   name: web_to_analytics
#   source: web
#   destinations: [product_analytics]
#   events: ["*"]
#   transformations: [drop_postal_code]
#   ```
# custom:
#   id: CT207
#   name: residency-violation
#   severity: error
#   category: privacy
deny contains f if {
	some rows in lib.pair_groups(outside_rows)
	e := rows[0]
	allowed := input.properties[e.property].residency
	d := input.destinations[e.destination]
	pipelines := sort({pl | some r in rows; some pl in r.pipelines})
	events := sort({ev | some r in rows; some ev in r.events})
	f := {
		"rule": "residency-violation",
		"msg": sprintf(
			"property `%s` may be stored only in %s, but reaches destination `%s` %s, in %s via %s%s",
			[e.property, regions_text(allowed), e.destination, region_text(d), concat(", ", events), concat(", ", pipelines), lib.renamed_text(rows)],
		),
		"at": {"kind": "Property", "name": e.property, "field": "residency"},
		"help": sprintf(
			"drop or mask `%s` in a transformation of the pipeline (hashing is not enough), or route these events to a destination in %s",
			[e.property, regions_text(allowed)],
		),
		"related": [
			{"at": {"kind": "Destination", "name": e.destination, "field": "region"}, "msg": region_label(d)},
			{"at": {"kind": "Pipeline", "name": pipelines[0], "field": sprintf("destinations.%s", [e.destination])}, "msg": "routed here"},
		],
	}
}

# Delivered exposures (hashed included, masked not) of a property with `residency` at a
# destination outside it, in catalog order.
outside_rows := [e |
	some e in input.exposures
	e.treatment != "masked"
	allowed := object.get(input.properties[e.property], "residency", [])
	count(allowed) > 0
	d := input.destinations[e.destination]
	not region_allowed(allowed, d)
]

region_allowed(allowed, d) if d.region in allowed

regions_text(regions) := concat(" or ", [sprintf("`%s`", [r]) | some r in sort(regions)])

region_text(d) := sprintf("in region `%s`", [d.region]) if d.region

region_text(d) := "(no `region` declared)" if object.get(d, "region", null) == null

region_label(d) := sprintf("stores data in `%s`", [d.region]) if d.region

region_label(d) := "declares no `region`" if object.get(d, "region", null) == null

# METADATA
# title: Property kept longer than its retention
# description: |
#   ## What it does
#   Flags a property with `retention` that a pipeline delivers to a destination whose
#   `retention` is longer (a destination without `retention` is not checked). Hashing does
#   not help; a masked property carries nothing and passes. One finding per (property,
#   destination), on the property's `retention`, naming the events and pipelines involved.
#
#   ## Why is this bad?
#   A property's retention is how long the business may keep it (storage limitation, GDPR
#   art. 5); a destination that keeps everything longer keeps that property longer too.
#
#   ## Example
#   ```yaml
#   kind: Property
#   name: ip_address
#   type: string
#   pii: indirect
#   retention: 30d
#   ---
#   kind: Event
#   name: page_viewed
#   properties: [{ ref: ip_address }]
#   ---
#   kind: Source
#   name: web
#   platform: web
#   events: ["*"]
#   ---
#   kind: Destination
#   name: warehouse
#   type: warehouse
#   environment: prod
#   pii: indirect
#   retention: 2y
#   ---
#   kind: Pipeline
#   name: web_to_warehouse
#   source: web
#   destinations: [warehouse]
#   events: ["*"]
#   ```
#
#   Use instead:
#   ```yaml
#   kind: Property
#   name: ip_address
#   type: string
#   pii: indirect
#   retention: 30d
#   ---
#   kind: Event
#   name: page_viewed
#   properties: [{ ref: ip_address }]
#   ---
#   kind: Source
#   name: web
#   platform: web
#   events: ["*"]
#   ---
#   kind: Destination
#   name: warehouse
#   type: warehouse
#   environment: prod
#   pii: indirect
#   retention: 2y
#   ---
#   kind: Transformation
#   name: drop_ip
#   events: ["*"]
#   steps: [{ drop: ip_address }]
#   ---
#   kind: Pipeline
#   name: web_to_warehouse
#   source: web
#   destinations: [warehouse]
#   events: ["*"]
#   transformations: [drop_ip]
#   ```
# custom:
#   id: CT208
#   name: retention-exceeded
#   severity: error
#   category: privacy
deny contains f if {
	some rows in lib.pair_groups(longer_rows)
	e := rows[0]
	p := input.properties[e.property]
	d := input.destinations[e.destination]
	pipelines := sort({pl | some r in rows; some pl in r.pipelines})
	events := sort({ev | some r in rows; some ev in r.events})
	f := {
		"rule": "retention-exceeded",
		"msg": sprintf(
			"property `%s` may be kept %s, but destination `%s` keeps data %s, in %s via %s%s",
			[e.property, duration_text(p), e.destination, duration_text(d), concat(", ", events), concat(", ", pipelines), lib.renamed_text(rows)],
		),
		"at": {"kind": "Property", "name": e.property, "field": "retention"},
		"help": sprintf(
			"drop or mask `%s` in a transformation of the pipeline (hashing is not enough), or shorten `retention` of destination `%s` to %s or less",
			[e.property, e.destination, p.retention],
		),
		"related": [
			{"at": {"kind": "Destination", "name": e.destination, "field": "retention"}, "msg": sprintf("keeps data %s", [d.retention])},
			{"at": {"kind": "Pipeline", "name": pipelines[0], "field": sprintf("destinations.%s", [e.destination])}, "msg": "routed here"},
		],
	}
}

# `30d`, or `2y (730 days)` when the unit is not days.
duration_text(r) := r.retention if endswith(r.retention, "d")

duration_text(r) := sprintf("%s (%d days)", [r.retention, r.retention_days]) if {
	text := r.retention
	not endswith(text, "d")
}

# Delivered exposures (hashed included, masked not) at a destination that keeps data longer
# than the property's retention, in catalog order. Either retention absent: not checked.
longer_rows := [e |
	some e in input.exposures
	e.treatment != "masked"
	limit := input.properties[e.property].retention_days
	kept := input.destinations[e.destination].retention_days
	kept > limit
]
