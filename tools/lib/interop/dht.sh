# shellcheck shell=bash
# Sourced by tools/interop after magnets.sh (whose payload, helpers and leechers it uses): the
# DHT checks (BEP 5) with libtorrent 2.0, on 127.0.0.1 only.
#
# 1. dht-nodes: tools/lib/interop/dht.py's node-level checks, as one line: five libtorrent DHT
#    nodes bootstrap from a `pyto dht` node, a `pyto dht lookup` finds what libtorrent
#    announced and libtorrent finds what pyto announced, pyto answers BEP 51's
#    sample_infohashes, and the pyto node's table holds the libtorrent nodes.
# 2. Two transfers that start from a magnet link holding nothing but the info hash (no tr, no
#    x.pe, no --peer), in a small DHT of their own: a `pyto dht` node (--state none) and five
#    libtorrent nodes bootstrapping from it (dht.py swarm; --mesh, so that their tables fill in a
#    second), which print each announce_peer they get. The seeder runs with its DHT on in that
#    DHT, and the leecher starts once a libtorrent node has got the seeder's announce_peer:
#      pyto-from-libtorrent-dht: a libtorrent seeder (lt.py seed --dht-bootstrap, the pyto node),
#        a pyto leecher bootstrapping from the first libtorrent node;
#      libtorrent-from-pyto-dht: a pyto seeder (`pyto seed --dht-bootstrap`, the second
#        libtorrent node), a libtorrent leecher bootstrapping from the pyto node.
#    The seeders' torrents name no tracker and LSD is off everywhere, so the DHT is the only
#    way the two can meet. Each pyto process keeps its DHT state in a dir of its own in the
#    temp dir. The two checks use two torrents of the same files (16 and 32 KiB pieces): each
#    has its own info hash, so that the second cannot find the first one's peers, still stored
#    in the DHT. Their PASS lines give, as the magnet checks' do, the times to the metadata and
#    to the data from the leecher's start, and the rate; and how long the seeder took from its
#    start until a DHT node had its announce.
#
# libtorrent's settings for a DHT on loopback are in lt.py's dht_settings and dht.py's lt_node:
# without them it keeps no 127.0.0.1 node, and its rate limit (5 packets a second per IP)
# would silence every node here, since all are 127.0.0.1.

DHT_STATE=new # new, ready or broken: dht_setup runs once
DHT_WHY=""

# dht_nodes_check: dht.py's checks, one PASS line with its figures.
dht_nodes_check() {
  local name="pyto dht <-> libtorrent DHT nodes" log=$IL_TMP/dht-nodes.log figures failed pyto_cmd
  wanted dht-nodes dht || return 0
  pyto_cmd=$(printf '%q ' "${PYTO[@]}")
  # dht.py stops its pyto node when it ends; `timeout` ends the whole group if it hangs.
  il_spawn 150 "$log" "$IL_PY" "$IL_LIB/dht.py" --pyto "$pyto_cmd" --nodes 5 --timeout 60
  il_wait_exit "$IL_PID"
  figures=$(sed -n 's/^figures: //p' "$log")
  failed=$(sed -n 's/^FAIL  //p' "$log" | paste -sd ';' | sed 's/;/; /g')
  if [ "$IL_RC" -eq 0 ] && [ -z "$failed" ]; then
    pass "$name" "$(grep -c '^PASS ' "$log") checks: $figures"
  else
    fail "$name" "${failed:-dht.py exited with $IL_RC}${figures:+ ($figures)}" "$log"
  fi
}

# dht_setup: the payload (magnet_setup's), a second torrent of it, and the small DHT: a pyto
# dht node and five libtorrent nodes, started once and stopped by dht_teardown. Sets DHT_WHY
# when it fails.
dht_setup() {
  case $DHT_STATE in
    ready) return 0 ;;
    broken) return 1 ;;
  esac
  DHT_STATE=broken
  magnet_setup || { DHT_WHY="the magnet checks' payload could not be made"; return 1; }
  local dir=$IL_TMP/dht-swarm ports
  mkdir -p "$dir"
  DTORRENT2=$IL_TMP/$MNAME-32k.torrent
  if ! "${PYTO[@]}" create "$MSRC/$MNAME" --piece-length 32k -o "$DTORRENT2" >"$dir/create.log" 2>&1; then
    DHT_WHY="pyto create failed"
    return 1
  fi
  DHASH2=$("${PYTO[@]}" info "$DTORRENT2" | sed -n 's/^info hash: *//p')
  # UDP ports, from tools/interop's pool of free TCP ports (their UDP twins almost always are
  # free too), so that no transfer's port is one of them.
  ports=("${PORTS[@]:NEXT_PORT:6}")
  NEXT_PORT=$((NEXT_PORT + 6))
  DHT_PYTO_PORT=${ports[0]} DHT_LT_PORTS=("${ports[@]:1}")
  DHT_LOG=$dir/swarm.log DHT_PYTO_LOG=$dir/pyto-dht.log
  DHT_FIRST_PID=${#IL_PIDS[@]}
  il_spawn "$IL_SERVE_SECS" "$DHT_PYTO_LOG" "${PYTO[@]}" dht --bind 127.0.0.1 --port "$DHT_PYTO_PORT" \
    --bootstrap none --state none "${PYTO_FLAGS[@]}"
  if ! il_wait_until 20 grep -q '^DHT node ' "$DHT_PYTO_LOG"; then
    DHT_WHY="pyto dht did not start on udp port $DHT_PYTO_PORT: $(tail -n 1 "$DHT_PYTO_LOG")"
    return 1
  fi
  il_spawn "$IL_SERVE_SECS" "$DHT_LOG" "$IL_PY" "$IL_LIB/dht.py" swarm --bootstrap "$DHT_PYTO_PORT" \
    --ports "$(IFS=,; echo "${DHT_LT_PORTS[*]}")" --mesh
  if ! il_wait_until 30 dht_tables_filled 3; then
    DHT_WHY="the libtorrent nodes' tables did not fill in 30 s: $(grep -o 'tables .*' "$DHT_LOG" | tail -n 1)"
    return 1
  fi
  echo "small DHT: pyto dht on udp $DHT_PYTO_PORT, libtorrent nodes on ${DHT_LT_PORTS[*]}, $(grep -o 'tables .*' "$DHT_LOG" | tail -n 1)"
  DHT_STATE=ready
}

