package org.neurogate.gateway.review;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.ClientErrorException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.core.Response;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.neurogate.gateway.results.ReportStore;
import org.neurogate.gateway.results.ResultsConfig;
import org.neurogate.gateway.store.StorageConfig;
import org.neurogate.gateway.web.ViewerConfig;
import org.neurogate.persistence.AnalysisQueue;
import org.neurogate.persistence.Reviews;
import org.neurogate.reports.ReviewedReportWriter;
import org.neurogate.reports.pdf.PdfReport;

/**
 * A radiologist signs or rejects a study's latest analysis. The decision, the SR it produces (verified
 * copy, or rejection notice) and that SR's delivery to where the results went are recorded in one
 * transaction, after the SR is on disk; the outbox then sends it like any report.
 */
@ApplicationScoped
public class ReviewService {

    private static final Logger LOG = Logger.getLogger(ReviewService.class);
    private static final DateTimeFormatter DT = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");
    /** Reasons a reader picks from; free text is accepted too. */
    public static final List<String> COMMON_REJECTION_REASONS = List.of("motion artefact", "wrong series",
            "incomplete coverage", "segmentation failure");

    /** The review state of a study, with its history. */
    public record ReviewState(String studyInstanceUid, String state, Long jobId, String reportSopInstanceUid,
                              Reviews.Decision decision, List<Reviews.Decision> history) {
    }

    private final Reviews reviews;
    private final StorageConfig storage;
    private final ViewerConfig config;
    private final ReviewedPdf pdf;
    private final ResultsConfig results;

    public ReviewService(Reviews reviews, StorageConfig storage, ViewerConfig config, ReviewedPdf pdf,
                         ResultsConfig results) {
        this.reviews = reviews;
        this.storage = storage;
        this.config = config;
        this.pdf = pdf;
        this.results = results;
    }

    public ReviewState state(String studyUid) {
        List<Reviews.Decision> history = reviews.history(studyUid);
        Reviews.Subject subject = reviews.subject(studyUid).orElse(null);
        if (subject == null) {
            return new ReviewState(studyUid, "NOT_ANALYSED", null, null, null, history);
        }
        Reviews.Decision decision = reviews.decision(subject.jobRef()).orElse(null);
        String state = decision == null ? "UNREAD" : Reviews.SIGN.equals(decision.action()) ? "SIGNED" : "REJECTED";
        return new ReviewState(studyUid, state, subject.jobRef(), subject.reportSopInstanceUid(), decision, history);
    }

    public ReviewState sign(String studyUid, String username, String observerName, String comment) {
        return decide(studyUid, Reviews.SIGN, username, observerName, comment == null || comment.isBlank() ? null
                : limit(comment, "comment"));
    }

    public ReviewState reject(String studyUid, String username, String observerName, String reason) {
        if (reason == null || reason.isBlank()) {
            throw new BadRequestException("a rejection needs its reason");
        }
        return decide(studyUid, Reviews.REJECT, username, observerName, limit(reason, "reason"));
    }

    private static String limit(String text, String what) {
        String t = text.strip();
        if (t.length() > 1000) {
            throw new BadRequestException(what + ": at most 1000 characters");
        }
        return t;
    }

    private ReviewState decide(String studyUid, String action, String username, String observerName, String text) {
        Reviews.Subject subject = reviews.subject(studyUid)
                .orElseThrow(() -> new NotFoundException("no finished analysis with an SR for study " + studyUid));
        if (reviews.decision(subject.jobRef()).isPresent()) {
            throw new ClientErrorException("the analysis of study " + studyUid + " is already "
                    + (state(studyUid).state().toLowerCase(java.util.Locale.ROOT)), Response.Status.CONFLICT);
        }
        Path dataDir = storage.dataDir().toAbsolutePath();
        try {
            AttributeList unverified = new AttributeList();
            unverified.read(dataDir.resolve(subject.reportStoragePath()).toFile());
            ReviewedReportWriter.Reviewer reviewer = new ReviewedReportWriter.Reviewer(observerName,
                    organization(unverified), LocalDateTime.now().format(DT));
            // Derived from the job: a retried request writes the same file and is refused by the audit row.
            String sop = uid(subject.reportSopInstanceUid() + "|" + action);
            AttributeList sr = Reviews.SIGN.equals(action)
                    ? ReviewedReportWriter.signed(unverified, reviewer, sop, text)
                    : ReviewedReportWriter.rejected(unverified, reviewer, sop, text);
            boolean signed = Reviews.SIGN.equals(action);
            AnalysisQueue.ReportRow row = ReportStore.store(dataDir, studyUid, sr, signed ? "SIGNED_SR" : "REJECTED_SR");
            String state = (signed ? "Signed by " : "Rejected by ") + observerName.replace('^', ' ') + " (" + username
                    + ") on " + PdfReport.readableDateTime(reviewer.dateTime()) + (text == null ? "" : ": " + text);
            AnalysisQueue.ReportRow reissued = ReportStore.store(dataDir, studyUid,
                    pdf.write(dataDir, subject, unverified, sr, signed, state), signed ? "SIGNED_PDF" : "REJECTED_PDF");
            if (!reviews.record(subject, action, username, observerName, text, List.of(row, reissued),
                    ResultsConfig.deliveredKinds(results.deliver()))) {
                throw new ClientErrorException("the analysis of study " + studyUid + " was decided meanwhile",
                        Response.Status.CONFLICT);
            }
            LOG.infof("Review: study %s, SR %s %s by user %s; new SR %s for %d destination(s)", studyUid,
                    subject.reportSopInstanceUid(), Reviews.SIGN.equals(action) ? "signed" : "rejected", username, sop,
                    subject.destinations().size());
            return state(studyUid);
        } catch (ClientErrorException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("the review of study " + studyUid + " could not be recorded: " + e.getMessage(), e);
        }
    }

    /** The name a user signs with: their full name when the account has one. */
    public String observerName(String username) {
        return io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(() -> org.neurogate.persistence.UserAccount
                .findByUsername(username).map(org.neurogate.persistence.UserAccount::observerName).orElse(username));
    }

    private String organization(AttributeList sr) {
        return config.verifyingOrganization().filter(s -> !s.isBlank()).orElseGet(() -> {
            String institution = Attribute.getSingleStringValueOrEmptyString(sr, TagFromName.InstitutionName).strip();
            return institution.isEmpty() ? "NeuroGate" : institution;
        });
    }

    private static String uid(String name) {
        UUID u = UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8));
        return "2.25." + new BigInteger(1, java.nio.ByteBuffer.allocate(16).putLong(u.getMostSignificantBits())
                .putLong(u.getLeastSignificantBits()).array());
    }
}
