package pyto.cli;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/** Parses {@code --peer HOST:PORT} values: {@code 10.0.0.7:6881}, {@code [::1]:6881}, {@code localhost:6881}. */
final class PeerAddresses {

    private PeerAddresses() {
    }

    static InetSocketAddress parse(String text) throws UsageException {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new UsageException("--peer needs HOST:PORT, not '" + text + "'");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new UsageException("--peer " + text + ": the port is not a number");
        }
        if (port < 1 || port > 65535) {
            throw new UsageException("--peer " + text + ": the port must be 1-65535");
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (UnknownHostException e) {
            throw new UsageException("--peer " + text + ": unknown host " + host);
        }
    }
}
