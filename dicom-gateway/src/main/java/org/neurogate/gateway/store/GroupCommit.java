package org.neurogate.gateway.store;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;
import org.neurogate.persistence.InstanceCatalog;
import org.neurogate.persistence.ReceivedInstance;

/**
 * Group commit: C-STOREs that reach the catalog at about the same time, on any association, are
 * recorded in one transaction, with one commit (one WAL flush) and one fsync per directory that gained
 * a file. Each store waits until the batch that holds it has committed, so a success still means
 * fsync'd and committed.
 *
 * <p>A batch closes as soon as every store now in progress has joined it, when it holds the most
 * allowed, or a short wait after its first instance. A lone sender, whose next C-STORE cannot start
 * before this one is answered, never waits for anybody: its C-STOREs are recorded on their own thread.
 * A batch that fails as a whole because of one instance (a value the database refuses, a file that
 * cannot be placed, a deadlock with another receiver) is recorded again one instance at a time, so
 * that instance cannot fail the others; when the database itself is unreachable every store of the
 * batch fails at once.
 *
 * <p>With at most one instance per transaction (the default) every C-STORE is recorded alone, on its
 * own thread, and no committer thread is started.
 */
final class GroupCommit {

    private static final Logger LOG = Logger.getLogger(GroupCommit.class);

    /**
     * Puts one instance's file in place and answers the directory that gained it (synced by the batch
     * before its commit). Called again if the batch is recorded again one instance at a time.
     */
    @FunctionalInterface
    interface Placement {
        Path place() throws IOException;
    }

    private record Waiting(ReceivedInstance instance, Placement placement,
                           CompletableFuture<InstanceCatalog.Recorded> recorded) {
    }

    private final InstanceCatalog catalog;
    private final java.util.function.IntConsumer committed;
    private final int maxInstances;
    private final long maxWaitNanos;
    private final LinkedBlockingQueue<Waiting> queue = new LinkedBlockingQueue<>();
    private final AtomicInteger inProgress = new AtomicInteger();

    /** {@code committed} hears the size of every transaction tried (for the metrics). */
    GroupCommit(InstanceCatalog catalog, int maxInstances, java.time.Duration maxWait,
                java.util.function.IntConsumer committed) {
        this.catalog = catalog;
        this.committed = committed;
        this.maxInstances = Math.max(1, maxInstances);
        this.maxWaitNanos = Math.max(0, maxWait.toNanos());
        if (this.maxInstances > 1) {
            Thread committer = new Thread(this::commitBatches, "group-commit");
            committer.setDaemon(true);
            committer.start();
        }
    }

    /** A C-STORE has begun arriving; a batch waits (briefly) for it. */
    void storeStarted() {
        inProgress.incrementAndGet();
    }

    /** A C-STORE has been answered. */
    void storeFinished() {
        inProgress.decrementAndGet();
    }

    /**
     * Records the instance as {@link InstanceCatalog#record} does, in whatever batch it joins, and
     * returns once that batch has committed.
     *
     * @throws IOException                 when its file cannot be placed; it is not recorded
     * @throws org.neurogate.persistence.CatalogUnavailableException when the database fails; it is not recorded
     */
    InstanceCatalog.Recorded record(ReceivedInstance instance, Placement placement) throws IOException {
        if (maxInstances == 1 || (inProgress.get() == 1 && queue.isEmpty())) {
            // Nobody to share a commit with: handing over to the committer would only add its wake-up.
            return recordAlone(instance, placement);
        }
        CompletableFuture<InstanceCatalog.Recorded> recorded = new CompletableFuture<>();
        queue.add(new Waiting(instance, placement, recorded));
        try {
            return recorded.get();
        } catch (InterruptedException e) {
            // The batch may still commit it; unanswered, the sender sends it again and finds a duplicate.
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while its batch was being committed");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private InstanceCatalog.Recorded recordAlone(ReceivedInstance instance, Placement placement) throws IOException {
        committed.accept(1);
        return catalog.record(instance, () -> DurableFiles.syncDirectory(placement.place()));
    }

    private void commitBatches() {
        while (true) {
            List<Waiting> batch = new ArrayList<>();
            try {
                batch.add(queue.take());
                gather(batch);
                commit(batch);
            } catch (Throwable unexpected) {
                // Never leave a store waiting, and never stop taking batches (the thread ends with the
                // process): whatever went wrong, an interrupt included, fails this batch only.
                LOG.errorf("Group commit of %d instance(s) failed unexpectedly: %s", batch.size(),
                        LogText.firstLine(unexpected));
                batch.forEach(w -> w.recorded().completeExceptionally(unexpected instanceof InterruptedException
                        ? new InterruptedIOException("group commit interrupted") : unexpected));
                Thread.interrupted();
            }
        }
    }

    /** Adds what is queued, waiting for stores still in progress until the batch is full or the wait is over. */
    private void gather(List<Waiting> batch) throws InterruptedException {
        long deadline = System.nanoTime() + maxWaitNanos;
        while (batch.size() < maxInstances) {
            queue.drainTo(batch, maxInstances - batch.size());
            if (batch.size() >= inProgress.get() || batch.size() >= maxInstances) {
                return;
            }
            long left = deadline - System.nanoTime();
            Waiting next = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : null;
            if (next == null) {
                return;
            }
            batch.add(next);
        }
    }

    private void commit(List<Waiting> batch) {
        if (batch.size() == 1) {
            commitAlone(batch.get(0));
            return;
        }
        Set<Path> directories = new LinkedHashSet<>();
        List<InstanceCatalog.Recorded> results;
        committed.accept(batch.size());
        try {
            results = catalog.recordAll(batch.stream().map(Waiting::instance).toList(),
                    new InstanceCatalog.BatchPlacement() {
                        @Override
                        public void place(int index) throws IOException {
                            directories.add(batch.get(index).placement().place());
                        }

                        @Override
                        public void beforeCommit() throws IOException {
                            for (Path directory : directories) {
                                DurableFiles.syncDirectory(directory);
                            }
                        }
                    });
        } catch (IOException | RuntimeException e) {
            if (!causedByOneInstance(e)) {
                batch.forEach(w -> w.recorded().completeExceptionally(e));
                return;
            }
            LOG.infof("A batch of %d instances was not recorded (%s); recording them one at a time",
                    batch.size(), LogText.firstLine(e));
            batch.forEach(this::commitAlone);
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).recorded().complete(results.get(i));
        }
    }

    private void commitAlone(Waiting waiting) {
        try {
            waiting.recorded().complete(recordAlone(waiting.instance(), waiting.placement()));
        } catch (IOException | RuntimeException e) {
            waiting.recorded().completeExceptionally(e);
        }
    }

    /**
     * True when the failure may be one instance's doing: a file step, or a database error about data,
     * integrity, limits or a deadlock (SQLSTATE classes 22, 23, 40, 54), not a lost connection.
     */
    private static boolean causedByOneInstance(Exception e) {
        if (e instanceof IOException) {
            return true;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                String sqlClass = sql.getSQLState().length() >= 2 ? sql.getSQLState().substring(0, 2) : "";
                return Set.of("22", "23", "40", "54").contains(sqlClass);
            }
        }
        return false;
    }
}
