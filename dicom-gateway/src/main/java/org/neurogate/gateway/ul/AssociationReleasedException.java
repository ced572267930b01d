package org.neurogate.gateway.ul;

import java.io.IOException;

/** The peer ended the association: by A-RELEASE-RQ (already answered) or by A-ABORT. */
public class AssociationReleasedException extends IOException {
    private final boolean aborted;

    public AssociationReleasedException(String message, boolean aborted) {
        super(message);
        this.aborted = aborted;
    }

    public boolean aborted() {
        return aborted;
    }
}
