#!/usr/bin/python3
"""The pyto DHT (BEP 5) against libtorrent's, on 127.0.0.1 (run with Debian's /usr/bin/python3).

  dht.py --pyto 'java -cp target/classes pyto.cli.Main' [--nodes 5] [--timeout 60]
  dht.py swarm --bootstrap PORT --ports PORT,PORT,... [--mesh]

Starts a `pyto dht` node as the bootstrap node of NODES libtorrent DHT nodes, then checks:
  1. the libtorrent nodes bootstrap from it and their routing tables fill;
  2. `pyto dht lookup` finds a peer that a libtorrent node announced (get_peers, tokens);
  3. a libtorrent node finds a peer that `pyto dht lookup --announce` announced;
  4. the pyto node answers libtorrent's sample_infohashes (BEP 51);
  5. the pyto node's own table holds the libtorrent nodes.
Prints one line per check, and exits 0 when all pass. libtorrent's guards against loopback and
private addresses are off (see shared/INTEROP.md), and so is its per-IP rate limit: every node
here is 127.0.0.1. Every process is stopped by its PID at the end. A last line, "figures: ...",
says how long the tables took to fill and what each side found, for tools/interop's PASS line.

`dht.py swarm` runs libtorrent DHT nodes on the given ports of 127.0.0.1, each bootstrapping
from 127.0.0.1:PORT (a `pyto dht` node, say), until SIGTERM: the small DHT in which
tools/interop's DHT transfers find each other. It prints "tables N N ..." (each node's routing
table size) when the sizes change, and a line for each announce_peer a node receives,
"announce INFO_HASH IP:PORT", so that a script knows when a seeder can be found, and for each
get_peers ("get_peers INFO_HASH", the asker unknown: libtorrent's alert does not say). With --mesh
each node is also told of the others (add_dht_node): the tables fill in a second instead of the
~10 s libtorrent takes from one bootstrap node (check 1 above is the one that times that).
"""

import argparse
import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import warnings

import libtorrent as lt


def log(msg):
    print(f"[dht {time.strftime('%H:%M:%S')}] {msg}", flush=True)


def free_udp_ports(n):
    socks = []
    try:
        for _ in range(n):
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            s.bind(("127.0.0.1", 0))
            socks.append(s)
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


def lt_node(port, bootstrap_port):
    ses = lt.session({
        "listen_interfaces": f"127.0.0.1:{port}",
        "outgoing_interfaces": "127.0.0.1",
        "enable_dht": True,
        "enable_lsd": False,
        "enable_upnp": False,
        "enable_natpmp": False,
        "dht_bootstrap_nodes": f"127.0.0.1:{bootstrap_port}",
        "dht_restrict_routing_ips": False,
        "dht_restrict_search_ips": False,
        "dht_ignore_dark_internet": False,
        "dht_prefer_verified_node_ids": False,
        "dht_block_ratelimit": 10000,
        "alert_mask": int(lt.alert.category_t.dht_notification | lt.alert.category_t.error_notification
                          | lt.alert.category_t.dht_operation_notification),
    })
    ses.add_dht_node(("127.0.0.1", bootstrap_port))
    return ses


