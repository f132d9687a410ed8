# shellcheck shell=bash
# Sourced after common.sh and clients.sh: Debian's transmission-remote (Transmission 3.00) drives
# `pyto daemon` over Transmission's RPC, and every answer is checked, not just printed.
#
#   il_daemon_check DIR [PYTO_FLAGS...]
#
# In DIR (made if missing), on free 127.0.0.1 ports: a pyto tracker, a libtorrent seeder of one
# torrent and a pyto seeder of another, and a pyto daemon with its own state directory. Then,
# with the password the daemon made in STATE/rpc-password:
#   add a .torrent (-a FILE) and a magnet link (-a 'magnet:...'), both downloaded in full and
#   compared byte for byte; list (-l) shows both at 100%; info (-t 1 -i) names the torrent, its
#   hash and its magnet link; files (-t 1 -f) lists its files; stop (-S) and start (-s) change
#   its state; session limits (-d/-u, then -si) and a torrent's (-t 1 -d, then -t 1 -i); remove
#   with data (--remove-and-delete) deletes the files; a wrong password is refused; and after a
#   restart of the daemon (SIGTERM, then start) the torrent is listed again at 100%.
# Prints a PASS or FAIL line per step through the caller's pass and fail functions (NAME REASON
# [LOG...]), which tools/interop defines; returns 1 if any step failed.
#
#   il_remote_transmission_check DIR
#
# The other way round: `pyto remote` drives a real transmission-daemon (see below).

IL_DAEMON_SIZE=${IL_DAEMON_SIZE:-3000000}

