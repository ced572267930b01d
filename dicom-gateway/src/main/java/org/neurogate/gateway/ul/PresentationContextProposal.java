package org.neurogate.gateway.ul;

import java.util.List;

/** One presentation context of an A-ASSOCIATE-RQ (PS3.8 9.3.2.2). */
public record PresentationContextProposal(int id, String abstractSyntax, List<String> transferSyntaxes) {
    public PresentationContextProposal {
        transferSyntaxes = List.copyOf(transferSyntaxes);
    }
}
