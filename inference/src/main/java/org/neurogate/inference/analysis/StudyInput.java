package org.neurogate.inference.analysis;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.TagFromName;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.neurogate.inference.dicom.SeriesVolume;
import org.neurogate.inference.dicom.VolumeAssembler;
import org.neurogate.inference.roles.SeriesRole;
import org.neurogate.inference.roles.SeriesRoleRules;
import org.neurogate.inference.volume.Volume;

/**
 * The series of one study, assembled into volumes and sorted into roles, with the patient facts
 * the analyses need. Series that cannot be analysed are kept as QC notes, never dropped silently.
 *
 * @param volumes the analysable volume chosen for each role (see {@link #preferable})
 * @param qcNotes why a series or file was left out or another chosen, naming UIDs only
 */
public record StudyInput(String studyInstanceUid, Demographics demographics, Map<SeriesRole, RoleVolume> volumes,
                         List<String> qcNotes) {

    /** One role's volume, the series it came from, and its diffusion b-value (null for other images). */
    public record RoleVolume(SeriesRole role, String seriesInstanceUid, List<String> sopInstanceUids, Volume volume,
                             Double bValue) {
        public RoleVolume {
            sopInstanceUids = List.copyOf(sopInstanceUids);
        }
    }

    public StudyInput {
        volumes = Map.copyOf(volumes);
        qcNotes = List.copyOf(qcNotes);
    }

    public RoleVolume get(SeriesRole role) {
        return volumes.get(role);
    }

    /** A DICOM Part 10 file: 128-byte preamble then "DICM" (PS3.10 7.1); anything else is not ours to read. */
    private static boolean isPart10(Path file) throws IOException {
        try (java.io.InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(132);
            return head.length == 132 && head[128] == 'D' && head[129] == 'I' && head[130] == 'C' && head[131] == 'M';
        }
    }

    /** Reads every DICOM file under {@code directory} (recursively); files that are not DICOM are skipped. */
    public static StudyInput read(Path directory, SeriesRoleRules rules) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(directory)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        if (files.isEmpty()) {
            throw new IOException("no DICOM series under " + directory);
        }
        return read(files, rules);
    }

    /** Reads the given files of one study; files that are not DICOM are skipped. */
    /** A series is finer when its voxels are at most this fraction of the other's volume. */
    static final double FINER = 0.8;

    /**
     * Of two series in one role: the finer one; at the same resolution, the one whose receive-coil
     * shading the scanner removed (segmenters are trained on flat images; a shaded MPRAGE loses the
     * deep grey matter to the dark centre); otherwise the first.
     */
    static boolean preferable(SeriesVolume.Analysable candidate, SeriesVolume.Analysable current) {
        double candidateVoxel = candidate.volume().voxelVolumeMm3();
        double currentVoxel = current.volume().voxelVolumeMm3();
        if (candidateVoxel < FINER * currentVoxel || currentVoxel < FINER * candidateVoxel) {
            return candidateVoxel < currentVoxel;
        }
        return candidate.attributes().intensityNormalised() && !current.attributes().intensityNormalised();
    }

    private static String whyPreferred(SeriesVolume.Analysable kept, SeriesVolume.Analysable other) {
        if (kept.volume().voxelVolumeMm3() < FINER * other.volume().voxelVolumeMm3()) {
            return "finer voxels";
        }
        return kept.attributes().intensityNormalised() && !other.attributes().intensityNormalised()
                ? "scanner-normalised intensities" : "first found";
    }

    public static StudyInput read(List<Path> files, SeriesRoleRules rules) throws IOException {
        Map<String, List<Path>> filesBySeries = new LinkedHashMap<>();
        Map<String, List<String>> sopsBySeries = new LinkedHashMap<>();
        List<String> notes = new ArrayList<>();
        AttributeList first = null;
        for (Path file : files) {
            if (!isPart10(file)) {
                continue;
            }
            AttributeList header = new AttributeList();
            try {
                header.read(file.toFile(), TagFromName.PixelData);
            } catch (IOException | DicomException | RuntimeException notDicom) {
                continue;
            }
            String series = Attribute.getSingleStringValueOrNull(header, TagFromName.SeriesInstanceUID);
            if (series == null) {
                continue;
            }
            if (first == null) {
                first = header;
            }
            filesBySeries.computeIfAbsent(series, s -> new ArrayList<>()).add(file);
            sopsBySeries.computeIfAbsent(series, s -> new ArrayList<>())
                    .add(Attribute.getSingleStringValueOrEmptyString(header, TagFromName.SOPInstanceUID));
        }
        if (first == null) {
            throw new IOException("none of the " + files.size() + " file(s) is a DICOM image");
        }
        VolumeAssembler assembler = new VolumeAssembler(VolumeAssembler.Tolerances.defaults());
        Map<SeriesRole, SeriesVolume.Analysable> chosen = new EnumMap<>(SeriesRole.class);
        Map<SeriesRole, RoleVolume> volumes = new EnumMap<>(SeriesRole.class);
        for (Map.Entry<String, List<Path>> series : filesBySeries.entrySet()) {
            for (SeriesVolume v : assembler.assemble(series.getValue())) {
                if (v instanceof SeriesVolume.Analysable a) {
                    SeriesRole role = rules.classify(a.attributes(), a.bValue());
                    if (role == SeriesRole.OTHER) {
                        continue;
                    }
                    SeriesVolume.Analysable current = chosen.get(role);
                    boolean replaces = current != null && preferable(a, current);
                    if (current != null) {
                        String previous = volumes.get(role).seriesInstanceUid();
                        notes.add(role + ": series " + (replaces ? series.getKey() : previous) + " analysed, not "
                                + (replaces ? previous : series.getKey()) + " ("
                                + (replaces ? whyPreferred(a, current) : whyPreferred(current, a)) + ")");
                    }
                    if (current == null || replaces) {
                        chosen.put(role, a);
                        volumes.put(role, new RoleVolume(role, series.getKey(), sopsBySeries.get(series.getKey()),
                                a.volume(), a.bValue()));
                    }
                } else if (v instanceof SeriesVolume.NotAnalysable n) {
                    notes.add("series " + series.getKey() + (n.bValue() == null ? "" : " b=" + n.bValue().intValue())
                            + " " + n.failure().describe());
                }
            }
        }
        return new StudyInput(Attribute.getSingleStringValueOrEmptyString(first, TagFromName.StudyInstanceUID),
                Demographics.from(first), volumes, notes);
    }
}
