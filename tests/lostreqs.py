#!/usr/bin/python3
"""lostreqs.py TRACE T FUNCTIONS FIRST_HOP DOWN_HOP HOST_HOPS: the read requests of
FUNCTIONS (a device model's, comma-separated function names) that a link down until T us
leaves without their completion, counted from a `run --trace` of [0, T] that ends while the
link is still down (nothing lost comes back before T).

A device's read (descriptor, entry, PRP list, data) leaves on FIRST_HOP ("d0->s0"); its one
completion (the test topologies make every read one completion: mps = mrrs, aligned buffers)
crosses the down link on DOWN_HOP ("s0->d0", towards the device). A host's register read
leaves on one of HOST_HOPS ("h0->s0,h1->s0") and its completion comes back on the reverse.
A request counts once when it leaves, a completion takes it back when it starts on that hop
(a TLP that started arrives: the link drops between TLPs). Prints the count."""
import json
import sys


def rev(hop):
    return "->".join(reversed(hop.split("->")))


def main():
    path, t, fns, first, down = sys.argv[1], float(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
    fns, hosts = set(fns.split(",")), set(sys.argv[6].split(","))
    doc = json.load(open(path))
    name = {}  # tid -> "a->b"
    for e in doc["traceEvents"]:
        if e.get("ph") == "M" and e.get("name") == "thread_name":
            name[e["tid"]] = e["args"]["name"].split("(")[1].rstrip(")")
    n = 0
    for e in doc["traceEvents"]:
        if e.get("ph") != "X" or e["ts"] > t or e["args"]["function"] not in fns:
            continue
        hop, reg = name[e["tid"]], e["args"]["purpose"] == "register"
        if e["name"] == "MRd" and ((not reg and hop == first) or (reg and hop in hosts)):
            n += 1
        elif e["name"] == "CplD" and ((not reg and hop == down) or (reg and rev(hop) in hosts)):
            n -= 1
    print(n)


if __name__ == "__main__":
    main()
