package org.neurogate.gateway.api;

import jakarta.annotation.security.RolesAllowed;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.ClientErrorException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.neurogate.persistence.UserAccount;

/** Accounts of the API, managed by an admin. */
@Path("/api/users")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed(ApiRoles.ADMIN)
public class UserResource {

    /** An account as shown: never its password. */
    public record User(String username, String role, String fullName) {
    }

    /**
     * A new account.
     *
     * @param fullName optional: the name a radiologist signs reports with, as DICOM PN (Family^Given)
     */
    public record NewUser(String username, String password, String role, String fullName) {
    }

    /** A 400 whose body says what is wrong, for the admin's client to show. */
    private static BadRequestException bad(String message) {
        return new BadRequestException(Response.status(Response.Status.BAD_REQUEST)
                .entity(java.util.Map.of("error", message)).type(MediaType.APPLICATION_JSON).build());
    }

    @GET
    @Transactional
    public List<User> list() {
        return UserAccount.<UserAccount>listAll().stream().map(u -> new User(u.username, u.role, u.fullName)).toList();
    }

    @POST
    @Transactional
    public Response create(NewUser request) {
        if (request == null || request.username() == null || !request.username().matches("[A-Za-z0-9._-]{1,64}")) {
            throw bad("username: 1 to 64 letters, digits, '.', '_' or '-'");
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
            throw new ClientErrorException("user " + request.username() + " exists", Response.Status.CONFLICT);
        }
        UserAccount account = new UserAccount();
        account.username = request.username();
        account.role = request.role();
        account.fullName = request.fullName();
        account.setPassword(request.password());
        account.persist();
        return Response.status(Response.Status.CREATED).entity(new User(account.username, account.role, account.fullName))
                .build();
    }
}
