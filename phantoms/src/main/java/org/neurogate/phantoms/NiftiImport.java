package org.neurogate.phantoms;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.neurogate.phantoms.anatomy.Subject;
import org.neurogate.phantoms.dicom.EnhancedMrWriter;
import org.neurogate.phantoms.dicom.MrImageWriter;
import org.neurogate.phantoms.dicom.SeriesProtocol;
import org.neurogate.phantoms.dicom.StudyIdentity;
import org.neurogate.phantoms.geometry.ImageGrid;
import org.neurogate.phantoms.nifti.Nifti1;

/**
 * Real anatomy in, DICOM out: writes a NIfTI volume as an MR series with the volume's own geometry,
 * and optionally DWI and ADC series in which a lesion mask is an acute infarct. The same seed gives the
 * same study, so several volumes (say an ISLES DWI and ADC) can be written into one study by calls
 * with different roles.
 */
public final class NiftiImport {

    private static final double LESION_ADC = 500;
    private static final double BRAIN_ADC = 800;
    private static final int B_VALUE = 1000;

    private NiftiImport() {
    }

    /**
     * @param bValue the DWI volume's b-value in s/mm^2; null to read {@code DiffusionBValue} from its BIDS
     *               sidecar (the same name with .json); a DWI with neither is refused, as its contrast
     *               depends on it (ISLES sites use b=800 and b=1000)
     */
    public static Map<String, Object> write(Path volumeFile, SeriesRole role, Path lesionMaskFile, Subject subject,
                                            AcquisitionOptions acquisition, Integer bValue, Path out) throws IOException {
        return write(volumeFile, role, lesionMaskFile, subject, acquisition, bValue, DiffusionContrast.FLAT, out);
    }

    /** @param contrast how a lesion mask's DWI and ADC are drawn */
    public static Map<String, Object> write(Path volumeFile, SeriesRole role, Path lesionMaskFile, Subject subject,
                                            AcquisitionOptions acquisition, Integer bValue, DiffusionContrast contrast,
                                            Path out) throws IOException {
        int[] bValues = role == SeriesRole.DWI ? new int[] {bValue != null ? bValue : sidecarBValue(volumeFile)} : new int[0];
        Nifti1.Volume volume = Nifti1.read(volumeFile);
        ImageGrid grid = volume.grid();
        StudyIdentity identity = PhantomStudy.identity(subject);
        Map<String, Object> truth = new LinkedHashMap<>();
        truth.put("seed", subject.seed());
        truth.put("source", volumeFile.getFileName().toString());
        truth.put("study_instance_uid", identity.studyInstanceUid());
        truth.put("age_years", subject.ageYears());
        truth.put("sex", subject.sex().name());
        RenderedSeries imported = new RenderedSeries(role, grid, stored(volume.voxels(), role), new byte[grid.voxelCount()],
                new byte[grid.voxelCount()], bValues);
        List<Map<String, Object>> series = new java.util.ArrayList<>();
        series.add(writeSeries(imported, identity, subject.seed(), acquisition, out, role.ordinal() + 1));
        if (lesionMaskFile != null) {
            Nifti1.Volume mask = Nifti1.read(lesionMaskFile);
            if (!sameGrid(mask.grid(), grid)) {
                throw new IllegalArgumentException("lesion mask " + lesionMaskFile + " is not on the grid of " + volumeFile);
            }
            byte[] lesion = new byte[grid.voxelCount()];
            long lesionVoxels = 0;
            for (int v = 0; v < lesion.length; v++) {
                if (mask.voxels()[v] > 0.5f) {
                    lesion[v] = 1;
                    lesionVoxels++;
                }
            }
            RenderedSeries[] diffusion = contrast.graded()
                    ? GradedDiffusion.render(volume, lesion, subject.seed(), acquisition.snr(), contrast)
                    : diffusion(volume, lesion, subject.seed(), acquisition.snr());
            series.add(writeSeries(diffusion[0], identity, subject.seed(), acquisition, out, 3));
            series.add(writeSeries(diffusion[1], identity, subject.seed(), acquisition, out, 4));
            double ml = lesionVoxels * grid.voxelVolumeMm3() / 1000;
            truth.put("lesion_volume_ml", round(ml));
            truth.put("lesion_core_volume_ml", round(contrast.graded()
                    ? GradedDiffusion.coreVoxels(diffusion[1]) * grid.voxelVolumeMm3() / 1000 : ml));
            truth.put("diffusion_contrast", contrast.graded() ? "graded" : "flat");
            Nifti1.writeLabels(out.resolve("truth").resolve("lesion_mask_dwi.nii.gz"), grid, lesion);
        }
        truth.put("series", series);
        Files.createDirectories(out);
        Path truthFile = out.resolve("truth.json");
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        if (Files.exists(truthFile)) {
            // A second role written into the same study adds its series to the existing truth.
            @SuppressWarnings("unchecked")
            Map<String, Object> previous = json.readValue(truthFile.toFile(), Map.class);
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> previousSeries = (List<Map<String, Object>>) previous.getOrDefault("series", List.of());
            List<Map<String, Object>> merged = new java.util.ArrayList<>(previousSeries);
            merged.removeIf(s -> series.stream().anyMatch(n -> n.get("role").equals(s.get("role"))));
            merged.addAll(series);
            previous.putAll(truth);
            previous.put("series", merged);
            truth = previous;
        }
        json.writeValue(truthFile.toFile(), truth);
        return truth;
    }

