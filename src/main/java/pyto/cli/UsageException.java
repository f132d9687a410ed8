package pyto.cli;

/** A command line pyto cannot act on: an unknown command or option, a missing or bad value. Exit code 2. */
final class UsageException extends Exception {

    UsageException(String message) {
        super(message);
    }
}
