package org.neurogate.gateway.web;

import io.quarkus.qute.Template;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import org.neurogate.gateway.api.AccountIdentity;
import org.neurogate.gateway.api.PasswordPolicy;
import org.neurogate.gateway.api.OwnPasswordChange;
import org.neurogate.gateway.audit.AuditNote;
import org.neurogate.gateway.audit.Audited;
import org.neurogate.persistence.AuditEvent;

/**
 * The viewer's own-password form, for every role: where a user whose password an admin chose is sent
 * before anything else, and where anyone changes theirs.
 */
@Path("/account/password")
@Produces(MediaType.TEXT_HTML)
@Authenticated
public class AccountPages {

    private final Template password;
    private final SecurityIdentity identity;
    private final AuditNote audit;
    private final OwnPasswordChange ownPassword;

    public AccountPages(Template password, SecurityIdentity identity, AuditNote audit, OwnPasswordChange ownPassword) {
        this.password = password;
        this.identity = identity;
        this.audit = audit;
        this.ownPassword = ownPassword;
    }

    @GET
    public Response form(@QueryParam("changed") String changed, @CookieParam(Csrf.COOKIE) String cookie,
                         @Context UriInfo uri) {
        return render(null, changed != null, cookie, uri);
    }

    @POST
    @jakarta.ws.rs.Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Audited(value = AuditEvent.PASSWORD_CHANGED, objectType = "user")
    public Response change(@FormParam(Csrf.FIELD) String token, @FormParam("currentPassword") String current,
                           @FormParam("newPassword") String newPassword, @FormParam("repeatPassword") String repeat,
                           @CookieParam(Csrf.COOKIE) String cookie, @Context UriInfo uri,
                           @Context io.vertx.core.http.HttpServerRequest http) {
        Csrf.check(cookie, token);
        String username = identity.getPrincipal().getName();
        audit.object(username);
        audit.detail("changed by the user in the viewer");
        String problem = newPassword != null && newPassword.equals(repeat)
                ? ownPassword.change(username, OwnPasswordChange.address(http), current, newPassword)
                : "newPassword: the two entries differ";
        if (problem != null) {
            audit.refused(problem);
            return render(problem.replaceFirst("^currentPassword: wrong$", "The current password is wrong.")
                    .replaceFirst("^newPassword: ", "New password: "), false, cookie, uri);
        }
        // The session's identity is read again at the next request, now without the forced change.
        return Response.seeOther(URI.create("/account/password?changed")).build();
    }

    private Response render(String problem, boolean changed, String cookie, UriInfo uri) {
        String token = ViewerPages.token(cookie);
        boolean required = AccountIdentity.mustChangePassword(identity);
        return ViewerPages.page(password.data("user", identity.getPrincipal().getName()).data("csrf", token)
                .data("required", required && !changed).data("changed", changed).data("problem", problem)
                .data("minLength", PasswordPolicy.MIN_LENGTH), cookie, token, uri);
    }
}
