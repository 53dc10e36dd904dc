#!/usr/bin/python3
"""trace.py MRIOVSIM: `run --trace` (contract §9) on a short run of a small chassis with ATS
and unmaps, then on a run long enough to reach the 1,000,000-event bound.
- the file parses (JSON, Trace Event Format), one named track per link direction;
- per direction, the events of the window [warmup, duration] are exactly links.csv `tlps`;
- every duration is the serialization time wire_bytes * 8 / raw rate of its link, the raw
  rate computed here from the PCIe spec (GT/s per lane x lanes x line-code efficiency);
- a track's TLPs do not overlap (a transmitter sends one at a time), they start inside the
  window, their payload, wire bytes and durations add up to links.csv payload_gbps,
  wire_gbps and utilization;
- bad options are refused; a failed write leaves no file; the bound stops at 1,000,000
  events and says where, on stderr and in summary.json."""
import collections
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pytestlib import check, finish  # noqa: E402

mriovsim = sys.argv[1]


# GT/s per lane and line code (PCIe base spec: 8b/10b for gen 1-2, 128b/130b for 3-5)
RATE = {1: 2.5e9 * 8 / 10, 2: 5e9 * 8 / 10, 3: 8e9 * 128 / 130, 4: 16e9 * 128 / 130,
        5: 32e9 * 128 / 130}
LINKS = {"h0-s": (3, 8), "h1-s": (4, 4), "s-d": (5, 16)}
SMALL = """name: small
run: {duration: 60us, warmup: 6us}
hosts: [{name: h0}, {name: h1}]
switches: [{name: s}]
devices: [{name: d, total_vfs: 4, atc: {entries: 4}}]
links: [{a: h0, b: s, gen: 3, width: 8}, {a: h1, b: s, gen: 4, width: 4},
        {a: s, b: d, gen: 5, width: 16}]
assign: [{host: h0, device: d, vfs: 2}, {host: h1, device: d, vfs: 1}]
workloads:
  - {name: rx, host: h0, device: d, op: write, size: 1500B, rate: 10Gbps, pattern: random,
     footprint: 256KiB}
  - {name: tx, host: h1, device: d, op: read, size: 4KiB, outstanding: 2, unmap_rate: 100000}
"""

tmp = tempfile.mkdtemp()
topo = os.path.join(tmp, "small.yaml")
with open(topo, "w") as f:
    f.write(SMALL)
trace = os.path.join(tmp, "small.json")
out = os.path.join(tmp, "r")
p = subprocess.run([mriovsim, "run", topo, "--out", out, "--no-plots", "--quiet", "--trace",
                    trace, "--trace-window", "6us:60us"], capture_output=True, text=True)
check("run --trace exits 0", p.returncode == 0, p.stderr)
with open(trace) as f:
    doc = json.load(f)
events = doc["traceEvents"]
tracks = {e["tid"]: e["args"]["name"] for e in events
          if e["ph"] == "M" and e["name"] == "thread_name"}
check("one track per link direction", sorted(tracks.values()) == sorted(
    ["h0-s (h0->s)", "h0-s (s->h0)", "h1-s (h1->s)", "h1-s (s->h1)", "s-d (s->d)",
     "s-d (d->s)"]), str(tracks))
tlps = [e for e in events if e["ph"] == "X"]
with open(os.path.join(out, "links.csv")) as f:
    rows = list(csv.DictReader(f))
by_track = collections.defaultdict(list)
for e in tlps:
    by_track[tracks[e["tid"]]].append(e)
