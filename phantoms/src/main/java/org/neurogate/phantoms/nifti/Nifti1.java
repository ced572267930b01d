package org.neurogate.phantoms.nifti;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.neurogate.phantoms.geometry.ImageGrid;
import org.neurogate.phantoms.geometry.Vec3;

/**
 * NIfTI-1 single-file volumes (.nii or .nii.gz), as the NIfTI-1 header specification defines them.
 * Voxel (i, j, k) of a NIfTI file and voxel (column i, row j, slice k) of a DICOM series are the same
 * voxel: NIfTI's world space is RAS, DICOM's patient space LPS, so the affine flips x and y.
 */
public final class Nifti1 {

    private static final int HEADER_SIZE = 348;
    private static final int VOX_OFFSET = 352;
    private static final short DT_UINT8 = 2;
    private static final short DT_INT16 = 4;
    private static final short DT_INT32 = 8;
    private static final short DT_FLOAT32 = 16;
    private static final short DT_FLOAT64 = 64;
    private static final short DT_UINT16 = 512;

    /** A volume read from a NIfTI file: float voxels in file order, on a DICOM-style LPS grid. */
    public record Volume(ImageGrid grid, float[] voxels) {
    }

    private Nifti1() {
    }

    /** Writes an 8-bit label volume with the grid's geometry in both qform and sform (code 1, scanner). */
    public static void writeLabels(Path file, ImageGrid grid, byte[] labels) throws IOException {
        if (labels.length != grid.voxelCount()) {
            throw new IllegalArgumentException("labels has " + labels.length + " voxels, grid " + grid.voxelCount());
        }
        ByteBuffer header = ByteBuffer.allocate(VOX_OFFSET).order(ByteOrder.LITTLE_ENDIAN);
        header.putInt(0, HEADER_SIZE);
        short[] dim = {3, (short) grid.columns(), (short) grid.rows(), (short) grid.slices(), 1, 1, 1, 1};
        for (int i = 0; i < 8; i++) {
            header.putShort(40 + 2 * i, dim[i]);
        }
        header.putShort(70, DT_UINT8);
        header.putShort(72, (short) 8);
        double[][] affine = rasAffine(grid);
        double[] quaternion = quaternion(grid);
        float[] pixdim = {(float) quaternion[3], (float) grid.columnSpacing(), (float) grid.rowSpacing(),
            (float) grid.sliceSpacing(), 0, 0, 0, 0};
        for (int i = 0; i < 8; i++) {
            header.putFloat(76 + 4 * i, pixdim[i]);
        }
        header.putFloat(108, VOX_OFFSET);
        header.putFloat(112, 0); // scl_slope 0: values are stored as they are
        header.put(123, (byte) 2); // xyzt_units: millimetres
        header.putShort(252, (short) 1); // qform_code: scanner anatomical
        header.putShort(254, (short) 1); // sform_code
        header.putFloat(256, (float) quaternion[0]);
        header.putFloat(260, (float) quaternion[1]);
        header.putFloat(264, (float) quaternion[2]);
        header.putFloat(268, (float) affine[0][3]);
        header.putFloat(272, (float) affine[1][3]);
        header.putFloat(276, (float) affine[2][3]);
        for (int row = 0; row < 3; row++) {
            for (int col = 0; col < 4; col++) {
                header.putFloat(280 + row * 16 + col * 4, (float) affine[row][col]);
            }
        }
        header.put(344, (byte) 'n').put(345, (byte) '+').put(346, (byte) '1').put(347, (byte) 0);
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (OutputStream out = open(file)) {
            out.write(header.array());
            out.write(labels);
        }
    }

