#!/usr/bin/python3
"""Small network helpers for tools/interop and tools/bench (standard library only).

  net.py free-ports N
      prints N distinct TCP ports that are free on 127.0.0.1 right now, one a line.
  net.py seeders ANNOUNCE_URL INFO_HASH_HEX
      asks the tracker's scrape how many seeders it knows for the torrent: over HTTP (BEP 48)
      for http:// URLs, over UDP (BEP 15) for udp:// ones. Prints the number (0 when the
      tracker answers but does not list the torrent), or -1 when it cannot be reached or does
      not answer sensibly.
  net.py aria2 RPC_PORT
      prints "COMPLETED TOTAL STATUS" of the only download of an aria2c started with --enable-rpc.
  net.py handshake HOST PORT INFO_HASH_HEX
      exits 0 when the peer at HOST:PORT answers a BitTorrent handshake for the torrent with
      its own (so it serves the torrent now), 1 otherwise (refused, reset, closed, wrong hash,
      or no answer within 2 s).
"""

import json
import os
import socket
import struct
import sys
import urllib.parse
import urllib.request


def free_ports(n):
    # Hold all n sockets open at once so the kernel hands out n different ports.
    socks = []
    try:
        for _ in range(n):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.bind(("127.0.0.1", 0))
            socks.append(s)
        for s in socks:
            print(s.getsockname()[1])
    finally:
        for s in socks:
            s.close()


def bdecode(data, i=0):
    """Enough of bencode to read a scrape reply: returns (value, next index)."""
    c = data[i:i + 1]
    if c == b"i":
        end = data.index(b"e", i)
        return int(data[i + 1:end]), end + 1
    if c == b"l":
        i, out = i + 1, []
        while data[i:i + 1] != b"e":
            v, i = bdecode(data, i)
            out.append(v)
        return out, i + 1
    if c == b"d":
        i, out = i + 1, {}
        while data[i:i + 1] != b"e":
            k, i = bdecode(data, i)
            v, i = bdecode(data, i)
            out[k] = v
        return out, i + 1
    colon = data.index(b":", i)
    n = int(data[i:colon])
    return data[colon + 1:colon + 1 + n], colon + 1 + n


def seeders(announce_url, info_hash_hex):
    info_hash = bytes.fromhex(info_hash_hex)
    try:
        if announce_url.startswith("udp://"):
            return udp_seeders(announce_url, info_hash)
        return http_seeders(announce_url, info_hash)
    except Exception:  # not up yet, or a reply we cannot read: the caller polls again
        return -1


def http_seeders(announce_url, info_hash):
    scrape = announce_url.replace("/announce", "/scrape")
    url = scrape + ("&" if "?" in scrape else "?") + "info_hash=" + urllib.parse.quote(info_hash, safe="")
    with urllib.request.urlopen(url, timeout=2) as r:
        reply, _ = bdecode(r.read())
    files = reply[b"files"]
    return files[info_hash][b"complete"] if info_hash in files else 0


UDP_PROTOCOL_ID = 0x41727101980  # the magic connection id of a BEP 15 connect request


def udp_exchange(sock, packet, action, tid):
    """Sends one request and returns the payload after the action and transaction id."""
    sock.send(packet)
    while True:
        reply = sock.recv(2048)  # socket.timeout ends the wait
        if len(reply) >= 8:
            got_action, got_tid = struct.unpack_from(">II", reply)
            if got_tid == tid:
                if got_action != action:  # 3: an error message follows
                    raise OSError(f"tracker answered action {got_action}: {reply[8:]!r}")
                return reply[8:]


def udp_seeders(announce_url, info_hash):
    u = urllib.parse.urlsplit(announce_url)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.settimeout(2)
        sock.connect((u.hostname, u.port))
        # connect: <protocol id 8><action 0 4><transaction id 4> -> <action><tid><connection id 8>
        tid = struct.unpack(">I", os.urandom(4))[0]
        body = udp_exchange(sock, struct.pack(">QII", UDP_PROTOCOL_ID, 0, tid), 0, tid)
        (connection_id,) = struct.unpack_from(">Q", body)
        # scrape: <connection id 8><action 2 4><tid 4><info hash 20>
        #      -> <action><tid> then per hash <seeders 4><completed 4><leechers 4>
        tid = struct.unpack(">I", os.urandom(4))[0]
        body = udp_exchange(sock, struct.pack(">QII", connection_id, 2, tid) + info_hash, 2, tid)
        (complete,) = struct.unpack_from(">I", body)
        return complete


def aria2(rpc_port):
    body = json.dumps({"jsonrpc": "2.0", "id": "interop", "method": "aria2.tellActive",
                       "params": [["completedLength", "totalLength", "status", "seeder"]]}).encode()
    req = urllib.request.Request(f"http://127.0.0.1:{rpc_port}/jsonrpc", data=body,
                                 headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=2) as r:
            active = json.load(r)["result"]
    except Exception:
        return "0 0 unreachable"
    if not active:
        return "0 0 none"
    d = active[0]
    state = "seeding" if d.get("seeder") == "true" else d["status"]
    return f"{d['completedLength']} {d['totalLength']} {state}"


def handshake(host, port, info_hash_hex):
    info_hash = bytes.fromhex(info_hash_hex)
    ours = b"\x13BitTorrent protocol" + bytes(8) + info_hash + b"-IP0001-" + os.urandom(12)
    try:
        with socket.create_connection((host, port), timeout=2) as sock:
            sock.sendall(ours)
            theirs = b""
            while len(theirs) < 68:
                chunk = sock.recv(68 - len(theirs))
                if not chunk:
                    return False
                theirs += chunk
    except OSError:
        return False
    return theirs[:20] == ours[:20] and theirs[28:48] == info_hash


def main():
    cmd = sys.argv[1] if len(sys.argv) > 1 else ""
    if cmd == "free-ports" and len(sys.argv) == 3:
        free_ports(int(sys.argv[2]))
    elif cmd == "seeders" and len(sys.argv) == 4:
        print(seeders(sys.argv[2], sys.argv[3]))
    elif cmd == "aria2" and len(sys.argv) == 3:
        print(aria2(sys.argv[2]))
    elif cmd == "handshake" and len(sys.argv) == 5:
        return 0 if handshake(sys.argv[2], int(sys.argv[3]), sys.argv[4]) else 1
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
