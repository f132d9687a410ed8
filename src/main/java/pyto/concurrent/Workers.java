package pyto.concurrent;

import java.io.IOException;

/**
 * Runs a fixed number of workers side by side and waits for them all: a fork and join on a
 * {@link Scope} for CPU and disk work split into parts, such as hashing every piece of a
 * torrent on every core.
 *
 * <p>The first worker to fail cancels the others and its exception is rethrown to the caller;
 * an interrupt of the caller stops them all. Either way, no worker outlives the call.
 */
public final class Workers {

    private Workers() {
    }

    /** One part of the work; {@code index} runs from 0 to count - 1. */
    @FunctionalInterface
    public interface Worker {
        void run(int index) throws Exception;
    }

    /** Runs {@code worker} once for every index below {@code count}, each on its own virtual thread. */
    public static void run(String name, int count, Worker worker) throws IOException, InterruptedException {
        try (Scope scope = new Scope(name)) {
            for (int i = 0; i < count; i++) {
                int index = i;
                try {
                    scope.fork(name + "-" + index, () -> worker.run(index));
                } catch (IllegalStateException cancelled) {
                    break; // an earlier worker failed already; its failure is reported below
                }
            }
            scope.join();
            Throwable failure = scope.failure().orElse(null);
            switch (failure) {
                case null -> { }
                case IOException e -> throw e;
                case InterruptedException e -> throw e;
                case RuntimeException e -> throw e;
                case Error e -> throw e;
                default -> throw new IOException(name + " failed: " + failure, failure);
            }
        }
    }

    /** How many workers to use for {@code parts} parts of work: one per processor, at most one per part. */
    public static int forParts(long parts) {
        return (int) Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), parts));
    }
}
