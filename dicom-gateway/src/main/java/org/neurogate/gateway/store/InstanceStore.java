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
import java.nio.file.DirectoryStream;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;
import org.neurogate.gateway.GatewayMetrics;
import org.neurogate.gateway.dicom.DimseStatus;
import org.neurogate.persistence.InstanceCatalog;
import org.neurogate.persistence.ReceivedInstance;
import org.neurogate.persistence.RecordOutcome;

/**
 * Stores one C-STORE durably and records it; the returned status is what the SCP answers.
 *
 * <p>Order of steps, each of which must succeed before the next: stream the data set to
 * {@code spool/*.part} behind a Part 10 header, fsync it, parse and check it; then, inside one database
 * transaction, check for a duplicate, rename the file to {@code instances/<study>/<series>/<sop>.dcm},
 * fsync the directory, insert the row and commit. Only then is success returned. A crash anywhere before the commit leaves at most an unrecorded file, which the
 * sender (never told success) sends again.
 *
 * <p>Duplicates: the first recorded copy of a SOP Instance UID wins. A later copy is acknowledged with
 * success and discarded, so a sender that retries after a lost response does not create a second row.
 */
@ApplicationScoped
public class InstanceStore {

    private static final Logger LOG = Logger.getLogger(InstanceStore.class);

    private final StorageConfig config;
    private final InstanceCatalog catalog;
    private final GatewayMetrics metrics;
    private final AtomicLong spoolSequence = new AtomicLong();
    private final Path instancesDir;
    private final Path spoolDir;
    private FileStore fileStore;

    public InstanceStore(StorageConfig config, InstanceCatalog catalog, GatewayMetrics metrics) {
        this.config = config;
        this.catalog = catalog;
        this.metrics = metrics;
        Path dataDir = config.dataDir().toAbsolutePath().normalize();
        this.instancesDir = dataDir.resolve("instances");
        this.spoolDir = dataDir.resolve("spool");
    }

    void prepareDirectories(@Observes StartupEvent event) throws IOException {
        Files.createDirectories(instancesDir);
        Files.createDirectories(spoolDir);
        fileStore = Files.getFileStore(spoolDir);
        int stale = 0;
        try (DirectoryStream<Path> parts = Files.newDirectoryStream(spoolDir, "*.part")) {
            for (Path part : parts) {
                Files.deleteIfExists(part);
                stale++;
            }
        }
        if (stale > 0) {
            LOG.infof("Removed %d unacknowledged spool file(s) left by an earlier run", stale);
        }
    }

    /**
     * Receives the data set from {@code source} and stores it.
     *
     * @throws IOException only when the association itself failed while the data set was arriving
     */
    public DimseStatus store(StoreRequest request, DataSetSource source) throws IOException {
        try {
            return storeOrFail(request, source);
        } catch (StoreFailure failure) {
            DimseStatus status = failure.status();
            metrics.storeFailed(status.code());
            LOG.warnf(failure.getCause(), "[%s] C-STORE of SOP Instance %s (SOP Class %s) refused with %s: %s",
                    request.association(), request.affectedSopInstanceUid(), request.affectedSopClassUid(),
                    status.hex(), status.errorComment());
            return status;
        }
    }

    private DimseStatus storeOrFail(StoreRequest request, DataSetSource source) throws IOException, StoreFailure {
        if (freeBytes() < config.storage().minFreeBytes()) {
            source.transferTo(OutputStream.nullOutputStream());
            throw new StoreFailure(DimseStatus.OUT_OF_RESOURCES, "out of disk space");
        }
        SpoolFile spool;
        try {
            spool = new SpoolFile(spoolDir.resolve("instance-" + spoolSequence.incrementAndGet() + "-"
                    + System.nanoTime() + ".part"));
            spool.write(partTenHeader(request));
        } catch (IOException e) {
            source.transferTo(OutputStream.nullOutputStream());
            throw new StoreFailure(DimseStatus.OUT_OF_RESOURCES, "cannot create spool file", e);
        }
        boolean kept = false;
        try {
            long dataSetBytes = source.transferTo(spool);
            try {
                spool.sync();
            } catch (IOException e) {
                throw new StoreFailure(DimseStatus.OUT_OF_RESOURCES, "write to disk failed", e);
            }
            StoredObjectParser.ParsedObject parsed = StoredObjectParser.parse(spool.path(), request);
            Path target = instancesDir.resolve(parsed.study().studyInstanceUid())
                    .resolve(parsed.series().seriesInstanceUid())
                    .resolve(parsed.sopInstanceUid() + ".dcm");
            ReceivedInstance instance = new ReceivedInstance(parsed.patient(), parsed.study(), parsed.series(),
                    parsed.sopInstanceUid(), parsed.sopClassUid(), parsed.instanceNumber(), request.transferSyntaxUid(),
                    instancesDir.getParent().relativize(target).toString(), spool.bytesWritten(),
                    request.callingAeTitle());
            RecordOutcome outcome = record(instance, () -> {
                DurableFiles.createDirectories(instancesDir, target.getParent());
                spool.close();
                DurableFiles.moveDurably(spool.path(), target);
            });
            if (outcome == RecordOutcome.DUPLICATE) {
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

    private RecordOutcome record(ReceivedInstance instance, InstanceCatalog.FilePlacement placement)
            throws StoreFailure {
        try {
            return catalog.record(instance, placement);
        } catch (IOException e) {
            throw new StoreFailure(DimseStatus.OUT_OF_RESOURCES, "cannot move instance into the store", e);
        } catch (RuntimeException e) {
            // A file already moved stays: if the commit did happen after all, the row must find its
            // file. An unrecorded file is harmless and is replaced when the sender retries.
            throw new StoreFailure(DimseStatus.DATABASE_UNAVAILABLE, "database unavailable, not recorded", e);
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
    private static byte[] partTenHeader(StoreRequest request) throws IOException {
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
        } catch (DicomException e) {
            throw new IOException("cannot build File Meta Information: " + e.getMessage(), e);
        }
    }
}
