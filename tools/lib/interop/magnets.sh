# shellcheck shell=bash
# Sourced by tools/interop, after its own helpers (take_ports, wanted, pass, fail, pyto_field,
# begin_transfer, end_transfer, watch_leecher): the checks of magnet links (BEP 9 over BEP 10)
# and of peer exchange (BEP 11) with real clients.
#
# They share a payload of their own, 16 MiB in two files with 16 KiB pieces: 1,025 pieces make
# an info dictionary of about 20 KiB, so the metadata travels in two ut_metadata pieces, the
# second one short, and a leecher has to assemble it. Two torrents of it have the same info
# dictionary (so the same info hash and magnet): one names no tracker, the other pyto's
# tracker. A check starts its seeder, gives the leecher nothing but a magnet link (and, for
# pyto, a --peer where the seeder's client needs it), and times from the leecher's start (for
# qBittorrent, from the link's add) to the moment it had the metadata and to the moment it
# had every byte; the data is then compared with the source byte for byte.
#
# How each leecher finds its seeder is told at start_magnet_seeder: an x.pe in the link, a
# tracker in it for aria2 (which reads no x.pe), a --peer for pyto to dial Transmission.

MNAME=magnet-set
MSIZE=$((16 * 1024 * 1024 + 561)) # + 561: the last piece is one short block
MAGNET_STATE=new                   # new, ready or broken: magnet_setup runs once

# magnet_setup: the payload, its two torrents and their magnet links, made once for all the
# magnet checks (and not at all when --only selects none of them). The links are the ones
# `pyto info` prints; when it prints none, libtorrent's stand in (and magnet-link fails).
magnet_setup() {
  case $MAGNET_STATE in
    ready) return 0 ;;
    broken) return 1 ;;
  esac
  MAGNET_STATE=broken
  MSRC=$IL_TMP/magnet-src
  MTORRENT=$IL_TMP/$MNAME.torrent
  MTORRENT_TR=$IL_TMP/$MNAME-tracker.torrent
  MMIB=$(il_mib "$MSIZE")
  il_random_file "$MSRC/$MNAME/first.bin" 10000000
  il_random_file "$MSRC/$MNAME/sub/second.bin" $((MSIZE - 10000000))
  local log=$IL_TMP/magnet-create.log meta
  if ! "${PYTO[@]}" create "$MSRC/$MNAME" --piece-length 16k -o "$MTORRENT" >"$log" 2>&1 ||
    ! "${PYTO[@]}" create "$MSRC/$MNAME" --piece-length 16k -t "$ANNOUNCE" -o "$MTORRENT_TR" >>"$log" 2>&1; then
    fail "magnet checks" "pyto create failed" "$log"
    return 1
  fi
  MHASH=$("${PYTO[@]}" info "$MTORRENT" | sed -n 's/^info hash: *//p')
  if [ "$("${PYTO[@]}" info "$MTORRENT_TR" | sed -n 's/^info hash: *//p')" != "$MHASH" ]; then
    fail "magnet checks" "the torrent with a tracker has another info hash than the one without"
    return 1
  fi
  MAGNET=$(pyto_field "$MTORRENT" magnet)
  MAGNET_TR=$(pyto_field "$MTORRENT_TR" magnet)
  MAGNET_WHY=""
  if [[ $MAGNET != "magnet:?xt=urn:btih:$MHASH"* || $MAGNET_TR != "magnet:?xt=urn:btih:$MHASH"* ]]; then
    MAGNET_WHY="pyto info printed no magnet link for $MHASH: '${MAGNET}' and '${MAGNET_TR}'"
    MAGNET=$("$IL_PY" "$IL_LIB/lt.py" magnet "$MTORRENT")
    MAGNET_TR=$("$IL_PY" "$IL_LIB/lt.py" magnet "$MTORRENT_TR")
  fi
  read -r _ _ _ _ _ meta < <("$IL_PY" "$IL_LIB/lt.py" describe "$MTORRENT" 2>/dev/null || echo "? ? ? ? ? ?")
  echo "magnet payload: $MMIB MiB in 2 files, 16 KiB pieces, metadata $meta bytes, info hash $MHASH"
  MAGNET_STATE=ready
}

