#!/usr/bin/python3
"""libtorrent (python3-libtorrent 2.0) as a peer for tools/interop and tools/bench.

Run with Debian's /usr/bin/python3: the libtorrent module belongs to it.

  lt.py seed TORRENT SAVE_PATH --port P [--peer HOST:PORT ...] [--fast] [--keep-seeds]
                                 [--no-upload] [--no-pex] [--count-upload] [--dht-bootstrap HOST:PORT ...]
      checks the data under SAVE_PATH, prints "seeding" once it has it all, then seeds until
      SIGTERM/SIGINT (then tells the trackers "stopped", prints "uploaded N" and exits 0). It
      serves the metadata to magnet leechers (BEP 9). --keep-seeds keeps connections to other
      seeds (libtorrent closes them by default); --no-upload never unchokes anyone and grants
      no allowed-fast piece, so no peer gets a byte of data from it (it still sends metadata
      and PEX); --no-pex turns peer exchange off for the torrent (it neither reads nor sends it);
      --count-upload waits a second when stopped, so that the upload it prints is all of it
      (libtorrent adds up its counters once a second).
  lt.py download TORRENT|MAGNET SAVE_PATH --port P [--peer HOST:PORT ...] [--timeout S]
                                 [--dht-bootstrap HOST:PORT ...]
      downloads into SAVE_PATH, closes the files and exits 0 once complete; 1 on timeout. A
      magnet link's metadata comes from its peers (x.pe, --peer), trackers (tr) or the DHT;
      "metadata received" is printed when it has it.
  --dht-bootstrap (seed and download) turns libtorrent's DHT on (BEP 5), with a node on
      127.0.0.1 as its bootstrap node and the guards that make it ignore loopback nodes off;
      the torrent is announced on the DHT (a seeder every 5 s; a downloader, which looks up
      peers at the same time, every 5 s while it has none), "dht: ..." lines tell how it goes.
  lt.py magnet TORRENT
      prints the torrent's magnet link as libtorrent makes it (make_magnet_uri).
  lt.py parse-magnet MAGNET
      prints what libtorrent reads in a magnet link, a line each: "hash H", "name N",
      "tracker URL" (each), "peer HOST:PORT" (each).
  lt.py hash TORRENT
      prints the v1 info hash (SHA-1 of the info dictionary) as libtorrent computes it.
  lt.py describe TORRENT
      prints "name total_size num_pieces piece_length num_files metadata_size" as libtorrent
      reads them (metadata_size: the bytes of the info dictionary, what BEP 9 transfers).
  lt.py create PATH OUT --tracker URL [--piece-length N] [--hybrid]
      writes a torrent of PATH: v1 only, or a v1+v2 hybrid with --hybrid.

Peers come from the torrent's trackers, from --peer (connect_peer) and, with --dht-bootstrap,
from the DHT. Everything binds 127.0.0.1 only.
"""

import argparse
import os
import signal
import sys
import time
import warnings

import libtorrent as lt


def log(msg):
    print(f"[lt {time.strftime('%H:%M:%S')}] {msg}", flush=True)


