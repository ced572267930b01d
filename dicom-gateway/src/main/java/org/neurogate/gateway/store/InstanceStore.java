package org.neurogate.gateway.store;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.DicomOutputStream;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.TransferSyntax;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.jboss.logging.Logger;
import org.neurogate.gateway.GatewayMetrics;
import org.neurogate.gateway.ProcessConfig;
import org.neurogate.gateway.ProcessIdentity;
import org.neurogate.gateway.availability.DatabaseWatch;
import org.neurogate.gateway.dicom.DimseStatus;
import org.neurogate.persistence.InstanceCatalog;
import org.neurogate.persistence.ReceivedInstance;
import org.neurogate.persistence.RecordOutcome;

/**
 * Stores one C-STORE durably and records it; the returned status is what the SCP answers.
 *
 * <p>Order of steps, each of which must succeed before the next: stream the data set to
 * {@code spool/*.part} behind a Part 10 header (at most the configured object size), fsync it, check
 * its encoding and values and parse it; then, inside one database transaction holding a lock on the
 * SOP Instance UID, check it against the store (duplicate, or a conflict of identity), insert the row,
 * link the file to {@code instances/<study>/<series>/<sop>.dcm} without replacing anything, fsync the
 * directory and commit. Only then is success returned. With group commit turned on, concurrent
 * C-STOREs share that transaction, its commit and the directory fsyncs ({@link GroupCommit}). A crash
 * before the commit leaves at most an unrecorded file, which the sender (never told success) sends
 * again and the orphan check at start removes.
 *
 * <p>Duplicates: the first recorded copy of a SOP Instance UID wins. A later copy in the same series is
 * acknowledged with success and discarded, so a sender that retries after a lost response does not
 * create a second row. The same UID in another series or study, a known series under another study, or
 * a known study under another patient is a conflict: refused (or quarantined), never filed.
 */
@ApplicationScoped
public class InstanceStore {

    private static final Logger LOG = Logger.getLogger(InstanceStore.class);
    /** Files younger than this are not orphans yet: another receiver on a shared store may be committing them. */
    private static final Duration ORPHAN_MIN_AGE = Duration.ofMinutes(15);
    private static final int ORPHAN_BATCH = 1000;

    private final StorageConfig config;
    private final InstanceCatalog catalog;
    private final GatewayMetrics metrics;
    private final DatabaseWatch database;
    private final AtomicLong spoolSequence = new AtomicLong();
    private final Path dataDir;
    private final Path instancesDir;
    private final ProcessConfig roles;
    /** This process's own spool folder, locked while it runs (see {@link SpoolFolders}). */
    private SpoolFolders.Claimed spoolClaim;
    private Path spoolDir;
    private final Path quarantineDir;
    private final GroupCommit groupCommit;
    private FileStore fileStore;

    public InstanceStore(StorageConfig config, InstanceCatalog catalog, GatewayMetrics metrics, DatabaseWatch database,
                         ProcessConfig roles) {
        this.config = config;
        this.roles = roles;
        this.catalog = catalog;
        this.metrics = metrics;
        this.database = database;
        this.dataDir = config.dataDir().toAbsolutePath().normalize();
        this.instancesDir = dataDir.resolve("instances");
        this.quarantineDir = dataDir.resolve("quarantine");
        this.groupCommit = new GroupCommit(catalog, config.storage().groupCommitMaxInstances(),
                config.storage().groupCommitMaxWait(), metrics::catalogCommit);
    }

    void prepareDirectories(@Observes StartupEvent event) throws IOException {
        Files.createDirectories(instancesDir);
        if (!roles.runs(ProcessConfig.Role.RECEIVER)) {
            return;
        }
        spoolClaim = SpoolFolders.claim(dataDir.resolve("spool"), ProcessIdentity.name());
        spoolDir = spoolClaim.folder();
        fileStore = Files.getFileStore(spoolDir);
        if (spoolClaim.staleFilesRemoved() > 0) {
            LOG.infof("Removed %d unacknowledged spool file(s) left by stopped receivers", spoolClaim.staleFilesRemoved());
        }
        Thread orphans = new Thread(this::checkOrphans, "orphan-check");
        orphans.setDaemon(true);
        orphans.start();
    }

