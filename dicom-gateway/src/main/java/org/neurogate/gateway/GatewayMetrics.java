package org.neurogate.gateway;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
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
    private final DistributionSummary instancesPerCommit;
    private final AtomicLong queuedJobs = new AtomicLong();
    private final AtomicLong orphans = new AtomicLong();

    public GatewayMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.instancesReceived = Counter.builder("neurogate.instances.received")
                .description("Instances stored and recorded (C-STORE success)").register(registry);
        this.bytesReceived = Counter.builder("neurogate.received.bytes")
                .description("Data set bytes of stored instances").baseUnit("bytes").register(registry);
        this.duplicateInstances = Counter.builder("neurogate.instances.duplicate")
                .description("C-STOREs of an already recorded SOP Instance UID (acknowledged, not stored again)")
                .register(registry);
        this.instancesPerCommit = DistributionSummary.builder("neurogate.store.commit.instances")
                .description("C-STOREs recorded per catalog transaction (group commit)").register(registry);
        registry.gauge("neurogate.analysis.queue.depth", queuedJobs);
        registry.gauge("neurogate.orphan.files", orphans);
    }

    public void instanceStored(long bytes) {
        instancesReceived.increment();
        bytesReceived.increment(bytes);
    }

    /** One catalog transaction of C-STOREs committed (or failed), with how many it held. */
    public void catalogCommit(int instances) {
        instancesPerCommit.record(instances);
    }

    public void duplicateInstance() {
        duplicateInstances.increment();
    }

    /** An instance refused or quarantined because its identity contradicts the store; kind as in RecordOutcome. */
    public void identityConflict(String kind) {
        registry.counter("neurogate.identity.conflicts", "kind", kind).increment();
    }

    /** Files found in instances/ without a catalog row by the last orphan check. */
    public void orphanFiles(long count) {
        orphans.set(count);
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

    private final java.util.Map<String, AtomicLong> outboxRows = new java.util.concurrent.ConcurrentHashMap<>();

    /** An analysis job ended: done, failed, or finished after another worker took it over. */
    public void analysisFinished(String outcome, double seconds) {
        registry.timer("neurogate.analysis.duration", "outcome", outcome)
                .record(java.time.Duration.ofMillis(Math.round(seconds * 1000)));
    }

    public void delivered(boolean ok) {
        registry.counter("neurogate.delivery.attempts", "result", ok ? "sent" : "failed").increment();
    }

    /** Outbox rows by state: PENDING, SENT, DEAD. */
    public void outbox(java.util.Map<String, Long> counts) {
        for (String state : new String[] {"PENDING", "SENT", "DEAD"}) {
            outboxRows.computeIfAbsent(state, k -> registry.gauge("neurogate.outbox.rows",
                    java.util.List.of(io.micrometer.core.instrument.Tag.of("state", k)), new AtomicLong()))
                    .set(counts.getOrDefault(state, 0L));
        }
    }

    public void queueDepth(long depth) {
        queuedJobs.set(depth);
    }
}
