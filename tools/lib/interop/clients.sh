# shellcheck shell=bash
# Sourced after common.sh: how to run each client as a seeder or a leecher on 127.0.0.1.
# The traps each client sets on loopback are described in shared/INTEROP.md; the ones
# that shape a command line are repeated beside it.

# Trackers, seeders and daemons live at most IL_SERVE_SECS (a safety net; they are stopped
# when their pair ends).
IL_SERVE_SECS=${IL_SERVE_SECS:-600}
# The leechers' SECONDS is how long the caller means to wait for them. Their `timeout` is 60 s
# longer, a safety net only: the caller notices first and stops them itself (TERM, then KILL).

# ---- pyto's embedded tracker ----------------------------------------------------------------

# il_tracker_start PORT LOG: a fresh pyto tracker (so no peer of an earlier pair is listed),
# HTTP and UDP on PORT; waits until its scrape answers over both. The tracker forgets a peer
# silent for two intervals, and pyto announces at most every 10 s (libtorrent every 5 min):
# with 10 s a pyto peer stays listed, and any other for 20 s after its first announce, which
# is all a check needs. (With --interval 2 a seeder vanished 4 s after each announce, and a
# leecher that asked then got no peer.)
il_tracker_start() {
  il_spawn "$IL_SERVE_SECS" "$2" "${PYTO[@]}" tracker --port "$1" --udp-port "$1" --interval 10
  il_wait_until 20 il_tracker_up "http://127.0.0.1:$1/announce" &&
    il_wait_until 5 il_tracker_up "udp://127.0.0.1:$1/announce"
}

il_tracker_up() { [ "$(il_seeders "$1" 0000000000000000000000000000000000000000)" -ge 0 ]; } # URL

# ---- opentracker ----------------------------------------------------------------------------

# il_opentracker_start PORT DIR LOG HASH...: a fresh opentracker on 127.0.0.1:PORT, HTTP and
# UDP (BEP 15), that tracks the given info hashes only; waits until its scrape answers.
# Debian builds it with a whitelist ("Requested download is not authorized" for any other
# hash). Started as root it chroots into DIR and drops to nobody, so DIR and the list must be
# readable by everyone, and -w names the list inside DIR: relative, as it also chdirs into DIR
# when unprivileged. It answers compact peer lists only and asks for announces every ~30 min:
# a seeder must have announced before its leecher starts.
il_opentracker_start() {
  local port=$1 dir=$2 log=$3
  shift 3
  mkdir -p "$dir"
  chmod 755 "$dir"
  printf '%s\n' "$@" >"$dir/wl.txt"
  chmod 644 "$dir/wl.txt"
  il_spawn "$IL_SERVE_SECS" "$log" opentracker -i 127.0.0.1 -p "$port" -P "$port" -d "$dir" -w wl.txt
  il_wait_until 20 il_tracker_up "http://127.0.0.1:$port/announce" &&
    il_wait_until 5 il_tracker_up "udp://127.0.0.1:$port/announce"
}

# ---- pyto -----------------------------------------------------------------------------------

# What the pyto peers started here do with the DHT (BEP 5), which pyto runs by default: nothing
# (--no-dht), so that they stay on 127.0.0.1 (the default bootstrap nodes are public routers)
# and find their peers the way their check means them to. The DHT checks set it for their peers
# (--dht-bootstrap, and --state to a dir of their own in the temp dir).
IL_PYTO_DHT=(--no-dht)

# il_pyto_seed TORRENT DATA_DIR PORT LOG [--peer HOST:PORT ...]: seeds until stopped.
# (pyto has no --bind: it listens on every interface; its peers here are all 127.0.0.1.)
# `pyto seed` takes pyto download's DHT options, though its usage does not list them.
il_pyto_seed() {
  local torrent=$1 dir=$2 port=$3 log=$4
  shift 4
  il_spawn "$IL_SERVE_SECS" "$log" "${PYTO[@]}" seed "$torrent" -d "$dir" -p "$port" "${IL_PYTO_DHT[@]}" "$@"
}

# il_pyto_leech SECONDS TORRENT DIR PORT LOG [ARGS...]: downloads and exits once complete (--ratio 0).
il_pyto_leech() {
  local secs=$1 torrent=$2 dir=$3 port=$4 log=$5
  shift 5
  il_spawn $((secs + 60)) "$log" "${PYTO[@]}" download "$torrent" -d "$dir" -p "$port" --ratio 0 \
    "${IL_PYTO_DHT[@]}" "$@"
}