    /**
     * Receives the data set from {@code source} and stores it.
     *
     * @throws IOException only when the association itself failed while the data set was arriving
     */
    public DimseStatus store(StoreRequest request, DataSetSource source) throws IOException {
        groupCommit.storeStarted();
        try {
            return storeOrFail(request, source);
        } catch (StoreFailure failure) {
            DimseStatus status = failure.status();
            metrics.storeFailed(status.code());
            Throwable cause = failure.getCause();
            // One line: the cause's first line only (a driver's detail lines can quote row values).
            LOG.warnf("[%s] C-STORE of SOP Instance %s (SOP Class %s) refused with %s: %s%s",
                    request.association(), LogText.safe(request.affectedSopInstanceUid()),
                    LogText.safe(request.affectedSopClassUid()), status.hex(), failure.getMessage(),
                    cause == null ? "" : " (" + LogText.firstLine(cause) + ")");
            if (cause != null) {
                LOG.debug("C-STORE failure cause", cause);
            }
            return status;
        } finally {
            groupCommit.storeFinished();
        }
    }

    private DimseStatus storeOrFail(StoreRequest request, DataSetSource source) throws IOException, StoreFailure {
        if (freeBytes() < config.storage().minFreeBytes()) {
            source.transferTo(OutputStream.nullOutputStream());
            throw new StoreFailure(DimseStatus.OUT_OF_RESOURCES, "out of disk space");
        }
        byte[] header;
        try {
            header = partTenHeader(request);
        } catch (StoreFailure failure) {
            source.transferTo(OutputStream.nullOutputStream()); // the answer must follow the whole data set
            throw failure;
        }
        SpoolFile spool;
        try {
            spool = new SpoolFile(spoolDir.resolve("instance-" + spoolSequence.incrementAndGet() + "-"
                    + System.nanoTime() + ".part"), header.length + config.storage().maxObjectBytes());
        } catch (IOException e) {
            source.transferTo(OutputStream.nullOutputStream());
            throw new StoreFailure(DimseStatus.OUT_OF_RESOURCES, "cannot create spool file", e);
        }
        boolean kept = false;
        try {
            spool.write(header);
            long dataSetBytes = source.transferTo(spool);
            if (spool.overLimit()) {
                throw new StoreFailure(DimseStatus.OUT_OF_RESOURCES, "object larger than the limit of "
                        + config.storage().maxObjectBytes() + " bytes");
            }
            try {
                spool.sync();
            } catch (IOException e) {
                throw new StoreFailure(DimseStatus.OUT_OF_RESOURCES, "write to disk failed", e);
            }
            StoredObjectParser.ParsedObject parsed = StoredObjectParser.parse(spool.path(), header.length, request);
            Path target = instancesDir.resolve(parsed.study().studyInstanceUid())
                    .resolve(parsed.series().seriesInstanceUid())
                    .resolve(parsed.sopInstanceUid() + ".dcm");
            ReceivedInstance instance = new ReceivedInstance(parsed.patient(), parsed.study(), parsed.series(),
                    parsed.sopInstanceUid(), parsed.sopClassUid(), parsed.instanceNumber(), request.transferSyntaxUid(),
                    dataDir.relativize(target).toString(), spool.bytesWritten(), request.callingAeTitle());
            InstanceCatalog.Recorded recorded = record(instance, new GroupCommit.Placement() {
                private boolean placed;

                @Override
                public Path place() throws IOException {
                    if (!placed) {
                        DurableFiles.createDirectories(instancesDir, target.getParent());
                        spool.close();
                        InstanceStore.place(spool.path(), target, request);
                        placed = true;
                    } else if (!Files.exists(target)) {
                        throw new IOException("placed file missing when its batch was recorded again");
                    }
                    return target.getParent();
                }
            });
            if (recorded.outcome().isConflict()) {
                kept = conflict(request, instance, recorded, spool);
                return DimseStatus.SUCCESS;
            }
            if (recorded.outcome() == RecordOutcome.DUPLICATE) {
                metrics.duplicateInstance();
                LOG.infof("[%s] SOP Instance %s already stored; acknowledged without storing again",
                        request.association(), parsed.sopInstanceUid());
                return DimseStatus.SUCCESS;
            }
            kept = true;
            metrics.instanceStored(dataSetBytes);
            return DimseStatus.SUCCESS;
        } finally {
            if (!kept) {
                spool.delete();
            }
        }
    }

