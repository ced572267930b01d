package org.neurogate.gateway.api;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TrustedAuthenticationRequest;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.neurogate.persistence.UserAccount;

/**
 * Restores the identity of a viewer session: the encrypted cookie names the user, and the role is read
 * again from {@code app_user}, so a changed role, a disabled or deleted account, or a forced password
 * change takes effect at the next request.
 */
@ApplicationScoped
public class SessionIdentityProvider implements IdentityProvider<TrustedAuthenticationRequest> {

    @Override
    public Class<TrustedAuthenticationRequest> getRequestType() {
        return TrustedAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(TrustedAuthenticationRequest request, AuthenticationRequestContext context) {
        return context.runBlocking(() -> {
            UserAccount account = QuarkusTransaction.requiringNew()
                    .call(() -> UserAccount.findByUsername(request.getPrincipal()).orElse(null));
            if (account == null || account.disabled) {
                throw new AuthenticationFailedException("the session's account no longer exists or is disabled");
            }
            return AccountIdentity.of(account);
        });
    }
}
