package pyto.cli;

import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import pyto.dht.DhtTrace;
import pyto.dht.KrpcMessage;
import pyto.peer.MessageTrace;
import pyto.wire.PeerMessage;

/**
 * {@code --trace}: one line per peer wire message and per DHT message, for people learning the protocol.
 * {@code 12:00:01.234 127.0.0.1:51413 <- piece 3 @16384 (16384 bytes)}. Block payloads are
 * summarised by the messages' own {@code toString}.
 */
final class TracePrinter implements MessageTrace, DhtTrace {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

    private final PrintStream out;

    TracePrinter(PrintStream out) {
        this.out = out;
    }

    @Override
    public void message(String peer, boolean outgoing, PeerMessage message) {
        line(peer, outgoing, message.toString());
    }

    /** A KRPC message of the DHT (BEP 5), as {@code 12:00:01.234 dht 10.0.0.7:6881 -> get_peers ...}. */
    @Override
    public void message(InetSocketAddress node, boolean outgoing, KrpcMessage message) {
        line("dht " + node.getAddress().getHostAddress() + ":" + node.getPort(), outgoing, message.toString());
    }

    @Override
    public void junk(InetSocketAddress node, String problem) {
        line("dht " + node.getAddress().getHostAddress() + ":" + node.getPort(), false, "dropped: " + problem);
    }

    private void line(String who, boolean outgoing, String what) {
        out.println(Terminal.clearLine() + TIME.format(LocalTime.now()) + " " + who + (outgoing ? " -> " : " <- ") + what);
    }
}
