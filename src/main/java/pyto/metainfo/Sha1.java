package pyto.metainfo;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-1, the hash of BEP 3's info hash and piece hashes. Every JDK must provide it. */
final class Sha1 {

    private Sha1() {
    }

    static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK has no SHA-1, which every JDK must have", e);
        }
    }

    static byte[] of(byte[] bytes) {
        return newDigest().digest(bytes);
    }
}
