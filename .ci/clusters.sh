#!/usr/bin/env bash
# A 3-node RabbitMQ cluster on loopback for the failover tests, beside (never instead of) the single
# broker of brokers.sh, from the same Debian package (brokers.sh install puts it there):
#   node  name                 AMQP   STOMP  Web-STOMP             inter-node
#   1     jstomp-c1@localhost  55711  61711  ws://127.0.0.1:15711/ws  25711
#   2     jstomp-c2@localhost  55712  61712  ws://127.0.0.1:15712/ws  25712
#   3     jstomp-c3@localhost  55713  61713  ws://127.0.0.1:15713/ws  25713
# guest/guest, vhost "/". Everything lives under $BASE (data, logs, pid files, its own Erlang cookie, so
# these nodes cannot talk to rabbit@localhost even by mistake). epmd is shared with the single broker:
# this script starts it if missing and never stops it.
# Usage: clusters.sh start|stop|status    the whole cluster (start forms a fresh one, within $CLUSTER_WAIT s)
#        clusters.sh kill N               kill -9 node N (by its own pid file), as the tests do
#        clusters.sh start-node N         start node N again (it rejoins the cluster) and wait for it
#        clusters.sh quorum-status N Q    quorum queue Q's members as node N sees them (JSON: raft state,
#                                         log and commit index per member), for a rolling-restart check
#        clusters.sh quorum-critical N    exits non-zero while stopping node N would leave a quorum queue
#                                         without a quorum (rabbitmq-diagnostics check_if_node_is_quorum_critical)
#        clusters.sh pid N                print node N's OS pid (fails if it is not running), for a test
#                                         that sends the kill itself to time from the signal
# stop never fails and touches only processes named by this cluster's pid files.
# (The Artemis primary/backup pair is not here: it runs the project's classes, so the tests launch it,
# see integration-tests' ArtemisPair.)
set -uo pipefail
[ "$(id -u)" = 0 ] || exec sudo -E bash "$0" "$@"
cd /

BASE=${CLUSTER_BASE:-/var/lib/jstomp-cluster}
WAIT=${CLUSTER_WAIT:-60}
NODES=(1 2 3)
LOG=$BASE/clusters.log

say() { printf '[clusters %s] %s\n' "$(date +%T)" "$*"; }
q() { "$@" >>"$LOG" 2>&1; }
node_name() { echo "jstomp-c$1@localhost"; }
node_dir() { echo "$BASE/c$1"; }
pid_file() { echo "$BASE/c$1/pid"; }

# Runs a RabbitMQ tool (rabbitmq-server, rabbitmqctl, ...) as the rabbitmq user, for node $1, with only
# this cluster's environment: the package's /etc/rabbitmq files (rabbit@localhost's) are never read.
as_node() {
  local n=$1 tool=$2; shift 2
  local d; d=$(node_dir "$n")
  runuser -u rabbitmq -- env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME="$BASE/home" LANG=C.UTF-8 \
    ERL_EPMD_ADDRESS=127.0.0.1 \
    RABBITMQ_NODENAME="$(node_name "$n")" RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 \
    RABBITMQ_NODE_PORT=$((55710 + n)) RABBITMQ_DIST_PORT=$((25710 + n)) \
    RABBITMQ_CONF_ENV_FILE="$d/rabbitmq-env.conf" RABBITMQ_CONFIG_FILE="$d/rabbitmq.conf" \
    RABBITMQ_ADVANCED_CONFIG_FILE="$d/advanced.config" RABBITMQ_ENABLED_PLUGINS_FILE="$d/enabled_plugins" \
    RABBITMQ_MNESIA_BASE="$d/mnesia" RABBITMQ_LOG_BASE="$d/log" RABBITMQ_PID_FILE="$(pid_file "$n")" \
    "/usr/lib/rabbitmq/bin/$tool" "$@"
}
ctl() { local n=$1; shift; as_node "$n" rabbitmqctl -n "$(node_name "$n")" "$@"; }

# The pid in node N's pid file, if that process is this cluster's node N (a recycled pid is not).
node_pid() {
  local f pid; f=$(pid_file "$1")
  pid=$(cat "$f" 2>/dev/null) || return 1
  [ -n "$pid" ] && { tr '\0' '\n' <"/proc/$pid/environ"; } 2>/dev/null | grep -qx "RABBITMQ_NODENAME=$(node_name "$1")" &&
    echo "$pid"
}

configure_node() {
  local n=$1 d; d=$(node_dir "$n")
  rm -rf "$d" && mkdir -p "$d/mnesia" "$d/log" || return 1
  : >"$d/rabbitmq-env.conf"
  cat >"$d/rabbitmq.conf" <<EOF
listeners.tcp.default = 127.0.0.1:$((55710 + n))
distribution.listener.interface = 127.0.0.1
stomp.listeners.tcp.1 = 127.0.0.1:$((61710 + n))
web_stomp.tcp.ip = 127.0.0.1
web_stomp.tcp.port = $((15710 + n))
log.file.level = info
EOF
  echo '[rabbitmq_stomp,rabbitmq_web_stomp].' >"$d/enabled_plugins"
  chown -R rabbitmq:rabbitmq "$d"
}

launch_node() {  # returns at once; wait_node waits
  node_pid "$1" >/dev/null && return 0
  as_node "$1" rabbitmq-server -detached >>"$LOG" 2>&1
}

