package org.neurogate.inference.tissue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.neurogate.inference.volume.PhantomVolumes;
import org.neurogate.phantoms.PhantomRenderer;
import org.neurogate.phantoms.RenderedSeries;
import org.neurogate.phantoms.SeriesRole;
import org.neurogate.phantoms.anatomy.HeadAnatomy;
import org.neurogate.phantoms.anatomy.Subject;
import org.neurogate.phantoms.anatomy.Tissue;
import org.neurogate.phantoms.geometry.ImageGrid;
import org.neurogate.phantoms.geometry.Vec3;

/**
 * Known answers: a phantom T1 at 1 mm, rendered from tissue fractions with a bias field and Rician
 * noise; the grey-matter fraction found must match the phantom's own within 0.1 (mean absolute
 * error) over the voxels that hold grey matter.
 */
class PartialVolumeTissueTest {

    private static final Tissue[] GREY_KINDS = {Tissue.GREY_MATTER, Tissue.DEEP_GREY_MATTER, Tissue.HIPPOCAMPUS_LEFT,
        Tissue.HIPPOCAMPUS_RIGHT};

    @Test
    void phantomGreyMatterFractionsAreRecoveredWithinATenth() {
        Subject subject = new Subject(31, 45, Subject.Sex.F, Subject.Diagnosis.CN, 4, -3, 6, new Vec3(2, -3, 1), 0, 0, 0);
        HeadAnatomy anatomy = new HeadAnatomy(subject);
        ImageGrid grid = ImageGrid.centred(168, 200, 172, 1, 1, 1, 1, new Vec3(1, 0, 0), new Vec3(0, 1, 0),
                new Vec3(0, 0, 0));
        RenderedSeries t1 = new PhantomRenderer(anatomy, 40).render(SeriesRole.T1, grid);
        int n = grid.voxelCount();
        Set<Tissue> greyKinds = Set.of(GREY_KINDS);
        double[][] truth = PhantomVolumes.fractions(anatomy, grid, List.of(greyKinds::contains, Tissue::intracranial));
        float[] intensity = new float[n];
        float[] trueGrey = new float[n];
        boolean[] brain = new boolean[n];
        for (int at = 0; at < n; at++) {
            trueGrey[at] = (float) truth[0][at];
            brain[at] = truth[1][at] >= 0.5;
            intensity[at] = t1.frames()[at];
        }
        PartialVolumeTissue.Result r = new PartialVolumeTissue(PartialVolumeTissue.Settings.DEFAULT)
                .segment(intensity, new int[] {grid.columns(), grid.rows(), grid.slices()}, new double[] {1, 1, 1}, brain);
        double error = 0;
        long voxels = 0;
        double foundMl = 0;
        double trueMl = 0;
        for (int i = 0; i < n; i++) {
            if (brain[i]) {
                foundMl += r.grey()[i] / 1000.0;
                trueMl += trueGrey[i] / 1000.0;
            }
            if (brain[i] && trueGrey[i] > 0) {
                error += Math.abs(r.grey()[i] - trueGrey[i]);
                voxels++;
            }
        }
        double mae = error / voxels;
        System.out.printf("phantom GM fraction: MAE %.3f over %d voxels holding grey matter; GM %.0f mL found, %.0f mL true;"
                + " class means %.0f / %.0f / %.0f%n", mae, voxels, foundMl, trueMl, r.means()[0], r.means()[1], r.means()[2]);
        assertTrue(mae <= 0.1, "MAE " + mae);
        assertEquals(trueMl, foundMl, 0.1 * trueMl, "grey-matter volume");
    }

    @Test
    void aMaskThatDoesNotFitTheImageIsRefused() {
        PartialVolumeTissue tissue = new PartialVolumeTissue(PartialVolumeTissue.Settings.DEFAULT);
        assertThrows(IllegalArgumentException.class,
                () -> tissue.segment(new float[8], new int[] {2, 2, 2}, new double[] {1, 1, 1}, new boolean[7]));
        assertThrows(IllegalArgumentException.class,
                () -> tissue.segment(new float[8], new int[] {2, 2, 2}, new double[] {1, 1, 1}, new boolean[8]));
    }

    @Test
    void settingsOutsideTheirRangeAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new PartialVolumeTissue.Settings(-0.1, 0.3, 8, 20));
        assertThrows(IllegalArgumentException.class, () -> new PartialVolumeTissue.Settings(0.3, 0.3, 0, 20));
        assertThrows(IllegalArgumentException.class, () -> new PartialVolumeTissue.Settings(0.3, 0.3, 8, -1));
    }
}
