package org.neurogate.gateway.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.neurogate.inference.volumetry.NormativeModel;
import org.neurogate.persistence.AnalysisQueue;
import org.neurogate.persistence.ResearchCohort;
import org.neurogate.reports.content.ReportContent;
import org.neurogate.reports.deid.DeidentificationProfile;
import org.neurogate.reports.deid.Pseudonyms;

/**
 * Writes one research export: the cohort's findings as tidy tables (CSV and Parquet, long and wide),
 * their data dictionary, optionally the de-identified images ({@link ResearchImages}), and a manifest
 * with the digest of every file. Nothing is released until {@link PhiScan} finds none of the cohort's
 * identifying values in any file.
 */
public final class ResearchExport {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** ModelUse as stored: "model-id version (pack)". */
    private static final Pattern METHOD = Pattern.compile("(.+) (\\S+) \\((.*)\\)");
    private static final List<String> ANALYSES = List.of("lesion", "wmh", "midline", "brain_age", "mci");

    /** Counts and the manifest's digest of a finished export. */
    public record Result(int subjects, int studies, int measurements, String manifestSha256) {
    }

    /** Study progress: {@code done} of {@code total}. */
    @FunctionalInterface
    public interface Progress {
        void update(int done, int total);
    }

    /** The export refused to release its files (identifying values found, or a study it may not export). */
    public static final class ExportRefusedException extends IOException {
        ExportRefusedException(String message) {
            super(message);
        }
    }

    /** One study of the cohort, read and scored. */
    record CohortStudy(ResearchCohort.AnalysedStudy study, JsonNode findings, List<AnalysisQueue.FindingRow> rows,
                       Double age, String sex) {
        Set<String> analyses() {
            Set<String> out = new LinkedHashSet<>();
            rows.forEach(r -> out.add(r.analysis()));
            return out;
        }
    }

    /** A measurement row as exported. */
    record Row(AnalysisQueue.FindingRow finding, Double percentile, Double z, String modelId, String modelVersion,
               String modelPack) {
    }

    private final ExportSettings settings;
    private final ResearchCohort cohort;

    public ResearchExport(ExportSettings settings, ResearchCohort cohort) {
        this.settings = settings;
        this.cohort = cohort;
    }

    /** The studies the query selects, oldest first. */
    List<CohortStudy> select(CohortQuery query) throws IOException {
        List<ResearchCohort.AnalysedStudy> candidates = cohort.studies(query.sinceDa(), query.untilDa());
        Map<Long, List<AnalysisQueue.FindingRow>> findings = new LinkedHashMap<>();
        List<Long> jobs = candidates.stream().map(ResearchCohort.AnalysedStudy::jobRef).toList();
        for (int from = 0; from < jobs.size(); from += 5000) {
            findings.putAll(cohort.findings(jobs.subList(from, Math.min(jobs.size(), from + 5000))));
        }
        List<CohortStudy> out = new ArrayList<>();
        for (ResearchCohort.AnalysedStudy s : candidates) {
            JsonNode doc = s.findingsJson() == null ? JSON.createObjectNode() : JSON.readTree(s.findingsJson());
            JsonNode demographics = doc.path("demographics");
            Double age = demographics.path("age_years").isNumber() ? demographics.path("age_years").asDouble()
                    : doc.path("brain_age").path("chronological_years").isNumber()
                    ? doc.path("brain_age").path("chronological_years").asDouble() : null;
            String sex = demographics.path("sex").isTextual() ? demographics.path("sex").asText()
                    : "F".equals(s.patientSex()) || "M".equals(s.patientSex()) ? s.patientSex() : null;
            CohortStudy study = new CohortStudy(s, doc, findings.getOrDefault(s.jobRef(), List.of()), age, sex);
            if (matches(query, study)) {
                out.add(study);
            }
        }
        return out;
    }

    static boolean matches(CohortQuery q, CohortStudy s) {
        Set<String> present = s.analyses();
        if (!present.containsAll(q.analyses()) || q.notAssessed().stream().anyMatch(present::contains)) {
            return false;
        }
        if (q.sex() != null && !q.sex().equals(s.sex())) {
            return false;
        }
        if ((q.minAge() != null || q.maxAge() != null) && s.age() == null) {
            return false;
        }
        if (q.minAge() != null && s.age() < q.minAge() || q.maxAge() != null && s.age() > q.maxAge()) {
            return false;
        }
        if (Boolean.TRUE.equals(q.signedOnly()) && !s.study().signed()) {
            return false;
        }
        List<Row> rows = q.modelId() != null || !q.where().isEmpty() ? rows(s) : List.of();
        if (q.modelId() != null && rows.stream().noneMatch(r -> q.modelId().equals(r.modelId())
                && (q.modelVersion() == null || q.modelVersion().equals(r.modelVersion())))) {
            return false;
        }
        for (CohortQuery.Threshold t : q.thresholds()) {
            Double x = rows.stream().filter(r -> r.finding().analysis().equals(t.analysis())
                            && r.finding().name().equals(t.measurement()))
                    .map(r -> switch (t.of()) {
                        case "percentile" -> r.percentile();
                        case "z" -> r.z();
                        default -> r.finding().value();
                    }).filter(v -> v != null).findFirst().orElse(null);
            if (x == null || !t.test(x)) {
                return false;
            }
        }
        return true;
    }

