package pyto.cli;

import java.io.PrintStream;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import pyto.peer.MessageTrace;
import pyto.wire.PeerMessage;

/**
 * {@code --trace}: one line per peer wire message, for people learning the protocol.
 * {@code 12:00:01.234 127.0.0.1:51413 <- piece 3 @16384 (16384 bytes)}. Block payloads are
 * summarised by the messages' own {@code toString}.
 */
final class TracePrinter implements MessageTrace {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

    private final PrintStream out;

    TracePrinter(PrintStream out) {
        this.out = out;
    }

    @Override
    public void message(String peer, boolean outgoing, PeerMessage message) {
        out.println(Terminal.clearLine() + TIME.format(LocalTime.now()) + " " + peer + (outgoing ? " -> " : " <- ") + message);
    }
}
