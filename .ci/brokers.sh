#!/usr/bin/env bash
# Installs and runs the STOMP brokers used by the integration tests, loopback only:
#   RabbitMQ 3.10 (Debian)          STOMP 127.0.0.1:61613 (guest/guest, host "/"),
#                                   Web-STOMP ws://127.0.0.1:15674/ws
#   ActiveMQ Classic 5.17 (Debian)  STOMP 127.0.0.1:61623 (no authentication)
# Usage: brokers.sh install|start|stop|status   (Debian 12; root, or sudo is used)
# start fails if a broker is not up within $BROKERS_WAIT s (90); stop never fails;
# status exits 3 if a broker is down.
set -uo pipefail
[ "$(id -u)" = 0 ] || exec sudo -E bash "$0" "$@"
cd /  # the package scripts su to service users that cannot read arbitrary cwds

WAIT=${BROKERS_WAIT:-90}                 # seconds allowed for both brokers to come up
LOG=/var/log/jstomp-brokers.log          # output of the package tools, tailed on failure
RMQ_PID=/var/lib/rabbitmq/mnesia/rabbit@localhost.pid
RMQ_LOG=/var/log/rabbitmq/rabbit@localhost.log
AMQ=jstomp                               # ActiveMQ instance name
AMQ_CONF=/etc/activemq/instances-available/$AMQ
AMQ_BASE=/var/lib/activemq/$AMQ
AMQ_PID=/run/activemq/$AMQ.pid

