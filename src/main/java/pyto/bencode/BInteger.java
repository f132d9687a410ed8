package pyto.bencode;

/** A bencoded integer: {@code i42e}. Torrent sizes exceed 4 GiB, so it holds a long. */
public record BInteger(long value) implements BValue {

    @Override
    public String toString() {
        return Long.toString(value);
    }
}