# magnet_link_check: libtorrent reads in pyto's magnet link the hash, the name and the tracker
# (percent-encoded), and pyto reads libtorrent's link (lower-case escapes) to the same.
magnet_link_check() {
  local name="pyto info: magnet links" log=$IL_TMP/magnet-link.log theirs ours
  wanted magnet-link magnets || return 0
  magnet_setup || return 0
  "$IL_PY" "$IL_LIB/lt.py" parse-magnet "$MAGNET_TR" >"$log" 2>&1 || true
  theirs=$("$IL_PY" "$IL_LIB/lt.py" magnet "$MTORRENT_TR" 2>>"$log") || true
  ours=$("${PYTO[@]}" info "$theirs" 2>&1) || ours="(refused) $ours"
  printf '%s\n' "libtorrent's link: $theirs" "pyto info of it:" "$ours" >>"$log"
  if [ -n "$MAGNET_WHY" ]; then
    fail "$name" "$MAGNET_WHY"
  elif ! grep -qxF "hash $MHASH" "$log" || ! grep -qxF "name $MNAME" "$log"; then
    fail "$name" "libtorrent reads another hash or name in $MAGNET_TR" "$log"
  elif ! grep -qxF "tracker $ANNOUNCE" "$log"; then
    fail "$name" "libtorrent does not read the tracker $ANNOUNCE in $MAGNET_TR" "$log"
  elif [[ $ours != *"$MHASH"* || $ours != *"$ANNOUNCE"* || $ours == "(refused)"* ]]; then
    fail "$name" "pyto info does not show the hash and tracker of libtorrent's link $theirs" "$log"
  else
    pass "$name" "libtorrent reads pyto's (hash, dn, tr); pyto reads libtorrent's"
  fi
}

# magnet_check LEECHER SEEDER: the leecher gets a magnet link only, and fetches the metadata
# and then the data from the seeder.
magnet_check() {
  local leecher=$1 seeder=$2 key=$1-from-$2-magnet ok=1
  take_ports
  wanted "$key" magnets || return 0
  magnet_setup || return 0
  # end_transfer and watch_leecher compare and time against these:
  local SRC=$MSRC MIB=$MMIB SIZE=$MSIZE LEECH_SECS=$((30 + MSIZE / 1048576)) dir=$IL_TMP/$key
  begin_transfer "$dir"
  { start_magnet_seeder "$seeder" "$dir" "$leecher" && run_magnet_leecher "$leecher" "$dir"; } || ok=0
  end_transfer "$leecher <- $seeder, magnet" "$dir" "$ok"
}

# start_magnet_seeder SEEDER DIR LEECHER: starts SEEDER on $P1 (an RPC port, if any, on $P3)
# and waits until it serves the torrent; sets LINK, the magnet link the leecher gets, and
# PYTO_EXTRA, what a pyto leecher gets besides. Fails with a reason in $WHY.
#   The link names the seeder in an x.pe, except in two cases. aria2 reads no x.pe: an aria2
# leecher finds its seeder through a fresh pyto tracker in the link's tr (and pyto finds an
# aria2 seeder that way too, so that both of pyto's ways to a magnet's peers meet a real
# client). Transmission drops 127.x peers it hears of from others: a pyto leecher dials it
# (--peer). A pyto seeder always announces to a tracker, so the check knows when it is ready.
start_magnet_seeder() {
  local seeder=$1 dir=$2 leecher=$3 log=$2/seeder.log torrent=$MTORRENT tracker=0
  LINK="$MAGNET&x.pe=127.0.0.1:$P1" PYTO_EXTRA=()
  if [ "$leecher" = aria2 ] || [ "$seeder" = aria2 ] || [ "$seeder" = pyto ]; then
    tracker=1 torrent=$MTORRENT_TR
    il_tracker_start "$TRACKER_PORT" "$dir/tracker.log" || { WHY="pyto tracker did not start on port $TRACKER_PORT"; return 1; }
    if [ "$leecher" = aria2 ] || { [ "$seeder" = aria2 ] && [ "$leecher" = pyto ]; }; then
      LINK=$MAGNET_TR
    fi
  elif [ "$seeder" = transmission ] && [ "$leecher" = pyto ]; then
    LINK=$MAGNET PYTO_EXTRA=(--peer "127.0.0.1:$P1")
  fi
  case $seeder in
    pyto) il_pyto_seed "$torrent" "$MSRC" "$P1" "$log" "${PYTO_FLAGS[@]}" ;;
    libtorrent)
      il_lt_seed "$torrent" "$MSRC" "$P1" "$log"
      il_wait_until 60 grep -qx seeding "$log" || { WHY="the libtorrent seeder never reported seeding"; return 1; }
      ;;
    qbittorrent)
      il_qbt_start "$dir/seeder-profile" "$P1" "$P3" "$MSRC" "$log" || { WHY="qBittorrent's Web API did not answer"; return 1; }
      il_qbt_add "$P3" "$MSRC" "$torrent" || { WHY="qBittorrent did not take the torrent"; return 1; }
      il_wait_until 60 il_qbt_seeding "$P3" "$P1" || { WHY="the qBittorrent seeder never seeded: $(il_qbt_info "$P3")"; return 1; }
      ;;
    transmission)
      il_tr_start "$dir/seeder-config" "$P1" "$P3" "$MSRC" "$log" || { WHY="transmission-daemon RPC did not answer"; return 1; }
      il_tr "$P3" -a "$torrent" || { WHY="transmission-remote -a failed"; return 1; }
      il_wait_until 60 il_tr_seeding "$P3" || {
        WHY="Transmission seeder: $(il_tr_field "$P3" State), $(il_tr_field "$P3" "Percent Done")"
        return 1
      }
      ;;
    aria2)
      il_aria2_seed "$torrent" "$MSRC" "$P1" "$P3" "$log"
      il_wait_until 60 il_aria2_seeding "$P3" || { WHY="aria2 seeder never reported seeding"; return 1; }
      ;;
  esac
  [ "$tracker" = 0 ] || il_wait_until 60 il_has_seeder "$ANNOUNCE" "$MHASH" ||
    { WHY="the $seeder seeder never announced itself complete to the tracker"; return 1; }
}

