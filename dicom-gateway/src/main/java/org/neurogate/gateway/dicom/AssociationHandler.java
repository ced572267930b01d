package org.neurogate.gateway.dicom;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.neurogate.gateway.GatewayMetrics;
import org.neurogate.gateway.audit.Actor;
import org.neurogate.gateway.audit.AuditLog;
import org.neurogate.gateway.availability.DatabaseWatch;
import org.neurogate.gateway.store.InstanceStore;
import org.neurogate.gateway.store.LogText;
import org.neurogate.gateway.store.StoreRequest;
import org.neurogate.gateway.tls.CertificateAeTitles;
import org.neurogate.gateway.ul.AssociateRequest;
import org.neurogate.gateway.ul.AssociationReleasedException;
import org.neurogate.gateway.ul.PresentationContextResult;
import org.neurogate.gateway.ul.UpperLayerConnection;
import org.neurogate.persistence.AuditEvent;

/**
 * Serves one association from A-ASSOCIATE-RQ to release: negotiation, then C-ECHO and C-STORE
 * requests in order. Log lines carry the association label and UIDs, never patient data.
 */
final class AssociationHandler implements Runnable {

    private static final Logger LOG = Logger.getLogger(AssociationHandler.class);

    static final String IMPLEMENTATION_CLASS_UID = "2.25.311971940876697132967837463591920375969";
    static final String IMPLEMENTATION_VERSION_NAME = "NEUROGATE_0_1";

    private final Socket socket;
    private final int number;
    private final AssociationPolicy policy;
    private final DicomScpConfig config;
    private final InstanceStore store;
    private final GatewayMetrics metrics;
    private final DatabaseWatch database;
    private final AuditLog audit;
    private final Optional<CertificateAeTitles> certificateAeTitles;
    private String peerAddress;
    private int stored;
    private int refused;

    /**
     * @param certificateAeTitles on the TLS port, the AE titles each certificate may call as; empty on the
     *                            plain port or when no mapping is configured
     */
    AssociationHandler(Socket socket, int number, AssociationPolicy policy, DicomScpConfig config,
                       InstanceStore store, GatewayMetrics metrics, DatabaseWatch database, AuditLog audit,
                       Optional<CertificateAeTitles> certificateAeTitles) {
        this.socket = socket;
        this.audit = audit;
        this.certificateAeTitles = certificateAeTitles;
        this.number = number;
        this.policy = policy;
        this.config = config;
        this.store = store;
        this.metrics = metrics;
        this.database = database;
    }

