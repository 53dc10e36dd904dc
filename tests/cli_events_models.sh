#!/bin/sh
# cli_events_models.sh MRIOVSIM: runtime events (contract §10) on the device models. A reset
# of one host on NIC (NVMe) functions fails its frames (commands) in flight and drops (and
# counts) the arrivals during its FLR, leaves every other host's results byte-identical to
# the run without the event when each host has its own device, brings the host back as it
# started (rings, queues and loops empty), and on a device link shared under rr moves the
# others' shares from 1/3 to 1/2 and back after the FLR.
cd "$(dirname "$0")" || exit 1
. ./testlib.sh
. ./eventlib.sh

# --- NIC isolation ------------------------------------------------------------------------
others="h1-s0 h2-s0 s0-d1 s0-d2"
isolated reset-isolated-nic ev noev || { finish; exit; }
# constant arrivals, split over 2 VFs: RX 5 Gb/s per VF (one 1518 B frame per 2.4288 us)
# and TX 3 Gb/s per VF (one per 4.048 us) drop 82-83 + 49-50 frames per VF during the
# 200 us FLR: 262-266; each queue has at most one frame per direction in flight when it is
# reset (a frame's latency is ~1.6 us, below both periods): at most 4 more
h0_failed ev 262 270 "frames: 262-266 dropped during the FLR and at most 4 in flight"
run reset-isolated-nic ev2 && check "NIC events are deterministic" \
  'cmp -s $tmp/ev/events.csv $tmp/ev2/events.csv && cmp -s $tmp/ev/timeseries.csv $tmp/ev2/timeseries.csv'

# --- a NIC's device link shared under rr: shares 1/3 -> 1/2 -> 1/3 -------------------------
# the Gen3 x4 device link carries ~25 Gb/s of RX data and each host offers 20: work-conserving
# rr gives each busy host an equal share; a 16 KiB packet buffer per port fills in a few us,
# so every host is in its steady overload at once (3 %: bins of 10 us hold ~7 frames per host,
# means over 19-50 bins)
run reset-shared-nic sh || { finish; exit; }
rr_shares "$tmp/sh/timeseries.csv"
# h0's rings restart empty at 500 us: its first frames need the wire (1.2 us), a descriptor
# read and their data and write-back, so the first 10 us bin is short of the share and the
# second is within 10 %
check "events.csv: recovery_us 10 from the end of the FLR" \
  '[ "$(sed -n 2p $tmp/sh/events.csv | cut -d, -f8)" = "10.000" ]'

# --- NVMe isolation -----------------------------------------------------------------------
isolated reset-isolated-nvme nv nvno || { finish; exit; }
# 2 VFs x 8 closed-loop reads fail; constant writes of 50 Kiops per VF (one per 20 us) drop
# 10 each during the 200 us FLR (+-1 at its edges); a write takes ~6 us (5 us of media), so
# at most one per VF is in flight when it is reset: 16 + 18..22 + 0..2
h0_failed nv 34 40 "commands: 16 reads, ~20 dropped writes, at most 2 in flight"

# --- an NVMe drive's device link shared under rr: shares 1/3 -> 1/2 -> 1/3 -----------------
# closed loops of 32 reads of 4 KiB per VF with 10 us of media and 256 channels could carry
# far more than the Gen3 x4 link: it is the bottleneck, and work-conserving rr gives each
# busy host an equal share (3 %: bins of 10 us hold ~26 reads per host; means over 19-50)
run reset-shared-nvme nsh || { finish; exit; }
rr_shares "$tmp/nsh/timeseries.csv"
check "events.csv: 64 commands failed (2 VFs x 32), recovery_us 10 from the end of the FLR" \
  '[ "$(sed -n 2p $tmp/nsh/events.csv | cut -d, -f1-5,8)" = "300.000,reset,h0,h0,64,10.000" ]'
finish
