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
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;
import org.neurogate.gateway.GatewayMetrics;
import org.neurogate.gateway.availability.DatabaseWatch;
import org.neurogate.gateway.store.InstanceStore;
import org.neurogate.gateway.ul.UpperLayerConnection;

/**
 * The DICOM listener (Storage SCP and Verification SCP, PS3.4 annexes A and B). One thread per
 * association, up to the configured limit, and at most a share of them per peer address; past either,
 * associations are rejected as transient. A connection that does not send its A-ASSOCIATE-RQ in time is
 * closed, so idle sockets hold a slot for seconds, not minutes.
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
    private volatile ServerSocket serverSocket;
    private ThreadPoolExecutor workers;
    private AssociationPolicy policy;

    public DicomScp(DicomScpConfig config, InstanceStore store, GatewayMetrics metrics, DatabaseWatch health) {
        this.config = config;
        this.store = store;
        this.metrics = metrics;
        this.health = health;
    }

    void start(@Observes StartupEvent event) throws IOException {
        policy = AssociationPolicy.from(config);
        AtomicInteger threadNumber = new AtomicInteger();
        workers = new ThreadPoolExecutor(0, config.dicom().maxAssociations(), 60, TimeUnit.SECONDS,
                new SynchronousQueue<>(), r -> {
                    Thread t = new Thread(r, "dicom-association-" + threadNumber.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(config.dicomPort()), 128);
        serverSocket = socket;
        Thread acceptor = new Thread(this::acceptLoop, "dicom-acceptor");
        acceptor.setDaemon(true);
        acceptor.start();
        LOG.infof("DICOM SCP listening: AE title %s, port %d; allowed calling AEs: %s", policy.aeTitle(),
                socket.getLocalPort(), policy.allowedCallingAes().isEmpty()
                        ? "none (every association is rejected until NEUROGATE_ALLOWED_CALLING_AES is set)"
                        : String.join(",", policy.allowedCallingAes()));
    }

    void stop(@Observes ShutdownEvent event) {
        ServerSocket socket = serverSocket;
        serverSocket = null;
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // shutting down
            }
        }
        if (workers != null) {
            workers.shutdown();
        }
    }

    public boolean isListening() {
        ServerSocket socket = serverSocket;
        return socket != null && socket.isBound() && !socket.isClosed();
    }

    public String aeTitle() {
        return policy == null ? config.aeTitle() : policy.aeTitle();
    }

    public int port() {
        ServerSocket socket = serverSocket;
        return socket == null ? -1 : socket.getLocalPort();
    }

    private void acceptLoop() {
        while (true) {
            ServerSocket listening = serverSocket;
            if (listening == null) {
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
            Runnable handler = new AssociationHandler(socket, number, policy, config, store, metrics, health);
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
        try (UpperLayerConnection connection = new UpperLayerConnection(socket, config.dicom().maxPduLength(),
                UpperLayerConnection.Timeouts.BRIEF)) {
            connection.reject(r.result, r.source, r.reason);
        } catch (IOException ignored) {
            // the peer went away; nothing was promised
        }
    }
}