def loopback_settings(port, fast, keep_seeds=False, no_upload=False, dht_bootstrap=()):
    """Settings for one peer on 127.0.0.1 among others on 127.0.0.1 (see shared/INTEROP.md)."""
    settings = lt.high_performance_seed() if fast else {}
    if keep_seeds:
        # A seed closes its connection to another seed at once, by default: a peer that must
        # tell others of a seeder through PEX has to stay connected to it.
        settings["close_redundant_connections"] = False
    if no_upload:
        # Nobody is ever unchoked and no piece is allowed fast (BEP 6): a peer may talk to
        # this one (handshakes, metadata, PEX) but never download data from it.
        settings["unchoke_slots_limit"] = 0
        settings["allowed_fast_set_size"] = 0
    settings.update({
        "listen_interfaces": f"127.0.0.1:{port}",
        "outgoing_interfaces": "127.0.0.1",
        # every peer of the test is 127.0.0.1: without this libtorrent keeps one of them only
        "allow_multiple_connections_per_ip": True,
        # uTP would carry the data over UDP; the clients under test speak TCP
        "enable_outgoing_utp": False,
        "enable_incoming_utp": False,
        "enable_dht": False,
        "enable_lsd": False,
        "enable_upnp": False,
        "enable_natpmp": False,
        "out_enc_policy": int(lt.enc_policy.disabled),
        "in_enc_policy": int(lt.enc_policy.enabled),
        "stop_tracker_timeout": 2,
        "user_agent": "interop-libtorrent/" + lt.__version__,
        "alert_mask": int(lt.alert.category_t.error_notification
                          | lt.alert.category_t.status_notification
                          | lt.alert.category_t.tracker_notification
                          | lt.alert.category_t.peer_notification),
    })
    if dht_bootstrap:
        settings.update(dht_settings(dht_bootstrap))
        settings["alert_mask"] |= int(lt.alert.category_t.dht_notification)
    return settings


def dht_settings(bootstrap):
    """libtorrent's DHT among nodes that are all on 127.0.0.1 (see shared/INTEROP.md and dht.py).

    With the defaults it keeps no loopback or private node in its table and returns none from a
    search, and it would ignore every node here for 5 minutes once they together sent it more
    than 5 packets a second (its rate limit is per IP, and the IP is 127.0.0.1 for all of them).
    """
    return {
        "enable_dht": True,
        "dht_bootstrap_nodes": ",".join(bootstrap),
        "dht_restrict_routing_ips": False,
        "dht_restrict_search_ips": False,
        "dht_ignore_dark_internet": False,
        "dht_prefer_verified_node_ids": False,
        "dht_block_ratelimit": 10000,
    }


class DhtAnnouncer:
    """Announces a torrent on the DHT (get_peers, then announce_peer) every few seconds.

    libtorrent announces by itself every dht_announce_interval (15 minutes) only, and its first
    announce may come before its table holds anything but the bootstrap node: the test forces
    one once the table has a node, then every 5 s while needed(). force_dht_announce() is the
    binding's way: its dht_announce() cannot be called (its flags type is not exposed).
    """

    def __init__(self, ses, handle, bootstrap):
        self.ses, self.handle, self.next, self.count = ses, handle, 0.0, 0
        for b in bootstrap:
            ses.add_dht_node(parse_peer(b))

    def tick(self, needed=True):
        now = time.monotonic()
        if now < self.next or not needed:
            return
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # session.status()
            nodes = self.ses.status().dht_nodes
        if nodes == 0:
            self.next = now + 0.2
            return
        self.handle.force_dht_announce()
        self.count += 1
        if self.count <= 3 or self.count % 10 == 0:
            log(f"dht: announce {self.count} ({nodes} nodes in the table)")
        self.next = now + 5


def parse_peer(text):
    host, _, port = text.rpartition(":")
    return host, int(port)


def drain(ses):
    """Prints what libtorrent has to say that helps when a pair fails."""
    for a in ses.pop_alerts():
        if isinstance(a, (lt.tracker_error_alert, lt.tracker_reply_alert, lt.tracker_warning_alert,
                          lt.peer_error_alert, lt.peer_disconnected_alert, lt.peer_connect_alert,
                          lt.torrent_error_alert, lt.file_error_alert, lt.hash_failed_alert,
                          lt.listen_failed_alert, lt.listen_succeeded_alert, lt.state_changed_alert,
                          lt.torrent_finished_alert, lt.peer_ban_alert, lt.metadata_failed_alert)):
            log(a.message())
        if isinstance(a, lt.dht_reply_alert):
            log(f"dht: {a.num_peers} peer(s) from the DHT")
        if isinstance(a, lt.metadata_received_alert):
            # with the time since the epoch, for the scripts to measure from their own start
            log(f"metadata received at {time.time():.3f}")


