package org.neurogate.gateway.api;

import org.neurogate.gateway.audit.Audited;
import org.neurogate.persistence.AuditEvent;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.neurogate.persistence.InstanceCatalog;

/**
 * Instances that were not filed because their identity contradicts the store (another patient under
 * a known study, a known series under another study, a reused SOP Instance UID), newest first, for an
 * administrator to resolve with the sender. Both identities are shown, since that is what resolving
 * needs; this is why the list is for admins only.
 */
@Path("/api/admin/conflicts")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(ApiRoles.ADMIN)
public class ConflictResource {

    private final InstanceCatalog catalog;

    public ConflictResource(InstanceCatalog catalog) {
        this.catalog = catalog;
    }

    @GET
    @Audited(AuditEvent.IDENTITY_CONFLICTS_READ)
    public List<InstanceCatalog.IdentityConflict> list(@QueryParam("limit") @DefaultValue("100") int limit) {
        return catalog.conflicts(Math.max(1, Math.min(limit, 1000)));
    }
}
