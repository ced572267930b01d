package org.neurogate.systemtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.pixelmed.dicom.TagFromName;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.neurogate.phantoms.SyntheticMrSeries;

/** SIGKILL in the middle of a transfer: what was acknowledged survives, nothing is doubled. */
class CrashRecoverySystemTest {

    /**
     * Four associations at once, so the catalog records their C-STOREs in shared transactions (group
     * commit, turned on here), killed mid-transfer: every acknowledged instance is on disk and recorded after the
     * restart, and a full resend leaves exactly one row and one file per instance.
     */
    @Test
    void killNineDuringGroupCommitsOfFourAssociationsLosesNothingAcknowledged() throws Exception {
        Path work = TestEnvironment.workDir("crash-batched");
        List<List<Path>> series = new java.util.ArrayList<>();
        for (int s = 0; s < 4; s++) {
            series.add(SyntheticMrSeries.write(new SyntheticMrSeries.Spec(9090, s, 150, 256, 1.0),
                    work.resolve("load/series-" + s)));
        }
        try (GatewayProcess gateway = GatewayProcess.start(work.resolve("data"),
                Map.of("NEUROGATE_STORAGE_GROUP_COMMIT_MAX_INSTANCES", "64"))) {
            List<Dcmtk.Background> senders = new java.util.ArrayList<>();
            for (int s = 0; s < 4; s++) {
                senders.add(Dcmtk.storescuInBackground("STORESCU", gateway.dicomPort(), series.get(s),
                        work.resolve("storescu-" + s + ".log")));
            }
            gateway.awaitMetric("neurogate_instances_received_total", 120, Duration.ofSeconds(60));
            double commits = gateway.metric("neurogate_store_commit_instances_count");
            double committed = gateway.metric("neurogate_store_commit_instances_sum");
            gateway.kill9();
            assertTrue(committed / commits > 1.2, "C-STOREs of the four associations must share commits; "
                    + committed + " instances in " + commits + " commits");
            long[] acknowledged = new long[4];
            for (int s = 0; s < 4; s++) {
                acknowledged[s] = senders.get(s).finish().successes();
            }
            long total = java.util.Arrays.stream(acknowledged).sum();
            System.out.printf("group commit before the kill: %.0f instances in %.0f commits (%.2f per commit); "
                    + "acknowledged %s%n", committed, commits, committed / commits, java.util.Arrays.toString(acknowledged));
            assertTrue(total >= 120 && total < 600, "the kill must land mid-transfer; acknowledged " + total);

            gateway.restart();

            String studyUid = DicomFiles.string(series.get(0).get(0), TagFromName.StudyInstanceUID);
            JsonNode study = gateway.awaitApi("/api/studies/" + studyUid,
                    st -> st.path("series").size() > 0, Duration.ofSeconds(30));
            for (int s = 0; s < 4; s++) {
                // Each storescu sends its files in order: the first acknowledged[s] were answered with success.
                for (Path original : series.get(s).subList(0, (int) acknowledged[s])) {
                    Path stored = DicomFiles.storedPath(gateway.dataDir(), original);
                    assertTrue(Files.isRegularFile(stored), "acknowledged but missing: " + stored);
                    assertEquals(DicomFiles.string(original, TagFromName.SOPInstanceUID),
                            DicomFiles.string(stored, TagFromName.SOPInstanceUID));
                }
                String seriesUid = DicomFiles.string(series.get(s).get(0), TagFromName.SeriesInstanceUID);
                int recorded = seriesNode(study, seriesUid).path("instanceCount").asInt();
                assertTrue(recorded >= acknowledged[s], "series " + s + ": recorded " + recorded + " < acknowledged "
                        + acknowledged[s]);
            }

            List<Dcmtk.Background> resenders = new java.util.ArrayList<>();
            for (int s = 0; s < 4; s++) {
                resenders.add(Dcmtk.storescuInBackground("STORESCU", gateway.dicomPort(), series.get(s),
                        work.resolve("resend-" + s + ".log")));
            }
            for (int s = 0; s < 4; s++) {
                Dcmtk.Result resent = resenders.get(s).finish();
                assertEquals(150, resent.successes(), resent.output());
            }
            JsonNode complete = gateway.awaitApi("/api/studies/" + studyUid,
                    st -> st.path("series").size() == 4 && java.util.stream.StreamSupport.stream(
                            st.path("series").spliterator(), false).allMatch(n -> n.path("instanceCount").asInt() == 150),
                    Duration.ofSeconds(30));
            assertEquals(4, complete.path("series").size());
            for (int s = 0; s < 4; s++) {
                Path seriesDir = DicomFiles.storedPath(gateway.dataDir(), series.get(s).get(0)).getParent();
                try (Stream<Path> stored = Files.list(seriesDir)) {
                    assertEquals(150, stored.count(), "one file per instance in series " + s);
                }
            }
        }
    }

