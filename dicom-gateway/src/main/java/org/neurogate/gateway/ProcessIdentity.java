package org.neurogate.gateway;

import java.security.SecureRandom;
import java.util.HexFormat;
import org.neurogate.persistence.AuditTrail;

/**
 * A name for this process that no other process sharing the database or the instance store has, now
 * or after a restart: job leases and spool folders are keyed by it. A container's process is often
 * PID 1 on a host name that a restarted pod keeps, so the name carries random bits too.
 */
public final class ProcessIdentity {

    private static final String NAME = AuditTrail.HOST.replaceAll("[^A-Za-z0-9.-]", "_") + "-"
            + ProcessHandle.current().pid() + "-" + HexFormat.of().formatHex(randomBytes());

    private ProcessIdentity() {
    }

    public static String name() {
        return NAME;
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[3];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }
}