def log_peers(h, known):
    """Logs each peer connected or gone since the last call; returns those connected now."""
    now = {}
    for p in h.get_peer_info():
        ip, port = p.ip
        direction = "outgoing" if p.flags & lt.peer_info.local_connection else "incoming"
        client = p.client.decode(errors="replace") if isinstance(p.client, bytes) else p.client
        now[f"{ip}:{port}"] = f"{direction}, {client}"
    for ep in sorted(now.keys() - known):
        log(f"peer connected: {ep} ({now[ep]})")
    for ep in sorted(known - now.keys()):
        log(f"peer gone: {ep}")
    return set(now)


def add(ses, args, flags=0):
    if args.torrent.startswith("magnet:"):
        # the info hash, name, trackers (tr) and peers (x.pe) of the link; the metadata comes
        # from peers over ut_metadata (BEP 9)
        params = lt.parse_magnet_uri(args.torrent)
    else:
        params = lt.add_torrent_params()
        params.ti = lt.torrent_info(args.torrent)
    params.save_path = args.save_path
    params.flags |= flags
    return ses.add_torrent(params)


def run_seed(args):
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    signal.signal(signal.SIGINT, lambda *_: stop.append(1))
    ses = lt.session(loopback_settings(args.port, args.fast, args.keep_seeds, args.no_upload, args.dht_bootstrap))
    if args.no_upload:
        # Loopback peers fall in libtorrent's "local" peer class, which ignores the unchoke
        # slots (and rate limits): put every address in the global class instead, so that
        # unchoke_slots_limit 0 holds for them too.
        f = lt.ip_filter()
        f.add_rule("0.0.0.0", "255.255.255.255", 1 << lt.session.global_peer_class_id)
        ses.set_peer_class_filter(f)
    h = add(ses, args, lt.torrent_flags.disable_pex if args.no_pex else 0)
    dht = DhtAnnouncer(ses, h, args.dht_bootstrap) if args.dht_bootstrap else None
    announced = False
    peers = set()
    next_peers = 0
    while not stop:
        drain(ses)
        if time.monotonic() >= next_peers:
            next_peers = time.monotonic() + 0.5
            peers = log_peers(h, peers)
        s = h.status()
        if not announced and s.is_seeding:
            log(f"seeding {s.name}: {s.total_wanted} bytes checked")
            print("seeding", flush=True)
            for p in args.peer:
                h.connect_peer(parse_peer(p))
            announced = True
        if dht and s.is_seeding:
            dht.tick()
        if s.errc.value() != 0:
            log(f"error: {s.errc.message()}")
            return 1
        time.sleep(0.1)
    if args.count_upload:
        time.sleep(1.1)
    s = h.status()
    log(f"stopping: uploaded {s.all_time_upload} bytes")
    print(f"uploaded {s.all_time_upload}", flush=True)  # payload only: no metadata, no protocol
    ses.remove_torrent(h)  # sends "stopped" to the trackers, bounded by stop_tracker_timeout
    time.sleep(0.3)
    drain(ses)
    return 0


