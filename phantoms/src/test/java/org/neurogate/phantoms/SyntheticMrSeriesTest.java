package org.neurogate.phantoms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.SOPClass;
import com.pixelmed.dicom.TagFromName;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticMrSeriesTest {

    @Test
    void sameSeedGivesSameBytesAndOtherSeedOtherUids(@TempDir Path dir) throws Exception {
        List<Path> a = SyntheticMrSeries.write(new SyntheticMrSeries.Spec(7, 0, 3, 32, 1.0), dir.resolve("a"));
        List<Path> b = SyntheticMrSeries.write(new SyntheticMrSeries.Spec(7, 0, 3, 32, 1.0), dir.resolve("b"));
        List<Path> c = SyntheticMrSeries.write(new SyntheticMrSeries.Spec(8, 0, 3, 32, 1.0), dir.resolve("c"));
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(Files.readAllBytes(a.get(i)), Files.readAllBytes(b.get(i)));
        }
        assertNotEquals(sopInstanceUid(a.get(0)), sopInstanceUid(c.get(0)));
    }

    @Test
    void slicesAreMrImagesStackedAlongZWithValidUids(@TempDir Path dir) throws Exception {
        List<Path> files = SyntheticMrSeries.write(new SyntheticMrSeries.Spec(1, 2, 4, 16, 2.0), dir);
        assertEquals(4, files.size());
        AttributeList first = read(files.get(0));
        AttributeList second = read(files.get(1));
        assertEquals(SOPClass.MRImageStorage, Attribute.getSingleStringValueOrNull(first, TagFromName.SOPClassUID));
        double[] p0 = Attribute.getDoubleValues(first, TagFromName.ImagePositionPatient);
        double[] p1 = Attribute.getDoubleValues(second, TagFromName.ImagePositionPatient);
        assertEquals(2.0, p1[2] - p0[2], 1e-9, "slice spacing along the normal");
        assertEquals(-15.0, p0[0], 1e-9, "voxel centres symmetric about the isocentre: -(16 - 1) / 2 * 2 mm");
        assertTrue(sopInstanceUid(files.get(0)).matches("2\\.25\\.[1-9][0-9]*"));
        assertEquals(16 * 16 * 2, first.get(TagFromName.PixelData).getByteValues(false).length);
    }

    @Test
    void rejectsNonsenseSpecs() {
        assertThrows(IllegalArgumentException.class, () -> new SyntheticMrSeries.Spec(1, 0, 0, 16, 1));
        assertThrows(IllegalArgumentException.class, () -> new SyntheticMrSeries.Spec(1, 0, 1, 4, 1));
        assertThrows(IllegalArgumentException.class, () -> new SyntheticMrSeries.Spec(1, 0, 1, 16, 0));
    }

    private static String sopInstanceUid(Path file) throws Exception {
        return Attribute.getSingleStringValueOrNull(read(file), TagFromName.SOPInstanceUID);
    }

    private static AttributeList read(Path file) throws Exception {
        AttributeList list = new AttributeList();
        list.read(file.toFile());
        return list;
    }
}
