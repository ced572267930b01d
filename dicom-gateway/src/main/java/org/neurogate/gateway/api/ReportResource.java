package org.neurogate.gateway.api;

import org.neurogate.gateway.audit.Audited;
import org.neurogate.persistence.AuditEvent;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;
import org.neurogate.gateway.store.StorageConfig;
import org.neurogate.persistence.AnalysisQueue;

/** The SR and SEG objects NeuroGate produced, each as application/dicom. */
@Path("/api/reports")
@RolesAllowed({ApiRoles.ADMIN, ApiRoles.RADIOLOGIST})
public class ReportResource {

    private final AnalysisQueue queue;
    private final StorageConfig storage;

    public ReportResource(AnalysisQueue queue, StorageConfig storage) {
        this.queue = queue;
        this.storage = storage;
    }

    @GET
    @Path("/{sopInstanceUid}")
    @Produces("application/dicom")
    @Audited(value = AuditEvent.STUDY_VIEWED, objectType = "report", objectParam = "sopInstanceUid")
    public Response object(@PathParam("sopInstanceUid") String sopInstanceUid) {
        String path = queue.reportPath(sopInstanceUid)
                .orElseThrow(() -> new NotFoundException("no report object " + sopInstanceUid));
        java.nio.file.Path file = storage.dataDir().toAbsolutePath().resolve(path);
        return Response.ok(file.toFile(), "application/dicom")
                .header("Content-Disposition", "attachment; filename=\"" + sopInstanceUid + ".dcm\"").build();
    }
}
