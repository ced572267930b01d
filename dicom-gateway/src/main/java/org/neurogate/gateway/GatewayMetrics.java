package org.neurogate.gateway;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicLong;

/** The Prometheus figures a PACS administrator watches: intake, rejections and the analysis backlog. */
@ApplicationScoped
public class GatewayMetrics {

    private final MeterRegistry registry;
    private final Counter instancesReceived;
    private final Counter bytesReceived;
    private final Counter duplicateInstances;
    private final AtomicLong queuedJobs = new AtomicLong();

    public GatewayMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.instancesReceived = Counter.builder("neurogate.instances.received")
                .description("Instances stored and recorded (C-STORE success)").register(registry);
        this.bytesReceived = Counter.builder("neurogate.received.bytes")
                .description("Data set bytes of stored instances").baseUnit("bytes").register(registry);
        this.duplicateInstances = Counter.builder("neurogate.instances.duplicate")
                .description("C-STOREs of an already recorded SOP Instance UID (acknowledged, not stored again)")
                .register(registry);
        registry.gauge("neurogate.analysis.queue.depth", queuedJobs);
    }

    public void instanceStored(long bytes) {
        instancesReceived.increment();
        bytesReceived.increment(bytes);
    }

    public void duplicateInstance() {
        duplicateInstances.increment();
    }

    public void storeFailed(int statusCode) {
        registry.counter("neurogate.store.failures", "status", String.format("0x%04X", statusCode)).increment();
    }

    public void associationRejected(String reason) {
        registry.counter("neurogate.associations.rejected", "reason", reason).increment();
    }

    public void associationAccepted() {
        registry.counter("neurogate.associations.accepted").increment();
    }

    public void queueDepth(long depth) {
        queuedJobs.set(depth);
    }
}
