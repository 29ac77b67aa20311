#!/usr/bin/env python3
"""Writes a synthetic contract repo for benchmarks: EVENTS events spread over files, each with
12 property refs out of a shared pool, 4 sources, 8 destinations and one pipeline per
(source, destination) with a hash/drop transformation. Deterministic for a given size.

usage: bench/generate.py OUT_DIR EVENTS
"""
import os
import sys


def main():
    out, events = sys.argv[1], int(sys.argv[2])
    properties = max(events // 2, 50)
    os.makedirs(os.path.join(out, "events"), exist_ok=True)
    os.makedirs(os.path.join(out, "properties"), exist_ok=True)
    with open(os.path.join(out, "contrail.yaml"), "w") as f:
        f.write("version: 1\n")
    with open(os.path.join(out, "base.yaml"), "w") as f:
        f.write("kind: Team\nname: data\ngovernance: true\n---\n")
        f.write("kind: ConsentPurpose\nname: analytics\n---\n")
        f.write("kind: ConsentPurpose\nname: marketing\n")
    classes = ["none", "none", "none", "indirect", "direct"]
    per_file = 500
    for start in range(0, properties, per_file):
        with open(os.path.join(out, "properties", f"p{start // per_file:05}.yaml"), "w") as f:
            for i in range(start, min(start + per_file, properties)):
                pii = classes[i % len(classes)]
                f.write(f"kind: Property\nname: prop_{i:06}\ntype: string\nmax_length: 256\n")
                f.write(f"pii: {pii}\nowner: data\ndescription: Property {i}\n")
                if pii == "direct":
                    f.write("consent: [marketing]\n")
                f.write("---\n")
    for start in range(0, events, per_file):
        with open(os.path.join(out, "events", f"e{start // per_file:05}.yaml"), "w") as f:
            for i in range(start, min(start + per_file, events)):
                f.write(f"kind: Event\nname: event_{i:06}\nowner: data\ndescription: Event {i}\n")
                f.write("properties:\n")
                for k in range(12):
                    f.write(f"  - {{ ref: prop_{(i * 7 + k * 13) % properties:06}, required: {str(k < 3).lower()} }}\n")
                f.write("---\n")
    with open(os.path.join(out, "routing.yaml"), "w") as f:
        sources = ["web", "ios", "android", "server"]
        for s in sources:
            f.write(f"kind: Source\nname: {s}\nplatform: {s}\nevents: ['*']\n---\n")
        for d in range(8):
            env = "prod"
            f.write(f"kind: Destination\nname: dest_{d}\ntype: warehouse\nenvironment: {env}\n")
            f.write("pii: direct\nconsent: [analytics, marketing]\n---\n")
        f.write("kind: Transformation\nname: scrub\nevents: ['*']\n")
        f.write(f"steps: [{{hash: prop_{4:06}}}, {{drop: prop_{3:06}}}]\n---\n")
        for s in sources:
            for d in range(8):
                f.write(f"kind: Pipeline\nname: {s}_to_{d}\nsource: {s}\ndestinations: [dest_{d}]\n")
                f.write(f"events: ['event_0*']\ntransformations: [scrub]\n---\n")


if __name__ == "__main__":
    main()
