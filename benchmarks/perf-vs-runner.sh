#!/usr/bin/env bash
# jstomp perf against the benchmark runner's jstomp client, side by side on one broker in a JVM of its own:
# 1 producer, 1 consumer, one queue, no rate limit. Each pair runs both, the order swapped every pair; each
# client is a fresh JVM with the same heap. Per run: throughput (the runner: messages / first send to last
# receive; perf: msgs/s in), and the CPU time (user+sys, /proc/PID/stat) of the client JVM and of the broker
# JVM from the client being connected to the end of its timed run (warm-up and timed messages, the same
# count for both; the JVM's start-up left out), per message. CPU time is what other loads on the machine
# disturb least. Ends with the medians and the ratio perf / runner.
#
#   flock /work/wt/bench.lock benchmarks/perf-vs-runner.sh [--transport tcp|ws] [--pairs 5] [--messages 100000]
#       [--warmup-messages 100000] [--perf-warmup DURATION] [--size 128] [--heap 1g] [--perf-args '...']
#       [--no-broker-warmup]
# perf warms up with as many messages as the runner (--warmup-messages) unless --perf-warmup gives a duration.
# Before the pairs, one run of each warms the broker's JIT (left out of the figures; --no-broker-warmup skips it).
#
# RUNNER_JAVA_OPTS and PERF_JAVA_OPTS add JVM options to the two clients (e.g. a JFR recording).
# Needs cli/target/jstomp-cli.jar and benchmarks/target/benchmarks.jar (mvn -pl cli -am package -DskipTests;
# mvn -Pbench -pl benchmarks -am package -DskipTests); it does not build them, so that a build never runs
# under the benchmark lock.
set -euo pipefail
cd "$(dirname "$0")/.."
broker_warmup=1
transport=tcp pairs=5 messages=100000 warmup=100000 perf_warmup="" size=128 heap=1g perf_args=""
while [[ $# -gt 0 ]]; do
    case "$1" in
        --transport) transport=$2; shift 2 ;;
        --pairs) pairs=$2; shift 2 ;;
        --messages) messages=$2; shift 2 ;;
        --warmup-messages) warmup=$2; shift 2 ;;
        --perf-warmup) perf_warmup=$2; shift 2 ;; # a duration instead of the runner's count
        --no-broker-warmup) broker_warmup=0; shift ;;
        --size) size=$2; shift 2 ;;
        --heap) heap=$2; shift 2 ;;
        --perf-args) perf_args=$2; shift 2 ;;
        *) echo "perf-vs-runner.sh: unknown option $1" >&2; exit 2 ;;
    esac
done
cli=cli/target/jstomp-cli.jar bench=benchmarks/target/benchmarks.jar
for jar in "$cli" "$bench"; do
    [[ -f $jar ]] || { echo "perf-vs-runner.sh: $jar is missing: build it first (see the header)" >&2; exit 1; }
done
tmp=$(mktemp -d "${TMPDIR:-/tmp}/perf-vs-runner.XXXXXX")
# The broker's standard input is this script's fd 3: it stops when the script ends, however it ends.
exec 3> >(exec java -Xms1g -Xmx1g -cp "$cli" dev.jstomp.broker.EmbeddedArtemisMain > "$tmp/broker.out" 2> "$tmp/broker.err")
for _ in $(seq 300); do
    grep -q 'jstomp-embedded-broker ready' "$tmp/broker.out" 2>/dev/null && break
    sleep 0.1
done
ready=$(grep 'jstomp-embedded-broker ready' "$tmp/broker.out") || { cat "$tmp/broker.err" >&2; exit 1; }
echo "$ready"
echo "commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet 2>/dev/null || echo ' (with changes)'), $(date -u '+%F %T') UTC"
port=$(sed -E 's/.*port=([0-9]+).*/\1/' <<<"$ready")
broker_pid=$(pgrep -f -n "EmbeddedArtemisMain" -P $$ 2>/dev/null || true)
if [[ -z $broker_pid ]]; then # the process substitution's java is a grandchild on some bash versions
    broker_pid=$(ps -eo pid,ppid,args | awk -v tmp="$tmp" '/EmbeddedArtemisMain/ && !/awk/ {print $1}' | while read -r p; do
        [[ $(readlink "/proc/$p/fd/1" 2>/dev/null) == "$tmp/broker.out" ]] && echo "$p"; done | head -1)
fi
[[ -n $broker_pid ]] || { echo "perf-vs-runner.sh: cannot find the broker's pid" >&2; exit 1; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)
if [[ $transport == ws ]]; then url="ws://127.0.0.1:$port/stomp"; else url="tcp://127.0.0.1:$port"; fi
if [[ -n $perf_warmup ]]; then perf_warmup_args="--warmup $perf_warmup"; else perf_warmup_args="--warmup-messages $warmup"; fi
echo "transport $transport, $messages messages of $size bytes, runner warm-up $warmup messages, perf ${perf_warmup_args#--}, heap $heap, broker pid $broker_pid, $(nproc) cores"
echo "columns: pair order kind msgs_per_s client_cpu_us_per_msg broker_cpu_us_per_msg messages_total load"
# ClientMain exits when its standard input ends (its lifeline): give it a pipe that this script holds open.
mkfifo "$tmp/lifeline"
exec 4<> "$tmp/lifeline"
results="$tmp/results"
: > "$results"

