package pyto.dht;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where pyto keeps state between runs by default: {@code $XDG_STATE_HOME/pyto}, else
 * {@code ~/.local/state/pyto} (the XDG base directory convention). The DHT keeps its node id
 * and good nodes there; other parts of pyto may keep theirs beside it.
 */
public final class StateDirectory {

    private StateDirectory() {
    }

    public static Path standard() {
        return standard(System.getenv(), System.getProperty("user.home"));
    }

    static Path standard(Map<String, String> environment, String home) {
        String xdg = environment.get("XDG_STATE_HOME");
        // the XDG spec ignores a relative path here
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
            return Path.of(xdg, "pyto");
        }
        return Path.of(home, ".local", "state", "pyto");
    }
}
