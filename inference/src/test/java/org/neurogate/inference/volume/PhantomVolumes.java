package org.neurogate.inference.volume;

import java.util.List;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import org.neurogate.phantoms.anatomy.HeadAnatomy;
import org.neurogate.phantoms.anatomy.Tissue;
import org.neurogate.phantoms.anatomy.TissueSample;
import org.neurogate.phantoms.geometry.ImageGrid;
import org.neurogate.phantoms.geometry.Vec3;

/** Phantom geometry and ground truth as the inference module's volumes: the bridge tests share. */
public final class PhantomVolumes {

    private PhantomVolumes() {
    }

    /** Voxels on a phantom grid as a {@link Volume} of the same geometry. */
    public static Volume of(ImageGrid g, float[] voxels) {
        double[] direction = {g.rowDirection().x(), g.columnDirection().x(), g.sliceDirection().x(),
            g.rowDirection().y(), g.columnDirection().y(), g.sliceDirection().y(),
            g.rowDirection().z(), g.columnDirection().z(), g.sliceDirection().z()};
        return new Volume(voxels, g.columns(), g.rows(), g.slices(),
                new double[] {g.columnSpacing(), g.rowSpacing(), g.sliceSpacing()}, direction, g.origin().toArray());
    }

    /**
     * The anatomy's true tissue fractions at each voxel centre of the grid, summed per group: one map
     * per group, each voxel the summed fraction of the tissues the group accepts. The anatomy is sampled
     * once for all groups.
     */
    public static double[][] fractions(HeadAnatomy anatomy, ImageGrid grid, List<Predicate<Tissue>> groups) {
        double[][] maps = new double[groups.size()][grid.voxelCount()];
        IntStream.range(0, grid.slices()).parallel().forEach(k -> {
            TissueSample sample = new TissueSample();
            for (int j = 0; j < grid.rows(); j++) {
                for (int i = 0; i < grid.columns(); i++) {
                    int at = (k * grid.rows() + j) * grid.columns() + i;
                    Vec3 p = grid.voxelToPatient(i, j, k);
                    anatomy.sample(p.x(), p.y(), p.z(), 1, sample);
                    for (int g = 0; g < maps.length; g++) {
                        double sum = 0;
                        for (Tissue t : Tissue.ALL) {
                            sum += groups.get(g).test(t) ? sample.fraction[t.ordinal()] : 0;
                        }
                        maps[g][at] = sum;
                    }
                }
            }
        });
        return maps;
    }
}
