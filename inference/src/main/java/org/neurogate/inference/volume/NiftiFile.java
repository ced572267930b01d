package org.neurogate.inference.volume;

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

/**
 * NIfTI-1 files for label maps and masks handed to research tools (ITK-SNAP, FSL, 3D Slicer), and
 * read back for evaluation. NIfTI world space is RAS; DICOM patient space is LPS: x and y flip.
 * The sform (and an identical qform-free header) carries the full affine, so oblique grids survive.
 */
public final class NiftiFile {

    private static final int HEADER_SIZE = 348;
    private static final short DT_UINT8 = 2;
    private static final short DT_INT16 = 4;
    private static final short DT_INT32 = 8;
    private static final short DT_FLOAT32 = 16;
    private static final short DT_FLOAT64 = 64;
    private static final short DT_UINT16 = 512;

    private NiftiFile() {
    }

    /**
     * Writes {@code volume}; {@code labels} stores 16-bit integers (label maps), otherwise 32-bit floats.
     * A name ending in .gz is gzip-compressed.
     */
    public static void write(Volume volume, Path file, boolean labels) throws IOException {
        int n = volume.size();
        int bytesPerVoxel = labels ? 2 : 4;
        ByteBuffer b = ByteBuffer.allocate(352 + n * bytesPerVoxel).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, HEADER_SIZE);
        b.putShort(40, (short) 3);
        b.putShort(42, (short) volume.nx());
        b.putShort(44, (short) volume.ny());
        b.putShort(46, (short) volume.nz());
        b.putShort(48, (short) 1);
        b.putShort(50, (short) 1);
        b.putShort(52, (short) 1);
        b.putShort(70, labels ? DT_INT16 : DT_FLOAT32);
        b.putShort(72, (short) (8 * bytesPerVoxel));
        b.putFloat(76, 1);
        double[] s = volume.spacing();
        b.putFloat(80, (float) s[0]);
        b.putFloat(84, (float) s[1]);
        b.putFloat(88, (float) s[2]);
        b.putFloat(108, 352);
        b.putFloat(112, 1);
        b.put(123, (byte) 2); // xyzt_units: mm
        b.putShort(254, (short) 1); // sform_code: scanner anatomical
        double[] d = volume.direction();
        double[] o = volume.origin();
        double[] flip = {-1, -1, 1};
        for (int row = 0; row < 3; row++) {
            for (int col = 0; col < 3; col++) {
                b.putFloat(280 + row * 16 + col * 4, (float) (flip[row] * d[row * 3 + col] * s[col]));
            }
            b.putFloat(280 + row * 16 + 12, (float) (flip[row] * o[row]));
        }
        byte[] magic = {'n', '+', '1', 0};
        for (int i = 0; i < 4; i++) {
            b.put(344 + i, magic[i]);
        }
        float[] v = volume.voxels();
        for (int i = 0; i < n; i++) {
            if (labels) {
                b.putShort(352 + 2 * i, (short) Math.round(v[i]));
            } else {
                b.putFloat(352 + 4 * i, v[i]);
            }
        }
        try (OutputStream out = open(file)) {
            out.write(b.array());
        }
    }

    /** Reads a scalar volume (sform, else qform) into LPS patient space; scl_slope/inter are applied. */
    public static Volume read(Path file) throws IOException {
        byte[] bytes;
        try (InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(Files.newInputStream(file), 65536)
                : Files.newInputStream(file)) {
            bytes = in.readAllBytes();
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (b.getInt(0) != HEADER_SIZE) {
            b.order(ByteOrder.BIG_ENDIAN);
            if (b.getInt(0) != HEADER_SIZE) {
                throw new IOException(file + " is not a NIfTI-1 file");
            }
        }
        int nx = b.getShort(42);
        int ny = b.getShort(44);
        int nz = Math.max(1, (int) b.getShort(46));
        short type = b.getShort(70);
        int offset = (int) b.getFloat(108);
        float slope = b.getFloat(112);
        float intercept = b.getFloat(116);
        float[] voxels = new float[nx * ny * nz];
        for (int i = 0; i < voxels.length; i++) {
            double value = switch (type) {
                case DT_UINT8 -> b.get(offset + i) & 0xff;
                case DT_INT16 -> b.getShort(offset + 2 * i);
                case DT_UINT16 -> b.getShort(offset + 2 * i) & 0xffff;
                case DT_INT32 -> b.getInt(offset + 4 * i);
                case DT_FLOAT32 -> b.getFloat(offset + 4 * i);
                case DT_FLOAT64 -> b.getDouble(offset + 8 * i);
                default -> throw new IOException(file + ": NIfTI datatype " + type + " is not supported");
            };
            voxels[i] = (float) (slope != 0 && Float.isFinite(slope) ? value * slope + intercept : value);
        }
        double[][] ras = affine(b, file);
        double[] spacing = new double[3];
        double[] direction = new double[9];
        double[] flip = {-1, -1, 1};
        for (int col = 0; col < 3; col++) {
            spacing[col] = Math.sqrt(ras[0][col] * ras[0][col] + ras[1][col] * ras[1][col] + ras[2][col] * ras[2][col]);
            for (int row = 0; row < 3; row++) {
                direction[row * 3 + col] = flip[row] * ras[row][col] / spacing[col];
            }
        }
        double[] origin = {-ras[0][3], -ras[1][3], ras[2][3]};
        return new Volume(voxels, nx, ny, nz, spacing, direction, origin);
    }

    private static double[][] affine(ByteBuffer b, Path file) throws IOException {
        if (b.getShort(254) > 0) {
            double[][] m = new double[3][4];
            for (int row = 0; row < 3; row++) {
                for (int col = 0; col < 4; col++) {
                    m[row][col] = b.getFloat(280 + row * 16 + col * 4);
                }
            }
            return m;
        }
        if (b.getShort(252) > 0) {
            double qb = b.getFloat(256);
            double qc = b.getFloat(260);
            double qd = b.getFloat(264);
            double qa = Math.sqrt(Math.max(0, 1 - (qb * qb + qc * qc + qd * qd)));
            double qfac = b.getFloat(76) < 0 ? -1 : 1;
            double[] d = {b.getFloat(80), b.getFloat(84), b.getFloat(88) * qfac};
            double[][] r = {
                {qa * qa + qb * qb - qc * qc - qd * qd, 2 * (qb * qc - qa * qd), 2 * (qb * qd + qa * qc)},
                {2 * (qb * qc + qa * qd), qa * qa + qc * qc - qb * qb - qd * qd, 2 * (qc * qd - qa * qb)},
                {2 * (qb * qd - qa * qc), 2 * (qc * qd + qa * qb), qa * qa + qd * qd - qc * qc - qb * qb}};
            double[][] m = new double[3][4];
            for (int row = 0; row < 3; row++) {
                for (int col = 0; col < 3; col++) {
                    m[row][col] = r[row][col] * d[col];
                }
                m[row][3] = b.getFloat(268 + 4 * row);
            }
            return m;
        }
        throw new IOException(file + " has neither an sform nor a qform: its orientation is unknown");
    }

    private static OutputStream open(Path file) throws IOException {
        OutputStream raw = new BufferedOutputStream(Files.newOutputStream(file), 65536);
        return file.toString().endsWith(".gz") ? new GZIPOutputStream(raw, 65536) : raw;
    }
}
