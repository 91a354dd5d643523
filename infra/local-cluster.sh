#!/usr/bin/env bash
# The shipped cluster on one machine, without Docker: Debian's redis-server with infra/redis/redis.conf,
# N LiveSession nodes from a Release publish, Debian's nginx with infra/nginx/ (its upstream lists
# rewritten to the nodes' loopback ports, nothing else changed), all on 127.0.0.1.
#
#   infra/local-cluster.sh up [--nodes N] [--port P] [--organiser-key K] [--state-dir D]
#   infra/local-cluster.sh down [--state-dir D]
#
# `up` prints the base URL (last line of its output) once nginx answers /readyz; `down` stops exactly
# the processes `up` started (their PIDs are in the state folder, default artifacts/local-cluster).
set -Eeuo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
command=${1:-}
[ $# -gt 0 ] && shift
nodes=3
port=8080
organiser_key=""
state="$repo/artifacts/local-cluster"

usage() {
  sed -n '5,6p' "${BASH_SOURCE[0]}" | sed 's/^#   //' >&2
  exit 2
}

while [ $# -gt 0 ]; do
  case "$1" in
    --nodes) nodes=${2:?}; shift 2 ;;
    --port) port=${2:?}; shift 2 ;;
    --organiser-key) organiser_key=${2:?}; shift 2 ;;
    --state-dir) state=${2:?}; shift 2 ;;
    *) usage ;;
  esac
done
[[ "$nodes" =~ ^[1-9][0-9]?$ ]] || { echo "--nodes: 1 to 99" >&2; exit 2; }
[[ "$port" =~ ^[0-9]+$ ]] && [ "$port" -ge 1 ] && [ "$port" -le 65535 ] || { echo "--port: 1 to 65535" >&2; exit 2; }
# The nodes refuse a weak organiser key at start (OrganiserKeyStrength); say so before publishing.
if [ -n "$organiser_key" ] && { [ ${#organiser_key} -lt 32 ] || [ "$(printf '%s' "$organiser_key" | fold -w1 | sort -u | wc -l)" -lt 8 ]; }; then
  echo "--organiser-key: at least 32 characters, 8 of them different (make one with: openssl rand -base64 32)" >&2
  exit 2
fi

# The HTTP status of GET path on 127.0.0.1:port, or nothing (bash only: curl is not always installed).
http_status() {
  local status=""
  if { exec 3<>"/dev/tcp/127.0.0.1/$1"; } 2>/dev/null; then
    printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' "$2" >&3
    read -r -t 5 _ status _ <&3 || true
    exec 3<&-
  fi
  echo "$status"
}

port_is_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

free_port() {
  local candidate
  while true; do
    candidate=$((20000 + RANDOM % 12000))
    port_is_free "$candidate" && { echo "$candidate"; return; }
  done
}

# A process this script started: alive and started from this state folder or with its binary.
is_ours() {
  local pid=$1 binary=$2
  [ -r "/proc/$pid/cmdline" ] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -e "$state" -e "$binary"
}

# Starts a command detached (its own session, so it outlives this script), logs to a file, records its PID.
launch() {
  local name=$1
  shift
  # The PID is written by the process itself, which then becomes the command (exec keeps the PID).
  setsid bash -c 'echo $$ >"$0"; exec "$@"' "$state/$name.pid" "$@" >"$state/$name.log" 2>&1 </dev/null &
  local deadline=$((SECONDS + 10))
  until [ -s "$state/$name.pid" ]; do
    [ $SECONDS -lt $deadline ] || { echo "$name did not start" >&2; return 1; }
    sleep 0.05
  done
}

wait_for() {
  local what=$1 port=$2 path=$3 deadline=$((SECONDS + ${4:-60}))
  until [ "$(http_status "$port" "$path")" = 200 ]; do
    if [ $SECONDS -ge $deadline ]; then
      echo "$what did not answer 200 on 127.0.0.1:$port$path; logs in $state" >&2
      return 1
    fi
    sleep 0.3
  done
}

stop_all() {
  local file pid name
  # nginx first (no new traffic), then the nodes, then Redis.
  for file in "$state"/nginx.pid "$state"/node*.pid "$state"/redis.pid; do
    [ -f "$file" ] || continue
    pid=$(cat "$file")
    name=$(basename "$file" .pid)
    case "$name" in
      nginx) binary=nginx ;;
      redis) binary=redis-server ;;
      *) binary=LiveSession.Server.dll ;;
    esac
    if is_ours "$pid" "$binary"; then
      kill -TERM "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.2
      done
      kill -KILL "$pid" 2>/dev/null || true
      echo "stopped $name (pid $pid)"
    fi
    rm -f "$file"
  done
}

