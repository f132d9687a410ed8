package pyto.metainfo;

import java.io.ByteArrayOutputStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * How each value of a magnet link (BEP 9, BEP 53) is read and written: percent-escapes, the
 * info hash in hex or base32, peer addresses ({@code x.pe}) and file index ranges ({@code so}).
 * {@link MagnetLink} puts them together. Runs on the caller's thread; never touches the network
 * (an IP literal becomes an address without a DNS lookup, a host name stays unresolved).
 */
final class MagnetValues {

    /** A host name as it may stand in x.pe: letters, digits, '-', '_' and dots, nothing to escape. */
    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*\\.?");
    private static final Pattern DIGITS_AND_DOTS = Pattern.compile("[0-9.]+");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:][0-9A-Fa-f:.]*");

    /** One so range, both ends included. */
    record Range(int from, int to) {
        long size() {
            return (long) to - from + 1;
        }
    }

    private MagnetValues() {
    }

    static MetainfoException bad(String what) {
        return new MetainfoException("bad magnet link: " + what);
    }

    /**
     * Decodes %XX escapes into bytes and reads them as UTF-8. A '+' is a space, as libtorrent
     * reads it (its unescape_string, used by parse_magnet_uri for dn, tr, ws and xt): links
     * made by web forms write spaces in a name that way. A literal '+' must be written %2B,
     * which {@link #encode} does. Characters outside ASCII (a link pasted from a browser's
     * address bar) are taken as the UTF-8 they stand for.
     */
    static String decode(String parameter, String value) throws MetainfoException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '%') {
                int hi = i + 1 < value.length() ? Character.digit(value.charAt(i + 1), 16) : -1;
                int lo = i + 2 < value.length() ? Character.digit(value.charAt(i + 2), 16) : -1;
                if (hi < 0 || lo < 0) {
                    String escape = value.substring(i, Math.min(i + 3, value.length()));
                    throw bad("the value of " + parameter + " has a broken %-escape '" + escape
                            + "' (a % must be followed by two hex digits)");
                }
                bytes.write(hi << 4 | lo);
                i += 2;
            } else if (c == '+') {
                bytes.write(' ');
            } else if (c < 0x80) {
                bytes.write(c);
            } else {
                int end = Character.isHighSurrogate(c) && i + 1 < value.length() ? i + 2 : i + 1;
                bytes.writeBytes(value.substring(i, end).getBytes(StandardCharsets.UTF_8));
                i = end - 1;
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw bad("the value of " + parameter + " is not UTF-8 once its %-escapes are decoded");
        }
    }

    /** UTF-8, then every byte but RFC 3986's unreserved characters as %XX (a space is %20, '+' is %2B). */
    static String encode(String text) {
        return UrlBytes.encode(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The info hash after {@code urn:btih:}: 40 hex digits, or 32 base32 characters (BEP 9). */
    static InfoHash infoHash(String text) throws MetainfoException {
        if (text.length() == 2 * InfoHash.LENGTH) {
            for (int i = 0; i < text.length(); i++) {
                if (Character.digit(text.charAt(i), 16) < 0 || text.charAt(i) >= 0x80) {
                    throw bad("the info hash in xt is not hex: '" + text.charAt(i) + "' at position " + (i + 1));
                }
            }
            return InfoHash.fromHex(text);
        }
        if (text.length() == 32) {
            try {
                return new InfoHash(Base32.decode(text));
            } catch (IllegalArgumentException e) {
                throw bad("the info hash in xt is not base32: " + e.getMessage());
            }
        }
        throw bad("the info hash in xt has " + text.length()
                + " characters; it must be 40 hex digits or 32 base32 characters");
    }

    /**
     * A peer of x.pe (BEP 9): {@code HOST:PORT}, {@code IPv4:PORT} or {@code [IPv6]:PORT}.
     * IP literals become resolved addresses without a DNS lookup; host names stay unresolved,
     * to be looked up when (and if) pyto dials them.
     */
    static InetSocketAddress peer(String text) throws MetainfoException {
        String host;
        String rest;
        InetAddress address = null;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0) {
                throw bad("x.pe=" + text + " opens a '[' that no ']' closes ([IPv6]:PORT)");
            }
            host = text.substring(1, close);
            rest = text.substring(close + 1);
            if (!rest.isEmpty() && !rest.startsWith(":")) {
                throw bad("x.pe=" + text + " has '" + rest + "' after the ']' where ':PORT' should be");
            }
            address = ipv6(text, host);
        } else {
            if (text.indexOf(']') >= 0) {
                throw bad("x.pe=" + text + " closes a ']' that no '[' opened ([IPv6]:PORT)");
            }
            int colon = text.lastIndexOf(':');
            host = colon < 0 ? text : text.substring(0, colon);
            rest = colon < 0 ? "" : text.substring(colon);
            if (host.indexOf(':') >= 0) {
                throw bad("x.pe=" + text + ": an IPv6 address needs brackets, as in [::1]:6881");
            }
        }
        if (rest.isEmpty()) {
            throw bad("x.pe=" + text + " has no port (HOST:PORT or [IPv6]:PORT)");
        }
        int port = port(text, rest.substring(1));
        if (address != null) {
            return new InetSocketAddress(address, port);
        }
        if (DIGITS_AND_DOTS.matcher(host).matches()) {
            return new InetSocketAddress(ipv4(text, host), port);
        }
        if (!HOST_NAME.matcher(host).matches()) {
            throw bad("x.pe=" + text + ": '" + host + "' is not a host name");
        }
        return InetSocketAddress.createUnresolved(host, port);
    }

    private static int port(String text, String digits) throws MetainfoException {
        if (digits.isEmpty() || digits.length() > 5 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw bad("x.pe=" + text + ": the port '" + digits + "' is not a number from 1 to 65535");
        }
        int port = Integer.parseInt(digits);
        if (port < 1 || port > 65535) {
            throw bad("x.pe=" + text + ": the port " + port + " is out of range (1-65535)");
        }
        return port;
    }

    /** Four decimal numbers 0-255; read here because InetAddress would look up a bad one in DNS. */
    private static InetAddress ipv4(String text, String host) throws MetainfoException {
        String[] parts = host.split("\\.", -1);
        byte[] bytes = new byte[4];
        boolean ok = parts.length == 4;
        for (int i = 0; ok && i < 4; i++) {
            ok = !parts[i].isEmpty() && parts[i].length() <= 3 && Integer.parseInt(parts[i]) <= 255;
            bytes[i] = ok ? (byte) Integer.parseInt(parts[i]) : 0;
        }
        if (!ok) {
            throw bad("x.pe=" + text + ": '" + host + "' is not an IPv4 address");
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new AssertionError("four bytes are an IPv4 address", e);
        }
    }

    /**
     * An IPv6 literal. InetAddress.getByName never asks DNS for a text that starts with a hex
     * digit or ':' and contains a ':': it parses it as IPv6 or fails. The pattern makes sure of
     * both (and leaves out zone ids, which mean nothing on another machine).
     */
    private static InetAddress ipv6(String text, String host) throws MetainfoException {
        if (!IPV6_CHARS.matcher(host).matches() || host.indexOf(':') < 0) {
            throw bad("x.pe=" + text + ": '" + host + "' is not an IPv6 address");
        }
        try {
            return InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw bad("x.pe=" + text + ": '" + host + "' is not an IPv6 address");
        }
    }

    /** {@code 1.2.3.4:6881}, {@code [2001:db8::1]:6881} or {@code host.example:6881}: what x.pe holds. */
    static String peerText(InetSocketAddress peer) {
        InetAddress address = peer.getAddress();
        String host;
        if (peer.isUnresolved() || address == null) {
            host = peer.getHostString();
        } else if (address instanceof Inet6Address) {
            host = "[" + compress(address.getAddress()) + "]";
        } else {
            host = address.getHostAddress();
        }
        return host + ":" + peer.getPort();
    }

    /** RFC 5952's short form: lower-case groups, the longest run of two or more zero groups as "::". */
    private static String compress(byte[] v6) {
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = (v6[2 * i] & 0xff) << 8 | (v6[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLength - 1;
                continue;
            }
            if (!out.isEmpty() && out.charAt(out.length() - 1) != ':') {
                out.append(':');
            }
            out.append(Integer.toHexString(groups[i]));
        }
        return out.toString();
    }

    /**
     * The ranges of BEP 53's {@code so}: {@code 0,2,4-6}. Each element is an index or FROM-TO
     * with FROM <= TO; nothing else is accepted.
     */
    static List<Range> ranges(String value) throws MetainfoException {
        List<Range> ranges = new ArrayList<>();
        for (String element : value.split(",", -1)) {
            int dash = element.indexOf('-');
            Range range = dash < 0
                    ? new Range(index(value, element), index(value, element))
                    : new Range(index(value, element.substring(0, dash)), index(value, element.substring(dash + 1)));
            if (range.from() > range.to()) {
                throw bad("so=" + value + ": the range " + element + " runs backwards");
            }
            ranges.add(range);
        }
        return ranges;
    }

    private static int index(String value, String digits) throws MetainfoException {
        if (digits.isEmpty() || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw bad("so=" + value + " is not a list of file indices and ranges such as 0,2,4-6");
        }
        if (digits.length() > 9) {
            throw bad("so=" + value + ": the file index " + digits + " is too large");
        }
        return Integer.parseInt(digits);
    }

    /**
     * Every index the ranges cover, sorted, once each. The ranges are merged first, so the
     * count is known before any list is made: a link cannot make pyto build millions of them.
     */
    static List<Integer> expand(List<Range> ranges, int max) throws MetainfoException {
        List<Range> sorted = new ArrayList<>(ranges);
        sorted.sort(Comparator.comparingInt(Range::from));
        List<Range> merged = new ArrayList<>();
        long count = 0;
        for (Range r : sorted) {
            Range last = merged.isEmpty() ? null : merged.getLast();
            if (last != null && r.from() <= (long) last.to() + 1) {
                if (r.to() > last.to()) {
                    count += r.to() - last.to();
                    merged.set(merged.size() - 1, new Range(last.from(), r.to()));
                }
            } else {
                merged.add(r);
                count += r.size();
            }
            if (count > max) {
                throw bad("so selects more than " + max + " files");
            }
        }
        List<Integer> indices = new ArrayList<>((int) count);
        for (Range r : merged) {
            for (int i = r.from(); i <= r.to(); i++) {
                indices.add(i);
            }
        }
        return indices;
    }

    /** The shortest so text for sorted, distinct indices: {@code [0, 2, 4, 5, 6]} is {@code 0,2,4-6}. */
    static String rangesText(List<Integer> sortedIndices) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < sortedIndices.size(); ) {
            int j = i;
            while (j + 1 < sortedIndices.size() && sortedIndices.get(j + 1) == sortedIndices.get(j) + 1) {
                j++;
            }
            if (!out.isEmpty()) {
                out.append(',');
            }
            out.append(sortedIndices.get(i));
            if (j > i) {
                out.append('-').append(sortedIndices.get(j));
            }
            i = j + 1;
        }
        return out.toString();
    }
}
