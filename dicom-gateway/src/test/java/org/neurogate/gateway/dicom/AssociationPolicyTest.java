package org.neurogate.gateway.dicom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.neurogate.gateway.ul.AssociateRequest;
import org.neurogate.gateway.ul.PresentationContextProposal;
import org.neurogate.gateway.ul.PresentationContextResult;
import org.neurogate.gateway.ul.UpperLayerConnection;

class AssociationPolicyTest {

    private static final String MR = "1.2.840.10008.5.1.4.1.1.4";
    private static final String CT = "1.2.840.10008.5.1.4.1.1.2";
    private static final String EXPLICIT_LE = "1.2.840.10008.1.2.1";
    private static final String IMPLICIT_LE = "1.2.840.10008.1.2";
    private static final String JPEG_LS = "1.2.840.10008.1.2.4.80";

    private final AssociationPolicy policy = new AssociationPolicy("NEUROGATE", List.of("SCANNER1", " PACS "),
            List.of(MR), List.of(IMPLICIT_LE, EXPLICIT_LE, JPEG_LS));

    @Test
    void emptyAllowListRejectsEveryCallingAe() {
        AssociationPolicy closed = new AssociationPolicy("NEUROGATE", List.of(), List.of(MR), List.of(EXPLICIT_LE));
        assertEquals(AssociationPolicy.Refusal.CALLING_AE_NOT_RECOGNIZED, closed.refusal(request("SCANNER1", "NEUROGATE")).orElseThrow());
    }

    @Test
    void unknownCallingAeIsRejectedAndListedOnesAccepted() {
        assertEquals(AssociationPolicy.Refusal.CALLING_AE_NOT_RECOGNIZED, policy.refusal(request("INTRUDER", "NEUROGATE")).orElseThrow());
        assertTrue(policy.refusal(request("SCANNER1", "NEUROGATE")).isEmpty());
        assertTrue(policy.refusal(request("PACS", "NEUROGATE")).isEmpty(), "allow-list entries are trimmed");
    }

    @Test
    void wrongCalledAeIsRejected() {
        assertEquals(AssociationPolicy.Refusal.CALLED_AE_NOT_RECOGNIZED, policy.refusal(request("SCANNER1", "OTHER")).orElseThrow());
    }

    @Test
    void rejectionFieldsFollowPs38() {
        AssociationPolicy.Refusal r = AssociationPolicy.Refusal.CALLING_AE_NOT_RECOGNIZED;
        assertEquals(1, r.result, "rejected-permanent");
        assertEquals(1, r.source, "service-user");
        assertEquals(3, r.reason, "calling-AE-title-not-recognized");
    }

    @Test
    void negotiationKeepsTheSendersFirstSupportedSyntaxAndRefusesOthers() {
        List<PresentationContextResult> results = policy.negotiate(List.of(
                new PresentationContextProposal(1, MR, List.of("1.2.3.4.5.6.7", JPEG_LS, EXPLICIT_LE)),
                new PresentationContextProposal(3, CT, List.of(EXPLICIT_LE)),
                new PresentationContextProposal(5, MR, List.of("1.2.3.4.5.6.7")),
                new PresentationContextProposal(7, AssociationPolicy.VERIFICATION, List.of(IMPLICIT_LE))));
        assertEquals(new PresentationContextResult(1, 0, MR, JPEG_LS), results.get(0));
        assertEquals(PresentationContextResult.ABSTRACT_SYNTAX_NOT_SUPPORTED, results.get(1).result());
        assertEquals(PresentationContextResult.TRANSFER_SYNTAXES_NOT_SUPPORTED, results.get(2).result());
        assertTrue(results.get(3).accepted(), "verification is always accepted");
    }

    private static AssociateRequest request(String calling, String called) {
        return new AssociateRequest(called, calling, UpperLayerConnection.APPLICATION_CONTEXT, List.of(), 16384, "1.2.3", "TEST");
    }
}