up() {
  if ls "$state"/*.pid >/dev/null 2>&1; then
    echo "A cluster may still be running from $state: run '$0 down${state:+ --state-dir $state}' first." >&2
    exit 1
  fi
  port_is_free "$port" || { echo "127.0.0.1:$port is in use." >&2; exit 1; }
  for binary in redis-server /usr/sbin/nginx dotnet; do
    command -v "$binary" >/dev/null || { echo "$binary is missing (Debian: apt-get install redis-server nginx)." >&2; exit 1; }
  done
  mkdir -p "$state"/redis "$state"/data "$state"/nginx/livesession
  trap 'echo "start failed; stopping what was started" >&2; stop_all' ERR

  echo "publishing (Release) to $state/app ..." >&2
  dotnet publish "$repo/src/LiveSession.Server" -c Release -o "$state/app" -nologo -v quiet >"$state/publish.log" 2>&1 \
    || { cat "$state/publish.log" >&2; false; }

  if [ -z "$organiser_key" ]; then
    organiser_key=$(head -c 48 /dev/urandom | base64 | tr -d '/+=\n' | head -c 43)
    echo "organiser key (generated): $organiser_key" >&2
  fi
  local base="http://127.0.0.1:$port"

  # Secrets of this cluster only, never on a command line: Redis's password (in an owner-only config
  # file that includes the shipped one, as docker-compose.yml does) and the key ring's secret.
  local redis_port redis_password key_ring_secret
  redis_port=$(free_port)
  redis_password=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
  key_ring_secret=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
  (umask 077 && printf 'include %s\nrequirepass %s\n' "$repo/infra/redis/redis.conf" "$redis_password" >"$state/redis.conf")
  launch redis redis-server "$state/redis.conf" --port "$redis_port" --bind 127.0.0.1 --dir "$state/redis"
  local deadline=$((SECONDS + 20))
  until [ "$(REDISCLI_AUTH="$redis_password" redis-cli -p "$redis_port" ping 2>/dev/null)" = PONG ]; do
    [ $SECONDS -lt $deadline ] || { echo "redis-server did not answer PING; see $state/redis.log" >&2; false; }
    sleep 0.1
  done

  local node_ports=() i node_port
  for i in $(seq 1 "$nodes"); do
    node_port=$(free_port)
    node_ports+=("$node_port")
    echo "$node_port" >"$state/node$i.port"
    ASPNETCORE_URLS="http://127.0.0.1:$node_port" \
    DOTNET_SYSTEM_BUFFERS_SHAREDARRAYPOOL_MAXARRAYSPERPARTITION=4096 \
    ConnectionStrings__Redis="127.0.0.1:$redis_port,password=$redis_password" \
    LiveSession__KeyRingSecret="$key_ring_secret" \
    LiveSession__DataDirectory="$state/data" \
    LiveSession__OrganiserKey="$organiser_key" \
    LiveSession__TrustedProxies__0=127.0.0.1 \
    LiveSession__PublicBaseUrl="$base" \
      launch "node$i" dotnet "$state/app/LiveSession.Server.dll"
  done
  for i in $(seq 1 "$nodes"); do
    wait_for "node$i" "${node_ports[$((i - 1))]}" /readyz 120
  done

  # The shipped nginx.conf with only its upstream servers, listen address, pid file and temp
  # folders adapted; locations.conf and proxy.conf are copied unchanged.
  cp "$repo/infra/nginx/locations.conf" "$repo/infra/nginx/proxy.conf" "$state/nginx/livesession/"
  # In each upstream block the first shipped server line is repeated once per node (its parameters
  # kept, its address replaced); the other shipped server lines are dropped.
  PORTS="${node_ports[*]}" LISTEN="127.0.0.1:$port" PREFIX="$state/nginx" awk '
    /^[[:space:]]*server [a-z0-9.-]+:[0-9]+/ {
      if (!done[block]++) {
        n = split(ENVIRON["PORTS"], ports, " ")
        for (i = 1; i <= n; i++) { line = $0; sub(/server [a-z0-9.-]+:[0-9]+/, "server 127.0.0.1:" ports[i], line); print line }
      }
      next
    }
    /^[[:space:]]*upstream / { block++ }
    /^[[:space:]]*listen / { sub(/listen [^;]+;/, "listen " ENVIRON["LISTEN"] ";") }
    /^[[:space:]]*pid / { sub(/pid [^;]+;/, "pid " ENVIRON["PREFIX"] "/nginx.pid;") }
    { print }
    /^http[[:space:]]*\{/ {
      p = ENVIRON["PREFIX"]
      print "    client_body_temp_path " p "/body;\n    proxy_temp_path " p "/proxy;\n    fastcgi_temp_path " p "/fastcgi;\n    uwsgi_temp_path " p "/uwsgi;\n    scgi_temp_path " p "/scgi;"
    }
  ' "$repo/infra/nginx/nginx.conf" >"$state/nginx/nginx.conf"
  /usr/sbin/nginx -t -q -p "$state/nginx" -c "$state/nginx/nginx.conf" -e "$state/nginx/error.log"
  launch nginx /usr/sbin/nginx -p "$state/nginx" -c "$state/nginx/nginx.conf" -e "$state/nginx/error.log" -g 'daemon off;'
  wait_for nginx "$port" /readyz 30
  trap - ERR

  echo "$nodes nodes, Redis on 127.0.0.1:$redis_port, logs and PIDs in $state; stop with: $0 down --state-dir $state" >&2
  echo "$base/"
}

case "$command" in
  up) up ;;
  down) stop_all ;;
  *) usage ;;
esac