# Runs a client JVM (its command after the first three arguments), reading its output as it comes: at the line
# matching START and at the line matching END, the CPU time of the client JVM and of the broker JVM. Prints
# the output; sets client_ticks and broker_ticks (from START to END).
timed() { # name start-pattern end-pattern command...
    local name=$1 start=$2 end=$3 pid line c0=0 b0=0 c1=0 b1=0
    shift 3
    rm -f "$tmp/$name.fifo"; mkfifo "$tmp/$name.fifo"
    "$@" < "$tmp/lifeline" > "$tmp/$name.fifo" 2>&1 &
    pid=$!
    while IFS= read -r line; do
        if [[ $line =~ $start ]]; then c0=$(cpu_ticks "$pid"); b0=$(cpu_ticks "$broker_pid"); fi
        if [[ $line =~ $end ]]; then c1=$(cpu_ticks "$pid"); b1=$(cpu_ticks "$broker_pid"); fi
        printf '%s\n' "$line"
    done < "$tmp/$name.fifo"
    wait "$pid" || true
    client_ticks=$(( c1 - c0 )) broker_ticks=$(( b1 - b0 ))
    (( c0 > 0 && c1 > 0 )) || { echo "$name: the start or end line never came" >&2; return 1; }
}

runner() { # pair
    local out rate
    # From the first message received (connected, subscribed) to the end of the timed run: warm-up and timed.
    timed "runner-$1" '^RESULT startup_ms=' '^RESULT msgs_per_s=' java -Xms$heap -Xmx$heap ${RUNNER_JAVA_OPTS:-} \
        -cp "$bench" dev.jstomp.bench.e2e.ClientMain client=jstomp transport="$transport" port="$port" \
        queue="perf-vs-runner-$$-$1" warmup="$warmup" messages="$messages" size="$size" pings=100 ping-warmup=10 \
        > "$tmp/runner-$1.out"
    out=$(cat "$tmp/runner-$1.out")
    rate=$(sed -n 's/^RESULT msgs_per_s=//p' <<<"$out")
    [[ -n $rate ]] || { echo "runner failed: $out" >&2; return 1; }
    report "$1" runner "$rate" "$client_ticks" "$broker_ticks" "$(( warmup + messages ))"
}

perf() { # pair
    local out rate json="$tmp/perf-$1.json"
    # From the connections being up to the summary: subscribing, warm-up and measured part.
    # shellcheck disable=SC2086
    timed "perf-$1" ' connections? up in ' '^Sent ' java -Xms$heap -Xmx$heap ${PERF_JAVA_OPTS:-} -jar "$cli" perf "$url" \
        --login jstomp --passcode s3cret-pass --destination "/queue/perf-vs-runner-$$-perf-$1" --timeout 30s \
        --messages "$messages" --size "$size" $perf_warmup_args --json "$json" $perf_args > "$tmp/perf-$1.out"
    out=$(cat "$tmp/perf-$1.out")
    rate=$(sed -nE 's/.*"msgs_per_s": ([0-9.]+).*/\1/p' "$json" 2>/dev/null || true)
    [[ -n $rate ]] || { echo "perf failed: $out" >&2; return 1; }
    grep -E '^(Sent|Latency|CPU)' <<<"$out" | sed 's/^/    /'
    report "$1" perf "$rate" "$client_ticks" "$broker_ticks" \
        "$(( messages + $(sed -nE 's/.*"warmup_sent": ([0-9]+).*/\1/p' "$json") ))"
}

report() { # pair kind rate client_ticks broker_ticks messages
    local line
    line=$(awk -v p="$1" -v k="$2" -v r="$3" -v c="$4" -v b="$5" -v n="$6" -v hz="$hz" -v load="$(cut -d' ' -f1 /proc/loadavg)" \
        'BEGIN { printf "%s %s %.0f %.2f %.2f %d %s", p, k, r, c / hz * 1e6 / n, b / hz * 1e6 / n, n, load }')
    echo "$line" >> "$results"
    echo "| $line"
}

if (( broker_warmup )); then
    echo "== the broker's warm-up (left out)"
    runner 0 > /dev/null; perf 0 > /dev/null
    : > "$results"
fi
for i in $(seq "$pairs"); do
    echo "== pair $i $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)"
    if (( i % 2 == 1 )); then runner "$i"; perf "$i"; else perf "$i"; runner "$i"; fi
done

echo "== medians over $pairs pairs ($transport)"
awk '
    function median(a, n,   i, j, t) {
        for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
        return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
    }
    { n[$2]++; r[$2, n[$2]] = $3; c[$2, n[$2]] = $4; b[$2, n[$2]] = $5; if ($2 == "runner") rate[$1, "runner"] = $3; else rate[$1, "perf"] = $3 }
    END {
        for (k in n) {
            m = n[k]; for (i = 1; i <= m; i++) { x[i] = r[k, i]; y[i] = c[k, i]; z[i] = b[k, i] }
            printf "%-6s msgs/s %8.0f  client CPU %6.2f us/msg  broker CPU %6.2f us/msg\n", k, median(x, m), median(y, m), median(z, m)
        }
        m = 0; line = ""
        for (p = 1; (p, "runner") in rate; p++) { if ((p, "perf") in rate) { q[++m] = rate[p, "perf"] / rate[p, "runner"]; line = line sprintf(" %.2f", q[m]) } }
        lo = 1e9; hi = 0; for (i = 1; i <= m; i++) { if (q[i] < lo) lo = q[i]; if (q[i] > hi) hi = q[i] }
        printf "ratio perf/runner per pair:%s\nmedian ratio %.2f (%.2f-%.2f)\n", line, median(q, m), lo, hi
    }' "$results"
exec 3>&- 4>&-
rm -rf "$tmp"
