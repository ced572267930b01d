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

/** SIGKILL in the middle of a transfer: what was acknowledged survives, nothing is doubled. */
class CrashRecoverySystemTest {

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
            try (Stream<Path> spool = Files.list(gateway.dataDir().resolve("spool"))) {
                assertEquals(0, spool.count(), "unacknowledged spool files are cleared at start");
            }

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
