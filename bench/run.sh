#!/bin/sh
# bench/run.sh [BUILD_DIR]: the simulator's speed and memory. Prints numbers; record them in
# docs/performance.md. Build first (RelWithDebInfo): cmake -S . -B build && cmake --build build --target bench
set -eu
cd "$(dirname "$0")/.."
b=${1:-build}/bench_engine
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "== TLP-hops per second next to bare SimGrid sleeps (3 runs)"
for i in 1 2 3; do "$b" hop bench/saturated.yaml; done

echo "== 16-blade chassis, 1 ms simulated"
"$b" run topologies/blade16-oversub.yaml run.duration=1ms run.warmup=100us

echo "== wall time against simulated time (16 blades)"
for d in 0.5ms 1ms 2ms 4ms; do
  "$b" run topologies/blade16-oversub.yaml run.duration=$d run.warmup=0
done

echo "== wall time against the number of hosts (1 ms, same load per blade)"
for n in 4 8 16 32 64; do
  sh bench/gen_chassis.sh $n 2 10Gbps 4Gbps 3 4 3 16 > "$tmp/b$n.yaml"
  "$b" run "$tmp/b$n.yaml"
done

echo "== chassis scaling (bench/chassis.sh: medians of 5)"
sh bench/chassis.sh "${1:-build}" 5
