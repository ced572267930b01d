package org.neurogate.gateway.review;

import org.neurogate.gateway.audit.Audited;
import org.neurogate.persistence.AuditEvent;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.neurogate.gateway.api.ApiRoles;

/**
 * Sign-off over the API. Signing and rejecting are a radiologist's alone: an admin who is not a
 * radiologist cannot sign. With a session cookie (the viewer) a POST needs the CSRF token in the
 * {@code X-CSRF-Token} header; with Basic authentication it does not.
 */
@Path("/api/studies/{studyUid}/review")
@Produces(MediaType.APPLICATION_JSON)
public class ReviewResource {

    /** {@code {"comment": "..."}}, optional. */
    public record SignRequest(String comment) {
    }

    /** {@code {"reason": "..."}}, mandatory. */
    public record RejectRequest(String reason) {
    }

    private final ReviewService reviews;
    private final SecurityIdentity identity;

    public ReviewResource(ReviewService reviews, SecurityIdentity identity) {
        this.reviews = reviews;
        this.identity = identity;
    }

    @GET
    @RolesAllowed({ApiRoles.ADMIN, ApiRoles.RADIOLOGIST})
    public ReviewService.ReviewState state(@PathParam("studyUid") String studyUid) {
        return reviews.state(studyUid);
    }

    @POST
    @Path("/sign")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(ApiRoles.RADIOLOGIST)
    @Audited(value = AuditEvent.REPORT_SIGNED, objectType = "study", objectParam = "studyUid")
    public ReviewService.ReviewState sign(@PathParam("studyUid") String studyUid, SignRequest request) {
        return reviews.sign(studyUid, username(), reviews.observerName(username()), request == null ? null : request.comment());
    }

    @POST
    @Path("/reject")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(ApiRoles.RADIOLOGIST)
    @Audited(value = AuditEvent.REPORT_REJECTED, objectType = "study", objectParam = "studyUid")
    public ReviewService.ReviewState reject(@PathParam("studyUid") String studyUid, RejectRequest request) {
        return reviews.reject(studyUid, username(), reviews.observerName(username()), request == null ? null : request.reason());
    }

    private String username() {
        return identity.getPrincipal().getName();
    }
}
