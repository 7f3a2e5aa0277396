#!/usr/bin/env bash
# The benchmarks, one command each (from anywhere; paths are relative to the repository root):
#
#   benchmarks/run.sh deployed [options]   as deployed: the broker in a JVM of its own, every client in a fresh
#                                          JVM (or Node process) per round; cold and warm (--help lists the options)
#   benchmarks/run.sh [runner options]     the one-JVM runner: broker and every client in one JVM (--help)
#   benchmarks/run.sh jmh [JMH options]    JMH benchmarks, e.g. `benchmarks/run.sh jmh -prof gc Codec`
#   benchmarks/run.sh chart CSV PNG        the chart again from a CSV
#   benchmarks/run.sh soak [--duration 600] [--rate 1000] [--kill-every 30]
#                                          the cluster soak (needs `bash .ci/clusters.sh start`, and root)
#
# Builds target/benchmarks.jar (mvn -Pbench) when it is missing or older than the sources it is made of.
# JAVA_OPTS are passed to the JVM (e.g. JAVA_OPTS='-XX:StartFlightRecording=filename=run.jfr,settings=profile').
set -euo pipefail
cd "$(dirname "$0")/.."
jar=benchmarks/target/benchmarks.jar
if [[ ! -f $jar ]] || [[ -n $(find pom.xml benchmarks/pom.xml client-core embedded-broker micrometer benchmarks/src \
        -newer "$jar" -type f \( -name '*.java' -o -name 'pom.xml' -o -name '*.properties' \) -print -quit) ]]; then
    echo "Building $jar ..." >&2
    mvn -B -ntp -q -Pbench -pl benchmarks -am package -DskipTests >&2
fi
case "${1:-}" in
    deployed)
        shift
        # @stomp/stompjs and ws, at the versions of benchmarks/node/package-lock.json.
        if [[ ! -d benchmarks/node/node_modules ]]; then
            (cd benchmarks/node && npm ci --no-audit --no-fund >&2)
        fi
        exec java -Xmx256m ${JAVA_OPTS:-} -cp "$jar" dev.jstomp.bench.e2e.DeployedRunner "$@"
        ;;
    jmh)
        shift
        exec java ${JAVA_OPTS:-} -jar "$jar" "$@"
        ;;
    soak)
        shift
        exec java -Xmx1g ${JAVA_OPTS:-} -cp "$jar" dev.jstomp.bench.soak.ClusterSoak "$@"
        ;;
    chart)
        shift
        exec java ${JAVA_OPTS:-} -cp "$jar" dev.jstomp.bench.e2e.Chart "$@"
        ;;
    *)
        # One JVM holds the broker and every client (not as users deploy: see 'deployed'); 4 GiB leaves room
        # for the 1 MiB runs, where the broker may hold a few hundred MiB while the consumer catches up.
        exec java -Xms2g -Xmx4g ${JAVA_OPTS:-} -cp "$jar" dev.jstomp.bench.e2e.E2eRunner "$@"
        ;;
esac
