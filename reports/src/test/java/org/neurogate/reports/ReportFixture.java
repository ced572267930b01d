package org.neurogate.reports;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.neurogate.inference.analysis.StudyAnalyzer;
import org.neurogate.inference.analysis.StudyInput;
import org.neurogate.inference.models.ModelPack;
import org.neurogate.inference.models.ReferencePack;
import org.neurogate.inference.onnx.InferenceEngine;
import org.neurogate.inference.onnx.InferenceSettings;
import org.neurogate.inference.roles.SeriesRoleRules;
import org.neurogate.phantoms.AcquisitionOptions;
import org.neurogate.phantoms.PhantomStudy;
import org.neurogate.phantoms.anatomy.Subject;
import org.neurogate.phantoms.geometry.Vec3;

/**
 * One analysed phantom study (stroke lesion, midline shift) shared by the report tests: analysing it
 * is the slow part, so it is done once per test run.
 */
final class ReportFixture {

    record Study(Path dir, StudyInput input, StudyAnalyzer.StudyAnalysis analysis, Map<String, SourceSeries> sources,
                 AttributeList header) {
    }

    static final StudyReport.Settings SETTINGS = new StudyReport.Settings(Equipment.neurogate("test-site", "0.1.0"),
            "Not for diagnostic use until this deployment has been validated.", "20261129101500");

    private static Study study;

    private ReportFixture() {
    }

    static synchronized Study get() throws Exception {
        if (study == null) {
            study = analyse();
        }
        return study;
    }

    private static Study analyse() throws Exception {
        Path dir = Files.createTempDirectory("neurogate-report-fixture");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(dir)));
        Path phantom = dir.resolve("study");
        PhantomStudy.write(new Subject(42, 70, Subject.Sex.F, Subject.Diagnosis.CN, 6, -4, 3, Vec3.ZERO, 5, 1, 12),
                new AcquisitionOptions(AcquisitionOptions.Plane.AXIAL, 0, false, AcquisitionOptions.EXPLICIT_LITTLE_ENDIAN, 30),
                phantom);
        StudyInput input = StudyInput.read(phantom.resolve("dicom"), SeriesRoleRules.defaults());
        StudyAnalyzer.StudyAnalysis analysis;
        try (InferenceEngine engine = new InferenceEngine(new InferenceSettings("cpu", 2, 1))) {
            ModelPack pack = ModelPack.load(ReferencePack.materialise(dir.resolve("reference-pack")), engine);
            analysis = new StudyAnalyzer(engine, List.of(pack)).analyze(input);
        }
        Map<String, SourceSeries> sources = new LinkedHashMap<>();
        AttributeList header = null;
        try (Stream<Path> series = Files.list(phantom.resolve("dicom"))) {
            for (Path s : series.sorted().toList()) {
                List<Path> files;
                try (Stream<Path> f = Files.list(s)) {
                    files = f.filter(p -> p.toString().endsWith(".dcm")).sorted().toList();
                }
                SourceSeries source = SourceSeries.read(files);
                sources.put(source.seriesInstanceUid(), source);
                if (header == null) {
                    header = new AttributeList();
                    header.read(files.get(0).toFile(), TagFromName.PixelData);
                }
            }
        }
        return new Study(phantom, input, analysis, sources, header);
    }

    /** Writes objects as DICOM files (a copy each, with File Meta Information) named NN-MODALITY.dcm. */
    static List<Path> write(Path dir, List<AttributeList> objects) throws Exception {
        List<Path> files = new java.util.ArrayList<>();
        for (AttributeList object : objects) {
            files.add(write(dir, object, String.format(java.util.Locale.ROOT, "%02d-%s.dcm", files.size(),
                    com.pixelmed.dicom.Attribute.getSingleStringValueOrEmptyString(object, TagFromName.Modality))));
        }
        return files;
    }

    static Path write(Path dir, AttributeList object, String name) throws Exception {
        Path file = dir.resolve(name);
        AttributeList copy = new AttributeList();
        copy.putAll(object);
        com.pixelmed.dicom.FileMetaInformation.addFileMetaInformation(copy,
                com.pixelmed.dicom.TransferSyntax.ExplicitVRLittleEndian, "NEUROGATE");
        copy.write(file.toFile(), com.pixelmed.dicom.TransferSyntax.ExplicitVRLittleEndian, true, true);
        return file;
    }

    /** A command's output (stdout and stderr). */
    static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)) {
            throw new AssertionError(String.join(" ", command) + " did not finish");
        }
        return new String(out, java.nio.charset.StandardCharsets.UTF_8);
    }

    static void assertNoDciodvfyErrors(Path file) throws Exception {
        List<String> errors = run("dciodvfy", file.toString()).lines().filter(l -> l.startsWith("Error")).toList();
        if (!errors.isEmpty()) {
            throw new AssertionError(file.getFileName() + ": " + errors);
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
