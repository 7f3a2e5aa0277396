#!/usr/bin/env bash
# Runs a command (a `java ... perf ...` load generator) and, once a second while it runs, samples from /proc
# the live threads and resident memory of its JVM and of that JVM's child processes (perf's embedded
# broker). Prints the command's output as it comes, then the highest and the last samples.
#
#   flock /work/wt/bench.lock benchmarks/perf-threads.sh java -jar cli/target/jstomp-cli.jar perf --connections 1000 ...
set -euo pipefail
[[ $# -gt 0 ]] || { echo "usage: perf-threads.sh COMMAND..." >&2; exit 2; }
"$@" &
pid=$!
max_threads=0 max_rss=0 max_child_threads=0 max_child_rss=0 last=""
stat_of() { # pid -> "threads rss_kib"
    awk '/^Threads:/ {t = $2} /^VmRSS:/ {r = $2} END {print t + 0, r + 0}' "/proc/$1/status" 2>/dev/null || echo "0 0"
}
while kill -0 "$pid" 2>/dev/null; do
    read -r threads rss < <(stat_of "$pid")
    child_threads=0 child_rss=0
    for c in $(pgrep -P "$pid" 2>/dev/null || true); do
        read -r t r < <(stat_of "$c")
        child_threads=$((child_threads + t)) child_rss=$((child_rss + r))
    done
    (( threads > max_threads )) && max_threads=$threads
    (( rss > max_rss )) && max_rss=$rss
    (( child_threads > max_child_threads )) && max_child_threads=$child_threads
    (( child_rss > max_child_rss )) && max_child_rss=$child_rss
    [[ $threads -gt 0 ]] && last="$threads threads, $((rss / 1024)) MiB resident; child processes $child_threads threads, $((child_rss / 1024)) MiB"
    sleep 1
done
wait "$pid" && rc=0 || rc=$?
echo "perf-threads: load generator JVM at most $max_threads threads, $((max_rss / 1024)) MiB resident; its child processes (the broker) at most $max_child_threads threads, $((max_child_rss / 1024)) MiB"
echo "perf-threads: last sample: $last; exit $rc"
exit "$rc"
