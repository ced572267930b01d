package org.neurogate.gateway.results;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import org.neurogate.gateway.store.DurableFiles;
import org.neurogate.inference.analysis.StudyAnalyzer;
import org.neurogate.inference.volume.NiftiFile;
import org.neurogate.persistence.AnalysisQueue;

/**
 * Where NeuroGate's own objects live: {@code <data>/reports/<study>/<sop>.dcm} for the SR and SEG
 * (and the SRs of review), written durably before their row is recorded, and the label maps of each
 * analysis as NIfTI under {@code <data>/reports/<study>/labels-<job>/}, for the viewer.
 */
public final class ReportStore {

    private ReportStore() {
    }

    /** Writes the object fsync'd and renamed into place, and returns its row. */
    public static AnalysisQueue.ReportRow store(Path dataDir, String studyUid, AttributeList object, String kind)
            throws Exception {
        String sop = Attribute.getSingleStringValueOrEmptyString(object, TagFromName.SOPInstanceUID);
        String sopClass = Attribute.getSingleStringValueOrEmptyString(object, TagFromName.SOPClassUID);
        String series = Attribute.getSingleStringValueOrEmptyString(object, TagFromName.SeriesInstanceUID);
        FileMetaInformation.addFileMetaInformation(object, TransferSyntax.ExplicitVRLittleEndian, "NEUROGATE");
        Path dir = dataDir.resolve("reports").resolve(studyUid);
        DurableFiles.createDirectories(dataDir, dir);
        Path target = dir.resolve(sop + ".dcm");
        Path temp = dir.resolve(sop + ".tmp");
        object.write(temp.toFile(), TransferSyntax.ExplicitVRLittleEndian, true, true);
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        DurableFiles.moveDurably(temp, target);
        return new AnalysisQueue.ReportRow(sop, sopClass, series, kind, dataDir.relativize(target).toString(),
                Files.size(target));
    }

    /** The folder of one analysis job's label maps. */
    public static Path labelMapDir(Path dataDir, String studyUid, long jobId) {
        return dataDir.resolve("reports").resolve(studyUid).resolve("labels-" + jobId);
    }

    /** Writes each label map as {@code <name>.nii.gz} on its source series' grid. */
    public static void writeLabelMaps(Path dataDir, String studyUid, long jobId, Map<String, StudyAnalyzer.LabelMap> maps)
            throws IOException {
        Path dir = labelMapDir(dataDir, studyUid, jobId);
        DurableFiles.createDirectories(dataDir, dir);
        for (Map.Entry<String, StudyAnalyzer.LabelMap> e : maps.entrySet()) {
            NiftiFile.write(e.getValue().labels(), dir.resolve(e.getKey() + ".nii.gz"), true);
        }
    }
}
