package org.neurogate.gateway.api;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.neurogate.persistence.InstanceCatalog;
import org.neurogate.persistence.StudySummary;

/** Studies as received: UIDs, dates and series assembly state. No patient names or IDs. */
@Path("/api/studies")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({ApiRoles.ADMIN, ApiRoles.RADIOLOGIST})
public class StudyResource {

    private final InstanceCatalog catalog;

    public StudyResource(InstanceCatalog catalog) {
        this.catalog = catalog;
    }

    @GET
    public List<StudySummary> list() {
        return catalog.studies();
    }

    @GET
    @Path("/{studyUid}")
    public StudySummary get(@PathParam("studyUid") String studyUid) {
        return catalog.study(studyUid)
                .orElseThrow(() -> new NotFoundException("no study with Study Instance UID " + studyUid));
    }
}
