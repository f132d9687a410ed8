package pyto.daemon;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The remote control's password when {@code --rpc-password} gives none: made at the first
 * start, 144 random bits, in {@code STATE/rpc-password}, created with mode 0600 (readable by
 * its owner only, from the first byte: never written and then restricted). {@code pyto remote}
 * reads it from there. The user name is always {@value #USER}.
 */
public final class RpcPassword {

    public static final String USER = "pyto";
    static final String FILE = "rpc-password";

    private RpcPassword() {
    }

    public static Path file(Path stateDir) {
        return stateDir.resolve(FILE);
    }

    /** The password in the state directory, made first if there is none. */
    static String loadOrCreate(Path stateDir) throws IOException {
        Path file = file(stateDir);
        if (!Files.exists(file)) {
            byte[] random = new byte[18];
            new SecureRandom().nextBytes(random);
            String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(file, password + "\n");
            } catch (FileAlreadyExistsException raced) {
                // another start made it first: read theirs
            } catch (UnsupportedOperationException notPosix) {
                Files.writeString(file, password + "\n");
            }
        }
        return read(file);
    }

    /** The password in {@code file}: its first line. */
    public static String read(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        String password = text.lines().findFirst().orElse("").strip();
        if (password.isEmpty()) {
            throw new IOException(file + " holds no password");
        }
        return password;
    }
}
