#!/usr/bin/env bash
# The whole test suite against every broker: starts RabbitMQ and ActiveMQ Classic (installing them from
# Debian on first use, see brokers.sh), runs `mvn -B -ntp verify` with the brokers required (an unreachable
# one fails the run instead of being skipped), and stops the brokers again whatever the outcome; brokers
# that were already running are left running. Extra arguments go to Maven, e.g.
#   bash .ci/test.sh -Djstomp.updateCompatibility=true   # also rewrites the README's compatibility table
# The failover tests' 3-node RabbitMQ cluster (clusters.sh) is started fresh beside them and always stopped.
# Then a second, shorter leg on Java 25 (JAVA25_HOME, by default the Temurin 25 JDK): the library modules' unit
# tests and the integration tests against the embedded Artemis only (-Djstomp.targets), which include the
# virtual-thread tests (VirtualThreadsIT runs on Java 21+ only; JavaLegIT fails if the leg is not on 25). The
# jstomp command (cli) and the cluster failover tests, which need the real brokers, are left to the first leg.
# Either leg failing fails the script.
set -uo pipefail
cd "$(dirname "$0")/.."

JAVA25_HOME="${JAVA25_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
if [ ! -x "$JAVA25_HOME/bin/java" ]; then
  echo "[test] no Java 25 JDK at $JAVA25_HOME: install a JDK 25 (a Temurin 25 or Debian openjdk-25 package)" \
       "or set JAVA25_HOME to a JDK 25; the Java 25 leg cannot run without it" >&2
  exit 1
fi

stop_brokers=:
if bash .ci/brokers.sh status >/dev/null 2>&1; then
  echo "[test] brokers already running; leaving them running afterwards"
else
  stop_brokers='bash .ci/brokers.sh stop'
  trap "$stop_brokers" EXIT  # set before start, so a half-started broker is stopped too
  bash .ci/brokers.sh start || { echo "[test] brokers did not start; not running the tests" >&2; exit 1; }
fi
# The failover tests' 3-node RabbitMQ cluster (its own nodes and ports, beside the single broker): always a
# fresh one, stopped whatever the outcome, before the brokers (whose stop ends the shared epmd).
trap "bash .ci/clusters.sh stop; $stop_brokers" EXIT
bash .ci/clusters.sh start || { echo "[test] the RabbitMQ cluster did not start; not running the tests" >&2; exit 1; }
mvn -B -ntp verify -Djstomp.requireBrokers=true "$@" || exit $?

echo "[test] Java 25 leg ($JAVA25_HOME): unit tests and the embedded-Artemis integration tests"
JAVA_HOME="$JAVA25_HOME" PATH="$JAVA25_HOME/bin:$PATH" mvn -B -ntp verify -Djstomp.requireBrokers=true \
  -Djstomp.targets=ARTEMIS_TCP,ARTEMIS_WS -Djstomp.java25Leg=true \
  '-Dit.test=!RabbitClusterFailoverIT,!ArtemisPairFailoverIT,!ClusterTableIT' \
  -pl client-core,client-json,reactor,embedded-broker,test-kit,integration-tests