    /** {@code DiffusionBValue} from the BIDS sidecar beside a DWI NIfTI file. */
    static int sidecarBValue(Path volumeFile) throws IOException {
        String name = volumeFile.getFileName().toString().replaceFirst("\\.nii(\\.gz)?$", "");
        Path sidecar = volumeFile.resolveSibling(name + ".json");
        if (!Files.isRegularFile(sidecar)) {
            throw new IllegalArgumentException("no b-value for the DWI " + volumeFile.getFileName()
                    + ": give --b-value, or put its BIDS sidecar " + sidecar.getFileName() + " beside it");
        }
        return sidecarBValueOf(sidecar);
    }

    /** {@code DiffusionBValue} of a BIDS sidecar. */
    public static int sidecarBValueOf(Path sidecar) throws IOException {
        com.fasterxml.jackson.databind.JsonNode b = new ObjectMapper().readTree(sidecar.toFile()).get("DiffusionBValue");
        if (b == null || !b.isNumber() || b.asDouble() <= 0) {
            throw new IllegalArgumentException(sidecar.getFileName() + " has no positive DiffusionBValue");
        }
        return (int) Math.round(b.asDouble());
    }

    /** Stored 12-bit values: ADC as is in 10^-6 mm^2/s (converted from mm^2/s if needed), others scaled into range. */
    static short[] stored(float[] voxels, SeriesRole role) {
        float max = 0;
        for (float v : voxels) {
            max = Math.max(max, v);
        }
        double scale;
        if (role == SeriesRole.ADC) {
            // ADC maps come in mm^2/s (white matter 0.0007), 10^-3 mm^2/s (0.7) or 10^-6 mm^2/s (700).
            scale = max < 0.1 ? 1e6 : max < 10 ? 1e3 : 1;
        } else {
            scale = max > 4095 || max < 100 ? 4000 / Math.max(max, 1e-6) : 1;
        }
        short[] out = new short[voxels.length];
        for (int v = 0; v < voxels.length; v++) {
            long value = Math.round(voxels[v] * scale);
            out[v] = (short) Math.max(0, Math.min(4095, value));
        }
        return out;
    }

    /** DWI (b=0, b=1000) and ADC on the T1 grid: brain tissue at normal ADC, the mask at infarct ADC. */
    private static RenderedSeries[] diffusion(Nifti1.Volume t1, byte[] lesion, long seed, double snr) {
        float brainThreshold = brainLevel(t1.voxels());
        int n = lesion.length;
        short[] dwi = new short[2 * n];
        short[] adc = new short[n];
        SplittableRandom noise = new SplittableRandom(seed ^ 0xD1FFL);
        double sigma = 700 / snr;
        for (int v = 0; v < n; v++) {
            boolean brain = t1.voxels()[v] > brainThreshold || lesion[v] != 0;
            double trueAdc = lesion[v] != 0 ? LESION_ADC : brain ? BRAIN_ADC : 0;
            double b0 = lesion[v] != 0 ? 900 : brain ? 700 : 0;
            double b1000 = b0 * Math.exp(-B_VALUE * trueAdc * 1e-6);
            dwi[v] = clip(b0 + sigma * noise.nextGaussian(0, 1));
            dwi[n + v] = clip(b1000 + sigma * noise.nextGaussian(0, 1));
            adc[v] = clip(trueAdc == 0 ? 0 : trueAdc + 20 * noise.nextGaussian(0, 1));
        }
        byte[] none = new byte[n];
        return new RenderedSeries[] {
            new RenderedSeries(SeriesRole.DWI, t1.grid(), dwi, none, lesion, new int[] {0, B_VALUE}),
            new RenderedSeries(SeriesRole.ADC, t1.grid(), adc, none, lesion, new int[0])};
    }

    private static Map<String, Object> writeSeries(RenderedSeries series, StudyIdentity identity, long seed,
                                                   AcquisitionOptions acquisition, Path out, int number)
            throws IOException {
        SeriesProtocol protocol = PhantomStudy.protocol(seed, identity.studyDate(), series.role(), number,
                AcquisitionOptions.Plane.AXIAL, series.bValues());
        Path dir = out.resolve("dicom").resolve(String.format(Locale.ROOT, "%02d_%s", number, series.role().fileName));
        java.util.function.Function<String, String> uids = PhantomStudy.uids(seed, identity.studyDate());
        List<Path> files = acquisition.enhanced()
                ? EnhancedMrWriter.write(series, identity, protocol, uids, acquisition.transferSyntaxUid(), dir)
                : MrImageWriter.write(series, identity, protocol, uids, acquisition.transferSyntaxUid(), dir);
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("role", series.role().name());
        s.put("series_instance_uid", protocol.seriesInstanceUid());
        s.put("series_description", protocol.seriesDescription());
        s.put("b_values", series.bValues());
        s.put("directory", out.relativize(dir).toString());
        s.put("instances", files.size());
        return s;
    }

    private static boolean sameGrid(ImageGrid a, ImageGrid b) {
        return a.columns() == b.columns() && a.rows() == b.rows() && a.slices() == b.slices()
                && a.origin().minus(b.origin()).norm() < 0.01;
    }

    /** The T1 level above which a voxel is brain: 15 % of the 99th percentile (a brain-extracted T1 is 0 outside). */
    static float brainLevel(float[] t1) {
        float[] sorted = t1.clone();
        Arrays.sort(sorted);
        return 0.15f * sorted[(int) (sorted.length * 0.99)];
    }

    static short clip(double v) {
        return (short) Math.max(0, Math.min(4095, Math.round(v)));
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