    /** Reads a scalar volume of any common data type; scl_slope/inter are applied. */
    public static Volume read(Path file) throws IOException {
        byte[] bytes;
        try (InputStream in = new BufferedInputStream(file.toString().endsWith(".gz")
                ? new GZIPInputStream(Files.newInputStream(file), 65536) : Files.newInputStream(file))) {
            bytes = in.readAllBytes();
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (b.getInt(0) != HEADER_SIZE) {
            b.order(ByteOrder.BIG_ENDIAN);
            if (b.getInt(0) != HEADER_SIZE) {
                throw new IOException(file + " is not a NIfTI-1 file (sizeof_hdr is not 348)");
            }
        }
        int nx = b.getShort(42);
        int ny = b.getShort(44);
        int nz = Math.max(1, (int) b.getShort(46));
        short datatype = b.getShort(70);
        int offset = (int) b.getFloat(108);
        float slope = b.getFloat(112);
        float intercept = b.getFloat(116);
        int n = nx * ny * nz;
        float[] voxels = new float[n];
        for (int v = 0; v < n; v++) {
            double value = switch (datatype) {
                case DT_UINT8 -> b.get(offset + v) & 0xff;
                case DT_INT16 -> b.getShort(offset + 2 * v);
                case DT_UINT16 -> b.getShort(offset + 2 * v) & 0xffff;
                case DT_INT32 -> b.getInt(offset + 4 * v);
                case DT_FLOAT32 -> b.getFloat(offset + 4 * v);
                case DT_FLOAT64 -> b.getDouble(offset + 8 * v);
                default -> throw new IOException(file + ": unsupported NIfTI datatype " + datatype);
            };
            voxels[v] = (float) (slope != 0 && Float.isFinite(slope) ? value * slope + intercept : value);
        }
        double[][] ras = affineOf(b, file);
        return lpsVolume(ras, nx, ny, nz, voxels);
    }

    /** The RAS voxel-to-world affine of a DICOM-style grid. */
    static double[][] rasAffine(ImageGrid g) {
        Vec3 i = g.rowDirection().times(g.columnSpacing());
        Vec3 j = g.columnDirection().times(g.rowSpacing());
        Vec3 k = g.sliceDirection().times(g.sliceSpacing());
        Vec3 o = g.origin();
        return new double[][] {
            {-i.x(), -j.x(), -k.x(), -o.x()},
            {-i.y(), -j.y(), -k.y(), -o.y()},
            {i.z(), j.z(), k.z(), o.z()}};
    }

    /** quatern_b, c, d and qfac of the grid's rotation (NIfTI-1 header, "METHOD 2"). */
    static double[] quaternion(ImageGrid g) {
        Vec3 i = g.rowDirection();
        Vec3 j = g.columnDirection();
        Vec3 k = g.sliceDirection();
        // Rotation columns in RAS.
        double r11 = -i.x(), r12 = -j.x(), r13 = -k.x();
        double r21 = -i.y(), r22 = -j.y(), r23 = -k.y();
        double r31 = i.z(), r32 = j.z(), r33 = k.z();
        double det = r11 * (r22 * r33 - r23 * r32) - r12 * (r21 * r33 - r23 * r31) + r13 * (r21 * r32 - r22 * r31);
        double qfac = 1;
        if (det < 0) {
            qfac = -1;
            r13 = -r13;
            r23 = -r23;
            r33 = -r33;
        }
        double a = 1 + r11 + r22 + r33;
        double qb;
        double qc;
        double qd;
        if (a > 0.5) {
            a = 0.5 * Math.sqrt(a);
            qb = 0.25 * (r32 - r23) / a;
            qc = 0.25 * (r13 - r31) / a;
            qd = 0.25 * (r21 - r12) / a;
        } else {
            double xd = 1 + r11 - (r22 + r33);
            double yd = 1 + r22 - (r11 + r33);
            double zd = 1 + r33 - (r11 + r22);
            if (xd > 1) {
                qb = 0.5 * Math.sqrt(xd);
                qc = 0.25 * (r12 + r21) / qb;
                qd = 0.25 * (r13 + r31) / qb;
                a = 0.25 * (r32 - r23) / qb;
            } else if (yd > 1) {
                qc = 0.5 * Math.sqrt(yd);
                qb = 0.25 * (r12 + r21) / qc;
                qd = 0.25 * (r23 + r32) / qc;
                a = 0.25 * (r13 - r31) / qc;
            } else {
                qd = 0.5 * Math.sqrt(zd);
                qb = 0.25 * (r13 + r31) / qd;
                qc = 0.25 * (r23 + r32) / qd;
                a = 0.25 * (r21 - r12) / qd;
            }
            if (a < 0) {
                qb = -qb;
                qc = -qc;
                qd = -qd;
            }
        }
        return new double[] {qb, qc, qd, qfac};
    }

    private static double[][] affineOf(ByteBuffer b, Path file) throws IOException {
        short qformCode = b.getShort(252);
        short sformCode = b.getShort(254);
        if (sformCode > 0) {
            double[][] m = new double[3][4];
            for (int row = 0; row < 3; row++) {
                for (int col = 0; col < 4; col++) {
                    m[row][col] = b.getFloat(280 + row * 16 + col * 4);
                }
            }
            return m;
        }
        double dx = b.getFloat(80);
        double dy = b.getFloat(84);
        double dz = b.getFloat(88);
        if (qformCode > 0) {
            double qb = b.getFloat(256);
            double qc = b.getFloat(260);
            double qd = b.getFloat(264);
            double qa = Math.sqrt(Math.max(0, 1 - (qb * qb + qc * qc + qd * qd)));
            double qfac = b.getFloat(76) < 0 ? -1 : 1;
            double[][] r = {
                {qa * qa + qb * qb - qc * qc - qd * qd, 2 * (qb * qc - qa * qd), 2 * (qb * qd + qa * qc)},
                {2 * (qb * qc + qa * qd), qa * qa + qc * qc - qb * qb - qd * qd, 2 * (qc * qd - qa * qb)},
                {2 * (qb * qd - qa * qc), 2 * (qc * qd + qa * qb), qa * qa + qd * qd - qc * qc - qb * qb}};
            return new double[][] {
                {r[0][0] * dx, r[0][1] * dy, r[0][2] * dz * qfac, b.getFloat(268)},
                {r[1][0] * dx, r[1][1] * dy, r[1][2] * dz * qfac, b.getFloat(272)},
                {r[2][0] * dx, r[2][1] * dy, r[2][2] * dz * qfac, b.getFloat(276)}};
        }
        throw new IOException(file + " has neither an sform nor a qform: its orientation is unknown");
    }

    /**
     * The volume on an LPS grid in the file's own voxel order. The third axis may point against
     * row x column (a left-handed index order such as LIA); DICOM positions every slice explicitly, so
     * the grid keeps that direction rather than reordering voxels.
     */
    private static Volume lpsVolume(double[][] ras, int nx, int ny, int nz, float[] voxels) {
        Vec3 ci = new Vec3(-ras[0][0], -ras[1][0], ras[2][0]);
        Vec3 cj = new Vec3(-ras[0][1], -ras[1][1], ras[2][1]);
        Vec3 ck = new Vec3(-ras[0][2], -ras[1][2], ras[2][2]);
        Vec3 origin = new Vec3(-ras[0][3], -ras[1][3], ras[2][3]);
        Vec3 row = ci.unit();
        Vec3 column = orthogonalised(cj, row);
        double sliceSpacing = ck.norm();
        ImageGrid grid = new ImageGrid(nx, ny, nz, ci.norm(), cj.norm(), sliceSpacing, sliceSpacing, row, column,
                ck.unit(), origin);
        return new Volume(grid, voxels);
    }

    private static Vec3 orthogonalised(Vec3 column, Vec3 row) {
        return column.minus(row.times(column.dot(row))).unit();
    }

    private static OutputStream open(Path file) throws IOException {
        OutputStream raw = new BufferedOutputStream(Files.newOutputStream(file), 65536);
        if (!file.toString().endsWith(".gz")) {
            return raw;
        }
        // A fixed gzip header (no file name or time stamp) keeps the bytes the same for the same seed.
        return new GZIPOutputStream(raw, 65536);
    }

}
