package org.neurogate.gateway.api;

import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.ClientErrorException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import org.neurogate.gateway.audit.AuditNote;
import org.neurogate.gateway.audit.Audited;
import org.neurogate.persistence.AuditEvent;
import org.neurogate.persistence.UserAccount;

/**
 * Accounts of the API, managed by an admin: create, list, disable and enable, delete, reset a password.
 * Every user changes their own password here too. An admin cannot disable or delete their own account,
 * nor the last enabled admin, so the gateway always keeps someone who can manage it.
 */
@Path("/api/users")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed(ApiRoles.ADMIN)
public class UserResource {

    private final SecurityIdentity identity;
    private final AuditNote audit;
    private final OwnPasswordChange ownPassword;

    public UserResource(SecurityIdentity identity, AuditNote audit, OwnPasswordChange ownPassword) {
        this.identity = identity;
        this.audit = audit;
        this.ownPassword = ownPassword;
    }

    /** An account as shown: never its password. */
    public record User(String username, String role, String fullName, boolean disabled, boolean mustChangePassword) {
        static User of(UserAccount account) {
            return new User(account.username, account.role, account.fullName, account.disabled, account.mustChangePassword);
        }
    }

    /**
     * A new account.
     *
     * @param fullName optional: the name a radiologist signs reports with, as DICOM PN (Family^Given)
     * @param mustChangePassword optional, default true: the user must choose their own password at the
     *                           first login, since the admin knows this one
     */
    public record NewUser(String username, String password, String role, String fullName, Boolean mustChangePassword) {
    }

    /** An admin's reset; by default the user must choose their own password at the next login. */
    public record PasswordReset(String password, Boolean mustChangePassword) {
    }

    /** A user's change of their own password. */
    public record PasswordChange(String currentPassword, String newPassword) {
    }

    /** A 400 whose body says what is wrong, for the admin's client to show. */
    public static BadRequestException bad(String message) {
        return new BadRequestException(Response.status(Response.Status.BAD_REQUEST)
                .entity(Map.of("error", message)).type(MediaType.APPLICATION_JSON).build());
    }

    private static ClientErrorException conflict(String message) {
        return new ClientErrorException(Response.status(Response.Status.CONFLICT)
                .entity(Map.of("error", message)).type(MediaType.APPLICATION_JSON).build());
    }

    @GET
    @Transactional
    public List<User> list() {
        return UserAccount.<UserAccount>listAll().stream().map(User::of).toList();
    }

    @POST
    @Transactional
    @Audited(value = AuditEvent.USER_CREATED, objectType = "user")
    public Response create(NewUser request) {
        if (request != null) {
            audit.object(request.username());
            audit.detail("role " + request.role());
        }
        if (request == null || request.username() == null || !request.username().matches("[A-Za-z0-9._-]{1,64}")
                || request.username().equals("me")) {
            throw bad("username: 1 to 64 letters, digits, '.', '_' or '-' (and not 'me')");
        }
        String weak = PasswordPolicy.problem(request.username(), request.password());
        if (weak != null) {
            throw bad("password: " + weak);
        }
        if (request.role() == null || !ApiRoles.ALL.contains(request.role())) {
            throw bad("role: one of " + ApiRoles.ALL);
        }
        if (request.fullName() != null && !request.fullName().matches("[\\p{L}\\p{M} .'^-]{1,64}")) {
            throw bad("fullName: up to 64 letters, spaces, '.', '-', apostrophes and '^'");
        }
        if (UserAccount.findByUsername(request.username()).isPresent()) {
            throw conflict("user " + request.username() + " exists");
        }
        UserAccount account = new UserAccount();
        account.username = request.username();
        account.role = request.role();
        account.fullName = request.fullName();
        account.setPassword(request.password());
        account.mustChangePassword = request.mustChangePassword() == null || request.mustChangePassword();
        account.persist();
        return Response.status(Response.Status.CREATED).entity(User.of(account)).build();
    }

    @POST
    @Path("{username}/disable")
    @Transactional
    @Audited(value = AuditEvent.USER_DISABLED, objectType = "user", objectParam = "username")
    public User disable(@PathParam("username") String username) {
        UserAccount account = other(username, "disable");
        account.disabled = true;
        return User.of(account);
    }

    @POST
    @Path("{username}/enable")
    @Transactional
    @Audited(value = AuditEvent.USER_ENABLED, objectType = "user", objectParam = "username")
    public User enable(@PathParam("username") String username) {
        UserAccount account = existing(username);
        account.disabled = false;
        return User.of(account);
    }

    @DELETE
    @Path("{username}")
    @Transactional
    @Audited(value = AuditEvent.USER_DELETED, objectType = "user", objectParam = "username")
    public Response delete(@PathParam("username") String username) {
        other(username, "delete").delete();
        return Response.noContent().build();
    }

    @PUT
    @Path("{username}/password")
    @Transactional
    @Audited(value = AuditEvent.PASSWORD_CHANGED, objectType = "user", objectParam = "username")
    public User resetPassword(@PathParam("username") String username, PasswordReset request) {
        audit.detail("reset by an admin");
        UserAccount account = existing(username);
        String weak = request == null ? "missing" : PasswordPolicy.problem(username, request.password());
        if (weak != null) {
            throw bad("password: " + weak);
        }
        account.setPassword(request.password());
        account.mustChangePassword = request.mustChangePassword() == null || request.mustChangePassword();
        return User.of(account);
    }

    /** Any user's change of their own password: the current one, then a new one that meets the policy. */
    @POST
    @Path("me/password")
    @Authenticated
    @Audited(value = AuditEvent.PASSWORD_CHANGED, objectType = "user")
    public Response changeOwnPassword(PasswordChange request, @Context HttpServerRequest http) {
        String username = identity.getPrincipal().getName();
        audit.object(username);
        audit.detail("changed by the user");
        String problem = ownPassword.change(username, OwnPasswordChange.address(http),
                request == null ? null : request.currentPassword(), request == null ? null : request.newPassword());
        if (problem != null) {
            throw bad(problem);
        }
        return Response.noContent().build();
    }

    /**
     * A change of one's own password, shared with the viewer's form: the current password, then a new
     * one that meets the policy and differs from it. Answers what is wrong, or null once changed. The
     * lockout around it is {@link OwnPasswordChange}'s.
     */
    public static String changeOwnPassword(UserAccount account, String currentPassword, String newPassword) {
        if (currentPassword == null || !account.passwordMatches(currentPassword)) {
            return OwnPasswordChange.WRONG;
        }
        String weak = PasswordPolicy.problem(account.username, newPassword);
        if (weak != null) {
            return "newPassword: " + weak;
        }
        if (newPassword.equals(currentPassword)) {
            return "newPassword: must differ from the current one";
        }
        account.setPassword(newPassword);
        account.mustChangePassword = false;
        return null;
    }

    private static UserAccount existing(String username) {
        return UserAccount.findByUsername(username)
                .orElseThrow(() -> new NotFoundException(Response.status(Response.Status.NOT_FOUND)
                        .entity(Map.of("error", "no user " + username)).type(MediaType.APPLICATION_JSON).build()));
    }

    /** Another account than the caller's, and not the last enabled admin. */
    private UserAccount other(String username, String action) {
        if (username.equals(identity.getPrincipal().getName())) {
            throw bad("an admin cannot " + action + " their own account");
        }
        UserAccount account = existing(username);
        if (ApiRoles.ADMIN.equals(account.role) && !account.disabled && UserAccount.otherEnabledAdmins(username) == 0) {
            throw conflict("cannot " + action + " the last enabled admin");
        }
        return account;
    }
}
