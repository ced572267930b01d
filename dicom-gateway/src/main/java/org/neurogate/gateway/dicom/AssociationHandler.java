package org.neurogate.gateway.dicom;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.neurogate.gateway.GatewayMetrics;
import org.neurogate.gateway.store.InstanceStore;
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

    AssociationHandler(Socket socket, int number, AssociationPolicy policy, DicomScpConfig config,
                       InstanceStore store, GatewayMetrics metrics) {
        this.socket = socket;
        this.number = number;
        this.policy = policy;
        this.config = config;
        this.store = store;
        this.metrics = metrics;
    }

    @Override
    public void run() {
        String peer = socket.getInetAddress().getHostAddress() + ":" + socket.getPort();
        String label = "assoc-" + number + " " + peer;
        UpperLayerConnection connection;
        try {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout((int) config.dicom().idleTimeout().toMillis());
            connection = new UpperLayerConnection(socket, config.dicom().maxPduLength());
        } catch (IOException e) {
            LOG.warnf("[%s] cannot set up connection: %s", label, e.getMessage());
            closeQuietly();
            return;
        }
        try {
            AssociateRequest request = connection.readAssociateRequest();
            label = "assoc-" + number + " " + request.callingAeTitle() + "->" + request.calledAeTitle() + " " + peer;
            Optional<AssociationPolicy.Refusal> refusal = policy.refusal(request);
            if (refusal.isPresent()) {
                AssociationPolicy.Refusal r = refusal.get();
                connection.reject(r.result, r.source, r.reason);
                connection.close();
                metrics.associationRejected(r.label);
                LOG.warnf("Rejected association from calling AE '%s' at %s to called AE '%s': %s",
                        request.callingAeTitle(), peer, request.calledAeTitle(), describe(r));
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
            LOG.warnf("[%s] idle for %s, aborting", label, config.dicom().idleTimeout());
            connection.abort(2, 0);
        } catch (IOException e) {
            LOG.warnf("[%s] association failed: %s", label, e.getMessage());
            connection.abort(2, 0);
        } catch (RuntimeException e) {
            LOG.errorf(e, "[%s] unexpected error, aborting association", label);
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

    private String describe(AssociationPolicy.Refusal refusal) {
        return switch (refusal) {
            case CALLED_AE_NOT_RECOGNIZED -> "called AE title is not ours ('" + policy.aeTitle() + "')";
            case CALLING_AE_NOT_RECOGNIZED -> policy.allowedCallingAes().isEmpty()
                    ? "no calling AE is allowed yet (set NEUROGATE_ALLOWED_CALLING_AES)"
                    : "calling AE title not in NEUROGATE_ALLOWED_CALLING_AES";
            case APPLICATION_CONTEXT_NOT_SUPPORTED -> "not the DICOM application context";
            case LOCAL_LIMIT_EXCEEDED -> "too many associations at once";
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
