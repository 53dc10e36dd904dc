#!/usr/bin/python3
"""schema.py MRIOVSIM SCHEMA_KEYS TOP: `mriovsim schema` (contract §9) against a real JSON
Schema validator (Debian's python3-jsonschema, draft 2020-12):
- it is a valid 2020-12 schema;
- it accepts every shipped topology, the fleet twins and the corpus's valid inputs;
- it rejects unknown keys, bad enumerations, wrong types and malformed units, and the loader
  rejects each of those files too (schema and loader agree);
- its properties are exactly the keys of the loader's tables (tests/schema_keys.c).
Run with Debian's interpreter, so that Debian's jsonschema and yaml modules are used."""
import copy
import glob
import json
import os
import subprocess
import sys
import tempfile

import jsonschema
import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pytestlib import check, finish  # noqa: E402

mriovsim, schema_keys, top = sys.argv[1:4]


out = subprocess.run([mriovsim, "schema"], capture_output=True, text=True)
check("schema exits 0", out.returncode == 0, out.stderr)
schema = json.loads(out.stdout)
jsonschema.Draft202012Validator.check_schema(schema)
validator = jsonschema.Draft202012Validator(schema)
check("draft 2020-12", schema["$schema"] == "https://json-schema.org/draft/2020-12/schema")

p = subprocess.run([mriovsim, "schema", "extra"], capture_output=True, text=True)
check("schema takes no argument", p.returncode == 2 and "extra" in p.stderr, p.stderr)
if os.path.exists("/dev/full"):
    with open("/dev/full", "w") as full:
        p = subprocess.run([mriovsim, "schema"], stdout=full, stderr=subprocess.PIPE, text=True)
    check("a schema that cannot be written fails", p.returncode == 1 and "schema" in p.stderr,
          p.stderr)

good = sorted(glob.glob(os.path.join(top, "topologies", "*.yaml")) +
              glob.glob(os.path.join(top, "tests", "fleet", "*.yaml")))
check("the shipped topologies are there", len(good) >= 12, str(len(good)))
for path in good:
    with open(path) as f:
        doc = yaml.safe_load(f)
    errors = [e.message for e in validator.iter_errors(doc)]
    check("accepts " + os.path.relpath(path, top), not errors, "; ".join(errors[:3]))

with open(os.path.join(top, "topologies", "blade8-rawdma.yaml")) as f:  # raw DMA: atc, op
    base = yaml.safe_load(f)


def mutate(fn):
    doc = copy.deepcopy(base)
    fn(doc)
    return doc


# (what is wrong, the document, a key the error must name)
bad = [
    ("unknown top-level key", mutate(lambda d: d.update(hostz=[])), "hostz"),
    ("unknown key in a host", mutate(lambda d: d["hosts"][0].update(memory_latncy="1ns")),
     "memory_latncy"),
    ("unknown key in iommu", mutate(lambda d: d["hosts"][0].update(iommu={"walker": 2})),
     "walker"),
    ("bad arbitration policy", mutate(lambda d: d["switches"][0]["arbitration"].update(
        policy="fair")), "policy"),
    ("bad atc policy", mutate(lambda d: d["devices"][0]["atc"].update(policy="lfu")), "policy"),
    ("bad op", mutate(lambda d: d["workloads"][0].update(op="copy")), "op"),
    ("width not a number", mutate(lambda d: d["links"][0].update(width="wide")), "width"),
    ("width not an allowed value", mutate(lambda d: d["links"][0].update(width=3)), "width"),
    ("gen out of range", mutate(lambda d: d["links"][1].update(gen=7)), "gen"),
    ("hosts not a list", mutate(lambda d: d.update(hosts={"name": "x"})), "hosts"),
    ("time with a space", mutate(lambda d: d["run"].update(duration="1 ms")), "duration"),
    ("size with a bad unit", mutate(lambda d: d["workloads"][0].update(size="1500b")), "size"),
    ("rate with a time unit", mutate(lambda d: d["workloads"][0].update(rate="12ns")), "rate"),
    ("ecrc not a boolean", mutate(lambda d: d["pcie"].update(ecrc="maybe")), "ecrc"),
    ("missing required key", mutate(lambda d: d["links"][1].pop("gen")), "gen"),
    ("name with two ranges", mutate(lambda d: d["hosts"][0].update(name="b[0-1]x[0-3]")),
     "name"),
]
with tempfile.TemporaryDirectory() as tmp:
    for what, doc, key in bad:
        errors = list(validator.iter_errors(doc))
        check("rejects: " + what, errors)
        named = any(key in json.dumps(list(e.absolute_path) + [e.message]) for e in errors)
        check("the error names " + key + " (" + what + ")", named,
              "; ".join(e.message for e in errors[:2]))
        path = os.path.join(tmp, "bad.yaml")
        with open(path, "w") as f:
            yaml.safe_dump(doc, f)
        rc = subprocess.run([mriovsim, "check", path], capture_output=True).returncode
        check("the loader rejects it too: " + what, rc == 2, "exit %d" % rc)


def schema_paths(node, prefix, acc):
    for key, sub in node.get("properties", {}).items():
        acc.add(prefix + key)
        schema_paths(sub, prefix + key + ".", acc)
    if "items" in node:
        schema_paths(node["items"], prefix[:-1] + "[].", acc)
    if isinstance(node.get("additionalProperties"), dict):  # names chosen by the file
        schema_paths(node["additionalProperties"], prefix + "*.", acc)
    for alt in node.get("anyOf", []) + node.get("allOf", []) + node.get("oneOf", []):
        schema_paths(alt, prefix, acc)
    return acc


tables = set(subprocess.run([schema_keys], capture_output=True, text=True,
                            check=True).stdout.split())
listed = schema_paths(schema, "", set())
check("the tables know keys", len(tables) > 60, str(len(tables)))
check("every key of the tables is in the schema", tables <= listed, str(sorted(tables - listed)))
check("the schema has no key the tables lack", listed <= tables, str(sorted(listed - tables)))


def described(node, path):
    for key, sub in node.get("properties", {}).items():
        check("description of " + path + key, "description" in sub)
        described(sub, path + key + ".")
    if "items" in node:
        described(node["items"], path)
    if isinstance(node.get("additionalProperties"), dict):
        described(node["additionalProperties"], path + "*.")


described(schema, "")
finish()
