package org.neurogate.inference.brainage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * The projection recipe on small volumes whose projections are known by hand: where each voxel column
 * lands after the transpose and flips, the statistics, the median's slice window and the mode padding.
 */
class ProjectionRecipeTest {

    // 4 (right to left) × 3 (posterior to anterior) × 5 (inferior to superior); images padded to 6 × 6.
    private static final int[] DIMS = {4, 3, 5};
    private static final ProjectionRecipe RECIPE = new ProjectionRecipe(6, 1, 4);

    private static int index(int i, int j, int k) {
        return i + DIMS[0] * (j + DIMS[1] * k);
    }

    private static float at(float[] image, int channel, int row, int column) {
        return image[channel * 36 + row * 6 + column];
    }

    @Test
    void axialImagesHaveAnteriorAtTheTopAndTheSubjectsLeftOnTheLeft() {
        float[] z = new float[60];
        float[] gm = new float[60];
        java.util.Arrays.fill(z, 2f);
        // One column through the left (i = 3), anterior (j = 2) corner: z = 2, 2, 8, 2, 2 up the slices.
        z[index(3, 2, 2)] = 8f;
        for (int k = 0; k < 5; k++) {
            gm[index(3, 2, k)] = k; // 0, 1, 2, 3, 4
        }
        float[] image = RECIPE.project(z, gm, DIMS, ProjectionRecipe.Direction.AXI);
        // The image is 3 rows (anterior first) by 4 columns (left first), centred: top 1, left 1.
        int row = 1; // anterior, top row of the content
        int column = 1; // the subject's left, leftmost column of the content
        assertEquals(3.2f, at(image, 0, row, column), 1e-6, "mean(z) = (2+2+8+2+2)/5");
        assertEquals(2.4f, at(image, 1, row, column), 1e-6, "population SD of z");
        assertEquals(2f, at(image, 2, row, column), 1e-6, "mean(gm)");
        assertEquals((float) Math.sqrt(2), at(image, 3, row, column), 1e-6, "population SD of gm");
        assertEquals(8f, at(image, 4, row, column), 1e-6, "max(z)");
        assertEquals(2f, at(image, 5, row, column), 1e-6, "median of gm over slices 1 to 3: 1, 2, 3");
        // Any other column is background: z 2 throughout, gm 0.
        assertEquals(2f, at(image, 0, 3, 4), 1e-6);
        assertEquals(0f, at(image, 1, 3, 4), 1e-6);
        // Padding takes each channel's mode: 2 for mean(z), 0 for SD(z), 8 never.
        assertEquals(2f, at(image, 0, 0, 0), 1e-6);
        assertEquals(2f, at(image, 4, 5, 5), 1e-6);
        assertEquals(0f, at(image, 1, 0, 5), 1e-6);
    }

    @Test
    void sagittalImagesHaveSuperiorAtTheTopAndTheNoseOnTheLeft() {
        float[] z = new float[60];
        float[] gm = new float[60];
        // A voxel at the top (k = 4), front (j = 2): in every sagittal column i, so max(z) there is 5.
        z[index(1, 2, 4)] = 5f;
        float[] image = RECIPE.project(z, gm, DIMS, ProjectionRecipe.Direction.SAG);
        // 5 rows (superior first) by 3 columns (anterior first), centred: top 0, left 1.
        assertEquals(5f, at(image, 4, 0, 1), 1e-6, "superior-anterior corner, top left of the content");
        assertEquals(1.25f, at(image, 0, 0, 1), 1e-6, "mean over the 4 voxels along right-left");
        assertEquals(0f, at(image, 4, 4, 3), 1e-6, "inferior-posterior corner is empty");
    }

    @Test
    void theModeOfTiedValuesIsTheSmallest() {
        assertEquals(1f, ProjectionRecipe.mode(new float[] {3, 1, 3, 1, 2}));
        assertEquals(3f, ProjectionRecipe.mode(new float[] {3, 1, 3, 2}));
    }
}
