package org.neurogate.gateway.api;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import org.neurogate.persistence.LoginFailures;
import org.neurogate.persistence.UserAccount;

/**
 * A user's change of their own password, from the API or the viewer's form. A wrong current password
 * counts as a failed login: a stolen session must not become a way to guess the password without the
 * lockout, and while the name or the address is locked no current password is checked at all.
 */
@ApplicationScoped
public class OwnPasswordChange {

    static final String WRONG = "currentPassword: wrong";

    private final LoginFailures failures;
    private final LoginFailures.Rule lockout;

    public OwnPasswordChange(AccountConfig config, LoginFailures failures) {
        this.failures = failures;
        this.lockout = config.lockoutRule();
    }

    /** The client's address, as the lockout counts it. */
    public static String address(io.vertx.core.http.HttpServerRequest http) {
        return http == null || http.remoteAddress() == null ? "unknown" : http.remoteAddress().hostAddress();
    }

    /** What is wrong with the change, or null once it is made. */
    public String change(String username, String address, String currentPassword, String newPassword) {
        if (failures.lockedUntil(username, address, lockout).isPresent()) {
            return "currentPassword: locked after repeated failed attempts; try again later";
        }
        String problem = QuarkusTransaction.requiringNew().call(() -> {
            UserAccount account = UserAccount.findByUsername(username).orElse(null);
            return account == null ? "no such account" : UserResource.changeOwnPassword(account, currentPassword, newPassword);
        });
        if (WRONG.equals(problem)) {
            failures.record(username, address);
        }
        return problem;
    }
}