say() { printf '[brokers %s] %s\n' "$(date +%T)" "$*"; }
# Runs a step and prints how long it took; returns the step's status.
step() {
  local name=$1 t=$EPOCHREALTIME rc; shift
  "$@"; rc=$?
  local ms=$(( (${EPOCHREALTIME//[!0-9]/} - ${t//[!0-9]/}) / 1000 ))
  say "$(printf '%-34s %4d.%03ds' "$name" $((ms / 1000)) $((ms % 1000)))$([ $rc = 0 ] || echo "  FAILED (rc=$rc)")"
  return $rc
}
fail() {  # message, then the log files worth a look; returns 1
  say "ERROR: $1"; shift
  local f; for f; do  # Java stack frames dropped: the exception and its causes are what matter
    [ -f "$f" ] && { echo "----- tail of $f"; grep -v $'^\tat ' "$f" | tail -n 30; }
  done
  return 1
}
die() { fail "$@" "$LOG"; exit 1; }
q() { "$@" >>"$LOG" 2>&1; }

# Prints the CONNECTED frame (as one line) of a STOMP CONNECT on 127.0.0.1:port; fails otherwise.
stomp_connect() (  # port host [login passcode]; a subshell so fd 3 never leaks
  auth="" frame=""
  [ $# -ge 4 ] && auth="login:$3"$'\n'"passcode:$4"$'\n'
  exec 3<>"/dev/tcp/127.0.0.1/$1" || return 1
  printf 'CONNECT\naccept-version:1.1,1.2\nhost:%s\n%s\n\0' "$2" "$auth" >&3
  IFS= read -r -d '' -t 5 frame <&3
  printf 'DISCONNECT\n\n\0' >&3 2>/dev/null; exec 3>&-
  while [[ $frame == *$'\n' ]]; do frame=${frame%$'\n'}; done
  printf '%s\n' "${frame//$'\n'/ | }"
  [[ $frame == CONNECTED* ]]
)
rmq_probe() { stomp_connect 61613 / guest guest 2>/dev/null; }
amq_probe() { stomp_connect 61623 localhost 2>/dev/null; }
listens() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
until_ok() {  # retries a command until it succeeds or $DEADLINE (see do_start) passes
  until "$@" >/dev/null; do ((SECONDS < DEADLINE)) || return 1; sleep 0.5; done
}

restore_policy() {
  rm -f /usr/sbin/policy-rc.d
  [ ! -e /usr/sbin/policy-rc.d.jstomp-saved ] || mv /usr/sbin/policy-rc.d.jstomp-saved /usr/sbin/policy-rc.d
}
apt_install() {
  # chromium: headless, for the check that `jstomp perf --report` pages render (cli PerfIT).
  local pkgs=(rabbitmq-server activemq default-jre-headless chromium)
  [ "$(dpkg-query -W -f='${db:Status-Abbrev}' "${pkgs[@]}" 2>/dev/null | tr -d ' ')" = "$(printf 'ii%.0s' "${pkgs[@]}")" ] &&
    return 0
  # Keep maintainer scripts from starting the services: without systemd they may hang or
  # leave a half-configured node behind; we start them ourselves with our configuration.
  local policy=/usr/sbin/policy-rc.d rc
  [ -e $policy ] && [ ! -e $policy.jstomp-saved ] && mv $policy $policy.jstomp-saved
  trap restore_policy EXIT; trap 'exit 130' INT TERM
  printf '#!/bin/sh\nexit 101\n' >$policy && chmod 755 $policy
  q apt-get update -q && DEBIAN_FRONTEND=noninteractive q apt-get install -y -q --no-install-recommends \
    -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "${pkgs[@]}"
  rc=$?; restore_policy; trap - EXIT INT TERM
  return $rc
}

rmq_configure() {
  cat >/etc/rabbitmq/rabbitmq-env.conf <<'EOF'
NODENAME=rabbit@localhost
NODE_IP_ADDRESS=127.0.0.1
export ERL_EPMD_ADDRESS=127.0.0.1
EOF
  cat >/etc/rabbitmq/rabbitmq.conf <<'EOF'
listeners.tcp.default = 127.0.0.1:5672
distribution.listener.interface = 127.0.0.1
stomp.listeners.tcp.1 = 127.0.0.1:61613
web_stomp.tcp.ip = 127.0.0.1
web_stomp.tcp.port = 15674
EOF
  # rabbitmq-plugins boots an Erlang VM (~2 s), so only when needed.
  grep -qs rabbitmq_web_stomp /etc/rabbitmq/enabled_plugins ||
    q rabbitmq-plugins --offline enable rabbitmq_stomp rabbitmq_web_stomp || return 1
  chown rabbitmq:rabbitmq /etc/rabbitmq/*
}

amq_configure() {
  mkdir -p "$AMQ_CONF" "$AMQ_BASE/data" "$AMQ_BASE/tmp" && chown -R activemq:activemq "$AMQ_BASE"
  # Debian's build logs through log4j 1.2, so the package's log4j2.properties is ignored and
  # the broker would log nothing; activemq.log (one run per file) is what fail() shows.
  cat >"$AMQ_CONF/log4j.properties" <<'EOF'
log4j.rootLogger=INFO, logfile
log4j.logger.org.springframework=WARN
log4j.logger.org.apache.xbean=WARN
log4j.appender.logfile=org.apache.log4j.FileAppender
log4j.appender.logfile.file=${activemq.data}/activemq.log
log4j.appender.logfile.append=false
log4j.appender.logfile.layout=org.apache.log4j.PatternLayout
log4j.appender.logfile.layout.ConversionPattern=%d | %-5p | %m | %c | %t%n
EOF
  # No persistence/JMX for tests; STOMP only. No authentication plugin: any login is accepted.
  cat >"$AMQ_CONF/activemq.xml" <<'EOF'
<beans xmlns="http://www.springframework.org/schema/beans"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  xsi:schemaLocation="http://www.springframework.org/schema/beans http://www.springframework.org/schema/beans/spring-beans-2.0.xsd
  http://activemq.apache.org/schema/core http://activemq.apache.org/schema/core/activemq-core.xsd">
  <broker xmlns="http://activemq.apache.org/schema/core" brokerName="jstomp"
          persistent="false" useJmx="false" dataDirectory="${activemq.base}/data">
    <transportConnectors>
      <transportConnector name="stomp" uri="stomp://127.0.0.1:61623"/>
    </transportConnectors>
  </broker>
</beans>
EOF
  # Package defaults, but: smaller initial heap; DATA/TMP per instance (/usr/bin/activemq derives
  # them before reading this file, i.e. from /var/lib/activemq, where activemq.log is not writable);
  # JVM output kept for failures; no fixed 5 s sleep in the init script (we poll the port instead);
  # pooled task runners instead of the package's one thread per destination (10,000 topics exhausted
  # the machine's thread ids with those).
  cat >"$AMQ_CONF/options" <<'EOF'
ACTIVEMQ_BASE="/var/lib/activemq/$INSTANCE"
JAVA_HOME="/usr/lib/jvm/default-java/"
ACTIVEMQ_OPTS="-Xms64M -Xmx512M -Dorg.apache.activemq.UseDedicatedTaskRunner=false"
ACTIVEMQ_ARGS="start xbean:activemq.xml"
ACTIVEMQ_DATA="/var/lib/activemq/$INSTANCE/data"
ACTIVEMQ_TMP="/var/lib/activemq/$INSTANCE/tmp"
ACTIVEMQ_OUT="/var/lib/activemq/$INSTANCE/data/console.log"
STARTTIME=0
EOF
  ln -sfn "$AMQ_CONF" /etc/activemq/instances-enabled/$AMQ
}

do_install() {
  step "apt install (if missing)" apt_install || die "apt-get install failed"
  step "configure rabbitmq" rmq_configure || die "RabbitMQ configuration failed"
  step "configure activemq" amq_configure || die "ActiveMQ configuration failed"
}

rmq_ready() {
  # await_startup fails at once while the node is not yet registered in epmd; `wait <pidfile>`
  # first waits for the pid file the booting node writes, then for the app to be up.
  q rabbitmqctl wait --timeout $((DEADLINE - SECONDS)) $RMQ_PID &&
    q rabbitmq-diagnostics check_port_listener 61613 && q rabbitmq-diagnostics check_port_listener 15674 &&
    until_ok rmq_probe && listens 15674
}

do_start() {
  do_install
  # Both are launched before waiting on either, so their boots overlap.
  local rmq_up=0 amq_up=0 ok=1
  rmq_probe >/dev/null && rmq_up=1 && say "rabbitmq already running"
  amq_probe >/dev/null && amq_up=1 && say "activemq already running"
  # A broker that does not answer may still be half up (crash, failed boot, stale pid file):
  # clear that first, which costs nothing when it is simply down.
  ((amq_up)) || { amq_stop; step "launch activemq (init script)" q /etc/init.d/activemq start; } ||
    die "/etc/init.d/activemq start failed"
  ((rmq_up)) || { rmq_stop; step "launch rabbitmq (-detached)" q rabbitmq-server -detached; } ||
    die "rabbitmq-server -detached failed" "$RMQ_LOG"
  DEADLINE=$((SECONDS + WAIT))  # one deadline for both, so the waits do not add up
  step "wait rabbitmq (61613, 15674)" rmq_ready ||
    fail "RabbitMQ not up within ${WAIT}s" "$LOG" "$RMQ_LOG" || ok=0
  step "wait activemq (61623)" until_ok amq_probe ||
    fail "ActiveMQ gave no STOMP CONNECTED on 61623 within ${WAIT}s" \
      "$AMQ_BASE/data/activemq.log" "$AMQ_BASE/data/console.log" || ok=0
  do_status && ((ok))
}

# Waits up to 10 s for pid $1 to exit, then SIGKILLs it. $2 must be on its command line, so
# a stale pid file naming a recycled pid is harmless.
reap() {
  local n=0
  while grep -qa -- "$2" /proc/"$1"/cmdline 2>/dev/null; do
    if ((n++ < 20)); then sleep 0.5; else kill -9 "$1"; break; fi
  done
}

rmq_stop() {
  # Find the server VM by its boot arguments (3.10 sets the node name at runtime, so it is not
  # on the command line); the pid file may be missing (early crash) or stale.
  local pid; pid=$(pgrep -u rabbitmq -f -- ' -s rabbit boot' | head -n1)
  if [ -n "$pid" ]; then
    # With the pid file, `stop` returns only once the VM has exited.
    if [ "$(cat $RMQ_PID 2>/dev/null)" = "$pid" ]; then q timeout 60 rabbitmqctl stop $RMQ_PID
    else q timeout 60 rabbitmqctl stop; fi
    reap "$pid" beam
  fi
  command -v epmd >/dev/null && q epmd -kill
  rm -f $RMQ_PID
}

amq_stop() {
  q /etc/init.d/activemq stop  # SIGTERM; the JVM's shutdown hook needs well under a second
  [ -f $AMQ_PID ] && reap "$(cat $AMQ_PID)" "activemq.base=$AMQ_BASE"
  rm -f $AMQ_PID
}

do_stop() {
  if [ -x /etc/init.d/activemq ]; then step "stop activemq" amq_stop; else say "activemq not installed"; fi
  if command -v rabbitmqctl >/dev/null; then step "stop rabbitmq" rmq_stop; else say "rabbitmq not installed"; fi
  return 0
}

do_status() {
  local f rc=0
  if f=$(rmq_probe); then
    say "rabbitmq: UP   stomp 127.0.0.1:61613 [$f]; web-stomp 127.0.0.1:15674 $(listens 15674 && echo listening || echo DOWN)"
  else say "rabbitmq: DOWN (no STOMP CONNECTED on 127.0.0.1:61613)"; rc=3; fi
  if f=$(amq_probe); then say "activemq: UP   stomp 127.0.0.1:61623 [$f]"
  else say "activemq: DOWN (no STOMP CONNECTED on 127.0.0.1:61623)"; rc=3; fi
  return $rc
}

[[ ${1:-} == @(install|start|stop) ]] && : >"$LOG"  # so failures show this run's output only
case "${1:-}" in
  install) step "install total" do_install ;;
  start) step "start total" do_start ;;
  stop) do_stop ;;
  status) do_status ;;
  *) echo "usage: $0 install|start|stop|status" >&2; exit 2 ;;
esac
