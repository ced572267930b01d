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
import org.neurogate.gateway.availability.DatabaseWatch;
import org.neurogate.gateway.store.InstanceStore;
import org.neurogate.gateway.store.LogText;
import org.neurogate.gateway.store.StoreRequest;
import org.neurogate.gateway.ul.AssociateRequest;
import org.neurogate.gateway.ul.AssociationReleasedException;
import org.neurogate.gateway.ul.PresentationContextResult;
import org.neurogate.gateway.ul.UpperLayerConnection;

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

    AssociationHandler(Socket socket, int number, AssociationPolicy policy, DicomScpConfig config,
                       InstanceStore store, GatewayMetrics metrics, DatabaseWatch database) {
        this.socket = socket;
        this.number = number;
        this.policy = policy;
        this.config = config;
        this.store = store;
        this.metrics = metrics;
        this.database = database;
    }

    @Override
    public void run() {
        String peer = socket.getInetAddress().getHostAddress() + ":" + socket.getPort();
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
        try {
            AssociateRequest request = connection.readAssociateRequest();
            label = "assoc-" + number + " " + LogText.safe(request.callingAeTitle()) + "->"
                    + LogText.safe(request.calledAeTitle()) + " " + peer;
            Optional<AssociationPolicy.Refusal> refusal = policy.refusal(request);
            if (refusal.isEmpty() && !database.databaseUp()) {
                // Nothing could be recorded: the sender should hold its studies and retry, not be told all is well.
                refusal = Optional.of(AssociationPolicy.Refusal.TEMPORARY_CONGESTION);
            }
            if (refusal.isPresent()) {
                AssociationPolicy.Refusal r = refusal.get();
                connection.reject(r.result, r.source, r.reason);
                connection.close();
                metrics.associationRejected(r.label);
                LOG.warnf("Rejected association from calling AE '%s' at %s to called AE '%s': %s",
                        LogText.safe(request.callingAeTitle()), peer, LogText.safe(request.calledAeTitle()), describe(r));
                return;
            }
            List<PresentationContextResult> results = policy.negotiate(request.presentationContexts());
            connection.accept(request, results, IMPLEMENTATION_CLASS_UID, IMPLEMENTATION_VERSION_NAME);
            metrics.associationAccepted();
            Map<Integer, PresentationContextResult> accepted = new HashMap<>();
            results.stream().filter(PresentationContextResult::accepted).forEach(r -> accepted.put(r.id(), r));
            LOG.infof("[%s] accepted: %d of %d presentation contexts", label, accepted.size(), results.size());
            serve(connection, request, accepted, label);
        } catch (AssociationReleasedException e) {
            LOG.debugf("[%s] %s", label, e.getMessage());
        } catch (SocketTimeoutException e) {
            LOG.warnf("[%s] %s, aborting", label, e instanceof org.neurogate.gateway.ul.DeadlineExceededException
                    ? e.getMessage() : "idle for " + config.dicom().idleTimeout());
            connection.abort(2, 0);
        } catch (IOException e) {
            LOG.warnf("[%s] association failed: %s", label, e.getMessage());
            connection.abort(2, 0);
        } catch (RuntimeException e) {
            LOG.errorf(e, "[%s] unexpected error, aborting association", label);
            connection.abort(2, 0);
        } catch (StackOverflowError e) {
            // Hostile nesting that got past every check: one line, not a page of stack.
            LOG.errorf("[%s] stack overflow while serving, aborting association", label);
            connection.abort(2, 0);
        } finally {
            closeQuietly();
        }
    }

    private void serve(UpperLayerConnection connection, AssociateRequest request,
                       Map<Integer, PresentationContextResult> accepted, String label) throws IOException {
        int stored = 0;
        int failed = 0;
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
                            failed++;
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
                            failed++;
                        }
                    }
                    default -> throw new IOException(String.format("unsupported DIMSE command 0x%04X", rq.commandField()));
                }
                connection.sendCommand(command.presentationContextId(), DimseCommands.response(rq, status));
            }
        } catch (AssociationReleasedException e) {
            LOG.infof("[%s] %s: %d stored, %d refused in %d ms", label, e.aborted() ? "aborted by peer" : "released",
                    stored, failed, (System.nanoTime() - started) / 1_000_000);
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