# run_magnet_leecher LEECHER DIR: fetches $LINK into DIR/dl on port $P2 (qBittorrent's Web API
# on $P4) and waits until complete; sets SECS (to the data) and META_SECS (to the metadata).
run_magnet_leecher() {
  local kind=$1 dir=$2 log=$2/leecher.log done
  case $kind in
    pyto)
      MAGNET_START=$(il_now)
      il_pyto_leech "$LEECH_SECS" "$LINK" "$dir/dl" "$P2" "$log" "${PYTO_FLAGS[@]}" "${PYTO_EXTRA[@]}"
      ;;
    libtorrent)
      MAGNET_START=$(il_now)
      il_lt_leech "$LEECH_SECS" "$LINK" "$dir/dl" "$P2" "$log"
      ;;
    aria2)
      MAGNET_START=$(il_now)
      il_aria2_leech "$LEECH_SECS" "$LINK" "$dir/dl" "$P2" "$log"
      ;;
    qbittorrent)
      il_qbt_start "$dir/leecher-profile" "$P2" "$P4" "$dir/dl" "$log" || { WHY="qBittorrent's Web API did not answer"; return 1; }
      MAGNET_START=$(il_now)
      il_qbt_add "$P4" "$dir/dl" "$LINK" || { WHY="qBittorrent did not take the magnet link"; return 1; }
      ;;
  esac
  MAGNET_KIND=$kind MAGNET_DIR=$dir META_AT=""
  if [ "$kind" = qbittorrent ]; then
    watch_leecher "$dir" "$kind" magnet_poll il_qbt_complete "$P4" || {
      WHY="$WHY (qBittorrent says $(il_qbt_info "$P4"))"
      return 1
    }
  else
    watch_leecher "$dir" "$kind" magnet_poll il_exited "$IL_PID" || return 1
    il_wait_exit "$IL_PID"
  fi
  done=$(il_now)
  [ -n "$META_AT" ] || magnet_metadata_seen || true # a last look: its log may say it only now
  SECS=$(awk -v a="$MAGNET_START" -v b="$done" 'BEGIN { printf "%.1f", b - a }')
  META_SECS="?"
  [ -n "$META_AT" ] && META_SECS=$(awk -v a="$MAGNET_START" -v b="$META_AT" 'BEGIN { printf "%.1f", b - a }')
  if [ "$kind" != qbittorrent ] && [ "$IL_RC" -ne 0 ]; then
    WHY="the $kind leecher exited with $IL_RC after $SECS s"
    return 1
  fi
}

# magnet_poll CMD...: notes when the leecher has the metadata, then asks CMD whether it is done.
magnet_poll() {
  [ -n "$META_AT" ] || magnet_metadata_seen || true
  "$@"
}

