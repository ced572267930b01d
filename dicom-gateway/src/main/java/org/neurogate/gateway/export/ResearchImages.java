package org.neurogate.gateway.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomDictionary;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.neurogate.inference.volume.NiftiFile;
import org.neurogate.inference.volume.Volume;
import org.neurogate.persistence.AnalysisQueue;
import org.neurogate.persistence.ResearchCohort;
import org.neurogate.reports.deid.Defacer;
import org.neurogate.reports.deid.DicomDeidentifier;

/**
 * The images of an export: the analysed source series, NeuroGate's SR and SEGs, de-identified, and
 * the analysis label maps as NIfTI. Source images in the T1's frame of reference are defaced with the
 * plane of the T1 label map's intracranial mask; without that label map they are not exported, nor is
 * a series that declares burned-in annotation (unless allowed).
 *
 * <p>Layout: {@code dicom/<subject>/<study>/<series>/<sop>.dcm} and {@code labels/<subject>/<study>/<map>.nii.gz},
 * every name a remapped UID or a pseudonym.
 */
final class ResearchImages {

    /** The identifying attributes whose values the PHI scan looks for, from each exported series' header. */
    private static final List<String> IDENTIFYING = List.of("PatientName", "PatientID", "IssuerOfPatientID",
            "PatientBirthDate", "OtherPatientIDs", "OtherPatientNames", "AccessionNumber", "InstitutionName",
            "InstitutionAddress", "InstitutionalDepartmentName", "ReferringPhysicianName", "PerformingPhysicianName",
            "OperatorsName", "NameOfPhysiciansReadingStudy", "PhysiciansOfRecord", "StationName", "DeviceSerialNumber",
            "StudyDescription", "SeriesDescription", "ProtocolName", "StudyID", "PatientAddress", "PatientComments",
            "RequestingPhysician", "ImageComments");
    private static final Set<String> UNCOMPRESSED = Set.of(TransferSyntax.ImplicitVRLittleEndian,
            TransferSyntax.ExplicitVRLittleEndian, TransferSyntax.ExplicitVRBigEndian);

    /** A series left out, and why (no patient data in the reason). */
    record Skipped(String seriesUid, String reason) {
    }

    private final ExportSettings settings;
    private final ResearchCohort cohort;
    private final Path out;
    private final PhiScan scan;
    private final boolean burnedInAllowed;
    private final DicomDeidentifier deidentifier;
    private final List<Skipped> skipped = new ArrayList<>();
    private int objects;
    private int labelMaps;
    private int defaced;

    ResearchImages(ExportSettings settings, ResearchCohort cohort, Path out, PhiScan scan, boolean burnedInAllowed) {
        this.settings = settings;
        this.cohort = cohort;
        this.out = out;
        this.scan = scan;
        this.burnedInAllowed = burnedInAllowed;
        this.deidentifier = new DicomDeidentifier(settings.pseudonyms(), settings.profile());
    }

    int objects() {
        return objects;
    }

    int labelMaps() {
        return labelMaps;
    }

    int defaced() {
        return defaced;
    }

    List<Skipped> skipped() {
        return List.copyOf(skipped);
    }

