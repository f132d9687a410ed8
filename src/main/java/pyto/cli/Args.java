package pyto.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The options and operands of one command, e.g. {@code -d out --peer 127.0.0.1:6881 a.torrent}.
 *
 * <p>Each command declares which options take a value and which are flags; anything else that
 * starts with '-' is a usage error. {@code --name=value} and {@code --name value} both work, and
 * an option given twice keeps every value (for repeatable options such as {@code -t}).
 */
final class Args {

    private final Map<String, List<String>> options = new HashMap<>();
    private final List<String> operands = new ArrayList<>();

    private Args() {
    }

    /**
     * @param valued options that take a value, with their aliases mapped to one name: e.g.
     *     {"-d": "--dir", "--dir": "--dir"}
     * @param flags  options without a value, likewise
     */
    static Args parse(List<String> argv, Map<String, String> valued, Map<String, String> flags) throws UsageException {
        Args args = new Args();
        for (int i = 0; i < argv.size(); i++) {
            String arg = argv.get(i);
            if (arg.equals("--")) {
                args.operands.addAll(argv.subList(i + 1, argv.size()));
                break;
            }
            if (!arg.startsWith("-") || arg.equals("-")) {
                args.operands.add(arg);
                continue;
            }
            String name = arg;
            String inline = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                name = arg.substring(0, eq);
                inline = arg.substring(eq + 1);
            }
            if (valued.containsKey(name)) {
                String value = inline;
                if (value == null) {
                    if (i + 1 >= argv.size()) {
                        throw new UsageException("option " + name + " needs a value");
                    }
                    value = argv.get(++i);
                }
                args.options.computeIfAbsent(valued.get(name), k -> new ArrayList<>()).add(value);
            } else if (flags.containsKey(name) && inline == null) {
                args.options.computeIfAbsent(flags.get(name), k -> new ArrayList<>()).add("");
            } else {
                throw new UsageException("unknown option " + name);
            }
        }
        return args;
    }

    /** Accepts the given names, each both as its own alias. */
    static Map<String, String> names(String... names) {
        Map<String, String> map = new HashMap<>();
        for (String n : names) {
            String[] aliases = n.split("\\|");
            for (String a : aliases) {
                map.put(a, aliases[aliases.length - 1]);
            }
        }
        return map;
    }

    boolean flag(String name) {
        return options.containsKey(name);
    }

    Optional<String> value(String name) {
        List<String> values = options.get(name);
        return values == null ? Optional.empty() : Optional.of(values.get(values.size() - 1));
    }

    List<String> values(String name) {
        return options.getOrDefault(name, List.of());
    }

    List<String> operands() {
        return operands;
    }

    /** The single operand a command needs, or a usage error naming it. */
    String operand(String what) throws UsageException {
        if (operands.isEmpty()) {
            throw new UsageException("missing " + what);
        }
        if (operands.size() > 1) {
            throw new UsageException("expected one " + what + ", got " + operands.size() + ": " + operands);
        }
        return operands.get(0);
    }

    int intValue(String name, int fallback, int min, int max) throws UsageException {
        Optional<String> v = value(name);
        if (v.isEmpty()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v.get());
            if (n < min || n > max) {
                throw new UsageException(name + " must be between " + min + " and " + max + ", not " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException(name + " needs a whole number, not '" + v.get() + "'");
        }
    }

    /** Byte counts such as 1048576, 500k, 2M, 1.5MiB, 1G (k, M, G are powers of 1024). */
    static long parseSize(String option, String text) throws UsageException {
        String t = text.trim();
        String lower = t.toLowerCase();
        long unit = 1;
        for (var suffix : List.of(Map.entry("kib", 1L << 10), Map.entry("mib", 1L << 20), Map.entry("gib", 1L << 30),
                Map.entry("kb", 1L << 10), Map.entry("mb", 1L << 20), Map.entry("gb", 1L << 30),
                Map.entry("k", 1L << 10), Map.entry("m", 1L << 20), Map.entry("g", 1L << 30),
                Map.entry("b", 1L))) {
            if (lower.endsWith(suffix.getKey())) {
                unit = suffix.getValue();
                t = t.substring(0, t.length() - suffix.getKey().length()).trim();
                break;
            }
        }
        try {
            double n = Double.parseDouble(t);
            if (!(n >= 0) || Double.isInfinite(n) || n * unit > Long.MAX_VALUE) {
                throw new NumberFormatException();
            }
            return Math.round(n * unit);
        } catch (NumberFormatException e) {
            throw new UsageException(option + " needs a size such as 500k, 2M or 1.5MiB, not '" + text + "'");
        }
    }

    static final Set<String> HELP = Set.of("-h", "--help");
}
