package org.neurogate.systemtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pixelmed.dicom.TagFromName;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.neurogate.phantoms.SyntheticMrSeries;

/**
 * A hostile or broken peer cannot take the receiver away from the scanners: idle and dripping sockets
 * are closed on deadlines, one address cannot hold every slot, and a dead embedded database is
 * restarted (associations are refused while it is down, not answered "all is well").
 */
class AvailabilitySystemTest {

    private static GatewayProcess gateway;
    private static Path work;

    @BeforeAll
    static void start() throws Exception {
        work = TestEnvironment.workDir("availability");
        gateway = GatewayProcess.start(work.resolve("data"), Map.of("NEUROGATE_DICOM_PDU_TIMEOUT", "5s"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void thirtyTwoIdleSocketsDoNotBlockAScanner() throws Exception {
        List<Path> series = SyntheticMrSeries.write(new SyntheticMrSeries.Spec(515, 0, 5, 64, 1.0), work.resolve("idle"));
        List<Socket> idle = new ArrayList<>();
        try {
            // Another host (127.0.0.2) opens 32 connections and never sends a byte.
            for (int i = 0; i < 32; i++) {
                Socket s = new Socket();
                s.bind(new InetSocketAddress("127.0.0.2", 0));
                s.connect(new InetSocketAddress("127.0.0.1", gateway.dicomPort()), 5000);
                idle.add(s);
            }
            long start = System.nanoTime();
            Dcmtk.Result sent = Dcmtk.storescu("STORESCU", gateway.dicomPort(), List.of(), series);
            double seconds = (System.nanoTime() - start) / 1e9;
            assertEquals(series.size(), sent.successes(), sent.output());
            assertTrue(seconds < 15, "the scanner got through in " + seconds + " s");
            // Every idle socket is closed by the gateway: refused at once past the per-peer limit, or at the
            // A-ASSOCIATE-RQ deadline (10 s).
            for (Socket s : idle) {
                assertTrue(closedWithin(s, 15_000), "idle socket still open after 15 s");
            }
        } finally {
            for (Socket s : idle) {
                s.close();
            }
        }
        assertTrue(gateway.log().contains("connections already open from this address"));
    }

    @Test
    void aPeerDrippingItsAssociationRequestIsClosedAtTheDeadline() throws Exception {
        try (Socket s = new Socket("127.0.0.1", gateway.dicomPort())) {
            long start = System.nanoTime();
            OutputStream out = s.getOutputStream();
            s.setSoTimeout(2000);
            // One byte every 2 s: inside any per-read timeout, far outside the 10 s deadline for the whole request.
            boolean closed = false;
            for (int i = 0; i < 10 && !closed; i++) {
                try {
                    out.write(i == 0 ? 0x01 : 0x00);
                    out.flush();
                    int answer = s.getInputStream().read();
                    closed = answer < 0 || answer == 0x07; // end of stream, or the A-ABORT sent before it
                } catch (SocketTimeoutException stillOpen) {
                    // keep dripping
                } catch (IOException reset) {
                    closed = true;
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            assertTrue(closed, "still open after " + seconds + " s");
            assertTrue(seconds < 15, "closed after " + seconds + " s");
        }
        assertTrue(gateway.log().contains("A-ASSOCIATE-RQ deadline of PT10S exceeded"));
    }

    @Test
    void aPeerDrippingAPduIsAbortedAtThePduDeadline() throws Exception {
        try (RawScu scu = RawScu.associate(gateway.dicomPort(), "TESTSCU", List.of(
                new RawScu.Context(1, com.pixelmed.dicom.SOPClass.MRImageStorage,
                        com.pixelmed.dicom.TransferSyntax.ExplicitVRLittleEndian)))) {
            long start = System.nanoTime();
            // One byte every second for up to 30 s: a gateway stalled by other work (a model run on two
            // cores) may cut the drip late, which is still the deadline working; never cutting it is not.
            boolean aborted = scu.dripPdu(1000, 30);
            double seconds = (System.nanoTime() - start) / 1e9;
            assertTrue(aborted, "the drip was not cut off after " + seconds + " s; gateway log:\n" + tail(gateway.log()));
            assertTrue(seconds < 20, "aborted after " + seconds + " s (PDU deadline 5 s)");
        }
        assertTrue(gateway.log().contains("PDU deadline of PT5S exceeded"), tail(gateway.log()));
    }

    @Test
    void theEmbeddedDatabaseKilledIsRestartedAndStoresResume() throws Exception {
        List<Path> series = SyntheticMrSeries.write(new SyntheticMrSeries.Spec(616, 0, 5, 64, 1.0), work.resolve("db"));
        List<String> pidFile = Files.readAllLines(gateway.dataDir().resolve("pgdata").resolve("postmaster.pid"));
        long postmaster = Long.parseLong(pidFile.get(0).trim());
        new ProcessBuilder("kill", "-9", Long.toString(postmaster)).inheritIO().start().waitFor();
        long start = System.nanoTime();
        Dcmtk.Result sent = null;
        while (System.nanoTime() - start < Duration.ofSeconds(30).toNanos()) {
            sent = Dcmtk.storescu("STORESCU", gateway.dicomPort(), List.of(), series);
            if (sent.successes() == series.size()) {
                break;
            }
            Thread.sleep(500);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        assertEquals(series.size(), sent.successes(), "stores did not resume within 30 s:\n" + sent.output());
        String log = gateway.log();
        assertTrue(log.contains("Embedded PostgreSQL restarted"), "restart logged");
        assertTrue(log.contains("Database unavailable"), "the outage was noticed");
        assertEquals(200, gateway.get("/q/health/ready", false).statusCode());
        assertEquals(200, gateway.get("/q/health/live", false).statusCode());
        String studyUid = DicomFiles.string(series.get(0), TagFromName.StudyInstanceUID);
        assertEquals(series.size(), gateway.api("/api/studies/" + studyUid).path("series").path(0)
                .path("instanceCount").asInt());
        System.out.printf("embedded database killed: stores resumed after %.1f s%n", seconds);
    }

    private static boolean closedWithin(Socket s, int millis) throws IOException {
        s.setSoTimeout(millis);
        try {
            InputStream in = s.getInputStream();
            while (true) {
                if (in.read() < 0) {
                    return true;
                }
            }
        } catch (SocketTimeoutException open) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    private static String tail(String log) {
        return log.substring(Math.max(0, log.length() - 6000));
    }
}