    /** The study's measurement rows with their norms and models. */
    static List<Row> rows(CohortStudy s) {
        Map<String, JsonNode> norms = new TreeMap<>();
        for (JsonNode n : s.findings().path("mci").path("norms")) {
            norms.put(n.path("structure").asText(), n);
        }
        List<Row> out = new ArrayList<>();
        for (AnalysisQueue.FindingRow f : s.rows()) {
            NormativeModel.Structure structure = f.analysis().equals("mci") ? ReportContent.scoredStructure(f.name()) : null;
            JsonNode score = structure == null ? null : norms.get(structure.name());
            Double percentile = score != null && score.path("percentile").isNumber() ? score.path("percentile").asDouble()
                    : null;
            Double z = score != null && score.path("z").isNumber() ? score.path("z").asDouble() : null;
            Matcher m = METHOD.matcher(f.method() == null ? "" : f.method());
            out.add(m.matches() ? new Row(f, percentile, z, m.group(1), m.group(2), m.group(3))
                    : new Row(f, percentile, z, f.method(), null, null));
        }
        return out;
    }

    /**
     * Writes the export into {@code out} (created, must not exist).
     *
     * @throws ExportRefusedException when an identifying value is found in a file; the folder is removed
     */
    public Result run(String exportId, CohortQuery query, Path out, Progress progress) throws Exception {
        query.validated();
        Files.createDirectories(out.getParent());
        Files.createDirectory(out);
        try {
            return write(exportId, query, out, progress);
        } catch (Exception e) {
            delete(out);
            throw e;
        }
    }

    private Result write(String exportId, CohortQuery query, Path out, Progress progress) throws Exception {
        List<CohortStudy> studies = select(query);
        Pseudonyms pseudonyms = settings.pseudonyms();
        PhiScan scan = new PhiScan();
        ResearchImages images = query.images() ? new ResearchImages(settings, cohort, out, scan,
                query.burnedInAllowed()) : null;
        Set<String> subjects = new LinkedHashSet<>();
        Map<String, String> models = new TreeMap<>();
        int measurements = 0;
        progress.update(0, studies.size());
        for (ResearchCohort.SeriesName series : cohort.series(studies.stream().map(s -> s.study().studyRef()).toList())) {
            scan.add("SeriesInstanceUID", series.seriesInstanceUid());
            scan.add("SeriesDescription", series.description());
        }
        long reported = System.nanoTime();
        try (ResearchTables.Csv findings = new ResearchTables.Csv(out.resolve("findings.csv"),
                ResearchTables.FINDINGS.stream().map(ResearchTables.Column::name).toList());
             ResearchTables.Csv wide = new ResearchTables.Csv(out.resolve("studies.csv"),
                     ResearchTables.STUDIES.stream().map(ResearchTables.Column::name).toList())) {
            int done = 0;
            for (CohortStudy s : studies) {
                ResearchCohort.AnalysedStudy st = s.study();
                identifying(scan, st);
                String subject = pseudonyms.subject(st.patientId(), st.issuer());
                subjects.add(subject);
                String studyUid = pseudonyms.uid(st.studyInstanceUid());
                LocalDate date = Pseudonyms.parseDate(Pseudonyms.shiftDate(st.studyDate(),
                        pseudonyms.dateShiftDays(st.patientId(), st.issuer())));
                Double age = s.age() == null ? null : Math.round(s.age() * 100) / 100.0;
                List<Row> rows = rows(s);
                Map<String, Row> byKey = new LinkedHashMap<>();
                for (Row r : rows) {
                    AnalysisQueue.FindingRow f = r.finding();
                    byKey.putIfAbsent(f.analysis() + "." + f.name(), r);
                    findings.row(subject, studyUid, date, age, s.sex(), st.signed(), f.analysis(), f.name(), f.scheme(),
                            f.code(), f.meaning(), f.value(), f.unit(), r.percentile(), r.z(), r.modelId(),
                            r.modelVersion(), r.modelPack(), f.qcFlags() == null ? null : f.qcFlags().replace(',', ';'));
                    if (r.modelVersion() != null) {
                        models.put(r.modelId() + " " + r.modelVersion(), r.modelPack());
                    }
                    measurements++;
                }
                List<Object> line = new ArrayList<>(List.of(subject, studyUid));
                line.add(date);
                line.add(age);
                line.add(s.sex());
                line.add(st.signed());
                Set<String> present = s.analyses();
                line.add(String.join(";", present));
                line.add(String.join(";", ANALYSES.stream().filter(a -> !present.contains(a)).toList()));
                for (ResearchTables.Measure m : ResearchTables.MEASURES) {
                    Row r = byKey.get(m.analysis() + "." + m.measurement());
                    line.add(r == null ? null : switch (m.of()) {
                        case "percentile" -> r.percentile();
                        case "z" -> r.z();
                        default -> r.finding().value();
                    });
                }
                wide.row(line.toArray());
                if (images != null) {
                    images.export(s, subject, studyUid);
                }
                done++;
                // Progress is a database write: at most twice a second, and at the end.
                if (System.nanoTime() - reported > 500_000_000L || done == studies.size()) {
                    progress.update(done, studies.size());
                    reported = System.nanoTime();
                }
            }
        }
        ResearchTables.writeDictionary(out.resolve("data_dictionary.csv"));
        ParquetTables.write(out.resolve("findings.csv"), ResearchTables.FINDINGS, out.resolve("findings.parquet"));
        ParquetTables.write(out.resolve("studies.csv"), ResearchTables.STUDIES, out.resolve("studies.parquet"));

        List<PhiScan.Hit> hits = scan.scan(out);
        if (!hits.isEmpty()) {
            throw new ExportRefusedException("identifying values found in the export, which was not released: "
                    + hits.stream().limit(10).map(h -> h.file() + " (" + h.what() + ")").toList());
        }
        ObjectNode manifest = manifest(exportId, query, subjects.size(), studies.size(), measurements, models, images);
        ObjectNode files = manifest.putObject("files");
        try (Stream<Path> all = Files.walk(out)) {
            for (Path f : all.filter(Files::isRegularFile).sorted().toList()) {
                files.put(out.relativize(f).toString(), sha256(f));
            }
        }
        Path manifestFile = out.resolve("manifest.json");
        JSON.writeValue(manifestFile.toFile(), manifest);
        return new Result(subjects.size(), studies.size(), measurements, sha256(manifestFile));
    }

