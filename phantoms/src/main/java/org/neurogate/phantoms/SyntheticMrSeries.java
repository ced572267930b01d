package org.neurogate.phantoms;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.neurogate.phantoms.dicom.MrImageWriter;
import org.neurogate.phantoms.dicom.SeriesProtocol;
import org.neurogate.phantoms.dicom.StudyIdentity;
import org.neurogate.phantoms.geometry.ImageGrid;
import org.neurogate.phantoms.geometry.Vec3;

/**
 * A quick axial MR series of a smooth ellipsoidal head, for load and protocol tests where anatomy does
 * not matter (the ingest benchmark pushes thousands of these). UIDs come from the seed, so the same
 * seed gives the same bytes. Anatomical phantoms with ground truth are {@link PhantomStudy}.
 */
public final class SyntheticMrSeries {

    /**
     * What to write.
     *
     * @param seed        drives every UID; the same seed gives the same files
     * @param seriesIndex distinguishes series of one study (same seed, same study)
     * @param slices      number of single-frame instances
     * @param matrix      rows = columns
     * @param spacingMm   in-plane pixel spacing and slice spacing (isotropic)
     */
    public record Spec(long seed, int seriesIndex, int slices, int matrix, double spacingMm) {
        public Spec {
            if (slices < 1) {
                throw new IllegalArgumentException("slices must be >= 1, was " + slices);
            }
            if (matrix < 8 || matrix > 1024) {
                throw new IllegalArgumentException("matrix must be 8..1024, was " + matrix);
            }
            if (!(spacingMm > 0)) {
                throw new IllegalArgumentException("spacingMm must be > 0, was " + spacingMm);
            }
        }
    }

    private SyntheticMrSeries() {
    }

    /** Writes the series into {@code dir}; returns the files in slice order. */
    public static List<Path> write(Spec spec, Path dir) throws IOException {
        ImageGrid grid = ImageGrid.centred(spec.matrix(), spec.matrix(), spec.slices(), spec.spacingMm(),
                spec.spacingMm(), spec.spacingMm(), spec.spacingMm(), new Vec3(1, 0, 0), new Vec3(0, 1, 0), Vec3.ZERO);
        short[] frames = new short[grid.voxelCount()];
        int perSlice = spec.matrix() * spec.matrix();
        for (int k = 0; k < spec.slices(); k++) {
            ellipsoidSlice(spec, grid, k, frames, k * perSlice);
        }
        RenderedSeries series = new RenderedSeries(SeriesRole.T1, grid, frames, new byte[0], new byte[0], new int[0]);
        long seed = spec.seed();
        StudyIdentity identity = new StudyIdentity("Phantom^Synthetic" + seed, "PH" + seed, "19700101", "O", "056Y",
                uid(seed, "study"), "20260101", "120000", "", uid(seed, "for"));
        SeriesProtocol protocol = new SeriesProtocol(uid(seed, "series-" + spec.seriesIndex()), spec.seriesIndex() + 1,
                "Synthetic axial T1", "ORIGINAL\\PRIMARY\\OTHER", "GR", "SP", "3D", 8.2, 3.7, null, 10, "synth3d");
        return MrImageWriter.write(series, identity, protocol, label -> uid(seed, label + "-" + spec.seriesIndex()),
                AcquisitionOptions.EXPLICIT_LITTLE_ENDIAN, dir);
    }

    /** A UID under the 2.25 root (PS3.5 B.2) from a name-based UUID of the seed and a label. */
    public static String uid(long seed, String label) {
        UUID uuid = UUID.nameUUIDFromBytes((seed + "/" + label).getBytes(StandardCharsets.UTF_8));
        ByteBuffer bytes = ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits())
                .putLong(uuid.getLeastSignificantBits());
        return "2.25." + new BigInteger(1, bytes.array());
    }

    /** A smooth head-like ellipsoid: bright rim, darker centre, zero outside. */
    private static void ellipsoidSlice(Spec spec, ImageGrid grid, int k, short[] out, int offset) {
        int n = spec.matrix();
        double a = n * spec.spacingMm() * 0.36;
        double b = n * spec.spacingMm() * 0.44;
        double c = Math.max(spec.slices() * spec.spacingMm() * 0.45, spec.spacingMm());
        for (int row = 0; row < n; row++) {
            for (int col = 0; col < n; col++) {
                Vec3 p = grid.voxelToPatient(col, row, k);
                double r = Math.sqrt(p.x() * p.x() / (a * a) + p.y() * p.y() / (b * b) + p.z() * p.z() / (c * c));
                double edge = 1 / (1 + Math.exp((r - 1) * 40));
                out[offset + row * n + col] = (short) Math.min(4095, Math.round(edge * (1400 + 900 * r * r)));
            }
        }
    }

    /** {@code SyntheticMrSeries --out DIR [--series N] [--slices M] [--matrix K] [--seed S]} */
    public static void main(String[] args) throws IOException {
        Path out = null;
        int series = 1;
        int slices = 200;
        int matrix = 256;
        long seed = 1;
        for (int i = 0; i < args.length; i += 2) {
            if (i + 1 >= args.length) {
                usage(args[i] + " needs a value");
            }
            String value = args[i + 1];
            switch (args[i]) {
                case "--out" -> out = Path.of(value);
                case "--series" -> series = Integer.parseInt(value);
                case "--slices" -> slices = Integer.parseInt(value);
                case "--matrix" -> matrix = Integer.parseInt(value);
                case "--seed" -> seed = Long.parseLong(value);
                default -> usage("unknown option " + args[i]);
            }
        }
        if (out == null) {
            usage("--out is required");
        }
        int files = 0;
        for (int s = 0; s < series; s++) {
            files += write(new Spec(seed, s, slices, matrix, 1.0), out.resolve("series-" + (s + 1))).size();
        }
        System.out.println("Wrote " + files + " MR instances in " + series + " series to " + out);
    }

    private static void usage(String problem) {
        System.err.println(problem);
        System.err.println("usage: SyntheticMrSeries --out DIR [--series N] [--slices M] [--matrix K] [--seed S]");
        System.exit(2);
    }
}