    @Override
    public void run() {
        peerAddress = socket.getInetAddress().getHostAddress();
        String peer = peerAddress + ":" + socket.getPort();
        String label = "assoc-" + number + " " + peer;
        UpperLayerConnection connection;
        try {
            socket.setTcpNoDelay(true);
            connection = new UpperLayerConnection(socket, config.dicom().maxPduLength(),
                    new UpperLayerConnection.Timeouts(config.dicom().associateTimeout(), config.dicom().idleTimeout(),
                            config.dicom().pduTimeout()));
        } catch (IOException e) {
            LOG.warnf("[%s] cannot set up connection: %s", label, e.getMessage());
            closeQuietly();
            return;
        }
        AssociateRequest request = null;
        try {
            request = connection.readAssociateRequest();
            label = "assoc-" + number + " " + LogText.safe(request.callingAeTitle()) + "->"
                    + LogText.safe(request.calledAeTitle()) + " " + peer;
            Optional<AssociationPolicy.Refusal> refusal = policy.refusal(request);
            Optional<String> certificateProblem = refusal.isPresent() ? Optional.empty()
                    : certificateProblem(request.callingAeTitle());
            if (certificateProblem.isPresent()) {
                refusal = Optional.of(AssociationPolicy.Refusal.CALLING_AE_NOT_RECOGNIZED);
            }
            if (refusal.isEmpty() && !database.databaseUp()) {
                // Nothing could be recorded: the sender should hold its studies and retry, not be told all is well.
                refusal = Optional.of(AssociationPolicy.Refusal.TEMPORARY_CONGESTION);
            }
            if (refusal.isPresent()) {
                AssociationPolicy.Refusal r = refusal.get();
                connection.reject(r.result, r.source, r.reason);
                connection.close();
                metrics.associationRejected(r.label);
                String why = certificateProblem.orElse(describe(r));
                LOG.warnf("Rejected association from calling AE '%s' at %s to called AE '%s': %s",
                        LogText.safe(request.callingAeTitle()), peer, LogText.safe(request.calledAeTitle()), why);
                boolean ours = r == AssociationPolicy.Refusal.LOCAL_LIMIT_EXCEEDED
                        || r == AssociationPolicy.Refusal.TEMPORARY_CONGESTION;
                audit.record(ours ? AuditEvent.ASSOCIATION_REFUSED : AuditEvent.NODE_AUTHENTICATION,
                        ours ? AuditEvent.SERIOUS_FAILURE : AuditEvent.MINOR_FAILURE,
                        Actor.dicomPeer(request.callingAeTitle(), peerAddress), "association",
                        request.calledAeTitle(), 0, "rejected: " + why + transport());
                return;
            }
            List<PresentationContextResult> results = policy.negotiate(request.presentationContexts());
            connection.accept(request, results, IMPLEMENTATION_CLASS_UID, IMPLEMENTATION_VERSION_NAME);
            metrics.associationAccepted();
            Map<Integer, PresentationContextResult> accepted = new HashMap<>();
            results.stream().filter(PresentationContextResult::accepted).forEach(r -> accepted.put(r.id(), r));
            LOG.infof("[%s] accepted: %d of %d presentation contexts", label, accepted.size(), results.size());
            String ending = serve(connection, request, accepted, label);
            recordAssociation(request, refused == 0 && ending.equals("released") ? AuditEvent.SUCCESS
                    : AuditEvent.MINOR_FAILURE, ending);
        } catch (AssociationReleasedException e) {
            LOG.debugf("[%s] %s", label, e.getMessage());
        } catch (SocketTimeoutException e) {
            String why = e instanceof org.neurogate.gateway.ul.DeadlineExceededException
                    ? e.getMessage() : "idle for " + config.dicom().idleTimeout();
            LOG.warnf("[%s] %s, aborting", label, why);
            connection.abort(2, 0);
            ended(request, "aborted: " + why);
        } catch (javax.net.ssl.SSLException e) {
            LOG.warnf("[%s] TLS failed: %s", label, LogText.safe(e.getMessage()));
            connection.abort(2, 0);
            if (request == null) {
                audit.record(AuditEvent.NODE_AUTHENTICATION, AuditEvent.MINOR_FAILURE, new Actor(null, null, peerAddress),
                        "association", null, 0, "TLS handshake failed: " + e.getMessage());
            } else {
                ended(request, "aborted: TLS failed: " + e.getMessage());
            }
        } catch (IOException e) {
            LOG.warnf("[%s] association failed: %s", label, e.getMessage());
            connection.abort(2, 0);
            ended(request, "aborted: " + e.getMessage());
        } catch (RuntimeException e) {
            LOG.errorf(e, "[%s] unexpected error, aborting association", label);
            connection.abort(2, 0);
            ended(request, "aborted: unexpected error");
        } catch (StackOverflowError e) {
            // Hostile nesting that got past every check: one line, not a page of stack.
            LOG.errorf("[%s] stack overflow while serving, aborting association", label);
            connection.abort(2, 0);
            ended(request, "aborted: stack overflow while parsing");
        } finally {
            closeQuietly();
        }
    }

    /**
     * On the TLS port with a certificate-to-AE mapping: why this calling AE title may not be used with
     * the peer's certificate, or empty when it may.
     */
    private Optional<String> certificateProblem(String callingAe) {
        if (certificateAeTitles.isEmpty() || !(socket instanceof javax.net.ssl.SSLSocket tlsSocket)) {
            return Optional.empty();
        }
        Optional<String> cn = CertificateAeTitles.commonName(CertificateAeTitles.peerCertificates(tlsSocket.getSession()));
        if (certificateAeTitles.get().allows(cn, callingAe)) {
            return Optional.empty();
        }
        return Optional.of(cn.map(name -> "certificate CN '" + LogText.safe(name) + "' may not call as '"
                + LogText.safe(callingAe) + "' (NEUROGATE_TLS_CLIENT_AE_TITLES)")
                .orElse("no client certificate, and NEUROGATE_TLS_CLIENT_AE_TITLES needs one"));
    }

    /**
     * An association that ended other than by release, for the audit trail. Before an A-ASSOCIATE-RQ was
     * read there was no association to record; the log line says why the connection ended.
     */
    private void ended(AssociateRequest request, String how) {
        if (request != null) {
            recordAssociation(request, AuditEvent.MINOR_FAILURE, how);
        }
    }

    private void recordAssociation(AssociateRequest request, int outcome, String how) {
        audit.record(AuditEvent.ASSOCIATION, outcome, Actor.dicomPeer(request.callingAeTitle(), peerAddress),
                "association", request.calledAeTitle(), stored,
                "%s: %d stored, %d refused%s".formatted(how, stored, refused, transport()));
    }

    private String transport() {
        if (socket instanceof javax.net.ssl.SSLSocket tlsSocket) {
            javax.net.ssl.SSLSession session = tlsSocket.getSession();
            java.security.cert.Certificate[] chain = CertificateAeTitles.peerCertificates(session);
            String cn = chain == null ? ", no client certificate"
                    : CertificateAeTitles.commonName(chain).map(n -> ", certificate CN " + n).orElse("");
            return "; " + session.getProtocol() + cn;
        }
        return "";
    }

