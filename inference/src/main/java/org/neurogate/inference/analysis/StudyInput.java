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
 * @param volumes the first analysable volume of each role
 * @param qcNotes why a series or file was left out, naming UIDs only
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
        Map<SeriesRole, RoleVolume> volumes = new EnumMap<>(SeriesRole.class);
        for (Map.Entry<String, List<Path>> series : filesBySeries.entrySet()) {
            for (SeriesVolume v : assembler.assemble(series.getValue())) {
                if (v instanceof SeriesVolume.Analysable a) {
                    SeriesRole role = rules.classify(a.attributes(), a.bValue());
                    if (role != SeriesRole.OTHER && !volumes.containsKey(role)) {
                        volumes.put(role, new RoleVolume(role, series.getKey(), sopsBySeries.get(series.getKey()),
                                a.volume(), a.bValue()));
                    }
                } else if (v instanceof SeriesVolume.NotAnalysable n) {
                    notes.add("series " + series.getKey() + (n.bValue() == null ? "" : " b=" + n.bValue().intValue())
                            + " not analysable: " + n.failure().describe());
                }
            }
        }
        return new StudyInput(Attribute.getSingleStringValueOrEmptyString(first, TagFromName.StudyInstanceUID),
                Demographics.from(first), volumes, notes);
    }
}