class Pyto:
    """A `pyto dht` process; its output is collected on a thread."""

    def __init__(self, command, port):
        self.lines = []
        self.proc = subprocess.Popen(shlex.split(command) + [
            "dht", "--bind", "127.0.0.1", "--port", str(port), "--bootstrap", "none", "--state", "none"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.proc.stdout:
            self.lines.append(line.rstrip())

    def table_size(self):
        sizes = [int(m.group(1)) for l in self.lines for m in [re.search(r" (\d+) nodes? \(", l)] if m]
        return sizes[-1] if sizes else 0

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def run_pyto(command, args, timeout):
    r = subprocess.run(shlex.split(command) + args, capture_output=True, text=True, timeout=timeout)
    return r.returncode, r.stdout + r.stderr


def alerts_of(ses, kind, wait):
    deadline = time.time() + wait
    found = []
    while time.time() < deadline and not found:
        ses.wait_for_alert(200)
        found = [a for a in ses.pop_alerts() if isinstance(a, kind)]
    return found


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--pyto", required=True, help="command that runs pyto, e.g. 'java -jar target/pyto.jar'")
    p.add_argument("--nodes", type=int, default=5)
    p.add_argument("--timeout", type=int, default=60)
    args = p.parse_args()

    ports = free_udp_ports(args.nodes + 1)
    pyto_port, lt_ports = ports[0], ports[1:]
    results = {}
    figures = []
    pyto = Pyto(args.pyto, pyto_port)
    sessions = []
    save_dir = tempfile.TemporaryDirectory()
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    try:
        time.sleep(1.5)  # the JVM starts
        sessions = [lt_node(port, pyto_port) for port in lt_ports]
        log(f"pyto dht on 127.0.0.1:{pyto_port}, libtorrent {lt.__version__} nodes on {lt_ports}")

        # 1. the libtorrent tables fill through the pyto node
        started = time.time()
        deadline = started + args.timeout / 3
        counts = []
        while time.time() < deadline:
            counts = [s.status().dht_nodes for s in sessions]
            if min(counts) >= args.nodes - 1:
                break
            time.sleep(0.5)
        filled = time.time() - started
        log(f"libtorrent routing tables: {counts} nodes after {filled:.1f} s")
        figures.append(f"tables {'/'.join(map(str, counts))} nodes in {filled:.1f} s")
        results["libtorrent nodes bootstrap from a pyto dht node"] = min(counts) >= 2

        # 2. pyto finds what libtorrent announced: a torrent it wants (a magnet link) is announced on
        # its listen port (the binding's dht_announce cannot be called: its flags type is not exposed)
        h1 = lt.sha1_hash(os.urandom(20))
        params = lt.parse_magnet_uri(f"magnet:?xt=urn:btih:{h1}")
        params.save_path = save_dir.name
        handle = sessions[0].add_torrent(params)
        handle.force_dht_announce()
        announced = f"127.0.0.1:{lt_ports[0]}"
        found = False
        for attempt in range(5):
            time.sleep(2)
            code, out = run_pyto(args.pyto, ["dht", "lookup", str(h1), "--bind", "127.0.0.1", "--state", "none",
                                             "--bootstrap", f"127.0.0.1:{pyto_port}"], args.timeout / 3)
            if announced in out:
                found = True
                break
        log("pyto dht lookup (last run):\n" + out.rstrip())
        results["pyto get_peers finds a libtorrent announce"] = found
        figures.append(f"pyto lookup {'found' if found else 'missed'} libtorrent's peer")

        # 3. libtorrent finds what pyto announced
        h2 = lt.sha1_hash(os.urandom(20))
        code, out = run_pyto(args.pyto, ["dht", "lookup", str(h2), "--announce", "40002", "--bind", "127.0.0.1",
                                         "--state", "none", "--bootstrap", f"127.0.0.1:{pyto_port}"], args.timeout / 3)
        log("pyto dht lookup --announce: " + (out.strip().splitlines() or ["(nothing)"])[-1])
        peers = []
        for attempt in range(5):
            sessions[-1].dht_get_peers(h2)
            for a in alerts_of(sessions[-1], lt.dht_get_peers_reply_alert, 10):
                peers += [f"{ip}:{port}" for ip, port in a.peers()]
            if "127.0.0.1:40002" in peers:
                break
        log(f"libtorrent get_peers found {peers}")
        results["libtorrent get_peers finds a pyto announce"] = "127.0.0.1:40002" in peers
        figures.append(f"libtorrent lookup {'found' if '127.0.0.1:40002' in peers else 'missed'} pyto's")

        # 4. BEP 51 from libtorrent to the pyto node
        sessions[1].dht_sample_infohashes(("127.0.0.1", pyto_port), lt.sha1_hash(os.urandom(20)))
        samples = alerts_of(sessions[1], lt.dht_sample_infohashes_alert, 10)
        if samples:
            a = samples[0]
            log(f"sample_infohashes from pyto: {a.num_infohashes} info hashes, {a.num_samples} samples, "
                f"interval {a.interval}, {a.num_nodes} nodes")
            figures.append(f"BEP 51: {a.num_samples} sample(s), {a.num_nodes} nodes")
        results["pyto answers libtorrent's sample_infohashes"] = bool(samples) and samples[0].num_nodes > 0

        # 5. the pyto node knows the libtorrent nodes
        deadline = time.time() + 15
        while time.time() < deadline and pyto.table_size() < args.nodes:
            time.sleep(1)
        log(f"pyto dht says: {pyto.lines[-1] if pyto.lines else '(nothing)'}")
        results["the pyto node's table holds the libtorrent nodes"] = pyto.table_size() >= args.nodes
        figures.append(f"pyto's table {pyto.table_size()} nodes")
    finally:
        for s in sessions:
            del s
        pyto.stop()
        save_dir.cleanup()

    for name, ok in results.items():
        print(f"{'PASS' if ok else 'FAIL'}  {name}")
    print("figures: " + "; ".join(figures), flush=True)
    sys.exit(0 if results and all(results.values()) else 1)


def swarm():
    """libtorrent DHT nodes until SIGTERM, reporting their tables and the announces they get."""
    p = argparse.ArgumentParser(prog="dht.py swarm")
    p.add_argument("--bootstrap", type=int, required=True, help="UDP port of the bootstrap node on 127.0.0.1")
    p.add_argument("--ports", required=True, help="the nodes' ports, comma separated")
    p.add_argument("--mesh", action="store_true", help="tell each node of the others too (add_dht_node)")
    args = p.parse_args(sys.argv[2:])
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    signal.signal(signal.SIGINT, lambda *_: stop.append(1))
    warnings.filterwarnings("ignore", category=DeprecationWarning)  # session.status(), as above
    ports = [int(p) for p in args.ports.split(",")]
    sessions = [lt_node(port, args.bootstrap) for port in ports]
    if args.mesh:
        for port, ses in zip(ports, sessions):
            for other in ports:
                if other != port:
                    ses.add_dht_node(("127.0.0.1", other))
    log(f"libtorrent {lt.__version__} DHT nodes on 127.0.0.1:{ports}, bootstrapping from 127.0.0.1:{args.bootstrap}")
    last = None
    while not stop:
        for port, ses in zip(ports, sessions):
            for a in ses.pop_alerts():
                if isinstance(a, lt.dht_announce_alert):
                    log(f"announce {a.info_hash} {a.ip}:{a.port} (to the node on {port})")
                elif isinstance(a, lt.dht_get_peers_alert):
                    # many are libtorrent's own refreshes, for random ids; a script greps its hash
                    log(f"get_peers {a.info_hash} (at the node on {port})")
                elif a.category() & lt.alert.category_t.error_notification:
                    log(f"node {port}: {a.message()}")
        counts = [s.status().dht_nodes for s in sessions]
        if counts != last:
            log("tables " + " ".join(map(str, counts)))
            last = counts
        time.sleep(0.2)
    log("stopped")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "swarm":
        swarm()
    else:
        main()