# ---- libtorrent -----------------------------------------------------------------------------

# libtorrent's DHT: off (lt.py's default) unless a DHT check sets this (--dht-bootstrap HOST:PORT).
IL_LT_DHT=()

# il_lt_seed TORRENT SAVE_PATH PORT LOG [--fast] [--peer HOST:PORT]: checks, then seeds until stopped.
il_lt_seed() {
  local torrent=$1 dir=$2 port=$3 log=$4
  shift 4
  il_spawn "$IL_SERVE_SECS" "$log" "$IL_PY" "$IL_LIB/lt.py" seed "$torrent" "$dir" --port "$port" "${IL_LT_DHT[@]}" "$@"
}

il_lt_leech() { # SECONDS TORRENT DIR PORT LOG: downloads, closes the files, exits
  il_spawn $(($1 + 60)) "$5" "$IL_PY" "$IL_LIB/lt.py" download "$2" "$3" --port "$4" --timeout "$1" "${IL_LT_DHT[@]}"
}

# ---- aria2 ----------------------------------------------------------------------------------

# Options every aria2c run here shares. aria2 has DHT, LPD and peer exchange on by default and
# asks for encryption; plain connections on 127.0.0.1 only.
# Its own detailed log (every message sent and received) goes to DETAIL_LOG when given.
il_aria2_args() { # PORT [DETAIL_LOG]
  IL_ARIA2=(aria2c ${2:+--log="$2" --log-level=info} --enable-dht=false --enable-dht6=false --bt-enable-lpd=false
    --enable-peer-exchange=false --disable-ipv6=true --interface=127.0.0.1 --listen-port="$1"
    --bt-min-crypto-level=plain --bt-require-crypto=false --summary-interval=0
    --console-log-level=notice --allow-overwrite=true --auto-file-renaming=false)
}

# il_aria2_seed TORRENT DATA_DIR PORT RPC_PORT LOG: checks the data, then seeds until stopped
# (--seed-ratio=0.0 with no --seed-time: seed for ever). The RPC port tells when it is seeding.
il_aria2_seed() {
  il_aria2_args "$3" "${5%.log}-aria2.txt"
  il_spawn "$IL_SERVE_SECS" "$5" "${IL_ARIA2[@]}" --dir="$2" --check-integrity=true --seed-ratio=0.0 \
    --enable-rpc --rpc-listen-port="$4" "$1"
}

il_aria2_seeding() { # RPC_PORT
  [[ $("$IL_PY" "$IL_LIB/net.py" aria2 "$1") == *seeding ]]
}

# il_aria2_leech SECONDS TORRENT DIR PORT LOG: downloads and exits (--seed-time=0). Without
# --file-allocation=none aria2 first writes zeros over the whole payload ("prealloc").
il_aria2_leech() {
  il_aria2_args "$4" "${5%.log}-aria2.txt"
  il_spawn $(($1 + 60)) "$5" "${IL_ARIA2[@]}" --dir="$3" --seed-time=0 --file-allocation=none \
    --bt-stop-timeout="$1" "$2"
}

# ---- Transmission ---------------------------------------------------------------------------

# il_tr_start CONFIG_DIR PEER_PORT RPC_PORT DOWNLOAD_DIR LOG: a transmission-daemon in the
# foreground with its own settings; waits until its RPC answers.
il_tr_start() {
  local conf=$1 peer=$2 rpc=$3 dl=$4 log=$5
  mkdir -p "$conf" "$dl"
  # rename-partial-files off: otherwise files are NAME.part until the torrent completes;
  # preallocation off: the files grow as data arrives, so the scripts can watch progress.
  # encryption 0: plain connections welcome. No DHT/LPD/PEX/uTP/UPnP: the tracker and direct
  # connections only. RPC and peers on 127.0.0.1 (and ::1) only.
  cat >"$conf/settings.json" <<EOF
{
  "bind-address-ipv4": "127.0.0.1",
  "bind-address-ipv6": "::1",
  "dht-enabled": false,
  "lpd-enabled": false,
  "pex-enabled": false,
  "utp-enabled": false,
  "port-forwarding-enabled": false,
  "peer-port": $peer,
  "peer-port-random-on-start": false,
  "encryption": 0,
  "download-dir": "$dl",
  "incomplete-dir-enabled": false,
  "rename-partial-files": false,
  "preallocation": 0,
  "start-added-torrents": true,
  "download-queue-enabled": false,
  "seed-queue-enabled": false,
  "ratio-limit-enabled": false,
  "idle-seeding-limit-enabled": false,
  "speed-limit-down-enabled": false,
  "speed-limit-up-enabled": false,
  "alt-speed-enabled": false,
  "blocklist-enabled": false,
  "watch-dir-enabled": false,
  "cache-size-mb": 16,
  "message-level": 2,
  "rpc-enabled": true,
  "rpc-bind-address": "127.0.0.1",
  "rpc-port": $rpc,
  "rpc-authentication-required": false,
  "rpc-whitelist-enabled": true,
  "rpc-whitelist": "127.0.0.1",
  "rpc-host-whitelist-enabled": false
}
EOF
  il_spawn "$IL_SERVE_SECS" "$log" transmission-daemon -f -g "$conf" --log-info
  il_wait_until 20 il_tr "$rpc" -l
}