    /** Serves DIMSE requests until the peer releases or aborts; answers which it was. */
    private String serve(UpperLayerConnection connection, AssociateRequest request,
                         Map<Integer, PresentationContextResult> accepted, String label) throws IOException {
        long started = System.nanoTime();
        try {
            while (true) {
                UpperLayerConnection.CommandSet command = connection.readCommand();
                DimseCommands.Request rq = DimseCommands.parse(command.bytes());
                PresentationContextResult context = accepted.get(command.presentationContextId());
                if (context == null) {
                    throw new IOException("command on presentation context " + command.presentationContextId()
                            + ", which was not accepted");
                }
                DimseStatus status;
                switch (rq.commandField()) {
                    case DimseCommands.C_ECHO_RQ -> status = DimseStatus.SUCCESS;
                    case DimseCommands.C_STORE_RQ -> {
                        if (!rq.hasDataSet()) {
                            throw new IOException("C-STORE-RQ without a data set");
                        }
                        Optional<DimseStatus> bad = commandProblem(rq, context);
                        if (bad.isPresent()) {
                            connection.readDataSet(command.presentationContextId(), OutputStream.nullOutputStream());
                            status = bad.get();
                            refused++;
                            metrics.storeFailed(status.code());
                            LOG.warnf("[%s] C-STORE-RQ (message %d) refused with %s: %s", label, rq.messageId(),
                                    status.hex(), status.errorComment());
                            break;
                        }
                        StoreRequest storeRequest = new StoreRequest(label, request.callingAeTitle(),
                                request.calledAeTitle(), context.abstractSyntax(), rq.affectedSopClassUid(),
                                rq.affectedSopInstanceUid(), context.transferSyntax());
                        status = store.store(storeRequest,
                                sink -> connection.readDataSet(command.presentationContextId(), sink));
                        if (status.isSuccess()) {
                            stored++;
                        } else {
                            refused++;
                        }
                    }
                    default -> throw new IOException(String.format("unsupported DIMSE command 0x%04X", rq.commandField()));
                }
                connection.sendCommand(command.presentationContextId(), DimseCommands.response(rq, status));
            }
        } catch (AssociationReleasedException e) {
            String ending = e.aborted() ? "aborted by peer" : "released";
            LOG.infof("[%s] %s: %d stored, %d refused in %d ms", label, ending, stored, refused,
                    (System.nanoTime() - started) / 1_000_000);
            return ending;
        }
    }

    /**
     * The command's own UIDs must be there and valid before anything is spooled: the Part 10 header is
     * built from them, and the SOP class must be the one negotiated on the context (PS3.7 9.1.1.1).
     */
    private static Optional<DimseStatus> commandProblem(DimseCommands.Request rq, PresentationContextResult context) {
        if (!StoreRequest.isValidUid(rq.affectedSopClassUid())) {
            return Optional.of(DimseStatus.failure(DimseStatus.MISSING_OR_INVALID_UID,
                    (rq.affectedSopClassUid() == null ? "missing" : "invalid") + " Affected SOP Class UID in the command"));
        }
        if (!StoreRequest.isValidUid(rq.affectedSopInstanceUid())) {
            return Optional.of(DimseStatus.failure(DimseStatus.MISSING_OR_INVALID_UID,
                    (rq.affectedSopInstanceUid() == null ? "missing" : "invalid") + " Affected SOP Instance UID in the command"));
        }
        if (!rq.affectedSopClassUid().equals(context.abstractSyntax())) {
            return Optional.of(DimseStatus.failure(DimseStatus.SOP_CLASS_NOT_SUPPORTED,
                    "Affected SOP Class UID is not the context's abstract syntax"));
        }
        return Optional.empty();
    }

    private String describe(AssociationPolicy.Refusal refusal) {
        return switch (refusal) {
            case CALLED_AE_NOT_RECOGNIZED -> "called AE title is not ours ('" + policy.aeTitle() + "')";
            case CALLING_AE_NOT_RECOGNIZED -> policy.allowedCallingAes().isEmpty()
                    ? "no calling AE is allowed yet (set NEUROGATE_ALLOWED_CALLING_AES)"
                    : "calling AE title not in NEUROGATE_ALLOWED_CALLING_AES";
            case APPLICATION_CONTEXT_NOT_SUPPORTED -> "not the DICOM application context";
            case LOCAL_LIMIT_EXCEEDED -> "too many associations at once";
            case TEMPORARY_CONGESTION -> "the catalog database is unavailable";
        };
    }

    private void closeQuietly() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
