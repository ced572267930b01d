package org.neurogate.gateway.api;

import java.util.Set;

/** The three kinds of API user. */
public final class ApiRoles {
    /** Configures NeuroGate and manages users. */
    public static final String ADMIN = "admin";
    /** Reads identified studies and results. */
    public static final String RADIOLOGIST = "radiologist";
    /** Reads de-identified exports only; identified study lists are closed to this role. */
    public static final String RESEARCHER = "researcher";

    public static final Set<String> ALL = Set.of(ADMIN, RADIOLOGIST, RESEARCHER);

    private ApiRoles() {
    }
}
