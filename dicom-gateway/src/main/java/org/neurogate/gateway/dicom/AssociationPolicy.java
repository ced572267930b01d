package org.neurogate.gateway.dicom;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.neurogate.gateway.ul.AssociateRequest;
import org.neurogate.gateway.ul.PresentationContextProposal;
import org.neurogate.gateway.ul.PresentationContextResult;
import org.neurogate.gateway.ul.UpperLayerConnection;

/**
 * Decides whether to accept an association and which presentation contexts (PS3.8 9.3.3) to accept.
 * All of it is configuration: our AE title, the calling AE allow-list, SOP classes and transfer syntaxes.
 */
public final class AssociationPolicy {

    /** Verification SOP Class (PS3.4 A.4): C-ECHO is always answered. */
    public static final String VERIFICATION = "1.2.840.10008.1.1";

    /** Why an association was refused, with the A-ASSOCIATE-RJ fields (PS3.8 table 9-21). */
    public enum Refusal {
        CALLED_AE_NOT_RECOGNIZED("called-ae", 1, 1, 7),
        CALLING_AE_NOT_RECOGNIZED("calling-ae", 1, 1, 3),
        APPLICATION_CONTEXT_NOT_SUPPORTED("application-context", 1, 1, 2),
        LOCAL_LIMIT_EXCEEDED("local-limit", 2, 3, 2),
        /** The catalog database is down: transient, so the sender retries later. */
        TEMPORARY_CONGESTION("database-unavailable", 2, 3, 1);

        public final String label;
        public final int result;
        public final int source;
        public final int reason;

        Refusal(String label, int result, int source, int reason) {
            this.label = label;
            this.result = result;
            this.source = source;
            this.reason = reason;
        }
    }

    private final String aeTitle;
    private final Set<String> allowedCallingAes;
    private final Set<String> sopClasses;
    private final Set<String> transferSyntaxes;

    public AssociationPolicy(String aeTitle, List<String> allowedCallingAes, List<String> sopClasses,
                             List<String> transferSyntaxes) {
        this.aeTitle = aeTitle.strip();
        this.allowedCallingAes = trimmed(allowedCallingAes);
        this.sopClasses = trimmed(sopClasses);
        this.sopClasses.add(VERIFICATION);
        this.transferSyntaxes = trimmed(transferSyntaxes);
    }

    public static AssociationPolicy from(DicomScpConfig config) {
        return new AssociationPolicy(config.aeTitle(), config.allowedCallingAes().orElse(List.of()),
                config.dicom().acceptedSopClasses(), config.dicom().acceptedTransferSyntaxes());
    }

    public String aeTitle() {
        return aeTitle;
    }

    public Set<String> allowedCallingAes() {
        return Set.copyOf(allowedCallingAes);
    }

    public Optional<Refusal> refusal(AssociateRequest request) {
        if (!aeTitle.equals(request.calledAeTitle())) {
            return Optional.of(Refusal.CALLED_AE_NOT_RECOGNIZED);
        }
        if (!allowedCallingAes.contains(request.callingAeTitle())) {
            return Optional.of(Refusal.CALLING_AE_NOT_RECOGNIZED);
        }
        if (!UpperLayerConnection.APPLICATION_CONTEXT.equals(request.applicationContext())) {
            return Optional.of(Refusal.APPLICATION_CONTEXT_NOT_SUPPORTED);
        }
        return Optional.empty();
    }

    /**
     * One result per proposed context. Of the transfer syntaxes we support, the sender's first choice
     * wins, so an object is stored in the encoding its sender preferred.
     */
    public List<PresentationContextResult> negotiate(List<PresentationContextProposal> proposals) {
        List<PresentationContextResult> results = new ArrayList<>(proposals.size());
        for (PresentationContextProposal p : proposals) {
            String firstProposed = p.transferSyntaxes().isEmpty() ? "" : p.transferSyntaxes().get(0);
            if (p.abstractSyntax() == null || !sopClasses.contains(p.abstractSyntax())) {
                results.add(new PresentationContextResult(p.id(),
                        PresentationContextResult.ABSTRACT_SYNTAX_NOT_SUPPORTED, p.abstractSyntax(), firstProposed));
                continue;
            }
            Optional<String> chosen = p.transferSyntaxes().stream().filter(transferSyntaxes::contains).findFirst();
            results.add(chosen
                    .map(ts -> new PresentationContextResult(p.id(), PresentationContextResult.ACCEPTANCE,
                            p.abstractSyntax(), ts))
                    .orElseGet(() -> new PresentationContextResult(p.id(),
                            PresentationContextResult.TRANSFER_SYNTAXES_NOT_SUPPORTED, p.abstractSyntax(), firstProposed)));
        }
        return results;
    }

    private static Set<String> trimmed(List<String> values) {
        Set<String> set = new LinkedHashSet<>();
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                set.add(v.strip());
            }
        }
        return set;
    }
}
