package org.neurogate.inference.analysis;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.neurogate.inference.dicom.SeriesAttributes;
import org.neurogate.inference.dicom.SeriesVolume;
import org.neurogate.inference.volume.Volume;

/** Which of two series in one role is analysed. */
class SeriesChoiceTest {

    private static SeriesVolume.Analysable series(double voxelMm, boolean normalised) {
        SeriesAttributes attributes = new SeriesAttributes("1.2.3", "T1 MPRAGE", "MR", List.of("ORIGINAL", "PRIMARY", "M"),
                "GR\\IR", "", "3D", 2300.0, 3.0, 900.0, "1.2.840.10008.5.1.4.1.1.4.1", "1.2.840.10008.1.2.1", normalised);
        Volume volume = new Volume(new float[8], 2, 2, 2, new double[] {voxelMm, voxelMm, voxelMm},
                new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, new double[3]);
        return new SeriesVolume.Analysable(attributes, null, volume, 1);
    }

    @Test
    void finerVoxelsWinWhateverTheShading() {
        assertTrue(StudyInput.preferable(series(1.0, false), series(2.0, true)));
        assertFalse(StudyInput.preferable(series(2.0, true), series(1.0, false)));
    }

    @Test
    void atTheSameResolutionTheScannerNormalisedSeriesWins() {
        assertTrue(StudyInput.preferable(series(2.0, true), series(2.0, false)));
        assertFalse(StudyInput.preferable(series(2.0, false), series(2.0, true)));
        // Voxels within 20 % of each other's volume count as the same resolution.
        assertTrue(StudyInput.preferable(series(1.05, true), series(1.0, false)));
    }

    @Test
    void otherwiseTheFirstFoundStays() {
        assertFalse(StudyInput.preferable(series(1.0, false), series(1.0, false)));
        assertFalse(StudyInput.preferable(series(1.0, true), series(1.0, true)));
    }
}
