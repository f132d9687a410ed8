package pyto.daemon;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A JSON value (RFC 8259), as the remote-control protocol (Transmission's RPC) exchanges
 * them: one record per kind, so that code which takes a value apart does it with an
 * exhaustive {@code switch}. Read by {@link JsonReader}, written by {@link JsonWriter}; the
 * JDK has neither, and a library would be pyto's first dependency at run time.
 *
 * <p>Immutable; any thread. Objects keep their members in the order they were put.
 */
public sealed interface Json {

    /** {@code {"name": value, ...}}; no name twice. */
    record Obj(Map<String, Json> members) implements Json {
        public Obj {
            members = Collections.unmodifiableMap(new LinkedHashMap<>(members));
        }

        public Optional<Json> get(String name) {
            return Optional.ofNullable(members.get(name));
        }

        public boolean has(String name) {
            return members.containsKey(name);
        }
    }

    /** {@code [value, ...]}. */
    record Arr(List<Json> items) implements Json {
        public Arr {
            items = List.copyOf(items);
        }
    }

    record Str(String value) implements Json {
    }

    /** A number, exactly as written: ids and byte counts are whole, ratios are not. */
    record Num(BigDecimal value) implements Json {
    }

    record Bool(boolean value) implements Json {
    }

    record Null() implements Json {
    }

    Null NULL = new Null();

    static Str of(String s) {
        return new Str(s);
    }

    static Num of(long n) {
        return new Num(BigDecimal.valueOf(n));
    }

    /** A finite number; JSON has no NaN or infinity (the protocol uses -1 and -2 for those). */
    static Num of(double d) {
        if (!Double.isFinite(d)) {
            throw new IllegalArgumentException("JSON has no " + d);
        }
        return new Num(BigDecimal.valueOf(d));
    }

    static Bool of(boolean b) {
        return new Bool(b);
    }

    static Arr array(List<? extends Json> items) {
        return new Arr(new ArrayList<>(items));
    }

    static ObjBuilder object() {
        return new ObjBuilder();
    }

    /** Builds an {@link Obj} member by member: {@code Json.object().put("id", 1).put("name", n).build()}. */
    final class ObjBuilder {
        private final Map<String, Json> members = new LinkedHashMap<>();

        public ObjBuilder put(String name, Json value) {
            members.put(name, value);
            return this;
        }

        public ObjBuilder put(String name, String value) {
            return put(name, Json.of(value));
        }

        public ObjBuilder put(String name, long value) {
            return put(name, Json.of(value));
        }

        public ObjBuilder put(String name, double value) {
            return put(name, Json.of(value));
        }

        public ObjBuilder put(String name, boolean value) {
            return put(name, Json.of(value));
        }

        public Obj build() {
            return new Obj(members);
        }
    }
}
