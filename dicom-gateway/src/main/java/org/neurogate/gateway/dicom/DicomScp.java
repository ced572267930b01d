package org.neurogate.gateway.dicom;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;
import org.neurogate.gateway.GatewayMetrics;
import org.neurogate.gateway.ProcessConfig;
import org.neurogate.gateway.audit.AuditLog;
import org.neurogate.gateway.availability.DatabaseWatch;
import org.neurogate.gateway.store.InstanceStore;
import org.neurogate.gateway.tls.CertificateAeTitles;
import org.neurogate.gateway.tls.SecureTransport;
import org.neurogate.gateway.tls.TlsConfig;
import org.neurogate.gateway.ul.UpperLayerConnection;

/**
 * The DICOM listener (Storage SCP and Verification SCP, PS3.4 annexes A and B). One thread per
 * association, up to the configured limit, and at most a share of them per peer address; past either,
 * associations are rejected as transient. A connection that does not send its A-ASSOCIATE-RQ in time is
 * closed, so idle sockets hold a slot for seconds, not minutes. The plain port and the TLS port share
 * the slots and the rules; only the transport differs.
 */
@ApplicationScoped
public class DicomScp {

    private static final Logger LOG = Logger.getLogger(DicomScp.class);

    private final DicomScpConfig config;
    private final InstanceStore store;
    private final GatewayMetrics metrics;
    private final DatabaseWatch health;
    private final AtomicInteger associations = new AtomicInteger();
    private final java.util.concurrent.ConcurrentHashMap<java.net.InetAddress, AtomicInteger> perPeer =
            new java.util.concurrent.ConcurrentHashMap<>();
    private final TlsConfig tls;
    private final AuditLog audit;
    private final Optional<CertificateAeTitles> certificateAeTitles;
    private volatile ServerSocket serverSocket;
    private volatile ServerSocket tlsServerSocket;
    private ThreadPoolExecutor workers;
    private AssociationPolicy policy;
    private final ProcessConfig process;

    public DicomScp(DicomScpConfig config, TlsConfig tls, InstanceStore store, GatewayMetrics metrics,
                    DatabaseWatch health, AuditLog audit, ProcessConfig process) {
        this.process = process;
        this.config = config;
        this.audit = audit;
        this.certificateAeTitles = CertificateAeTitles.parse(tls.clientAeTitles());
        this.tls = tls;
        this.store = store;
        this.metrics = metrics;
        this.health = health;
    }