    void export(ResearchExport.CohortStudy s, String subject, String studyUid) throws Exception {
        ResearchCohort.AnalysedStudy study = s.study();
        Path dataDir = settings.dataDir();
        Path labels = dataDir.resolve("reports").resolve(study.studyInstanceUid()).resolve("labels-" + study.jobRef());
        // The series the analyses read, by role (T1 first: its frame of reference is the defacing plane's);
        // for analyses recorded before roles were, the series their measurements name.
        JsonNode roles = s.findings().path("series_roles");
        String t1 = roles.path("T1").isTextual() ? roles.path("T1").asText()
                : s.rows().stream().filter(r -> Set.of("mci", "midline", "brain_age").contains(r.analysis()))
                .map(AnalysisQueue.FindingRow::seriesInstanceUid).filter(u -> u != null).findFirst().orElse(null);
        Set<String> series = new LinkedHashSet<>();
        if (t1 != null) {
            series.add(t1);
        }
        roles.forEach(v -> series.add(v.asText()));
        s.rows().stream().map(AnalysisQueue.FindingRow::seriesInstanceUid).filter(u -> u != null).forEach(series::add);
        Path t1Labels = labels.resolve("labels_t1.nii.gz");
        Defacer.FacePlane plane = t1 != null && Files.exists(t1Labels) ? facePlane(t1Labels) : null;
        Path studyDir = out.resolve("dicom").resolve(subject).resolve(studyUid);

        Map<String, List<AnalysisQueue.StoredInstance>> bySeries = new LinkedHashMap<>();
        series.forEach(u -> bySeries.put(u, new ArrayList<>()));
        for (AnalysisQueue.StoredInstance i : cohort.instances(study.studyRef(), List.copyOf(series))) {
            bySeries.get(i.seriesInstanceUid()).add(i);
        }
        // The face is cut in the T1's frame of reference: every series of the session that shares it.
        List<AnalysisQueue.StoredInstance> t1Instances = t1 == null ? List.of() : bySeries.getOrDefault(t1, List.of());
        String faceFrame = t1Instances.isEmpty() ? null : frameOfReference(dataDir.resolve(t1Instances.get(0).storagePath()));
        for (Map.Entry<String, List<AnalysisQueue.StoredInstance>> e : bySeries.entrySet()) {
            String seriesUid = e.getKey();
            boolean deface = false;
            boolean first = true;
            for (AnalysisQueue.StoredInstance instance : e.getValue()) {
                AttributeList list = read(dataDir.resolve(instance.storagePath()));
                if (first) {
                    first = false;
                    String frame = Attribute.getSingleStringValueOrEmptyString(list, TagFromName.FrameOfReferenceUID);
                    deface = seriesUid.equals(t1) || (faceFrame != null && !faceFrame.isEmpty() && faceFrame.equals(frame));
                    String refused = null;
                    if ("YES".equalsIgnoreCase(Attribute.getSingleStringValueOrEmptyString(list,
                            TagFromName.BurnedInAnnotation).strip()) && !burnedInAllowed) {
                        refused = "BurnedInAnnotation YES (allowBurnedInAnnotation not given)";
                    } else if (deface && plane == null) {
                        refused = "in the T1's frame of reference, with no brain label map to deface it against";
                    }
                    if (refused != null) {
                        skipped.add(new Skipped(settings.pseudonyms().uid(seriesUid), refused));
                        break;
                    }
                    identifying(list);
                }
                if (deface) {
                    Defacer.deface(list, plane);
                    defaced++;
                }
                write(list, studyDir, deface);
            }
        }
        for (AnalysisQueue.StoredInstance object : cohort.reportObjects(study.jobRef(), List.of("SR", "SIGNED_SR", "SEG"))) {
            write(read(dataDir.resolve(object.storagePath())), studyDir, false);
        }
        if (Files.isDirectory(labels)) {
            Path labelDir = out.resolve("labels").resolve(subject).resolve(studyUid);
            Files.createDirectories(labelDir);
            try (Stream<Path> maps = Files.list(labels)) {
                for (Path map : maps.filter(p -> p.toString().endsWith(".nii.gz")).sorted().toList()) {
                    // Re-written by our own writer: no descrip, aux_file or intent_name, whatever the source held.
                    NiftiFile.write(NiftiFile.read(map), labelDir.resolve(map.getFileName()), true);
                    labelMaps++;
                }
            }
        }
    }

    private static String frameOfReference(Path file) throws IOException {
        AttributeList header = new AttributeList();
        try {
            header.read(file.toFile(), TagFromName.PixelData);
        } catch (com.pixelmed.dicom.DicomException e) {
            throw new IOException("reading a stored object failed: " + e.getMessage(), e);
        }
        return Attribute.getSingleStringValueOrEmptyString(header, TagFromName.FrameOfReferenceUID);
    }

    private Defacer.FacePlane facePlane(Path t1Labels) throws IOException {
        Volume labels = NiftiFile.read(t1Labels);
        float[] mask = new float[labels.size()];
        float[] v = labels.voxels();
        for (int i = 0; i < mask.length; i++) {
            mask[i] = v[i] > 0 ? 1 : 0;
        }
        return Defacer.plane(labels.withVoxels(mask), settings.profile().faceMarginMm());
    }

    private void identifying(AttributeList header) {
        DicomDictionary dictionary = DicomDictionary.StandardDictionary;
        for (String keyword : IDENTIFYING) {
            AttributeTag tag = dictionary.getTagFromName(keyword);
            Attribute a = tag == null ? null : header.get(tag);
            if (a != null && a.getVM() > 0) {
                try {
                    String[] values = a.getStringValues();
                    for (String value : values == null ? new String[0] : values) {
                        scan.add(keyword, value);
                    }
                } catch (com.pixelmed.dicom.DicomException ignored) {
                    // Not a string attribute: nothing to search for.
                }
            }
        }
    }

    private void write(AttributeList list, Path studyDir, boolean wasDefaced) throws Exception {
        String syntax = Attribute.getSingleStringValueOrEmptyString(list, TagFromName.TransferSyntaxUID);
        scan.add("SOPInstanceUID", Attribute.getSingleStringValueOrEmptyString(list, TagFromName.SOPInstanceUID));
        if (!syntax.isEmpty() && !UNCOMPRESSED.contains(syntax)) {
            // PixelMed decompressed the pixels on reading; the header must now say so.
            list.correctDecompressedImagePixelModule();
            list.insertLossyImageCompressionHistoryIfDecompressed();
        }
        deidentifier.deidentify(list, wasDefaced);
        String series = Attribute.getSingleStringValueOrEmptyString(list, TagFromName.SeriesInstanceUID);
        String sop = Attribute.getSingleStringValueOrEmptyString(list, TagFromName.SOPInstanceUID);
        Path dir = studyDir.resolve(series);
        Files.createDirectories(dir);
        FileMetaInformation.addFileMetaInformation(list, TransferSyntax.ExplicitVRLittleEndian, "NEUROGATE");
        list.write(dir.resolve(sop + ".dcm").toFile(), TransferSyntax.ExplicitVRLittleEndian, true, true);
        objects++;
    }

    private static AttributeList read(Path file) throws IOException {
        AttributeList list = new AttributeList();
        try {
            list.read(file.toFile());
        } catch (com.pixelmed.dicom.DicomException e) {
            throw new IOException("reading a stored object failed: " + e.getMessage(), e);
        }
        return list;
    }
}
