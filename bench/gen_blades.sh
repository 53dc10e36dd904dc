#!/bin/sh
# gen_blades.sh N: an N-blade chassis with the same per-blade load as blade16-oversub
# (Gen3 x4 blades, one shared Gen3 x16 NIC; each blade sends 1500-B frames at 10 Gb/s and
# receives 4 Gb/s), for measuring how wall time grows with the number of hosts.
n=$1
cat <<HDR
name: blades$n
run: {duration: 1ms, warmup: 0}
switches: [{name: mra0}]
devices: [{name: nic0, kind: nic, total_vfs: $((n * 2)), max_vhs: 255}]
hosts:
HDR
i=0; while [ $i -lt "$n" ]; do echo "  - {name: b$i}"; i=$((i + 1)); done
echo "links:"
i=0; while [ $i -lt "$n" ]; do echo "  - {a: b$i, b: mra0, gen: 3, width: 4}"; i=$((i + 1)); done
echo "  - {a: mra0, b: nic0, gen: 3, width: 16}"
echo "assign:"
i=0; while [ $i -lt "$n" ]; do echo "  - {host: b$i, device: nic0, vfs: 2}"; i=$((i + 1)); done
echo "workloads:"
i=0; while [ $i -lt "$n" ]; do
  echo "  - {host: b$i, device: nic0, op: read, size: 1500B, rate: 10Gbps}"
  echo "  - {host: b$i, device: nic0, op: write, size: 1500B, rate: 4Gbps}"
  i=$((i + 1))
done
