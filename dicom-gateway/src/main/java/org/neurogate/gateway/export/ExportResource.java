package org.neurogate.gateway.export;

import org.neurogate.gateway.audit.AuditNote;
import org.neurogate.gateway.audit.Audited;
import org.neurogate.persistence.AuditEvent;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.neurogate.gateway.api.ApiRoles;
import org.neurogate.persistence.ExportJobs;

/**
 * The research export API. A researcher starts exports and reads their own; an admin reads every one
 * and the audit trail. Nothing here shows an identified value: exports hold only pseudonyms, shifted
 * dates and remapped UIDs, and a job shows its cohort query, progress and counts.
 */
@Path("/api/exports")
@Produces(MediaType.APPLICATION_JSON)
public class ExportResource {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** An export as the API shows it. */
    public record ExportView(String id, String state, Object cohort, String requestedBy, String via, boolean withImages,
                             Map<String, Object> progress, String reason, Instant createdAt, Instant startedAt,
                             Instant finishedAt) {
    }

    /** A row of the audit trail. */
    public record AuditView(String exportId, String username, String via, Object cohort, int subjects, int studies,
                            int measurements, boolean withImages, String manifestSha256, Instant exportedAt) {
    }

    private final ExportService service;
    private final ExportJobs jobs;
    private final SecurityIdentity identity;
    private final AuditNote audit;

    public ExportResource(ExportService service, ExportJobs jobs, SecurityIdentity identity, AuditNote audit) {
        this.service = service;
        this.jobs = jobs;
        this.identity = identity;
        this.audit = audit;
    }

    /** Starts an export of the cohort (every analysed study when the body is empty); answers 202 with its id. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ApiRoles.ADMIN, ApiRoles.RESEARCHER})
    @Audited(value = AuditEvent.EXPORT_REQUESTED, objectType = "export")
    public Response start(String body) throws Exception {
        CohortQuery query;
        try {
            query = body == null || body.isBlank() ? CohortQuery.everything()
                    : JSON.readValue(body, CohortQuery.class).validated();
        } catch (IllegalArgumentException e) {
            return error(Response.Status.BAD_REQUEST, e.getMessage());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return error(Response.Status.BAD_REQUEST, "not a cohort query: " + e.getOriginalMessage());
        }
        String id = service.submit(query, identity.getPrincipal().getName());
        audit.object(id);
        audit.detail(query.images() ? "with images" : "tables only");
        return Response.accepted(Map.of("id", id, "state", "QUEUED")).build();
    }

    @GET
    @Path("{id}")
    @RolesAllowed({ApiRoles.ADMIN, ApiRoles.RESEARCHER})
    public Response get(@PathParam("id") String id) throws Exception {
        ExportJobs.ExportJob job = visible(id);
        if (job == null) {
            return error(Response.Status.NOT_FOUND, "no export " + id);
        }
        return Response.ok(view(job)).build();
    }

    /** The export as a zip, once DONE. */
    @GET
    @Path("{id}/archive")
    @Produces("application/zip")
    @RolesAllowed({ApiRoles.ADMIN, ApiRoles.RESEARCHER})
    @Audited(value = AuditEvent.EXPORT_DOWNLOADED, objectType = "export", objectParam = "id")
    public Response archive(@PathParam("id") String id) {
        ExportJobs.ExportJob job = visible(id);
        if (job == null) {
            return error(Response.Status.NOT_FOUND, "no export " + id);
        }
        java.nio.file.Path zip = service.archive(id);
        if (job.state() != ExportJobs.State.DONE || !Files.exists(zip)) {
            return error(Response.Status.CONFLICT, "export " + id + " is " + job.state() + ", not DONE");
        }
        return Response.ok(zip.toFile(), "application/zip")
                .header("Content-Disposition", "attachment; filename=\"neurogate-export-" + id + ".zip\"").build();
    }

    /** The audit trail: every finished export, newest first. */
    @GET
    @RolesAllowed(ApiRoles.ADMIN)
    public List<AuditView> audit() throws Exception {
        List<AuditView> out = new java.util.ArrayList<>();
        for (ExportJobs.AuditEntry a : jobs.audit()) {
            out.add(new AuditView(a.exportId(), a.username(), a.via(), JSON.readTree(a.cohortJson()), a.subjects(),
                    a.studies(), a.measurements(), a.withImages(), a.manifestSha256(), a.exportedAt()));
        }
        return out;
    }

    /** The job if this user may see it: an admin every job, a researcher their own. */
    private ExportJobs.ExportJob visible(String id) {
        if (id == null || !id.matches("[0-9a-f-]{36}")) {
            return null;
        }
        return jobs.find(id).filter(j -> identity.hasRole(ApiRoles.ADMIN)
                || j.requestedBy().equals(identity.getPrincipal().getName())).orElse(null);
    }

    private ExportView view(ExportJobs.ExportJob job) throws Exception {
        Map<String, Object> progress = new java.util.LinkedHashMap<>();
        progress.put("done", job.done());
        progress.put("total", job.total());
        jobs.auditOf(job.id()).ifPresent(a -> {
            progress.put("subjects", a.subjects());
            progress.put("studies", a.studies());
            progress.put("measurements", a.measurements());
            progress.put("manifestSha256", a.manifestSha256());
        });
        return new ExportView(job.id(), job.state().name(), JSON.readTree(job.cohortJson()), job.requestedBy(), job.via(),
                job.withImages(), progress, job.reason(), job.createdAt(), job.startedAt(), job.finishedAt());
    }

    private static Response error(Response.Status status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(Map.of("error", message)).build();
    }
}
