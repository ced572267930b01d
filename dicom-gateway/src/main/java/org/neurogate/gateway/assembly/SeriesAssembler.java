package org.neurogate.gateway.assembly;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.jboss.logging.Logger;
import org.neurogate.gateway.GatewayMetrics;
import org.neurogate.persistence.CompletedSeries;
import org.neurogate.persistence.InstanceCatalog;

/**
 * Turns RECEIVING series that have been quiet for the stable time into COMPLETE ones and queues their
 * analysis. The timer lives in the database ({@code series.last_received_at}), so a series that was
 * receiving when the gateway stopped still completes after a restart.
 */
@ApplicationScoped
public class SeriesAssembler {

    private static final Logger LOG = Logger.getLogger(SeriesAssembler.class);

    private final InstanceCatalog catalog;
    private final AssemblyConfig config;
    private final GatewayMetrics metrics;

    public SeriesAssembler(InstanceCatalog catalog, AssemblyConfig config, GatewayMetrics metrics) {
        this.catalog = catalog;
        this.config = config;
        this.metrics = metrics;
    }

    @Scheduled(every = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void completeStableSeries() {
        try {
            List<CompletedSeries> completed = catalog.completeStableSeries(config.seriesStableSeconds());
            for (CompletedSeries s : completed) {
                LOG.infof("Series %s complete: %s, %d instance(s)%s", s.seriesInstanceUid(), s.modality(),
                        s.instanceCount(), s.jobQueued() ? ", analysis queued" : "");
            }
            metrics.queueDepth(catalog.queuedJobCount());
        } catch (RuntimeException e) {
            // The database may be down; the next tick tries again and no timer is lost.
            LOG.warnf("Series assembly skipped: %s", e.getMessage());
        }
    }
}