    /**
     * Links the spooled file into place; {@link GroupCommit} syncs its directory before the commit. A file
     * already there has no row (the caller holds the lock on this SOP Instance UID and found none): it
     * is an orphan of a crash between placing and committing, never acknowledged, so this copy takes
     * its place.
     */
    private static void place(Path spooled, Path target, StoreRequest request) throws IOException {
        try {
            DurableFiles.linkWithoutReplacing(spooled, target);
        } catch (FileAlreadyExistsException orphan) {
            LOG.warnf("[%s] replacing unrecorded file for SOP Instance %s (left by an interrupted store)",
                    request.association(), LogText.safe(request.affectedSopInstanceUid()));
            Files.delete(target);
            DurableFiles.linkWithoutReplacing(spooled, target);
        }
    }

    /**
     * An instance whose identity contradicts the store: recorded for the administrator, and either
     * refused (throws) or kept in quarantine (answers true: the spool file was moved).
     */
    private boolean conflict(StoreRequest request, ReceivedInstance instance, InstanceCatalog.Recorded recorded,
                             SpoolFile spool) throws StoreFailure {
        metrics.identityConflict(recorded.outcome().name());
        boolean quarantine = config.storage().identityConflict() == StorageConfig.ConflictAction.QUARANTINE;
        String what = switch (recorded.outcome()) {
            case PATIENT_MISMATCH -> "patient identity conflicts with the stored study";
            case SERIES_IN_OTHER_STUDY -> "Series Instance UID is stored under another study";
            default -> "SOP Instance UID is stored in another series";
        };
        int code = switch (recorded.outcome()) {
            case PATIENT_MISMATCH -> DimseStatus.PATIENT_IDENTITY_CONFLICT;
            case SERIES_IN_OTHER_STUDY -> DimseStatus.SERIES_IN_OTHER_STUDY;
            default -> DimseStatus.SOP_INSTANCE_UID_REUSED;
        };
        String detail = what + " (" + String.join(", ", recorded.differing()) + " differ); series "
                + instance.series().seriesInstanceUid() + ", study " + instance.study().studyInstanceUid();
        long id;
        try {
            id = catalog.recordConflict(instance, recorded, quarantine, conflictId -> {
                Path file = quarantineDir.resolve(conflictId + "-" + instance.sopInstanceUid() + ".dcm");
                DurableFiles.createDirectories(dataDir, quarantineDir);
                spool.close();
                DurableFiles.placeWithoutReplacing(spool.path(), file);
                return dataDir.relativize(file).toString();
            });
        } catch (IOException | RuntimeException e) {
            throw new StoreFailure(code, detail + "; the conflict could not be recorded", e);
        }
        if (!quarantine) {
            throw new StoreFailure(code, detail + "; conflict " + id);
        }
        LOG.warnf("[%s] SOP Instance %s quarantined as conflict %d: %s", request.association(),
                instance.sopInstanceUid(), id, detail);
        return true;
    }

