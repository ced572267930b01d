package org.neurogate.gateway.results;

import com.pixelmed.dicom.SetOfDicomFiles;
import com.pixelmed.network.MultipleInstanceTransferStatusHandler;
import com.pixelmed.network.StorageSOPClassSCU;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.util.List;
import org.jboss.logging.Logger;
import org.neurogate.gateway.ProcessConfig;
import org.neurogate.gateway.GatewayMetrics;
import org.neurogate.gateway.dicom.DicomScpConfig;
import org.neurogate.gateway.store.StorageConfig;
import org.neurogate.persistence.Outbox;

/**
 * Sends report objects to their destinations with C-STORE (PixelMed's Storage SCU), one association
 * per object. A failure is retried with exponential backoff; after the configured number of attempts
 * the row is dead-lettered and stays visible in the API and the metrics. A destination that is down
 * gets everything once it returns: each object is one row per destination, sent once.
 */
@ApplicationScoped
public class Forwarder {

    private static final Logger LOG = Logger.getLogger(Forwarder.class);

    private final Outbox outbox;
    private final ResultsConfig config;
    private final StorageConfig storage;
    private final DicomScpConfig scp;
    private final GatewayMetrics metrics;

    private final ProcessConfig process;

    public Forwarder(Outbox outbox, ResultsConfig config, StorageConfig storage, DicomScpConfig scp, GatewayMetrics metrics,
                     ProcessConfig process) {
        this.process = process;
        this.outbox = outbox;
        this.config = config;
        this.storage = storage;
        this.scp = scp;
        this.metrics = metrics;
    }

    @Scheduled(every = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void deliver() {
        if (!process.runs(ProcessConfig.Role.DELIVERY)) {
            return;
        }
        try {
            List<Outbox.Due> due = outbox.take(20, config.delivery().sendTimeoutSeconds());
            for (Outbox.Due d : due) {
                send(d);
            }
            metrics.outbox(outbox.counts());
        } catch (RuntimeException e) {
            LOG.warnf("Delivery skipped: %s", e.getMessage());
        }
    }

    private void send(Outbox.Due d) {
        Destination to = Destination.parse(d.destination());
        Path file = storage.dataDir().toAbsolutePath().resolve(d.storagePath());
        String error;
        try {
            int[] outcome = new int[3];
            SetOfDicomFiles files = new SetOfDicomFiles();
            files.add(file.toString(), d.sopClassUid(), d.sopInstanceUid(), "1.2.840.10008.1.2.1");
            StorageSOPClassSCU scu = new StorageSOPClassSCU(to.host(), to.port(), to.aeTitle(), scp.aeTitle(), files, 0,
                    new MultipleInstanceTransferStatusHandler() {
                        @Override
                        public void updateStatus(int remaining, int completed, int failed, int warning, String sop) {
                            outcome[0] = completed;
                            outcome[1] = failed;
                            outcome[2] = warning;
                        }
                    });
            if (outcome[0] + outcome[2] >= 1 && outcome[1] == 0 && !scu.encounteredTrappedExceptions()) {
                outbox.sent(d.id());
                metrics.delivered(true);
                LOG.infof("Delivered %s to %s", d.sopInstanceUid(), to);
                return;
            }
            error = scu.encounteredTrappedExceptions() ? "association or transfer failed" : "C-STORE refused";
        } catch (Exception e) {
            error = e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        double backoff = Math.min(config.delivery().maxBackoffSeconds(),
                config.delivery().backoffSeconds() * Math.pow(2, d.attempts()));
        outbox.failed(d.id(), error, backoff, config.delivery().maxAttempts());
        metrics.delivered(false);
        boolean dead = d.attempts() + 1 >= config.delivery().maxAttempts();
        LOG.warnf("Delivery of %s to %s failed (attempt %d): %s; %s", d.sopInstanceUid(), to, d.attempts() + 1, error,
                dead ? "dead-lettered" : String.format("retry in %.0f s", backoff));
    }
}