    /** The values of this study that must not appear anywhere in the export. */
    private void identifying(PhiScan scan, ResearchCohort.AnalysedStudy s) {
        scan.add("PatientID", s.patientId());
        scan.add("IssuerOfPatientID", s.issuer());
        scan.add("PatientName", s.patientName());
        scan.add("PatientBirthDate", s.birthDate());
        scan.add("AccessionNumber", s.accessionNumber());
        scan.add("StudyDescription", s.studyDescription());
        scan.add("StudyInstanceUID", s.studyInstanceUid());
    }

    private ObjectNode manifest(String exportId, CohortQuery query, int subjects, int studies, int measurements,
                                Map<String, String> models, ResearchImages images) {
        ObjectNode m = JSON.createObjectNode();
        m.put("export_id", exportId);
        m.put("neurogate_version", settings.version());
        m.set("cohort", JSON.valueToTree(query));
        ObjectNode counts = m.putObject("counts");
        counts.put("subjects", subjects);
        counts.put("studies", studies);
        counts.put("measurements", measurements);
        if (images != null) {
            counts.put("dicom_objects", images.objects());
            counts.put("label_maps", images.labelMaps());
        }
        ArrayNode modelList = m.putArray("models");
        models.forEach((idVersion, pack) -> {
            ObjectNode model = modelList.addObject();
            model.put("model_id", idVersion.substring(0, idVersion.lastIndexOf(' ')));
            model.put("version", idVersion.substring(idVersion.lastIndexOf(' ') + 1));
            model.put("pack", pack);
        });
        ObjectNode deid = m.putObject("deidentification");
        deid.put("standard", "DICOM PS3.15 Annex E");
        ArrayNode options = deid.putArray("options");
        for (DeidentificationProfile.Option o : settings.profile().options(images != null && images.defaced() > 0)) {
            options.addObject().put("code", o.code()).put("scheme", "DCM").put("meaning", o.meaning());
        }
        deid.put("pseudonyms", "HMAC-SHA256(site secret, PatientID + IssuerOfPatientID), NG + 10 base-32 characters");
        deid.put("uids", "2.25 UIDs from HMAC-SHA256(site secret, UID)");
        deid.put("date_shift", "one keyed offset per patient, 1 to " + settings.pseudonyms().maxShiftDays()
                + " days earlier or later; intervals between a patient's dates are kept");
        deid.set("safe_private_attributes", JSON.valueToTree(settings.profile().safePrivate()));
        deid.put("face_margin_mm", settings.profile().faceMarginMm());
        if (images != null) {
            deid.put("defaced_images", images.defaced());
            deid.set("series_not_exported", JSON.valueToTree(images.skipped()));
        }
        deid.put("phi_scan", "every file searched for the cohort's identifying values: none found");
        return m;
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
