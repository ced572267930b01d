package org.neurogate.gateway.store;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The encoding walk on hand-built explicit and implicit VR little endian data sets. */
class EncodingCheckTest {

    private static final String EXPLICIT = "1.2.840.10008.1.2.1";
    private static final String IMPLICIT = "1.2.840.10008.1.2";

    @TempDir
    Path dir;

    private static final byte[] MODALITY = {0x08, 0, 0x60, 0, 'C', 'S', 2, 0, 'M', 'R'};
    private static final byte[] SQ_UNDEFINED = {0x08, 0, 0x40, 0x11, 'S', 'Q', 0, 0, -1, -1, -1, -1};
    private static final byte[] ITEM_UNDEFINED = {(byte) 0xFE, (byte) 0xFF, 0, (byte) 0xE0, -1, -1, -1, -1};
    private static final byte[] ITEM_END = {(byte) 0xFE, (byte) 0xFF, 0x0D, (byte) 0xE0, 0, 0, 0, 0};
    private static final byte[] SQ_END = {(byte) 0xFE, (byte) 0xFF, (byte) 0xDD, (byte) 0xE0, 0, 0, 0, 0};

    private EncodingCheck.PixelElement check(String ts, byte[]... parts) throws Exception {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.write(new byte[7]); // stands for the header the store writes first
        for (byte[] p : parts) {
            all.write(p);
        }
        Path file = Files.write(dir.resolve("ds"), all.toByteArray());
        return EncodingCheck.check(file, 7, ts);
    }

    @Test
    void reportsWhereTheTopLevelPixelDataIsSoTheParserCanStopThere() throws Exception {
        byte[] pixels = {(byte) 0xE0, 0x7F, 0x10, 0, 'O', 'W', 0, 0, 4, 0, 0, 0, 1, 2, 3, 4};
        byte[] padding = {(byte) 0xFC, (byte) 0xFF, (byte) 0xFC, (byte) 0xFF, 'O', 'B', 0, 0, 2, 0, 0, 0, 0, 0};
        EncodingCheck.PixelElement found = check(EXPLICIT, MODALITY, SQ_UNDEFINED, ITEM_UNDEFINED, MODALITY, ITEM_END,
                SQ_END, pixels, padding);
        assertEquals(new EncodingCheck.PixelElement(0x0010, 10 + 12 + 8 + 10 + 8 + 8, 4), found);
        // A pixel data tag inside a sequence item is not the image's.
        byte[] nested = {(byte) 0xE0, 0x7F, 0x10, 0, 'O', 'B', 0, 0, 2, 0, 0, 0, 9, 9};
        assertNull(check(EXPLICIT, SQ_UNDEFINED, ITEM_UNDEFINED, nested, ITEM_END, SQ_END, MODALITY));
        byte[] fragments = {(byte) 0xE0, 0x7F, 0x10, 0, 'O', 'B', 0, 0, -1, -1, -1, -1,
            (byte) 0xFE, (byte) 0xFF, 0, (byte) 0xE0, 0, 0, 0, 0, (byte) 0xFE, (byte) 0xFF, (byte) 0xDD, (byte) 0xE0, 0, 0, 0, 0};
        assertTrue(check(EXPLICIT, MODALITY, fragments).encapsulated());
    }

    @Test
    void wellFormedNestingPasses() {
        assertDoesNotThrow(() -> check(EXPLICIT, SQ_UNDEFINED, ITEM_UNDEFINED, MODALITY, ITEM_END, SQ_END, MODALITY));
        // A defined-length sequence with one defined-length item holding Modality (10 bytes).
        byte[] sq = {0x08, 0, 0x40, 0x11, 'S', 'Q', 0, 0, 18, 0, 0, 0};
        byte[] item = {(byte) 0xFE, (byte) 0xFF, 0, (byte) 0xE0, 10, 0, 0, 0};
        assertDoesNotThrow(() -> check(EXPLICIT, sq, item, MODALITY, MODALITY));
        byte[] implicitModality = {0x08, 0, 0x60, 0, 2, 0, 0, 0, 'M', 'R'};
        byte[] implicitSq = {0x08, 0, 0x40, 0x11, -1, -1, -1, -1};
        assertDoesNotThrow(() -> check(IMPLICIT, implicitSq, ITEM_UNDEFINED, implicitModality, ITEM_END, SQ_END));
    }

    @Test
    void nestingIsBoundedWithoutRecursion() {
        byte[][] parts = new byte[4 * (EncodingCheck.MAX_NESTING + 1)][];
        int n = 0;
        for (int i = 0; i <= EncodingCheck.MAX_NESTING; i++) {
            parts[n++] = SQ_UNDEFINED;
            parts[n++] = ITEM_UNDEFINED;
        }
        for (int i = 0; i <= EncodingCheck.MAX_NESTING; i++) {
            parts[n++] = ITEM_END;
            parts[n++] = SQ_END;
        }
        EncodingCheck.Broken broken = assertThrows(EncodingCheck.Broken.class, () -> check(EXPLICIT, parts));
        assertTrue(broken.getMessage().contains("nested deeper than 64"), broken.getMessage());
    }

    @Test
    void strayDelimitersBadVrsAndOverrunsAreRefused() {
        assertThrows(EncodingCheck.Broken.class, () -> check(EXPLICIT, MODALITY, SQ_END));
        assertThrows(EncodingCheck.Broken.class, () -> check(EXPLICIT, ITEM_UNDEFINED));
        assertThrows(EncodingCheck.Broken.class, () -> check(EXPLICIT, new byte[] {0x08, 0, 0x60, 0, 'c', 's', 2, 0, 'M', 'R'}));
        assertThrows(EncodingCheck.Broken.class, () -> check(EXPLICIT, SQ_UNDEFINED, MODALITY, SQ_END),
                "an element in a sequence outside an item");
        assertThrows(EncodingCheck.Broken.class, () -> check(EXPLICIT, SQ_UNDEFINED, ITEM_UNDEFINED, MODALITY),
                "ends inside a sequence");
        byte[] tooLong = {0x08, 0, 0x60, 0, 'C', 'S', 40, 0, 'M', 'R'};
        assertThrows(EncodingCheck.Broken.class, () -> check(EXPLICIT, tooLong), "value past the end of the data set");
        byte[] sq = {0x08, 0, 0x40, 0x11, 'S', 'Q', 0, 0, 12, 0, 0, 0};
        byte[] item = {(byte) 0xFE, (byte) 0xFF, 0, (byte) 0xE0, 10, 0, 0, 0};
        assertThrows(EncodingCheck.Broken.class, () -> check(EXPLICIT, sq, item, MODALITY), "item overruns its sequence");
    }
}
