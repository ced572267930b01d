package org.neurogate.reports.render;

/**
 * The three anatomical planes as radiologists read them (radiological convention): the patient's left
 * on the right of the screen in axial and coronal images, anterior on the left in sagittal ones, and
 * superior at the top. Axes are unit vectors in DICOM patient coordinates (LPS).
 */
public enum DisplayPlane {
    /** Seen from the feet: columns run right to left, rows anterior to posterior; slices go up. */
    AXIAL(new double[] {1, 0, 0}, new double[] {0, 1, 0}, new double[] {0, 0, 1}, "R", "L", "A", "P"),
    /** Seen from the front: columns run right to left, rows superior to inferior; slices go back. */
    CORONAL(new double[] {1, 0, 0}, new double[] {0, 0, -1}, new double[] {0, 1, 0}, "R", "L", "S", "I"),
    /** Seen from the patient's left: columns run anterior to posterior, rows superior to inferior. */
    SAGITTAL(new double[] {0, 1, 0}, new double[] {0, 0, -1}, new double[] {1, 0, 0}, "A", "P", "S", "I");

    private final double[] column;
    private final double[] row;
    private final double[] normal;
    /** Orientation letters at the left, right, top and bottom edges. */
    public final String left;
    public final String right;
    public final String top;
    public final String bottom;

    DisplayPlane(double[] column, double[] row, double[] normal, String left, String right, String top, String bottom) {
        this.column = column;
        this.row = row;
        this.normal = normal;
        this.left = left;
        this.right = right;
        this.top = top;
        this.bottom = bottom;
    }

    /** Patient direction of increasing pixel column. */
    public double[] column() {
        return column.clone();
    }

    /** Patient direction of increasing pixel row (down the screen). */
    public double[] row() {
        return row.clone();
    }

    /** Patient direction of increasing slice index. */
    public double[] normal() {
        return normal.clone();
    }
}
