package org.neurogate.gateway.ul;

import java.util.List;

/** The parts of an A-ASSOCIATE-RQ PDU (PS3.8 9.3.2) that an acceptor decides on. */
public record AssociateRequest(
        String calledAeTitle,
        String callingAeTitle,
        String applicationContext,
        List<PresentationContextProposal> presentationContexts,
        long maxPduLength,
        String implementationClassUid,
        String implementationVersionName) {

    public AssociateRequest {
        presentationContexts = List.copyOf(presentationContexts);
    }
}
