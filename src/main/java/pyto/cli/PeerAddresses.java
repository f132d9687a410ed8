package pyto.cli;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * Parses {@code HOST:PORT} option values ({@code --peer}, {@code --dht-bootstrap}):
 * {@code 10.0.0.7:6881}, {@code [::1]:6881}, {@code localhost:6881}.
 */
final class PeerAddresses {

    private PeerAddresses() {
    }

    /** A {@code --peer} value, looked up now: an unknown host is a usage error. */
    static InetSocketAddress parse(String text) throws UsageException {
        return parse("--peer", text, true);
    }

    /**
     * @param resolve look the host up now; else leave a name unresolved, for whoever uses it
     *     to look up later (a DHT bootstrap router may be unreachable now and fine later)
     */
    static InetSocketAddress parse(String option, String text, boolean resolve) throws UsageException {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new UsageException(option + " needs HOST:PORT, not '" + text + "'");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new UsageException(option + " " + text + ": the port is not a number");
        }
        if (port < 1 || port > 65535) {
            throw new UsageException(option + " " + text + ": the port must be 1-65535");
        }
        if (!resolve) {
            return InetSocketAddress.createUnresolved(host, port);
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (UnknownHostException e) {
            throw new UsageException(option + " " + text + ": unknown host " + host);
        }
    }
}
