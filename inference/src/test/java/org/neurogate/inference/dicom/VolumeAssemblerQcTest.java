package org.neurogate.inference.dicom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.neurogate.inference.volume.Volume;

/** Each geometry check, on frames built to fail it; the message carries the offending numbers. */
class VolumeAssemblerQcTest {

    private static final double[] AXIAL = {1, 0, 0, 0, 1, 0};
    private static final SeriesAttributes MR = new SeriesAttributes("1.2.3", "test", "MR", List.of("ORIGINAL"), "GR",
            "", "3D", 8.0, 3.0, null, "1.2.840.10008.5.1.4.1.1.4", "1.2.840.10008.1.2.1", false);
    private final VolumeAssembler assembler = new VolumeAssembler(VolumeAssembler.Tolerances.defaults());

    @Test
    void shuffledSlicesAreSortedAlongTheNormal() {
        List<DicomFrame> frames = stack(8, 2.5, AXIAL);
        Collections.shuffle(frames, new java.util.Random(3));
        Volume v = analysable(frames).volume();
        assertEquals(8, v.nz());
        assertEquals(2.5, v.spacing()[2], 1e-9);
        for (int k = 0; k < 8; k++) {
            assertEquals(k * 2.5, v.voxelToPatient(0, 0, k)[2], 1e-9);
            assertEquals(k, v.get(0, 0, k), 0, "slice " + k + " carries its own pixels");
        }
    }

    @Test
    void aMissingSliceIsNamedWithItsGap() {
        List<DicomFrame> frames = stack(10, 3, AXIAL);
        frames.remove(4);
        QcFailure failure = failure(frames);
        assertEquals(QcFailure.Reason.MISSING_SLICES, failure.reason());
        assertTrue(failure.detail().contains("6.000 mm"), failure.detail());
    }

    @Test
    void unevenSpacingIsNamed() {
        List<DicomFrame> frames = stack(10, 3, AXIAL);
        frames.set(5, frame(new double[] {0, 0, 5 * 3 + 0.8}, AXIAL, 5));
        QcFailure failure = failure(frames);
        assertEquals(QcFailure.Reason.NON_UNIFORM_SLICE_SPACING, failure.reason());
        assertTrue(failure.detail().contains("3.800") || failure.detail().contains("2.200"), failure.detail());
    }

    @Test
    void mixedOrientationsAreNamed() {
        List<DicomFrame> frames = stack(10, 3, AXIAL);
        double c = Math.cos(Math.toRadians(5));
        double s = Math.sin(Math.toRadians(5));
        frames.set(7, frame(new double[] {0, 0, 21}, new double[] {c, s, 0, -s, c, 0}, 7));
        assertEquals(QcFailure.Reason.MIXED_ORIENTATIONS, failure(frames).reason());
    }

    @Test
    void aLocalizerHasTooFewSlices() {
        QcFailure failure = failure(stack(3, 5, AXIAL));
        assertEquals(QcFailure.Reason.TOO_FEW_SLICES, failure.reason());
        assertTrue(failure.describe().startsWith("not analysable: too few slices"));
    }

    @Test
    void obliqueStacksKeepTheirGeometry() {
        double c = Math.cos(Math.toRadians(20));
        double s = Math.sin(Math.toRadians(20));
        double[] oblique = {1, 0, 0, 0, c, -s};
        double[] normal = {0, s, c};
        List<DicomFrame> frames = new ArrayList<>();
        for (int k = 0; k < 6; k++) {
            frames.add(frame(new double[] {-10, 4 + k * 2 * normal[1], 7 + k * 2 * normal[2]}, oblique, k));
        }
        Volume v = analysable(frames).volume();
        assertEquals(2, v.spacing()[2], 1e-9);
        assertEquals(normal[1], v.axis(2)[1], 1e-9);
        assertEquals(normal[2], v.axis(2)[2], 1e-9);
    }

    private SeriesVolume.Analysable analysable(List<DicomFrame> frames) {
        return assertInstanceOf(SeriesVolume.Analysable.class, assembler.assemble(MR, frames).get(0));
    }

    private QcFailure failure(List<DicomFrame> frames) {
        return assertInstanceOf(SeriesVolume.NotAnalysable.class, assembler.assemble(MR, frames).get(0)).failure();
    }

    private static List<DicomFrame> stack(int slices, double spacing, double[] orientation) {
        List<DicomFrame> frames = new ArrayList<>();
        for (int k = 0; k < slices; k++) {
            frames.add(frame(new double[] {0, 0, k * spacing}, orientation, k));
        }
        return frames;
    }

    private static DicomFrame frame(double[] position, double[] orientation, float value) {
        float[] pixels = new float[4 * 4];
        java.util.Arrays.fill(pixels, value);
        return new DicomFrame(position, orientation, 1, 1, 4, 4, pixels, null);
    }
}
