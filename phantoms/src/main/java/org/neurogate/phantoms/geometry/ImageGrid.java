package org.neurogate.phantoms.geometry;

/**
 * The voxel grid of one series in patient LPS coordinates, as DICOM describes it (PS3.3 C.7.6.2.1.1):
 * voxel (column i, row j, slice k) lies at {@code origin + i*columnSpacing*rowDirection
 * + j*rowSpacing*columnDirection + k*sliceSpacing*sliceDirection}.
 *
 * @param rowDirection    direction of increasing column index (first three values of ImageOrientationPatient)
 * @param columnDirection direction of increasing row index (last three values)
 * @param sliceDirection  direction slices are stacked in: the normal for generated grids, possibly its
 *                        opposite for a grid read from a left-handed NIfTI file
 * @param origin          centre of the first voxel of the first slice (ImagePositionPatient of slice 0)
 */
public record ImageGrid(int columns, int rows, int slices, double columnSpacing, double rowSpacing,
                        double sliceSpacing, double sliceThickness, Vec3 rowDirection, Vec3 columnDirection,
                        Vec3 sliceDirection, Vec3 origin) {

    public ImageGrid {
        if (columns < 1 || rows < 1 || slices < 1) {
            throw new IllegalArgumentException("grid needs positive dimensions: " + columns + "x" + rows + "x" + slices);
        }
        if (!(columnSpacing > 0 && rowSpacing > 0 && sliceSpacing > 0 && sliceThickness > 0)) {
            throw new IllegalArgumentException("spacings and thickness must be positive");
        }
        if (Math.abs(rowDirection.dot(columnDirection)) > 1e-9) {
            throw new IllegalArgumentException("row and column directions must be orthogonal");
        }
    }

    /**
     * A grid of {@code size} voxels centred on {@code centre}, oriented by {@code rowDirection} and
     * {@code columnDirection} (made unit), with slices along their cross product.
     */
    public static ImageGrid centred(int columns, int rows, int slices, double columnSpacing, double rowSpacing,
                                    double sliceSpacing, double sliceThickness, Vec3 rowDirection,
                                    Vec3 columnDirection, Vec3 centre) {
        Vec3 r = rowDirection.unit();
        Vec3 c = columnDirection.unit();
        Vec3 n = r.cross(c).unit();
        Vec3 origin = centre
                .minus(r.times((columns - 1) * columnSpacing / 2))
                .minus(c.times((rows - 1) * rowSpacing / 2))
                .minus(n.times((slices - 1) * sliceSpacing / 2));
        return new ImageGrid(columns, rows, slices, columnSpacing, rowSpacing, sliceSpacing, sliceThickness,
                r, c, n, origin);
    }

    public Vec3 voxelToPatient(double i, double j, double k) {
        return new Vec3(
                origin.x() + i * columnSpacing * rowDirection.x() + j * rowSpacing * columnDirection.x()
                        + k * sliceSpacing * sliceDirection.x(),
                origin.y() + i * columnSpacing * rowDirection.y() + j * rowSpacing * columnDirection.y()
                        + k * sliceSpacing * sliceDirection.y(),
                origin.z() + i * columnSpacing * rowDirection.z() + j * rowSpacing * columnDirection.z()
                        + k * sliceSpacing * sliceDirection.z());
    }

    /** ImagePositionPatient of slice {@code k}. */
    public Vec3 slicePosition(int k) {
        return voxelToPatient(0, 0, k);
    }

    public int voxelCount() {
        return columns * rows * slices;
    }

    public double voxelVolumeMm3() {
        return columnSpacing * rowSpacing * sliceSpacing;
    }
}
