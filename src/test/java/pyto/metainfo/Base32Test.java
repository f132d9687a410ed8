package pyto.metainfo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class Base32Test {

    @Test
    void decodesRfc4648TestVectorsWithoutPadding() {
        // RFC 4648 section 10, padding left off as magnet links leave it off.
        assertThat(text(Base32.decode("MY"))).isEqualTo("f");
        assertThat(text(Base32.decode("MZXQ"))).isEqualTo("fo");
        assertThat(text(Base32.decode("MZXW6YTBOI"))).isEqualTo("foobar");
        assertThat(text(Base32.decode(""))).isEmpty();
    }

    @Test
    void readsUpperAndLowerCase() {
        byte[] hash = HexFormat.of().parseHex("c12fe1c06bba254a9dc9f519b335aa7c1367a88a");
        assertThat(Base32.decode("YEX6DQDLXISUVHOJ6UM3GNNKPQJWPKEK")).isEqualTo(hash);
        assertThat(Base32.decode("yex6dqdlxisuvhoj6um3gnnkpqjwpkek")).isEqualTo(hash);
    }

    @Test
    void encodesAndDecodesBackEveryLength() {
        for (int n = 0; n <= 21; n++) {
            byte[] bytes = new byte[n];
            for (int i = 0; i < n; i++) {
                bytes[i] = (byte) (i * 37 + n);
            }
            assertThat(Base32.decode(Base32.encode(bytes))).as("%d bytes", n).isEqualTo(bytes);
        }
        assertThat(Base32.encode("foobar".getBytes(StandardCharsets.US_ASCII))).isEqualTo("MZXW6YTBOI");
    }

    @Test
    void refusesCharactersOutsideTheAlphabet() {
        assertThatThrownBy(() -> Base32.decode("MZX1")).hasMessage("'1' at position 4 is not a base32 character (A-Z, 2-7)");
        assertThatThrownBy(() -> Base32.decode("MZ=Q")).hasMessageContaining("'='");
        // U+0131 (dotless i) upper-cases to 'I', which must not make it base32.
        assertThatThrownBy(() -> Base32.decode("MZ\u0131Q")).hasMessageContaining("position 3");
    }

    @Test
    void refusesLeftoverBitsThatAreNotZero() {
        assertThatThrownBy(() -> Base32.decode("MZ")).hasMessageContaining("non-zero bits");
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.US_ASCII);
    }
}