# magnet_metadata_seen: sets META_AT (seconds since the epoch) once the leecher has the
# metadata: the time its own log gives when it gives one (libtorrent's metadata_received_alert,
# aria2's "Got ut_metadata"), else the time it was first seen (pyto's "metadata received" or
# the NAME.torrent it saves; qBittorrent's state leaving metaDL), to within a poll (0.2 s).
magnet_metadata_seen() {
  local log=$MAGNET_DIR/leecher.log line
  case $MAGNET_KIND in
    pyto)
      grep -qE 'metadata received \(' "$log" 2>/dev/null || [ -f "$MAGNET_DIR/dl/$MNAME.torrent" ] || return 1
      META_AT=$(il_now)
      ;;
    libtorrent)
      line=$(sed -n 's/.*metadata received at \([0-9.]*\).*/\1/p' "$log" 2>/dev/null | head -n 1)
      [ -n "$line" ] || return 1
      META_AT=$line
      ;;
    aria2)
      line=$(grep -m 1 'Got ut_metadata' "$MAGNET_DIR/leecher-aria2.txt" 2>/dev/null) || return 1
      META_AT=$(date -d "${line:0:26}" +%s.%N) # "2026-12-04 11:47:19.194836 [INFO] ..."
      ;;
    qbittorrent)
      il_qbt_has_metadata "$P4" || return 1
      META_AT=$(il_now)
      ;;
  esac
}

# pex_check LEECHER: the leecher (pyto; libtorrent shows that the setup itself works) finds a
# seeder through PEX alone. A libtorrent seeder S is known to nobody but a libtorrent peer L,
# which dialled it (connect_peer); no tracker anywhere. pyto gets the magnet link (no tr, no
# x.pe) and --peer L (another leecher, x.pe=L): L gives it the metadata and, in its ut_pex
# message, S's address. libtorrent sends its first within a second or two here (INTEROP.md saw
# 20-25 s elsewhere): the time limits leave room for the slow case. L has
# every piece but unchokes nobody and allows nothing fast, so every byte pyto gets is S's: a
# complete download proves that pyto dialled S through PEX. After the run, L's upload must be
# 0 and S's at least the payload. S has PEX off, so it never hears of pyto and cannot dial it.
pex_check() {
  local leecher=$1 key=$1-via-pex-from-libtorrent ok=1 name="$1 <- libtorrent seeder found by PEX"
  take_ports
  wanted "$key" magnets || return 0
  magnet_setup || return 0
  # PEX may take ~25 s to come, with no byte of data meanwhile.
  local SRC=$MSRC MIB=$MMIB SIZE=$MSIZE LEECH_SECS=120 STALL_SECS=75 dir=$IL_TMP/$key
  local seeder_pid peer_pid up
  LINK=$MAGNET PYTO_EXTRA=(--peer "127.0.0.1:$P3")
  [ "$leecher" = pyto ] || LINK="$MAGNET&x.pe=127.0.0.1:$P3"
  begin_transfer "$dir"
  # S on P1; L on P3; pyto on P2.
  il_lt_seed "$MTORRENT" "$MSRC" "$P1" "$dir/seeder.log" --keep-seeds --no-pex --count-upload
  seeder_pid=$IL_PID
  if ! il_wait_until 60 grep -qx seeding "$dir/seeder.log"; then
    WHY="the libtorrent seeder never reported seeding" ok=0
  else
    il_lt_seed "$MTORRENT" "$MSRC" "$P3" "$dir/pex-peer.log" --keep-seeds --no-upload --count-upload --peer "127.0.0.1:$P1"
    peer_pid=$IL_PID
    if ! il_wait_until 60 grep -qF "peer connected: 127.0.0.1:$P1 " "$dir/pex-peer.log"; then
      WHY="the libtorrent peer never connected to the seeder" ok=0
    else
      run_magnet_leecher "$leecher" "$dir" || ok=0
      # Each prints its upload of data when stopped.
      il_stop "$peer_pid"
      il_stop "$seeder_pid"
      up=$(sed -n 's/^uploaded //p' "$dir/pex-peer.log")
      if [ "$ok" = 1 ] && [ "${up:-?}" != 0 ]; then
        WHY="the libtorrent peer uploaded ${up:-?} bytes of data (it should give none)" ok=0
      fi
      up=$(sed -n 's/^uploaded //p' "$dir/seeder.log")
      if [ "$ok" = 1 ] && [ "${up:-0}" -lt "$MSIZE" ]; then
        WHY="the seeder uploaded ${up:-?} bytes, less than the payload" ok=0
      fi
      if [ "$leecher" != pyto ]; then
        :
      elif grep -qE "127\.0\.0\.1:$P1([^0-9]|$)" "$dir/leecher.log"; then
        PASS_NOTE="pyto's log names the seeder, 127.0.0.1:$P1"
      else
        PASS_NOTE="pyto's log does not name the seeder's address 127.0.0.1:$P1"
      fi
    fi
  fi
  end_transfer "$name" "$dir" "$ok"
}