    private InstanceCatalog.Recorded record(ReceivedInstance instance, GroupCommit.Placement placement)
            throws StoreFailure {
        try {
            return groupCommit.record(instance, placement);
        } catch (IOException e) {
            throw new StoreFailure(DimseStatus.OUT_OF_RESOURCES, "cannot move instance into the store", e);
        } catch (RuntimeException e) {
            database.reportFailure();
            // A file already placed stays: if the commit did happen after all, the row must find its
            // file. An unrecorded file is harmless: the sender's retry takes its place.
            throw new StoreFailure(DimseStatus.DATABASE_UNAVAILABLE, "database unavailable, not recorded", e);
        }
    }

    /**
     * Files in {@code instances/} without a row: a crash between placing a file and committing its row
     * leaves one (the sender was never told success). Deleted or only counted, as configured.
     */
    private void checkOrphans() {
        long cutoff = System.currentTimeMillis() - ORPHAN_MIN_AGE.toMillis();
        List<Path> batch = new ArrayList<>();
        long[] orphans = {0};
        try (Stream<Path> files = Files.walk(instancesDir)) {
            files.filter(f -> f.getFileName().toString().endsWith(".dcm")).filter(f -> olderThan(f, cutoff))
                    .forEach(f -> {
                        batch.add(f);
                        if (batch.size() == ORPHAN_BATCH) {
                            orphans[0] += resolveOrphans(batch);
                            batch.clear();
                        }
                    });
            orphans[0] += resolveOrphans(batch);
        } catch (IOException | RuntimeException e) {
            LOG.warnf("Orphan check of %s did not finish: %s", instancesDir, LogText.firstLine(e));
            return;
        }
        metrics.orphanFiles(orphans[0]);
        boolean delete = config.storage().orphans() == StorageConfig.OrphanAction.DELETE;
        if (orphans[0] > 0) {
            LOG.warnf("Orphan check: %d file(s) in instances/ had no catalog row (never acknowledged); %s",
                    orphans[0], delete ? "deleted" : "kept (NEUROGATE_STORAGE_ORPHANS=report)");
        } else {
            LOG.info("Orphan check: 0 files in instances/ without a catalog row");
        }
    }

    private long resolveOrphans(List<Path> files) {
        if (files.isEmpty()) {
            return 0;
        }
        Map<String, Path> byPath = new HashMap<>();
        files.forEach(f -> byPath.put(dataDir.relativize(f).toString(), f));
        Set<String> unrecorded = catalog.unrecordedPaths(byPath.keySet());
        if (config.storage().orphans() == StorageConfig.OrphanAction.DELETE) {
            for (String path : unrecorded) {
                try {
                    Files.deleteIfExists(byPath.get(path));
                } catch (IOException e) {
                    LOG.warnf("Cannot delete orphan %s: %s", path, e.getMessage());
                }
            }
        }
        return unrecorded.size();
    }

    private static boolean olderThan(Path file, long cutoffMillis) {
        try {
            return Files.getLastModifiedTime(file).toMillis() < cutoffMillis;
        } catch (IOException e) {
            return false;
        }
    }

    private long freeBytes() {
        try {
            return fileStore.getUsableSpace();
        } catch (IOException e) {
            return 0;
        }
    }

    /** Preamble, "DICM" and the File Meta Information group (PS3.10 7.1) for the received data set. */
    private static byte[] partTenHeader(StoreRequest request) throws StoreFailure {
        try {
            AttributeList meta = new FileMetaInformation(request.affectedSopClassUid(),
                    request.affectedSopInstanceUid(), request.transferSyntaxUid(), request.callingAeTitle())
                    .getAttributeList();
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
            DicomOutputStream out = new DicomOutputStream(bytes, TransferSyntax.ExplicitVRLittleEndian,
                    TransferSyntax.ExplicitVRLittleEndian);
            meta.write(out);
            out.flush();
            return bytes.toByteArray();
        } catch (DicomException | IOException | RuntimeException e) {
            throw new StoreFailure(DimseStatus.MISSING_OR_INVALID_UID, "cannot build File Meta Information", e);
        }
    }
}
