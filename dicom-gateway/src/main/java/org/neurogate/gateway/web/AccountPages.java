package org.neurogate.gateway.web;

import io.quarkus.narayana.jta.QuarkusTransaction;
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
import org.neurogate.gateway.api.UserResource;
import org.neurogate.persistence.UserAccount;

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

    public AccountPages(Template password, SecurityIdentity identity) {
        this.password = password;
        this.identity = identity;
    }

    @GET
    public Response form(@QueryParam("changed") String changed, @CookieParam(Csrf.COOKIE) String cookie,
                         @Context UriInfo uri) {
        return render(null, changed != null, cookie, uri);
    }

    @POST
    @jakarta.ws.rs.Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response change(@FormParam(Csrf.FIELD) String token, @FormParam("currentPassword") String current,
                           @FormParam("newPassword") String newPassword, @FormParam("repeatPassword") String repeat,
                           @CookieParam(Csrf.COOKIE) String cookie, @Context UriInfo uri) {
        Csrf.check(cookie, token);
        String username = identity.getPrincipal().getName();
        String problem = newPassword != null && newPassword.equals(repeat)
                ? QuarkusTransaction.requiringNew().call(() -> {
                    UserAccount account = UserAccount.findByUsername(username).orElse(null);
                    return account == null ? "no such account" : UserResource.changeOwnPassword(account, current, newPassword);
                })
                : "newPassword: the two entries differ";
        if (problem != null) {
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
