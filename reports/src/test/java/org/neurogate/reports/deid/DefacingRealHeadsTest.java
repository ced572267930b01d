package org.neurogate.reports.deid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.neurogate.inference.volume.NiftiFile;
import org.neurogate.inference.volume.Volume;

/**
 * Defacing on six real heads (IXI T1s with FreeSurfer's brain mask, in ../shared/data): the plane cuts
 * off the face (what it removes lies ahead of and below the brain) and not one voxel of the brain.
 */
class DefacingRealHeadsTest {

    private static final Path DATA = Path.of(System.getProperty("ng.shared.dir", "../../shared"), "data",
            "nifti-ixi-t1-freesurfer-with-age");

    @Test
    void theFaceGoesAndTheBrainStays() throws Exception {
        assumeTrue(Files.isDirectory(DATA), "../shared/data is absent; skipping");
        List<Path> heads;
        try (Stream<Path> s = Files.list(DATA)) {
            heads = s.filter(p -> p.getFileName().toString().endsWith("-T1_head.nii.gz")).sorted().toList();
        }
        assertEquals(6, heads.size());
        for (Path headFile : heads) {
            Volume head = NiftiFile.read(headFile);
            Volume brain = NiftiFile.read(Path.of(headFile.toString().replace("_head.nii.gz", "_brain.nii.gz")));
            Defacer.FacePlane plane = Defacer.plane(brain, 4);
            long brainVoxels = 0;
            long brainCut = 0;
            long signal = 0;
            long cut = 0;
            double[] brainCentre = new double[3];
            double[] cutCentre = new double[3];
            for (int k = 0; k < head.nz(); k++) {
                for (int j = 0; j < head.ny(); j++) {
                    for (int i = 0; i < head.nx(); i++) {
                        double[] p = head.voxelToPatient(i, j, k);
                        boolean face = plane.isFace(p[0], p[1], p[2]);
                        if (brain.get(i, j, k) > 0) {
                            brainVoxels++;
                            brainCut += face ? 1 : 0;
                            add(brainCentre, p);
                        }
                        if (head.get(i, j, k) > 20) {
                            signal++;
                            if (face) {
                                cut++;
                                add(cutCentre, p);
                            }
                        }
                    }
                }
            }
            // LPS: anterior is -y, superior is +z.
            double ahead = brainCentre[1] / brainVoxels - cutCentre[1] / cut;
            double below = brainCentre[2] / brainVoxels - cutCentre[2] / cut;
            System.out.printf(Locale.ROOT, "Defacing %s: %.1f %% of the head's voxels with signal removed, %.0f mm ahead of"
                            + " and %.0f mm below the brain's centre; %d of %d brain voxels removed%n",
                    headFile.getFileName().toString().replace("-T1_head.nii.gz", ""), 100.0 * cut / signal, ahead, below,
                    brainCut, brainVoxels);
            assertEquals(0, brainCut, "brain voxels beyond the plane");
            assertTrue(cut > 0.03 * signal, "the face is removed: " + cut + " of " + signal);
            assertTrue(ahead > 30 && below > 20, "what is removed lies ahead of and below the brain: " + ahead + ", " + below);
        }
    }

    private static void add(double[] sum, double[] p) {
        for (int i = 0; i < 3; i++) {
            sum[i] += p[i];
        }
    }
}
