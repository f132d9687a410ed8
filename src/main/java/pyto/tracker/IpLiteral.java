package pyto.tracker;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Reads an IP address written as text ("10.0.0.7", "2001:db8::1"), as in the non-compact peer
 * lists of BEP 3, without ever asking DNS. {@link InetAddress#getByName} would look up anything
 * that is not a literal, and a tracker's peer list must not make us resolve names it chose.
 * ({@code InetAddress.ofLiteral} does this, but only from Java 22.)
 */
public final class IpLiteral {

    private IpLiteral() {
    }

    /** The address, or empty when {@code text} is not a plain IPv4 or IPv6 literal. */
    public static Optional<InetAddress> parse(String text) {
        if (text.startsWith("[") && text.endsWith("]")) {
            text = text.substring(1, text.length() - 1);
        }
        if (text.indexOf(':') >= 0) {
            return ipv6(text);
        }
        return ipv4(text);
    }

    // four decimal numbers 0..255, no leading zeros (some parsers read "010" as octal)
    private static Optional<InetAddress> ipv4(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return Optional.empty();
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            String part = parts[i];
            if (part.isEmpty() || part.length() > 3 || (part.length() > 1 && part.charAt(0) == '0')
                    || !part.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return Optional.empty();
            }
            int value = Integer.parseInt(part);
            if (value > 255) {
                return Optional.empty();
            }
            bytes[i] = (byte) value;
        }
        return Optional.of(CompactPeers.byAddress(bytes));
    }

    // Text with a ':', starting with a hex digit or ':' and made only of hex digits, ':' and '.'
    // (for "::ffff:1.2.3.4") is taken by the JDK as a literal and never looked up: when it is
    // not a valid address, getByName fails with UnknownHostException instead.
    private static Optional<InetAddress> ipv6(String text) {
        if (text.length() > 45 || text.charAt(0) == '.' || !text.chars().allMatch(IpLiteral::isIpv6Char)) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByName(text));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    private static boolean isIpv6Char(int c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':' || c == '.';
    }
}