il_daemon_check() {
  local dir=$1
  shift
  local flags=("$@") tracker peer1 peer2 peer3 rpc announce pw r out hash1 hash2 magnet failed=0
  mkdir -p "$dir"
  read -r tracker peer1 peer2 peer3 rpc _ <<<"$(il_free_ports 6)"
  announce=http://127.0.0.1:$tracker/announce

  # Two payloads of random data (the last piece short), a torrent of each naming the tracker.
  il_random_file "$dir/src/one/alpha.bin" $((IL_DAEMON_SIZE / 3 + 1111))
  il_random_file "$dir/src/one/sub/beta.bin" $((IL_DAEMON_SIZE - IL_DAEMON_SIZE / 3))
  il_random_file "$dir/src/two/gamma.bin" $((IL_DAEMON_SIZE / 2 + 7))
  "${PYTO[@]}" create "$dir/src/one" -t "$announce" --piece-length 64k -o "$dir/one.torrent" >"$dir/create.log" 2>&1 &&
    "${PYTO[@]}" create "$dir/src/two" -t "$announce" --piece-length 64k -o "$dir/two.torrent" >>"$dir/create.log" 2>&1 ||
    { fail "daemon: pyto create" "could not make the torrents" "$dir/create.log"; return 1; }
  hash1=$("${PYTO[@]}" info "$dir/one.torrent" | sed -n 's/^info hash: *//p')
  hash2=$("${PYTO[@]}" info "$dir/two.torrent" | sed -n 's/^info hash: *//p')
  magnet=$("${PYTO[@]}" info "$dir/two.torrent" | sed -n 's/^magnet: *//p')

  il_tracker_start "$tracker" "$dir/tracker.log" ||
    { fail "daemon: pyto tracker" "did not answer on port $tracker" "$dir/tracker.log"; return 1; }
  il_lt_seed "$dir/one.torrent" "$dir/src" "$peer1" "$dir/seeder-libtorrent.log"
  il_pyto_seed "$dir/two.torrent" "$dir/src" "$peer2" "$dir/seeder-pyto.log" "${flags[@]}"
  if ! il_wait_until 60 il_has_seeder "$announce" "$hash1" || ! il_wait_until 60 il_has_seeder "$announce" "$hash2"; then
    fail "daemon: seeders" "the tracker never listed both seeders" "$dir/seeder-libtorrent.log" "$dir/seeder-pyto.log"
    return 1
  fi

  il_daemon_start "$dir" "$peer3" "$rpc" "${flags[@]}" ||
    { fail "daemon: pyto daemon" "its RPC did not answer on port $rpc" "$dir"/daemon-*.log; return 1; }
  pw=$(cat "$dir/state/rpc-password")
  r=(transmission-remote "127.0.0.1:$rpc" -n "pyto:$pw")

  # -- add a .torrent and a magnet link; both complete, byte for byte -----------------------------
  step() { # NAME CONDITION-OUTPUT...: PASS when the command printed what was expected
    if [ "$IL_STEP_OK" = 1 ]; then pass "$1" "$2"; else fail "$1" "$2" "$dir/remote.log" "$dir"/daemon-*.log; failed=1; fi
  }
  expect() { # LABEL PATTERN CMD...: runs CMD, keeps its output in remote.log, checks it against PATTERN (grep -E)
    local label=$1 pattern=$2
    shift 2
    out=$("$@" 2>&1) || true
    printf '$ %s\n%s\n' "$*" "$out" >>"$dir/remote.log"
    if grep -qE -- "$pattern" <<<"$out"; then IL_STEP_OK=1; else IL_STEP_OK=0; fi
    IL_STEP_WHY="$label: $(head -n 3 <<<"$out" | tr '\n' ' ')"
  }
  expect "-a FILE" 'responded: "success"' "${r[@]}" -a "$dir/one.torrent"
  step "transmission-remote -a FILE.torrent" "$IL_STEP_WHY"
  expect "-a MAGNET" 'responded: "success"' "${r[@]}" -a "$magnet"
  step "transmission-remote -a MAGNET" "$IL_STEP_WHY"
  il_wait_until 90 il_daemon_done "${r[@]}" 1 && il_wait_until 60 il_daemon_done "${r[@]}" 2 || true
  IL_STEP_OK=0
  if ! out=$(il_same_tree "$dir/src/one" "$dir/dl/one"); then
    IL_STEP_WHY="torrent 1: $out"
  elif ! out=$(il_same_tree "$dir/src/two" "$dir/dl/two"); then
    IL_STEP_WHY="torrent 2 (magnet): $out"
  else
    IL_STEP_OK=1 IL_STEP_WHY="both complete, the same bytes as the seeders' (libtorrent and pyto)"
  fi
  step "daemon downloads both" "$IL_STEP_WHY"

  # -- list, info, files ----------------------------------------------------------------------------
  expect "-l" "^ +1 +100% .* one\$" "${r[@]}" -l
  grep -qE '^ +2 +100% .* two$' <<<"$out" || IL_STEP_OK=0
  step "transmission-remote -l" "$IL_STEP_WHY"
  expect "-t 1 -i" "^  Hash: $hash1\$" "${r[@]}" -t 1 -i
  grep -q '^  Name: one$' <<<"$out" && grep -q "^  Magnet: magnet:?xt=urn:btih:$hash1" <<<"$out" &&
    grep -q '^  Percent Done: 100%$' <<<"$out" || IL_STEP_OK=0
  step "transmission-remote -t 1 -i" "$IL_STEP_WHY"
  expect "-t 1 -f" 'one/alpha\.bin$' "${r[@]}" -t 1 -f
  grep -qE '^ +[0-9]+: +100% .*one/sub/beta\.bin$' <<<"$out" && grep -q '^one (2 files):' <<<"$out" || IL_STEP_OK=0
  step "transmission-remote -t 1 -f" "$IL_STEP_WHY"

  # -- stop, start ----------------------------------------------------------------------------------
  expect "-t 1 -S" 'responded: "success"' "${r[@]}" -t 1 -S
  [ "$(il_daemon_field "${r[@]}" 1 State)" = Stopped ] || IL_STEP_OK=0
  step "transmission-remote -t 1 -S (stop)" "$IL_STEP_WHY, state $(il_daemon_field "${r[@]}" 1 State)"
  expect "-t 1 -s" 'responded: "success"' "${r[@]}" -t 1 -s
  il_wait_until 10 il_daemon_state_not "${r[@]}" 1 Stopped || IL_STEP_OK=0
  step "transmission-remote -t 1 -s (start)" "$IL_STEP_WHY, state $(il_daemon_field "${r[@]}" 1 State)"

  # -- limits ---------------------------------------------------------------------------------------
  expect "-d 300 -u 200" 'responded: "success"' "${r[@]}" -d 300 -u 200
  out=$("${r[@]}" -si 2>&1) || true
  printf '$ -si\n%s\n' "$out" >>"$dir/remote.log"
  grep -q '^  Download speed limit: 300 kB/s' <<<"$out" && grep -q '^  Upload speed limit: 200 kB/s' <<<"$out" ||
    IL_STEP_OK=0
  step "transmission-remote -d 300 -u 200, -si" "$IL_STEP_WHY; -si: $(grep 'speed limit' <<<"$out" | tr -s ' ' | tr '\n' ';')"
  expect "-t 1 -d 100" 'responded: "success"' "${r[@]}" -t 1 -d 100
  [ "$(il_daemon_field "${r[@]}" 1 "Download Limit")" = "100 kB/s" ] || IL_STEP_OK=0
  step "transmission-remote -t 1 -d 100 (torrent limit)" "$IL_STEP_WHY, $(il_daemon_field "${r[@]}" 1 "Download Limit")"

  # -- a refusal, and a restart -----------------------------------------------------------------------
  expect "wrong password" '401 Unauthorized' transmission-remote "127.0.0.1:$rpc" -n pyto:wrong -l
  step "a wrong password is refused" "$IL_STEP_WHY"
  il_stop "$IL_DAEMON_PID"
  il_daemon_start "$dir" "$peer3" "$rpc" "${flags[@]}" || IL_STEP_OK=0
  if [ "$IL_STEP_OK" = 1 ]; then
    expect "-l after a restart" "^ +[0-9]+ +100% .* one\$" "${r[@]}" -l
    grep -qE '^ +[0-9]+ +100% .* two$' <<<"$out" || IL_STEP_OK=0
  fi
  step "pyto daemon restarted: both torrents back" "$IL_STEP_WHY"

  # -- remove with data -------------------------------------------------------------------------------
  local id2
  id2=$("${r[@]}" -l 2>/dev/null | awk '$NF == "two" { print $1 + 0 }')
  expect "--remove-and-delete" 'responded: "success"' "${r[@]}" -t "${id2:-2}" --remove-and-delete
  if [ -e "$dir/dl/two" ] || "${r[@]}" -l 2>/dev/null | grep -qE ' two$'; then IL_STEP_OK=0; fi
  step "transmission-remote --remove-and-delete" "$IL_STEP_WHY; files left: $(ls "$dir/dl" | tr '\n' ' ')"
  [ -d "$dir/dl/one" ] || { fail "the other torrent's data stays" "$dir/dl/one is gone"; failed=1; }

  return "$failed"
}

