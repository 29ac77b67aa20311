#!/usr/bin/env python3
"""Evaluates contrail's built-in Rego (policies/contrail/*.rego without the tests) with Go OPA
v1 over a `catalog.json`, through PyPI's `opa-golib-python-bindings` (OPA as a c-shared
library, called with ctypes). Prints one JSON line: the one-shot time (engine, modules,
first evaluation), the median warm evaluation, the median of a query that only decodes the
input (what every evaluation through this binding pays), peak RSS, and the findings by rule.

usage: bench/opa.py CATALOG_JSON POLICY_DIR [REPEAT]
"""
import ctypes
import glob
import json
import os
import resource
import statistics
import sys
import time

from opa_bindings import OpaEngine

PACKAGES = ["compat", "consent", "governance", "identity", "pii", "quality", "residency", "routing"]
SETS = ["deny", "warn", "info"]
# Every result set in one query, so the input is decoded once per evaluation; a package
# that does not define a set gives [].
QUERY = "; ".join(f"{p}_{s} := [x | some x in data.contrail.{p}.{s}]" for p in PACKAGES for s in SETS)


def evaluate(engine, raw_input, query):
    ptr = engine._lib.OpaEvalQuery(engine._handle, query.encode(), raw_input, 0, 0)
    try:
        envelope = json.loads(ctypes.string_at(ptr))
    finally:
        engine._lib.OpaFreeString(ptr)
    if envelope.get("error"):
        raise RuntimeError(envelope["error"])
    return envelope.get("result") or []


def main():
    catalog, policy_dir = sys.argv[1], sys.argv[2]
    repeat = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    with open(catalog, "rb") as f:
        raw = f.read()
    started = time.perf_counter()
    engine = OpaEngine()
    for path in sorted(glob.glob(os.path.join(policy_dir, "*.rego"))):
        if path.endswith("_test.rego"):
            continue
        with open(path) as f:
            engine.add_policy("policies/contrail/" + os.path.basename(path), f.read())
    engine.add_data({"options": {}}, path="contrail.config")
    first = evaluate(engine, raw, QUERY)
    one_shot = time.perf_counter() - started
    rss_one_shot = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    warm, decode = [], []
    for _ in range(repeat):
        t = time.perf_counter()
        evaluate(engine, raw, QUERY)
        warm.append(time.perf_counter() - t)
        t = time.perf_counter()
        evaluate(engine, raw, "x := 1")
        decode.append(time.perf_counter() - t)
    findings = {}
    for bindings in (r.get("bindings", {}) for r in first[:1]):
        for values in bindings.values():
            for v in values:
                rule = v.get("rule", "(string)") if isinstance(v, dict) else "(string)"
                findings[rule] = findings.get(rule, 0) + 1
    print(json.dumps({
        "one_shot_s": round(one_shot, 3),
        "warm_s": round(statistics.median(warm), 3),
        "warm_all_s": [round(w, 3) for w in sorted(warm)],
        "input_decode_s": round(statistics.median(decode), 3),
        "peak_rss_mb_after_first": rss_one_shot // 1024,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
        "findings": dict(sorted(findings.items())),
    }))


if __name__ == "__main__":
    main()
