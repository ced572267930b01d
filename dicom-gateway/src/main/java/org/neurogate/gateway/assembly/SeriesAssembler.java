package org.neurogate.gateway.assembly;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.jboss.logging.Logger;
import org.neurogate.gateway.ProcessConfig;
import org.neurogate.gateway.GatewayMetrics;
import org.neurogate.persistence.CompletedSeries;
import org.neurogate.persistence.InstanceCatalog;

/**
 * Turns RECEIVING series that have been quiet for the stable time into COMPLETE ones and queues their
 * analysis, on receiver processes. The timer lives in the database ({@code series.last_received_at}),
 * so a series that was receiving when the gateway stopped still completes after a restart, and any
 * receiver completes it whichever received it.
 */
@ApplicationScoped
public class SeriesAssembler {

    private static final Logger LOG = Logger.getLogger(SeriesAssembler.class);

    private final InstanceCatalog catalog;
    private final AssemblyConfig config;
    private final GatewayMetrics metrics;

    private final ProcessConfig process;

    public SeriesAssembler(InstanceCatalog catalog, AssemblyConfig config, GatewayMetrics metrics, ProcessConfig process) {
        this.process = process;
        this.catalog = catalog;
        this.config = config;
        this.metrics = metrics;
    }

    @Scheduled(every = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void completeStableSeries() {
        try {
            if (process.runs(ProcessConfig.Role.RECEIVER)) {
                List<CompletedSeries> completed = catalog.completeStableSeries(config.seriesStableSeconds());
                for (CompletedSeries s : completed) {
                    LOG.infof("Series %s complete: %s, %d instance(s)%s", s.seriesInstanceUid(), s.modality(),
                            s.instanceCount(), s.jobQueued() ? ", analysis queued" : "");
                }
            }
            // Every process exports the queue depth, so that workers can be scaled on their own metric.
            metrics.queueDepth(catalog.queuedJobCount());
        } catch (RuntimeException e) {
            // The database may be down; the next tick tries again and no timer is lost.
            LOG.warnf("Series assembly skipped: %s", e.getMessage());
        }
    }
}
