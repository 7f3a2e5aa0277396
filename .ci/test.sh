#!/usr/bin/env bash
# The whole test suite against every broker: starts RabbitMQ and ActiveMQ Classic (installing them from
# Debian on first use, see brokers.sh), runs `mvn -B -ntp verify` with the brokers required (an unreachable
# one fails the run instead of being skipped), and stops the brokers again whatever the outcome; brokers
# that were already running are left running. Extra arguments go to Maven, e.g.
#   bash .ci/test.sh -Djstomp.updateCompatibility=true   # also rewrites the README's compatibility table
# The failover tests' 3-node RabbitMQ cluster (clusters.sh) is started fresh beside them and always stopped.
set -uo pipefail
cd "$(dirname "$0")/.."

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
mvn -B -ntp verify -Djstomp.requireBrokers=true "$@"
