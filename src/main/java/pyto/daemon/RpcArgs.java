package pyto.daemon;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code arguments} object of a remote-control request, read with the type each argument
 * must have: a wrong type is an {@link RpcException} that names the argument. Immutable; the
 * connection's thread.
 */
final class RpcArgs {

    private final Json.Obj args;

    RpcArgs(Json.Obj args) {
        this.args = args;
    }

    boolean has(String name) {
        return args.has(name);
    }

    Set<String> names() {
        return args.members().keySet();
    }

    Optional<Json> raw(String name) {
        return args.get(name);
    }

    Optional<String> string(String name) throws RpcException {
        Optional<Json> v = args.get(name);
        if (v.isEmpty()) {
            return Optional.empty();
        }
        if (v.get() instanceof Json.Str s) {
            return Optional.of(s.value());
        }
        throw new RpcException("argument '" + name + "' must be a string");
    }

    /** Booleans; Transmission's clients also send 0 and 1 for them. */
    Optional<Boolean> bool(String name) throws RpcException {
        Optional<Json> v = args.get(name);
        if (v.isEmpty()) {
            return Optional.empty();
        }
        if (v.get() instanceof Json.Bool b) {
            return Optional.of(b.value());
        }
        if (v.get() instanceof Json.Num n && (n.value().signum() == 0 || n.value().compareTo(BigDecimal.ONE) == 0)) {
            return Optional.of(n.value().signum() != 0);
        }
        throw new RpcException("argument '" + name + "' must be true or false");
    }

    /** A whole number from {@code min} to {@code max}. */
    Optional<Long> number(String name, long min, long max) throws RpcException {
        Optional<Json> v = args.get(name);
        if (v.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(wholeNumber(v.get(), "argument '" + name + "'", min, max));
    }

    /** A number, fractions allowed, from {@code min} to {@code max}. */
    Optional<Double> decimal(String name, double min, double max) throws RpcException {
        Optional<Json> v = args.get(name);
        if (v.isEmpty()) {
            return Optional.empty();
        }
        if (v.get() instanceof Json.Num n && n.value().doubleValue() >= min && n.value().doubleValue() <= max) {
            return Optional.of(n.value().doubleValue());
        }
        throw new RpcException("argument '" + name + "' must be a number from " + min + " to " + max);
    }

    /** An array of whole numbers (file indices, say). */
    Optional<List<Long>> numbers(String name) throws RpcException {
        Optional<Json> v = args.get(name);
        if (v.isEmpty()) {
            return Optional.empty();
        }
        if (!(v.get() instanceof Json.Arr a)) {
            throw new RpcException("argument '" + name + "' must be an array of numbers");
        }
        List<Long> out = new ArrayList<>();
        for (Json item : a.items()) {
            out.add(wholeNumber(item, "argument '" + name + "'", 0, Integer.MAX_VALUE));
        }
        return Optional.of(out);
    }

    static long wholeNumber(Json v, String what, long min, long max) throws RpcException {
        if (v instanceof Json.Num n) {
            try {
                long value = n.value().longValueExact();
                if (value >= min && value <= max) {
                    return value;
                }
            } catch (ArithmeticException notWhole) {
                // below
            }
        }
        throw new RpcException(what + " must be a whole number from " + min + " to " + max);
    }
}
