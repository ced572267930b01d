package org.neurogate.gateway.api;

import org.neurogate.gateway.audit.Audited;
import org.neurogate.persistence.AuditEvent;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;
import org.neurogate.persistence.AnalysisQueue;
import org.neurogate.persistence.InstanceCatalog;
import org.neurogate.persistence.StudySummary;

/**
 * Studies as received (UIDs, dates, series assembly state; no patient names or IDs), the findings of
 * their latest analysis and their SR and SEG objects with delivery state.
 */
@Path("/api/studies")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({ApiRoles.ADMIN, ApiRoles.RADIOLOGIST})
public class StudyResource {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final InstanceCatalog catalog;
    private final AnalysisQueue queue;

    public StudyResource(InstanceCatalog catalog, AnalysisQueue queue) {
        this.catalog = catalog;
        this.queue = queue;
    }

    @GET
    public List<StudySummary> list() {
        return catalog.studies();
    }

    @GET
    @Path("/{studyUid}")
    @Audited(value = AuditEvent.STUDY_VIEWED, objectType = "study", objectParam = "studyUid")
    public StudySummary get(@PathParam("studyUid") String studyUid) {
        return catalog.study(studyUid)
                .orElseThrow(() -> new NotFoundException("no study with Study Instance UID " + studyUid));
    }

    /** The latest finished analysis of a study. */
    public record StudyFindings(String studyInstanceUid, List<AnalysisQueue.FindingRow> measurements, JsonNode findings) {
    }

    @GET
    @Path("/{studyUid}/findings")
    @Audited(value = AuditEvent.STUDY_VIEWED, objectType = "study", objectParam = "studyUid")
    public StudyFindings findings(@PathParam("studyUid") String studyUid) throws IOException {
        String document = queue.findingsJson(studyUid)
                .orElseThrow(() -> new NotFoundException("no finished analysis for study " + studyUid));
        return new StudyFindings(studyUid, queue.findings(studyUid), JSON.readTree(document));
    }

    @GET
    @Path("/{studyUid}/reports")
    @Audited(value = AuditEvent.STUDY_VIEWED, objectType = "study", objectParam = "studyUid")
    public List<AnalysisQueue.ReportView> reports(@PathParam("studyUid") String studyUid) {
        return queue.reports(studyUid);
    }

}