il_tr() { # RPC_PORT ARGS...: transmission-remote against that daemon, quiet
  local rpc=$1
  shift
  transmission-remote "127.0.0.1:$rpc" "$@" >/dev/null 2>&1
}

# il_tr_field RPC_PORT NAME: a field of `transmission-remote -t 1 -i`, e.g. "Percent Done" -> 100%
# (a fresh daemon numbers its first torrent 1).
il_tr_field() {
  transmission-remote "127.0.0.1:$1" -t 1 -i 2>/dev/null | sed -n "s/^ *$2: *//p" | head -n 1
}

# il_tr_report RPC_PORT FILE: what the daemon says about the torrent and its peers, for a FAIL.
il_tr_report() {
  { transmission-remote "127.0.0.1:$1" -t 1 -i | grep -E '^ *(State|Percent Done|Have|Downloaded|Uploaded|Corrupt DL|Peers|Latest activity):'
    transmission-remote "127.0.0.1:$1" -t 1 -pi; } >"$2" 2>&1 || true
}

il_tr_complete() { # RPC_PORT: the torrent has every byte
  [ "$(il_tr_field "$1" "Percent Done")" = "100%" ]
}

il_tr_seeding() { # RPC_PORT: checked, complete, and serving
  il_tr_complete "$1" && [[ $(il_tr_field "$1" State) == @(Seeding|Idle|"Up & Down") ]]
}

il_tr_started() { # RPC_PORT: the torrent is added and running (not queued or being checked)
  [[ $(il_tr_field "$1" State) == @(Downloading|Idle|Seeding|"Up & Down") ]]
}

# ---- qBittorrent (qbittorrent-nox) ----------------------------------------------------------

# il_qbt_start PROFILE PEER_PORT WEB_PORT SAVE_DIR LOG [pex]: a qbittorrent-nox with its own
# profile dir; waits until its Web API answers. Torrents are added with il_qbt_add.
il_qbt_start() {
  local prof=$1 peer=$2 web=$3 save=$4 log=$5 pex=false
  [ "${6:-}" = pex ] && pex=true
  mkdir -p "$prof/qBittorrent/config" "$save"
  # The legal notice, accepted here, would otherwise stop a first run to ask. TCP only
  # (BTProtocol=TCP), no DHT/LSD/UPnP, PeX only when asked, plain connections (Encryption=2:
  # pyto does not speak MSE, and with encryption preferred every outgoing connection to it
  # would first try an encrypted handshake), peers on 127.0.0.1 only, and every peer of the
  # test is 127.0.0.1: MultiConnectionsPerIp. No queueing, ratio or seeding-time limits, no
  # .!qB extension or preallocation (files grow as data arrives, like the other clients').
  # The Web API on 127.0.0.1 with LocalHostAuth=false needs no login.
  cat >"$prof/qBittorrent/config/qBittorrent.conf" <<CONF
[LegalNotice]
Accepted=true

[BitTorrent]
Session\\Port=$peer
Session\\Interface=lo
Session\\InterfaceName=lo
Session\\InterfaceAddress=127.0.0.1
Session\\DHTEnabled=false
Session\\LSDEnabled=false
Session\\PeXEnabled=$pex
Session\\BTProtocol=TCP
Session\\MultiConnectionsPerIp=true
Session\\Encryption=2
Session\\AnonymousModeEnabled=false
Session\\QueueingSystemEnabled=false
Session\\GlobalMaxRatio=-1
Session\\GlobalMaxSeedingMinutes=-1
Session\\DefaultSavePath=$save
Session\\TempPathEnabled=false
Session\\Preallocation=false
Session\\AddExtensionToIncompleteFiles=false
Session\\AddTorrentPaused=false
Session\\UseAlternativeGlobalSpeedLimit=false
Session\\RefreshInterval=100

[Preferences]
Connection\\UPnP=false
Connection\\ResolvePeerCountries=false
General\\Locale=en
WebUI\\Address=127.0.0.1
WebUI\\Port=$web
WebUI\\LocalHostAuth=false
WebUI\\HostHeaderValidation=false
WebUI\\CSRFProtection=false
WebUI\\UseUPnP=false
CONF
  il_spawn "$IL_SERVE_SECS" "$log" qbittorrent-nox --profile="$prof"
  il_wait_until 30 il_qbt_up "$web"
}