    private static JsonNode seriesNode(JsonNode study, String seriesUid) {
        for (JsonNode node : study.path("series")) {
            if (seriesUid.equals(node.path("seriesInstanceUid").asText())) {
                return node;
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    @Test
    void killNineDuringStorescuLosesNothingAcknowledged() throws Exception {
        List<Path> files = TestEnvironment.dicomFiles(TestEnvironment.sharedData("dicom-philips-adni-mprage-t1"));
        Path work = TestEnvironment.workDir("crash");
        try (GatewayProcess gateway = GatewayProcess.start(work.resolve("data"), Map.of())) {
            Dcmtk.Background storescu = Dcmtk.storescuInBackground("STORESCU", gateway.dicomPort(), files,
                    work.resolve("storescu.log"));
            gateway.awaitMetric("neurogate_instances_received_total", 30, Duration.ofSeconds(60));
            gateway.kill9();
            Dcmtk.Result sent = storescu.finish();
            long acknowledged = sent.successes();
            assertTrue(acknowledged >= 30 && acknowledged < files.size(),
                    "the kill must land mid-transfer; acknowledged " + acknowledged);

            gateway.restart();

            // storescu sends in the order given: the first `acknowledged` files were answered with success.
            for (Path original : files.subList(0, (int) acknowledged)) {
                Path stored = DicomFiles.storedPath(gateway.dataDir(), original);
                assertTrue(Files.isRegularFile(stored), "acknowledged but missing: " + stored);
                assertEquals(DicomFiles.string(original, TagFromName.SOPInstanceUID),
                        DicomFiles.string(stored, TagFromName.SOPInstanceUID));
            }
            String studyUid = DicomFiles.string(files.get(0), TagFromName.StudyInstanceUID);
            // The stable timer is in the database: the interrupted series completes after the restart.
            JsonNode study = gateway.awaitApi("/api/studies/" + studyUid,
                    s -> "COMPLETE".equals(s.path("series").path(0).path("state").asText()), Duration.ofSeconds(30));
            int recorded = study.path("series").path(0).path("instanceCount").asInt();
            assertTrue(recorded >= acknowledged, "recorded " + recorded + " < acknowledged " + acknowledged);
            assertEquals(0, TestEnvironment.spoolFiles(gateway.dataDir()), "unacknowledged spool files are cleared at start");

            // The sender retries everything: no duplicates, exactly one row per instance.
            Dcmtk.Result resent = Dcmtk.storescu("STORESCU", gateway.dicomPort(), List.of(), files);
            assertEquals(files.size(), resent.successes(), resent.output());
            JsonNode complete = gateway.awaitApi("/api/studies/" + studyUid,
                    s -> "COMPLETE".equals(s.path("series").path(0).path("state").asText())
                            && s.path("series").path(0).path("instanceCount").asInt() == files.size(),
                    Duration.ofSeconds(30));
            assertEquals(1, complete.path("series").size());
            Path seriesDir = DicomFiles.storedPath(gateway.dataDir(), files.get(0)).getParent();
            try (Stream<Path> stored = Files.list(seriesDir)) {
                assertEquals(files.size(), stored.count());
            }
            assertEquals(1.0, gateway.metric("neurogate_analysis_queue_depth"), "one queued analysis job for the series");
        }
    }
}