# Waits for node N's app, then for its STOMP and Web-STOMP ports to take a CONNECT.
wait_node() {
  local n=$1 left=$(( DEADLINE - SECONDS ))
  ((left > 0)) || return 1
  q ctl "$n" wait --timeout "$left" "$(pid_file "$n")" || return 1
  until stomp_ok $((61710 + n)) && listens $((15710 + n)); do
    ((SECONDS < DEADLINE)) || return 1; sleep 0.3
  done
}
listens() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
stomp_ok() (
  exec 3<>"/dev/tcp/127.0.0.1/$1" 2>/dev/null || exit 1
  printf 'CONNECT\naccept-version:1.2\nhost:/\nlogin:guest\npasscode:guest\n\n\0' >&3
  IFS= read -r -d '' -t 5 frame <&3; printf 'DISCONNECT\n\n\0' >&3 2>/dev/null
  [[ $frame == CONNECTED* ]]
)

do_start() {
  local t0=$SECONDS n
  mkdir -p "$BASE/home" && : >"$LOG"
  if [ ! -s "$BASE/home/.erlang.cookie" ]; then
    head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' >"$BASE/home/.erlang.cookie"
  fi
  chmod 400 "$BASE/home/.erlang.cookie"; chown -R rabbitmq:rabbitmq "$BASE"
  do_stop >/dev/null  # a fresh cluster every time: no state left from an earlier (failed) run
  for n in "${NODES[@]}"; do configure_node "$n" || { say "ERROR: cannot configure node $n"; return 1; }; done
  for n in "${NODES[@]}"; do launch_node "$n"; done  # boots overlap
  DEADLINE=$((SECONDS + WAIT))
  for n in "${NODES[@]}"; do
    wait_node "$n" || { fail "node $n ($(node_name "$n")) not up within ${WAIT}s" "$n"; return 1; }
  done
  for n in 2 3; do
    q ctl "$n" stop_app && q ctl "$n" join_cluster "$(node_name 1)" && q ctl "$n" start_app &&
      wait_node "$n" || { fail "node $n could not join $(node_name 1)" "$n"; return 1; }
  done
  local running; running=$(ctl 1 eval 'length(rabbit_nodes:all_running()).' 2>>"$LOG")
  [ "$running" = 3 ] || { fail "cluster has ${running:-?} running nodes, not 3" 1; return 1; }
  say "RabbitMQ cluster up in $((SECONDS - t0)) s: STOMP 61711-61713, Web-STOMP 15711-15713, AMQP 55711-55713"
}

fail() {  # message, node whose log to show
  say "ERROR: $1"
  local f; for f in "$LOG" "$(node_dir "$2")/log/$(node_name "$2").log"; do
    [ -f "$f" ] && { echo "----- tail of $f"; tail -n 25 "$f"; }
  done
}

kill_node() {
  local pid; pid=$(node_pid "$1") || { say "node $1 not running"; return 0; }
  kill -9 "$pid"
  gone "$pid"
}
# Waits (up to 5 s) until pid $1 has exited; a zombie counts as gone (in a container pid 1 may not reap).
gone() {
  local i; for i in $(seq 100); do
    [ -e "/proc/$1" ] && [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != Z ] || return 0
    sleep 0.05
  done
  return 1
}

start_node() {
  DEADLINE=$((SECONDS + WAIT))
  launch_node "$1" && wait_node "$1" || { fail "node $1 did not come back within ${WAIT}s" "$1"; return 1; }
}

stop_node() {
  local pid; pid=$(node_pid "$1") || return 0
  q timeout 30 ctl "$1" stop "$(pid_file "$1")"
  gone "$pid" || kill -9 "$pid"
  rm -f "$(pid_file "$1")"
}

do_stop() {
  local n; for n in "${NODES[@]}"; do stop_node "$n" & done; wait
  say "RabbitMQ cluster stopped"
  return 0
}

do_status() {
  local n rc=0
  for n in "${NODES[@]}"; do
    if node_pid "$n" >/dev/null && stomp_ok $((61710 + n)); then say "$(node_name "$n"): UP (STOMP $((61710 + n)))"
    else say "$(node_name "$n"): DOWN"; rc=3; fi
  done
  return $rc
}

node_arg() { [[ ${1:-} == [123] ]] || { echo "usage: $0 kill|start-node|pid 1|2|3" >&2; exit 2; }; }
case "${1:-}" in
  start) do_start ;;
  stop) do_stop ;;
  status) do_status ;;
  kill) node_arg "${2:-}"; kill_node "$2" ;;
  start-node) node_arg "${2:-}"; start_node "$2" ;;
  quorum-status) node_arg "${2:-}"; [ -n "${3:-}" ] || { echo "usage: $0 quorum-status N QUEUE" >&2; exit 2; }
    as_node "$2" rabbitmq-queues -n "$(node_name "$2")" quorum_status "$3" --formatter json ;;
  quorum-critical) node_arg "${2:-}"; as_node "$2" rabbitmq-diagnostics -n "$(node_name "$2")" check_if_node_is_quorum_critical ;;
  pid) node_arg "${2:-}"; node_pid "$2" || { say "node $2 not running"; exit 3; } ;;
  *) echo "usage: $0 start|stop|status|kill N|start-node N|pid N|quorum-status N Q|quorum-critical N" >&2; exit 2 ;;
esac