# il_remote_transmission_check DIR: `pyto remote` drives a real transmission-daemon (3.00): add a
# .torrent, list, info, files, stop, start, session limits, remove with data; each answer checked
# (and the limits read back with transmission-remote). PASS/FAIL through pass and fail, as above.
il_remote_transmission_check() {
  local dir=$1 peer rpc url out failed=0 hash
  read -r peer rpc _ <<<"$(il_free_ports 3)"
  mkdir -p "$dir"
  il_random_file "$dir/src/three/delta.bin" 200001
  "${PYTO[@]}" create "$dir/src/three" -t http://127.0.0.1:1/announce --piece-length 32k -o "$dir/three.torrent" \
    >"$dir/create.log" 2>&1 || { fail "pyto remote: pyto create" "failed" "$dir/create.log"; return 1; }
  hash=$("${PYTO[@]}" info "$dir/three.torrent" | sed -n 's/^info hash: *//p')
  cp -r "$dir/src" "$dir/dl" # complete data: the daemon checks it and seeds
  il_tr_start "$dir/transmission" "$peer" "$rpc" "$dir/dl" "$dir/transmission.log" ||
    { fail "pyto remote: transmission-daemon" "its RPC did not answer" "$dir/transmission.log"; return 1; }
  url=http://127.0.0.1:$rpc/transmission/rpc
  remote() { # PATTERN ARGS...: pyto remote ARGS against Transmission; PASS when its output matches PATTERN
    local pattern=$1
    shift
    out=$("${PYTO[@]}" remote --rpc "$url" "$@" 2>&1) || true
    printf '$ pyto remote %s\n%s\n' "$*" "$out" >>"$dir/remote.log"
    if grep -qE -- "$pattern" <<<"$out"; then
      pass "pyto remote $1 -> transmission-daemon" "$(head -n 2 <<<"$out" | tr -s ' ' | tr '\n' ' ')"
    else
      fail "pyto remote $1 -> transmission-daemon" "$(head -n 3 <<<"$out" | tr '\n' ' ')" "$dir/remote.log" "$dir/transmission.log"
      failed=1
    fi
  }
  remote "^added: three \(id 1, $hash\)" add "$dir/three.torrent"
  il_wait_until 30 il_tr_seeding "$rpc" || true
  remote "^ +1 +100\.0% .* seeding +three$" list
  remote "^  info hash: +$hash$" info 1
  remote "^ +0 +100\.0% .*three/delta\.bin$" files 1
  remote "^stopped 1$" stop 1
  remote "^ +1 .* stopped +three$" list
  remote "^started all$" start all
  remote "^limits set: down 300 kB/s, up 200 kB/s$" limits --down 300000 --up 200000
  out=$(transmission-remote "127.0.0.1:$rpc" -si 2>&1) || true
  if grep -q '^  Download speed limit: 300 kB/s' <<<"$out" && grep -q '^  Upload speed limit: 200 kB/s' <<<"$out"; then
    pass "pyto remote limits -> transmission-daemon -si" "300 kB/s down, 200 kB/s up"
  else
    fail "pyto remote limits -> transmission-daemon -si" "$(grep 'speed limit' <<<"$out" | tr '\n' ';')"
    failed=1
  fi
  remote "^removed 1, and its data deleted$" remove 1 --delete
  if [ -e "$dir/dl/three/delta.bin" ]; then
    fail "pyto remote remove --delete -> transmission-daemon" "the data is still there"
    failed=1
  fi
  return "$failed"
}