def run_download(args):
    ses = lt.session(loopback_settings(args.port, False, dht_bootstrap=args.dht_bootstrap))
    h = add(ses, args)
    dht = DhtAnnouncer(ses, h, args.dht_bootstrap) if args.dht_bootstrap else None
    for p in args.peer:
        h.connect_peer(parse_peer(p))
    start = time.monotonic()
    deadline = start + args.timeout
    last = 0
    while True:
        drain(ses)
        s = h.status()
        if s.is_seeding:
            break
        if s.errc.value() != 0:
            log(f"error: {s.errc.message()}")
            return 1
        if dht:
            dht.tick(needed=s.num_peers == 0)
        now = time.monotonic()
        if now > deadline:
            log(f"timeout: {s.total_wanted_done}/{s.total_wanted} bytes, {s.num_peers} peers")
            return 1
        if now - last >= 2:
            last = now
            log(f"{s.state} {s.progress * 100:.1f}% {s.download_rate / 1e6:.1f} MB/s, {s.num_peers} peers")
        time.sleep(0.05)
    took = time.monotonic() - start
    log(f"complete: {s.total_wanted} bytes in {took:.2f} s")
    # Removing the torrent closes its files, so whatever compares them next reads the final bytes.
    ses.remove_torrent(h)
    for _ in range(50):
        if any(isinstance(a, lt.torrent_removed_alert) for a in ses.pop_alerts()):
            break
        time.sleep(0.05)
    # Removal sends "stopped" to the trackers. Closing the session at once can close the UDP
    # socket before a UDP tracker's answer arrives, and libtorrent then waits out
    # stop_tracker_timeout (2 s) for an answer it can no longer receive: give it a moment.
    time.sleep(0.1)
    return 0


def run_magnet(args):
    print(lt.make_magnet_uri(lt.torrent_info(args.torrent)))
    return 0


def run_parse_magnet(args):
    p = lt.parse_magnet_uri(args.magnet)
    print(f"hash {p.info_hashes.v1}")
    print(f"name {p.name}")
    for t in p.trackers:
        print(f"tracker {t}")
    for host, port in p.peers:
        print(f"peer {host}:{port}")
    return 0


def run_create(args):
    fs = lt.file_storage()
    lt.add_files(fs, args.path)
    flags = 0 if args.hybrid else lt.create_torrent.v1_only
    t = lt.create_torrent(fs, args.piece_length, flags=flags)
    t.add_tracker(args.tracker)
    t.set_creator("libtorrent " + lt.__version__)
    lt.set_piece_hashes(t, os.path.dirname(os.path.abspath(args.path)))
    with open(args.out, "wb") as f:
        f.write(lt.bencode(t.generate()))
    return 0


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    for name in ("seed", "download"):
        c = sub.add_parser(name)
        c.add_argument("torrent")
        c.add_argument("save_path")
        c.add_argument("--port", type=int, required=True)
        c.add_argument("--peer", action="append", default=[])
        c.add_argument("--dht-bootstrap", action="append", default=[], help="DHT on, bootstrapping from HOST:PORT")
        if name == "seed":
            c.add_argument("--fast", action="store_true", help="lt.high_performance_seed() settings")
            c.add_argument("--keep-seeds", action="store_true", help="keep connections to other seeds")
            c.add_argument("--no-upload", action="store_true", help="unchoke nobody, allow nothing fast")
            c.add_argument("--no-pex", action="store_true", help="no peer exchange for the torrent")
            c.add_argument("--count-upload", action="store_true", help="a second to count the upload")
        else:
            c.add_argument("--timeout", type=float, default=120)
    for name in ("hash", "describe", "magnet"):
        sub.add_parser(name).add_argument("torrent")
    sub.add_parser("parse-magnet").add_argument("magnet")
    c = sub.add_parser("create")
    c.add_argument("path")
    c.add_argument("out")
    c.add_argument("--tracker", required=True)
    c.add_argument("--piece-length", type=int, default=256 * 1024)
    c.add_argument("--hybrid", action="store_true")
    args = p.parse_args()

    if args.cmd == "seed":
        return run_seed(args)
    if args.cmd == "download":
        return run_download(args)
    if args.cmd == "create":
        return run_create(args)
    if args.cmd == "magnet":
        return run_magnet(args)
    if args.cmd == "parse-magnet":
        return run_parse_magnet(args)
    ti = lt.torrent_info(args.torrent)  # raises on anything libtorrent refuses
    if args.cmd == "hash":
        print(str(ti.info_hashes().v1))
    else:
        print(ti.name(), ti.total_size(), ti.num_pieces(), ti.piece_length(), ti.num_files(), len(ti.info_section()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
