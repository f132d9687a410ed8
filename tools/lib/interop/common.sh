# shellcheck shell=bash disable=SC2034  # IL_* and PYTO are read by the scripts that source this
# Sourced by tools/interop and tools/bench: packages, a temp dir, background processes that are
# always stopped, bounded waits, and the pyto jar. Everything here is loopback only.
#
# Every process runs under `timeout` (so nothing outlives a hung run) and in the background
# (so the script's INT/TERM trap runs at once instead of after a foreground child ends); the
# EXIT trap stops each by its PID, newest first, then removes the temp dir unless --keep.

IL_LIB=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
IL_ROOT=$(cd "$IL_LIB/../../.." && pwd)
# python3-libtorrent belongs to Debian's Python, not to whatever python3 is first on PATH.
IL_PY=/usr/bin/python3
IL_PIDS=()
IL_TMP=""
IL_KEEP=0

# ---- packages -------------------------------------------------------------------------------

# il_install PACKAGE:CHECK ...: installs, in one apt-get run, each Debian package whose CHECK
# fails. CHECK is a command name, or "py:MODULE" for a module of /usr/bin/python3.
il_install() {
  local want=() spec pkg check
  for spec in "$@"; do
    pkg=${spec%%:*}; check=${spec#*:}
    if [[ $check == py:* ]]; then
      [ -x "$IL_PY" ] && "$IL_PY" -c "import ${check#py:}" 2>/dev/null && continue
    else
      command -v "$check" >/dev/null 2>&1 && continue
    fi
    want+=("$pkg")
  done
  [ ${#want[@]} -eq 0 ] && return 0
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || { echo "missing packages ${want[*]}, and not root to install them" >&2; return 1; }
    sudo=(sudo -n)
  fi
  echo "Installing ${want[*]}..." >&2
  # CI has no standard input: noninteractive keeps debconf from asking anything.
  "${sudo[@]}" apt-get update -qq >&2
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${want[@]}" >&2
}

# ---- temp dir and clean-up ------------------------------------------------------------------

# il_setup NAME: makes the run's temp dir ($IL_TMP) and sets the traps. Whatever pyto keeps
# between runs (the DHT's node id and nodes, by default in $XDG_STATE_HOME/pyto) goes into the
# temp dir too: no run writes to the user's home.
il_setup() {
  IL_TMP=$(mktemp -d "${TMPDIR:-/tmp}/pyto-$1.XXXXXX")
  export XDG_STATE_HOME=$IL_TMP/state
  trap il_cleanup EXIT
  trap 'echo "interrupted" >&2; exit 130' INT TERM
}

il_cleanup() {
  local i
  for ((i = ${#IL_PIDS[@]} - 1; i >= 0; i--)); do
    il_stop "${IL_PIDS[i]}"
  done
  if [ -n "$IL_TMP" ] && [ -d "$IL_TMP" ]; then
    if [ "$IL_KEEP" = 1 ]; then
      echo "kept $IL_TMP" >&2
    else
      rm -rf "$IL_TMP"
    fi
  fi
}

# ---- processes ------------------------------------------------------------------------------

# il_spawn SECONDS LOG CMD...: starts CMD in the background under `timeout SECONDS`, output to
# LOG, and remembers it for the clean-up; its PID is in $IL_PID. `timeout` passes a TERM on to
# CMD, so stopping the PID stops CMD (java runs its shutdown hook, libtorrent says "stopped").
il_spawn() {
  local secs=$1 log=$2
  shift 2
  timeout --kill-after=5 "$secs" "$@" >"$log" 2>&1 </dev/null &
  IL_PID=$!
  IL_PIDS+=("$IL_PID")
}

# il_alive PID: whether the process runs (a zombie, exited but not yet waited for, does not).
il_alive() {
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  stat=${stat##*) }
  [ "${stat:0:1}" != Z ]
}

# il_stop PID: TERM, up to 10 s to finish, then KILL; reaps it. Safe to call twice.
il_stop() {
  local pid=$1 i
  if il_alive "$pid"; then
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 100; i++)); do
      il_alive "$pid" || break
      sleep 0.1
    done
    if il_alive "$pid"; then
      # `timeout` leads its own process group: KILL the group, so nothing of it lingers.
      # disown first: bash would otherwise print a "Killed" job notice in the middle of the report.
      disown "$pid" 2>/dev/null || true
      kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  wait "$pid" 2>/dev/null || true
}

# il_wait_exit PID: waits for a spawned process and sets $IL_RC to its exit code
# (124: `timeout` ended it).
il_wait_exit() {
  IL_RC=0
  wait "$1" || IL_RC=$?
}

# il_wait_until SECONDS CMD...: polls CMD every 0.2 s until it succeeds (0) or SECONDS pass (1).
il_wait_until() {
  local deadline=$((SECONDS + $1))
  shift
  while ! "$@"; do
    [ "$SECONDS" -ge "$deadline" ] && return 1
    sleep 0.2
  done
}

# il_wait_progress DIR STALL_SECS MAX_SECS CMD...: polls CMD every 0.2 s until it succeeds
# (returns 0); gives up when MAX_SECS pass (1) or when the bytes stored under DIR have not grown
# for STALL_SECS (2), so a stuck transfer fails in seconds, not at its time limit. $IL_KIB is the
# KiB under DIR at the end. du counts allocated blocks, so sparse files count what was written.
il_wait_progress() {
  local dir=$1 stall=$2 deadline=$((SECONDS + $3)) last=-1 since=$SECONDS
  shift 3
  IL_KIB=0
  while ! "$@"; do
    IL_KIB=$(du -sk "$dir" 2>/dev/null | cut -f1) || IL_KIB=0
    if [ "$IL_KIB" != "$last" ]; then
      last=$IL_KIB since=$SECONDS
    elif [ $((SECONDS - since)) -ge "$stall" ]; then
      return 2
    fi
    [ "$SECONDS" -ge "$deadline" ] && return 1
    sleep 0.2
  done
  return 0
}

il_exited() { ! il_alive "$1"; } # PID

il_now() { # seconds since the epoch with microseconds
  echo "${EPOCHREALTIME/,/.}"
}

# ---- helpers --------------------------------------------------------------------------------

# il_free_ports N: N distinct free TCP ports on 127.0.0.1, space separated.
il_free_ports() {
  "$IL_PY" "$IL_LIB/net.py" free-ports "$1" | tr '\n' ' '
}

# il_seeders ANNOUNCE_URL HASH: how many seeders the tracker's scrape reports (-1: no answer).
il_seeders() {
  "$IL_PY" "$IL_LIB/net.py" seeders "$1" "$2"
}

il_has_seeder() { # ANNOUNCE_URL HASH: true once the tracker lists a seeder
  [ "$(il_seeders "$1" "$2")" -ge 1 ]
}

# il_serves PORT HASH: the peer on 127.0.0.1:PORT answers a BitTorrent handshake for the
# torrent (it has the torrent running, not merely listed).
il_serves() {
  "$IL_PY" "$IL_LIB/net.py" handshake 127.0.0.1 "$1" "$2"
}

# il_random_file PATH BYTES: random data (incompressible, no accidental matches between files).
il_random_file() {
  mkdir -p "$(dirname "$1")"
  head -c "$2" /dev/urandom >"$1"
}

# il_same_tree SRC DST: every file under SRC exists under DST with the same bytes (cmp); prints
# the first difference.
il_same_tree() {
  local f out
  while IFS= read -r -d '' f; do
    if [ ! -f "$2/$f" ]; then
      echo "missing $f"
      return 1
    fi
    if ! out=$(cmp -- "$1/$f" "$2/$f" 2>&1); then
      echo "${out%%$'\n'*}"
      return 1
    fi
  done < <(cd "$1" && find . -type f -print0)
  return 0
}

# il_tail LOG...: the last lines of each log, indented, for a FAIL report. Noise goes first:
# terminal escapes, blank lines, every periodic status line of pyto (a magnet's "fetching
# metadata" ones too) but the last, the stack trace the JDK logs at debug level when a signal
# ends the JVM, Transmission's "Saved" lines.
il_tail() {
  local log
  for log in "$@"; do
    [ -f "$log" ] || continue
    echo "    --- $(basename "$log") (last lines)"
    tr '\r' '\n' <"$log" | sed 's/\x1b\[[0-9;]*[A-Za-z]//g' |
      grep -v -E '^\s*$|Runtime\.exit|^java\.lang\.Throwable|^\s+at java\.base/|\] (Saved "|web )' |
      awk '/  down .*  up .*  peers |  fetching metadata \(/ { status = $0; next } { print } END { if (status) print status }' |
      tail -n 15 | sed 's/^/    | /'
  done
}

il_mib() { # BYTES -> "40.0"
  awk -v b="$1" 'BEGIN { printf "%.1f", b / 1048576 }'
}

# ---- pyto -----------------------------------------------------------------------------------

# il_pyto_jar: builds target/pyto.jar if needed (through tools/pyto, once) and sets PYTO to the
# command that runs it. The runs below call java directly so that no JDK search or source scan
# is part of a measured time; the JVM options are those tools/pyto gives.
il_pyto_jar() {
  # shellcheck source=tools/lib/jdk.sh
  . "$IL_ROOT/tools/lib/jdk.sh"
  pyto_use_jdk
  "$IL_ROOT/tools/pyto" --version >/dev/null
  local jvm
  mapfile -t jvm < <(pyto_jvm_options "$IL_ROOT/target/pyto.jar")
  # shellcheck disable=SC2206 # PYTO_JAVA_OPTS is a list of words, as in tools/pyto
  PYTO=("$JAVA_HOME/bin/java" "${jvm[@]}" ${PYTO_JAVA_OPTS:-} -jar "$IL_ROOT/target/pyto.jar")
}