# il_daemon_start DIR PEER_PORT RPC_PORT [FLAGS...]: `pyto daemon` with its state in DIR/state and
# downloads in DIR/dl, its log in DIR/daemon-N.log (N counts the starts); waits until its RPC
# answers (a 401 is an answer). Sets IL_DAEMON_PID.
il_daemon_start() {
  local dir=$1 peer=$2 rpc=$3
  shift 3
  IL_DAEMON_RUNS=$((${IL_DAEMON_RUNS:-0} + 1))
  il_spawn "$IL_SERVE_SECS" "$dir/daemon-$IL_DAEMON_RUNS.log" "${PYTO[@]}" daemon --state "$dir/state" -d "$dir/dl" \
    -p "$peer" --rpc-port "$rpc" --no-dht "$@"
  IL_DAEMON_PID=$IL_PID
  il_wait_until 30 il_daemon_answers "$rpc"
}

il_daemon_answers() { # RPC_PORT (transmission-remote exits 1 on a 401: its output tells)
  local out
  out=$(transmission-remote "127.0.0.1:$1" -l 2>&1) || true
  grep -qE '401 Unauthorized|ID +Done' <<<"$out"
}

# il_daemon_field REMOTE... ID LABEL: a field of `-t ID -i`, e.g. State -> Stopped
il_daemon_field() {
  local label=${*: -1} id=${*: -2:1}
  "${@:1:$#-2}" -t "$id" -i 2>/dev/null | sed -n "s/^ *$label: *//p" | head -n 1
}

il_daemon_done() { # REMOTE... ID: the torrent is at 100%
  [ "$(il_daemon_field "$@" "Percent Done")" = "100%" ]
}

il_daemon_state_not() { # REMOTE... ID STATE
  local state=${*: -1}
  [ "$(il_daemon_field "${@:1:$#-1}" State)" != "$state" ]
}
