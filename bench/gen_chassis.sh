#!/bin/sh
# gen_chassis.sh HOSTS VFS [READ WRITE [HOST_GEN HOST_WIDTH DEV_GEN DEV_WIDTH]]: HOSTS blades
# with VFS VFs each of one NIC behind a single device link, for measuring how the cost of a
# TLP-hop grows with the chassis. Every host offers the same load, READ and WRITE per host
# (default 1Gbps and 500Mbps: 128 hosts offer 192 Gb/s, under the ~250 Gb/s of the default
# Gen4 x16 device link, so the shared link does not cap the TLP count), spread evenly over
# its VFs, as 1500-B DMAs. Blade links default to Gen4 x8.
#   sh bench/gen_chassis.sh 16 2 10Gbps 4Gbps 3 4 3 16   # blade16-oversub's load, N blades
h=$1; v=$2; rd=${3:-1Gbps}; wr=${4:-500Mbps}
hg=${5:-4}; hw=${6:-8}; dg=${7:-4}; dw=${8:-16}
cat <<HDR
name: chassis${h}x${v}
run: {duration: 1ms, warmup: 100us}
switches: [{name: sw0, latency: 150ns}]
devices: [{name: nic0, kind: nic, total_vfs: $((h * v)), max_vhs: 255}]
hosts:
HDR
i=0; while [ $i -lt "$h" ]; do echo "  - {name: b$i}"; i=$((i + 1)); done
echo "links:"
i=0; while [ $i -lt "$h" ]; do echo "  - {a: b$i, b: sw0, gen: $hg, width: $hw}"; i=$((i + 1)); done
echo "  - {a: sw0, b: nic0, gen: $dg, width: $dw}"
echo "assign:"
i=0; while [ $i -lt "$h" ]; do echo "  - {host: b$i, device: nic0, vfs: $v}"; i=$((i + 1)); done
echo "workloads:"
i=0; while [ $i -lt "$h" ]; do
  echo "  - {host: b$i, device: nic0, op: read, size: 1500B, rate: $rd}"
  echo "  - {host: b$i, device: nic0, op: write, size: 1500B, rate: $wr}"
  i=$((i + 1))
done