window = 54e-6
for r in rows:
    name = "%s (%s->%s)" % (r["link"], r["from"], r["to"])
    evs = by_track[name]
    check("%s: events = links.csv tlps" % name, len(evs) == int(r["tlps"]),
          "%d != %s" % (len(evs), r["tlps"]))
    check("%s: has TLPs" % name, len(evs) > 10)
    gen, width = LINKS[r["link"]]
    raw = RATE[gen] * width
    # printed with 6 decimals: 0.5e-6 us each for dur and ts, and wire_bytes to 0.5e-6 B
    worst = max(abs(e["dur"] - e["args"]["wire_bytes"] * 8 / raw * 1e6) for e in evs)
    check("%s: dur = wire_bytes * 8 / raw rate" % name, worst <= 1e-6, "off by %g us" % worst)
    evs.sort(key=lambda e: e["ts"])
    overlap = max(a["ts"] + a["dur"] - b["ts"] for a, b in zip(evs, evs[1:]))
    check("%s: TLPs do not overlap" % name, overlap <= 2e-6, "by %g us" % overlap)
    check("%s: TLPs start in the window" % name, all(6 <= e["ts"] <= 60 for e in evs))
    data = sum(e["args"]["bytes"] for e in evs if e["name"] in ("MWr", "CplD"))
    # links.csv clips the one TLP on the wire at each end of the window: at most two of
    # 256 B payload apart; its 4 decimals round by 5e-5
    gbps = data * 8 / window / 1e9
    tol = 2 * 256 * 8 / window / 1e9 + 1e-4
    check("%s: payload adds up to payload_gbps" % name,
          abs(gbps - float(r["payload_gbps"])) <= tol, "%g vs %s" % (gbps, r["payload_gbps"]))
    # the trace against the engine's own accounting: wire bytes and busy time, clipped to
    # the window at both ends in links.csv, at most one TLP apart at each end
    wire = sum(e["args"]["wire_bytes"] for e in evs) * 8 / window / 1e9
    biggest = max(e["args"]["wire_bytes"] for e in evs) * 8 / window / 1e9
    check("%s: wire bytes add up to wire_gbps" % name,
          abs(wire - float(r["wire_gbps"])) <= 2 * biggest + 1e-4,
          "%g vs %s" % (wire, r["wire_gbps"]))
    busy = sum(e["dur"] for e in evs) / (window * 1e6)
    longest = max(e["dur"] for e in evs) / (window * 1e6)
    check("%s: durations add up to the utilization" % name,
          abs(busy - float(r["utilization"])) <= 2 * longest + 1e-6,
          "%g vs %s" % (busy, r["utilization"]))
check("types are TLP types", {e["name"] for e in tlps} <= {"MWr", "MRd", "CplD", "Cpl", "Msg"})
purposes = collections.Counter(e["args"]["purpose"] for e in tlps)
check("translation and invalidation TLPs are told apart",
      purposes["data"] > 0 and purposes["translation"] > 0 and purposes["invalidation"] > 0,
      str(purposes))
# per direction and purpose, the trace holds exactly overhead.csv's tlps
with open(os.path.join(out, "overhead.csv")) as f:
    want = {("%s (%s->%s)" % (r["link"], r["from"], r["to"]), r["purpose"]): int(r["tlps"])
            for r in csv.DictReader(f)}
got = collections.Counter((tracks[e["tid"]], e["args"]["purpose"]) for e in tlps)
check("purposes per direction = overhead.csv tlps",
      {k: v for k, v in want.items() if v} == dict(got), "%s vs %s" % (want, dict(got)))
check("args name vh and function", all(e["args"]["vh"] in (1, 2) and
                                      e["args"]["function"].startswith("d.") for e in tlps))
check("no temporary file is left", sorted(os.listdir(tmp)) == ["r", "small.json",
                                                                "small.yaml"],
      str(os.listdir(tmp)))

# refused options, and a trace that cannot be written
for args, status in [(["--trace-window", "1us:2us"], 2),
                     (["--trace", os.path.join(tmp, "x.json"), "--trace-window", "9us:2us"], 2),
                     (["--trace", os.path.join(tmp, "x.json"), "--trace-window", "9us"], 2),
                     (["--trace", os.path.join(tmp, "no", "such", "x.json")], 1)]:
    p = subprocess.run([mriovsim, "run", topo, "--out", out, "--no-plots", "--quiet"] + args,
                       capture_output=True, text=True)
    said = "x.json" in p.stderr if status == 1 else "--trace" in p.stderr
    check("exit %d for %s" % (status, args), p.returncode == status and said,
          "%d %s" % (p.returncode, p.stderr))
check("nothing written for refused traces", not os.path.exists(os.path.join(tmp, "x.json")))

# the bound: the default chassis over 3 ms sends about 1.3 million TLPs
big = os.path.join(tmp, "big.json")
p = subprocess.run([mriovsim, "run", "--out", os.path.join(tmp, "b"), "--no-plots", "--quiet",
                    "--duration", "3ms", "--trace", big], capture_output=True, text=True)
check("a long traced run exits 0", p.returncode == 0, p.stderr[-500:])
with open(big) as f:
    n = sum(1 for line in f if '"ph": "X"' in line)
check("the trace stops at 1,000,000 events", n == 1000000, str(n))
msg = [l for l in p.stderr.splitlines() if l.startswith("warning: trace: stopped at 1000000")]
check("a warning says where it stopped", len(msg) == 1, p.stderr[-300:])
with open(os.path.join(tmp, "b", "summary.json")) as f:
    warns = json.load(f)["warnings"]
check("the warning is in summary.json", any(w["kind"] == "trace" for w in warns), str(warns)[:300])
os.unlink(big)
shutil.rmtree(tmp)
finish()
