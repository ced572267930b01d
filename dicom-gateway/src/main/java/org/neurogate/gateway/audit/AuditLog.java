package org.neurogate.gateway.audit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.OffsetDateTime;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;
import org.neurogate.gateway.tls.TlsConfig;
import org.neurogate.persistence.AuditEvent;
import org.neurogate.persistence.AuditTrail;

/**
 * Takes audited events from every part of the gateway without making any of them wait: a C-STORE or a
 * login never blocks on the trail. A writer thread appends them to PostgreSQL in batches and holds them
 * (in order, up to {@link AuditConfig#queueCapacity()}) while the database is away; a second thread
 * sends each to the syslog repository when one is configured. Shutdown writes what is left.
 */
@ApplicationScoped
public class AuditLog {

    private static final Logger LOG = Logger.getLogger(AuditLog.class);
    private static final int BATCH = 500;
    private static final long FLUSH_AT_STOP_MILLIS = 5000;

    private final AuditTrail trail;
    private final AuditConfig config;
    private final TlsConfig tls;
    private final LinkedBlockingDeque<Map.Entry<OffsetDateTime, AuditTrail.Recorded>> unwritten;
    private final LinkedBlockingDeque<Map.Entry<OffsetDateTime, AuditTrail.Recorded>> unsent;
    private final Counter dropped;
    private final Counter written;
    private volatile boolean stopping;
    private Thread writer;
    private Thread sender;

    public AuditLog(AuditTrail trail, AuditConfig config, TlsConfig tls, MeterRegistry registry) {
        this.trail = trail;
        this.config = config;
        this.tls = tls;
        this.unwritten = new LinkedBlockingDeque<>(Math.max(100, config.queueCapacity()));
        this.unsent = new LinkedBlockingDeque<>(Math.max(100, config.queueCapacity()));
        this.dropped = Counter.builder("neurogate.audit.events.dropped")
                .description("Audit events lost because the database was away longer than the queue holds")
                .register(registry);
        this.written = Counter.builder("neurogate.audit.events.written")
                .description("Audit events appended to the audit trail").register(registry);
        registry.gauge("neurogate.audit.events.pending", unwritten, LinkedBlockingDeque::size);
    }

    void start(@Observes @Priority(1) StartupEvent event) {
        writer = daemon("audit-writer", this::writeLoop);
        Optional<String> host = config.syslog().host();
        if (host.isPresent()) {
            SyslogSender syslog = new SyslogSender(host.get(), config.syslog().port(), config.syslog().protocol(),
                    config.sourceId(), tls);
            sender = daemon("audit-syslog", () -> sendLoop(syslog));
            LOG.infof("Audit messages also go to syslog %s:%d over %s", host.get(), config.syslog().port(),
                    config.syslog().protocol());
        }
    }

    private static Thread daemon(String name, Runnable loop) {
        Thread t = new Thread(loop, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    public void record(AuditEvent event, int outcome, Actor actor, String objectType, String objectId,
                       Integer instances, String detail) {
        AuditTrail.Recorded recorded = new AuditTrail.Recorded(event, outcome, actor.username(), actor.role(),
                actor.address(), objectType, objectId, instances, detail);
        Map.Entry<OffsetDateTime, AuditTrail.Recorded> entry = new AbstractMap.SimpleImmutableEntry<>(
                OffsetDateTime.now(), recorded);
        if (!unwritten.offerLast(entry)) {
            dropped.increment();
            LOG.errorf("Audit event %s dropped: %d events wait for the database already", event.kind(),
                    unwritten.size());
        }
        if (sender != null && !unsent.offerLast(entry)) {
            LOG.errorf("Audit event %s not sent to syslog: %d wait to be sent", event.kind(), unsent.size());
        }
    }

    private void writeLoop() {
        boolean failing = false;
        while (!stopping || !unwritten.isEmpty()) {
            List<Map.Entry<OffsetDateTime, AuditTrail.Recorded>> batch = new ArrayList<>();
            try {
                Map.Entry<OffsetDateTime, AuditTrail.Recorded> first = unwritten.pollFirst(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                unwritten.drainTo(batch, BATCH - 1);
                trail.append(batch);
                written.increment(batch.size());
                if (failing) {
                    LOG.infof("Audit trail written again (%d events held)", batch.size() + unwritten.size());
                    failing = false;
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // Back in front, in their order; newer events wait behind them (or are dropped when full).
                for (int i = batch.size() - 1; i >= 0; i--) {
                    if (!unwritten.offerFirst(batch.get(i))) {
                        dropped.increment();
                    }
                }
                if (!failing) {
                    LOG.warnf("Audit trail cannot be written, holding events until it can: %s", e.getMessage());
                    failing = true;
                }
                if (stopping) {
                    return;
                }
                sleep(1000);
            }
        }
    }

    private void sendLoop(SyslogSender syslog) {
        boolean failing = false;
        while (!stopping || !unsent.isEmpty()) {
            Map.Entry<OffsetDateTime, AuditTrail.Recorded> next;
            try {
                next = unsent.pollFirst(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (next == null) {
                continue;
            }
            try {
                syslog.send(next.getKey(), next.getValue());
                failing = false;
            } catch (java.io.IOException e) {
                unsent.offerFirst(next);
                if (!failing) {
                    LOG.warnf("Audit messages cannot be sent to syslog, holding them: %s", e.getMessage());
                    failing = true;
                }
                if (stopping) {
                    return;
                }
                sleep(2000);
            }
        }
        syslog.close();
    }

    /** After every other shutdown observer, so that their last events are written too. */
    void stop(@Observes @Priority(10_000) ShutdownEvent event) {
        stopping = true;
        for (Thread t : new Thread[] {writer, sender}) {
            if (t != null) {
                try {
                    t.join(FLUSH_AT_STOP_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        if (!unwritten.isEmpty()) {
            LOG.errorf("Audit trail: %d events could not be written before shutdown", unwritten.size());
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
