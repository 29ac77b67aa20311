# Five rules of the kind a team adds on top of the built-ins, for `bench/compare.sh`: each
# reads the resource maps or `exposures` once (linear), as docs/policies.md advises.
package acme.conventions

import data.contrail.lib

# METADATA
# title: Active event without a version
# custom:
#   id: ACME101
#   name: event-without-version
#   severity: warning
#   category: quality
deny contains f if {
	some name, e in input.events
	e.lifecycle == "active"
	not e.version
	f := {"rule": "event-without-version", "msg": sprintf("event `%s` has no version", [name]), "at": {"kind": "Event", "name": name, "field": "version"}}
}

# METADATA
# title: Description shorter than ten characters
# custom:
#   id: ACME102
#   name: description-too-short
#   severity: warning
#   category: governance
warn contains f if {
	some name, p in input.properties
	d := object.get(p, "description", "")
	is_string(d)
	count(d) < 10
	f := {"rule": "description-too-short", "msg": sprintf("property `%s`: the description says too little", [name]), "at": {"kind": "Property", "name": name, "field": "description"}}
}

# METADATA
# title: Production destination without a region
# custom:
#   id: ACME103
#   name: destination-without-region
#   category: privacy
deny contains f if {
	some name, d in input.destinations
	d.environment == "prod"
	object.get(d, "region", null) == null
	f := {"rule": "destination-without-region", "msg": sprintf("destination `%s` has no region", [name]), "at": {"kind": "Destination", "name": name}}
}

# METADATA
# title: Personal data leaving the EU, even hashed
# custom:
#   id: ACME104
#   name: personal-data-outside-eu
#   category: privacy
deny contains f if {
	some x in input.exposures
	d := input.destinations[x.destination]
	object.get(d, "region", "eu") != "eu"
	lib.personal_data(input.properties[x.property])
	f := {"rule": "personal-data-outside-eu", "msg": sprintf("`%s` reaches `%s` outside the EU", [x.property, x.destination]), "at": {"kind": "Destination", "name": x.destination}}
}

# METADATA
# title: Pipeline without an owner
# custom:
#   id: ACME105
#   name: pipeline-without-owner
#   severity: warning
#   category: governance
warn contains f if {
	some name, p in input.pipelines
	object.get(p, "owner", null) == null
	f := {"rule": "pipeline-without-owner", "msg": sprintf("pipeline `%s` has no owner", [name]), "at": {"kind": "Pipeline", "name": name, "field": "owner"}}
}
