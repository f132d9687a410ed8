package pyto.daemon;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where the daemon keeps its state when {@code --state} does not say: {@code $XDG_STATE_HOME/pyto},
 * else {@code ~/.local/state/pyto} (the XDG base directory specification's place for state that
 * should survive restarts but is not worth backing up). The DHT's routing table uses the same
 * default; one place says it for both, in time.
 */
public final class StateDir {

    private StateDir() {
    }

    public static Path defaultDir() {
        return defaultDir(System.getenv(), System.getProperty("user.home"));
    }

    static Path defaultDir(Map<String, String> env, String home) {
        String xdg = env.get("XDG_STATE_HOME");
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) { // the spec: relative ones are ignored
            return Path.of(xdg, "pyto");
        }
        return Path.of(home, ".local", "state", "pyto");
    }
}
