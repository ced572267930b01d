package org.neurogate.gateway.api;

import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import org.neurogate.persistence.UserAccount;

/** The identity an account logs in with, the same for a password login and a restored session. */
public final class AccountIdentity {

    /**
     * Present (true) while the account must choose its own password: every request but the password
     * change and logout is refused until then ({@link PasswordChangeGate}).
     */
    static final String MUST_CHANGE_PASSWORD = "neurogate.must-change-password";

    private AccountIdentity() {
    }

    static SecurityIdentity of(UserAccount account) {
        QuarkusSecurityIdentity.Builder builder = QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(account.username))
                .addRole(account.role);
        if (account.mustChangePassword) {
            builder.addAttribute(MUST_CHANGE_PASSWORD, Boolean.TRUE);
        }
        return builder.build();
    }

    public static boolean mustChangePassword(SecurityIdentity identity) {
        return !identity.isAnonymous() && Boolean.TRUE.equals(identity.getAttribute(MUST_CHANGE_PASSWORD));
    }
}
