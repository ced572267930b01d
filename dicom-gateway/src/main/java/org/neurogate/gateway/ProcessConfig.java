package org.neurogate.gateway;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * What this process does, and how it stops. Any number of processes, each with any of the roles, can
 * share one external PostgreSQL and one instance store (a shared directory): everything that spans
 * them (the study a series belongs to, when a series and a study are complete, job and delivery
 * claims with their leases) is decided in the database, never in one process's memory.
 */
@ConfigMapping(prefix = "neurogate")
public interface ProcessConfig {

    /** Every role: one process doing everything. */
    String ALL_ROLES = "receiver,worker,delivery,web";

    /** The parts of the gateway a process can run. */
    enum Role {
        /** The DICOM SCP (C-ECHO, C-STORE) and series assembly. */
        RECEIVER,
        /** Analysis jobs: the models are loaded only where this runs. */
        WORKER,
        /** The outbox: report objects sent to the PACS. */
        DELIVERY,
        /** The API, the report viewer and research exports. */
        WEB;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * The roles of this process, a comma list of receiver, worker, delivery and web. The default, all
     * four, is one process doing everything, as with the embedded database; anything else needs an
     * external PostgreSQL (QUARKUS_DATASOURCE_JDBC_URL) that the other processes share.
     * Env: NEUROGATE_ROLES (or {@code ./neurogate run --roles receiver,web}).
     */
    @WithDefault(ALL_ROLES)
    Set<Role> roles();

    /**
     * After SIGTERM, readiness is down for this long before anything stops, so that a load balancer
     * (a Kubernetes Service) stops sending new associations and requests first.
     * Env: NEUROGATE_SHUTDOWN_DELAY.
     */
    @WithDefault("0s")
    Duration shutdownDelay();

    /**
     * At shutdown, how long open DICOM associations get to finish, and the workers to stop their ONNX
     * runs and hand their jobs back, before the process exits anyway (a job's lease then expires).
     * Env: NEUROGATE_SHUTDOWN_GRACE.
     */
    @WithDefault("20s")
    Duration shutdownGrace();

    default boolean runs(Role role) {
        return roles().contains(role);
    }

    /** The roles as NEUROGATE_ROLES spells them: "receiver,web". */
    default String describe() {
        return String.join(",", roles().stream().sorted().map(Role::label).toList());
    }

    /** NEUROGATE_ROLES read before the configuration exists (see {@link NeuroGateMain}); an unknown name is refused. */
    static Set<Role> parse(String list) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (String name : list.split(",")) {
            String n = name.strip();
            if (n.isEmpty()) {
                continue;
            }
            try {
                roles.add(Role.valueOf(n.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("NEUROGATE_ROLES: unknown role '" + n
                        + "'; the roles are receiver, worker, delivery and web");
            }
        }
        if (roles.isEmpty()) {
            throw new IllegalArgumentException("NEUROGATE_ROLES is empty; the roles are receiver, worker, delivery and web");
        }
        return roles;
    }
}