    void start(@Observes StartupEvent event) throws IOException {
        policy = AssociationPolicy.from(config);
        if (!process.runs(ProcessConfig.Role.RECEIVER)) {
            LOG.infof("DICOM SCP off: this process's roles are %s", process.describe());
            return;
        }
        AtomicInteger threadNumber = new AtomicInteger();
        workers = new ThreadPoolExecutor(0, config.dicom().maxAssociations(), 60, TimeUnit.SECONDS,
                new SynchronousQueue<>(), r -> {
                    Thread t = new Thread(r, "dicom-association-" + threadNumber.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        if (config.dicom().plainEnabled()) {
            ServerSocket socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(config.dicom().listenAddress(), config.dicomPort()), 128);
            serverSocket = socket;
            startAcceptor(socket, "dicom-acceptor");
            LOG.infof("DICOM SCP listening: AE title %s, %s port %d; allowed calling AEs: %s", policy.aeTitle(),
                    config.dicom().listenAddress(), socket.getLocalPort(), policy.allowedCallingAes().isEmpty()
                            ? "none (every association is rejected until NEUROGATE_ALLOWED_CALLING_AES is set)"
                            : String.join(",", policy.allowedCallingAes()));
        }
        if (tls.enabled()) {
            SSLServerSocket socket = SecureTransport.listen(SecureTransport.serverContext(tls), tls,
                    new InetSocketAddress(config.dicom().tlsListenAddress(), config.dicom().tlsPort()), 128);
            tlsServerSocket = socket;
            startAcceptor(socket, "dicom-tls-acceptor");
            LOG.infof("DICOM TLS SCP listening: AE title %s, %s port %d (%s%s)", policy.aeTitle(),
                    config.dicom().tlsListenAddress(), socket.getLocalPort(), SecureTransport.describe(socket),
                    certificateAeTitles.map(m -> "; calling AE titles bound to " + m.byCommonName().size()
                            + " certificate names").orElse(""));
        } else if (!config.dicom().plainEnabled()) {
            throw new IllegalStateException("NEUROGATE_DICOM_PLAIN_ENABLED=false needs NEUROGATE_TLS_KEY_STORE:"
                    + " no DICOM port would be open");
        }
    }

    private void startAcceptor(ServerSocket socket, String name) {
        Thread acceptor = new Thread(() -> acceptLoop(socket), name);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /**
     * Stops accepting, then lets the open associations finish for up to the shutdown grace: a sender
     * in the middle of a push gets its answers (and every acknowledged instance is durable) rather
     * than an abort; one still open after the grace is cut when the process exits.
     */
    void stop(@Observes ShutdownEvent event) {
        for (ServerSocket socket : new ServerSocket[] {serverSocket, tlsServerSocket}) {
            if (socket != null) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // shutting down
                }
            }
        }
        serverSocket = null;
        tlsServerSocket = null;
        if (workers == null) {
            return;
        }
        workers.shutdown();
        int open = workers.getActiveCount();
        if (open == 0) {
            return;
        }
        LOG.infof("DICOM SCP stopped accepting; waiting up to %s for %d open association(s)", process.shutdownGrace(), open);
        try {
            if (!workers.awaitTermination(process.shutdownGrace().toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warnf("%d association(s) still open after %s are cut by the exit", workers.getActiveCount(),
                        process.shutdownGrace());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public boolean isListening() {
        return listening(serverSocket) || listening(tlsServerSocket);
    }

    private static boolean listening(ServerSocket socket) {
        return socket != null && socket.isBound() && !socket.isClosed();
    }

    /** The DICOM TLS port, or -1 when TLS is off. */
    public int tlsPort() {
        ServerSocket socket = tlsServerSocket;
        return socket == null ? -1 : socket.getLocalPort();
    }

    public String aeTitle() {
        return policy == null ? config.aeTitle() : policy.aeTitle();
    }

    public int port() {
        ServerSocket socket = serverSocket;
        return socket == null ? -1 : socket.getLocalPort();
    }

    private void acceptLoop(ServerSocket listening) {
        while (true) {
            if (listening.isClosed()) {
                return;
            }
            Socket socket;
            try {
                socket = listening.accept();
            } catch (SocketException closed) {
                return;
            } catch (IOException e) {
                LOG.warnf("accept failed: %s", e.getMessage());
                continue;
            }
            int number = associations.incrementAndGet();
            java.net.InetAddress address = socket.getInetAddress();
            AtomicInteger fromPeer = perPeer.computeIfAbsent(address, a -> new AtomicInteger());
            if (fromPeer.incrementAndGet() > config.dicom().maxAssociationsPerPeer()) {
                release(address, fromPeer);
                refuseBusy(socket, config.dicom().maxAssociationsPerPeer() + " connections already open from this address");
                continue;
            }
            Runnable handler = new AssociationHandler(socket, number, policy, config, store, metrics, health, audit,
                    listening == tlsServerSocket ? certificateAeTitles : Optional.empty());
            try {
                workers.execute(() -> {
                    try {
                        handler.run();
                    } finally {
                        release(address, fromPeer);
                    }
                });
            } catch (RejectedExecutionException busy) {
                release(address, fromPeer);
                refuseBusy(socket, config.dicom().maxAssociations() + " associations already open");
            }
        }
    }

    private void release(java.net.InetAddress address, AtomicInteger count) {
        if (count.decrementAndGet() <= 0) {
            perPeer.remove(address, count);
        }
    }

    /** A-ASSOCIATE-RJ, transient, local limit exceeded: the sender may try again shortly. */
    private void refuseBusy(Socket socket, String why) {
        AssociationPolicy.Refusal r = AssociationPolicy.Refusal.LOCAL_LIMIT_EXCEEDED;
        metrics.associationRejected(r.label);
        LOG.warnf("Rejected association from %s: %s", socket.getInetAddress().getHostAddress(), why);
        audit.record(org.neurogate.persistence.AuditEvent.ASSOCIATION_REFUSED,
                org.neurogate.persistence.AuditEvent.SERIOUS_FAILURE,
                new org.neurogate.gateway.audit.Actor(null, org.neurogate.gateway.audit.Actor.DICOM_PEER,
                        socket.getInetAddress().getHostAddress()), "association", null, 0, "rejected: " + why);
        if (socket instanceof SSLSocket) {
            // An A-ASSOCIATE-RJ would need the handshake first, run here on the acceptor thread, where a
            // slow peer could stall every other sender: the connection is only closed.
            try {
                socket.close();
            } catch (IOException ignored) {
                // already gone
            }
            return;
        }
        try (UpperLayerConnection connection = new UpperLayerConnection(socket, config.dicom().maxPduLength(),
                UpperLayerConnection.Timeouts.BRIEF)) {
            connection.reject(r.result, r.source, r.reason);
        } catch (IOException ignored) {
            // the peer went away; nothing was promised
        }
    }
}