il_qbt_up() { curl -sf -o /dev/null "http://127.0.0.1:$1/api/v2/app/version"; } # WEB_PORT

# il_qbt_add WEB_PORT SAVE_DIR TORRENT|MAGNET: adds a torrent file or a magnet link, started,
# its data under SAVE_DIR (qBittorrent answers "Ok." or "Fails.").
il_qbt_add() {
  local what
  case $3 in
    magnet:*) what=(--form-string "urls=$3") ;;
    *) what=(-F "torrents=@$3") ;;
  esac
  [ "$(curl -sf "${what[@]}" --form-string "savepath=$2" --form-string paused=false \
    "http://127.0.0.1:$1/api/v2/torrents/add" 2>/dev/null)" = "Ok." ]
}

# il_qbt_info WEB_PORT: "PROGRESS STATE SIZE" of the only torrent: progress from 0 to 1 (1
# only once every piece is checked), the state as the Web API names it (metaDL while fetching
# metadata, checkingResumeData, downloading, stalledDL, uploading, stalledUP...), the size in
# bytes (-1 while the metadata is unknown); "0 none 0" with no torrent, "0 unreachable 0" when
# the Web API does not answer. curl and sed rather than a JSON parser: the answer is compact
# JSON, and a poll must cost milliseconds for the times measured with it to mean anything.
il_qbt_info() {
  local json progress state size
  json=$(curl -sf --max-time 2 "http://127.0.0.1:$1/api/v2/torrents/info" 2>/dev/null) || { echo "0 unreachable 0"; return 0; }
  [ "$json" = "[]" ] && { echo "0 none 0"; return 0; }
  progress=$(sed -n 's/.*"progress":\([-0-9.e+]*\).*/\1/p' <<<"$json")
  state=$(sed -n 's/.*"state":"\([A-Za-z]*\)".*/\1/p' <<<"$json")
  size=$(sed -n 's/.*"total_size":\([-0-9]*\).*/\1/p' <<<"$json")
  echo "${progress:-0} ${state:-unknown} ${size:-0}"
}

# il_qbt_seeding WEB_PORT PEER_PORT: complete, and serving peers. qBittorrent 4.5 reports a
# torrent it has just checked as seeding (stalledUP) up to a second before it accepts peers
# for it: a connection in that window is closed right after the handshake, and a leecher may
# not dial again for a minute (libtorrent does not). So the seeder must also answer a
# handshake for the torrent.
il_qbt_seeding() {
  local progress state hash
  read -r progress state _ < <(il_qbt_info "$1")
  [ "$progress" = 1 ] && [[ $state == @(uploading|stalledUP|forcedUP) ]] || return 1
  hash=$(curl -sf --max-time 2 "http://127.0.0.1:$1/api/v2/torrents/info" 2>/dev/null |
    sed -n 's/.*"hash":"\([0-9a-f]*\)".*/\1/p')
  [ -n "$hash" ] && il_serves "$2" "$hash"
}

il_qbt_complete() { # WEB_PORT: every byte downloaded and checked
  local progress
  read -r progress _ < <(il_qbt_info "$1")
  [ "$progress" = 1 ]
}

il_qbt_has_metadata() { # WEB_PORT: the torrent knows its info dictionary (no longer metaDL)
  local state size
  read -r _ state size < <(il_qbt_info "$1")
  [ "$state" != metaDL ] && [ "${size:-0}" -gt 0 ]
}
