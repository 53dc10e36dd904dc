#!/bin/sh
# gen_models.sh nic|nvme HOSTS VFS: the chassis of gen_chassis.sh with its device driven by a
# model instead of raw DMA: a kernel-driver 2x100GbE NIC (contract §6) whose VFs receive
# 1 Gb/s and send 0.5 Gb/s of 1500-B frames per host (rings of 512, the default), or an
# NVMe drive (a controller per VF, queues of 1 024, the default) reading 1 Gb/s and
# writing 0.5 Gb/s of random 4 KiB commands per host. The models' queues, descriptors,
# doorbells and interrupts make several TLPs per frame or command, and their reads hold
# the VF's tags (docs/performance.md, "Model chassis").
set -eu
cd "$(dirname "$0")/.."
case $1 in
nic) sh bench/gen_chassis.sh "$2" "$3" | sed \
  -e 's/max_vhs: 255}/max_vhs: 255, nic: {driver: kernel, ports: 2, port_rate: 100Gbps}}/' \
  -e 's/op: read, size: 1500B, rate: 1Gbps/packets: rx, size: 1500B, rate: 1Gbps/' \
  -e 's/op: write, size: 1500B, rate: 500Mbps/packets: tx, size: 1500B, rate: 500Mbps/' \
  -e "s/^name: chassis/name: nic/" ;;
nvme) sh bench/gen_chassis.sh "$2" "$3" | sed \
  -e 's/kind: nic, total_vfs: \([0-9]*\), max_vhs: 255}/kind: nvme, total_vfs: \1, max_vhs: 255, nvme: {}}/' \
  -e 's/op: read, size: 1500B, rate: 1Gbps/io: read, size: 4KiB, rate: 1Gbps, pattern: random, footprint: 1GiB/' \
  -e 's/op: write, size: 1500B, rate: 500Mbps/io: write, size: 4KiB, rate: 500Mbps, pattern: random, footprint: 1GiB/' \
  -e "s/^name: chassis/name: nvme/" ;;
*) echo "usage: gen_models.sh nic|nvme HOSTS VFS" >&2; exit 2 ;;
esac