# dht_tables_filled N: every libtorrent node of the swarm has at least N nodes in its table.
dht_tables_filled() {
  local line n
  line=$(grep -o 'tables .*' "$DHT_LOG" 2>/dev/null | tail -n 1)
  [ -n "$line" ] || return 1
  for n in ${line#tables }; do [ "$n" -ge "$1" ] || return 1; done
}

# dht_announced HASH PORT: a libtorrent node of the swarm got announce_peer for HASH, port PORT.
dht_announced() {
  grep -q "announce $1 127\.0\.0\.1:$2 " "$DHT_LOG" 2>/dev/null
}

# dht_teardown: stops the small DHT (dht_setup's processes), if it was started.
dht_teardown() {
  [ "$DHT_STATE" = new ] && return 0
  local i
  for ((i = ${#IL_PIDS[@]} - 1; i >= DHT_FIRST_PID; i--)); do il_stop "${IL_PIDS[i]}"; done
  IL_PIDS=("${IL_PIDS[@]:0:DHT_FIRST_PID}")
  DHT_STATE=broken
}

# dht_check LEECHER SEEDER: the leecher, given the info hash alone, finds the seeder through
# the small DHT, then fetches the metadata and the data from it.
dht_check() {
  local leecher=$1 seeder=$2 key=$1-from-$2-dht ok=1 name="$1 <- $2, magnet via the DHT"
  take_ports
  wanted "$key" dht || return 0
  dht_setup || { fail "$name" "$DHT_WHY" "$IL_TMP/dht-swarm"/*.log; return 0; }
  # end_transfer, watch_leecher and run_magnet_leecher use these:
  local SRC=$MSRC MIB=$MMIB SIZE=$MSIZE LEECH_SECS=$((30 + MSIZE / 1048576)) dir=$IL_TMP/$key
  local torrent=$MTORRENT hash=$MHASH started announced_at
  local -a IL_PYTO_DHT=(--no-dht) IL_LT_DHT=() # until the seeder and the leecher get theirs
  if [ "$seeder" = pyto ]; then torrent=$DTORRENT2 hash=$DHASH2; fi
  LINK="magnet:?xt=urn:btih:$hash" PYTO_EXTRA=()
  begin_transfer "$dir"
  started=$(il_now)
  case $seeder in
    libtorrent)
      IL_LT_DHT=(--dht-bootstrap "127.0.0.1:$DHT_PYTO_PORT")
      il_lt_seed "$torrent" "$MSRC" "$P1" "$dir/seeder.log"
      ;;
    pyto)
      IL_PYTO_DHT=(--dht-bootstrap "127.0.0.1:${DHT_LT_PORTS[1]}" --state "$dir/seeder-state")
      il_pyto_seed "$torrent" "$MSRC" "$P1" "$dir/seeder.log" "${PYTO_FLAGS[@]}"
      ;;
  esac
  if ! il_wait_until 40 dht_announced "$hash" "$P1"; then
    # Did the seeder look the torrent up at all? (Nobody else asks for this hash.)
    WHY="no node of the DHT got an announce_peer from the $seeder seeder (127.0.0.1:$P1) in 40 s;"
    WHY="$WHY the libtorrent nodes got $(grep -c "get_peers $hash " "$DHT_LOG") get_peers for its torrent" ok=0
  else
    announced_at=$(il_now)
    PASS_NOTE="seeder on the DHT $(awk -v a="$started" -v b="$announced_at" 'BEGIN { printf "%.1f", b - a }') s after its start"
    case $leecher in
      pyto) IL_PYTO_DHT=(--dht-bootstrap "127.0.0.1:${DHT_LT_PORTS[0]}" --state "$dir/leecher-state") ;;
      libtorrent) IL_LT_DHT=(--dht-bootstrap "127.0.0.1:$DHT_PYTO_PORT") ;;
    esac
    run_magnet_leecher "$leecher" "$dir" || ok=0
  fi
  # What the DHT saw of this torrent, for the FAIL report (and --keep).
  grep -E "tables |$hash" "$DHT_LOG" >"$dir/dht-swarm.log" 2>/dev/null || true
  end_transfer "$name" "$dir" "$ok"
}

# dht_checks: the group, in order; the small DHT is stopped after it.
dht_checks() {
  dht_nodes_check
  dht_check pyto libtorrent
  dht_check libtorrent pyto
  dht_teardown
}
