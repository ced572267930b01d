package org.neurogate.gateway.api;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.UsernamePasswordAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.neurogate.persistence.UserAccount;

/**
 * Checks HTTP Basic and form credentials against the bcrypt hashes in {@code app_user}. The hash checks
 * take turns ({@link AccountConfig#maxConcurrentPasswordChecks()}): unauthenticated requests cost
 * CPU that the receiver needs, and a flood of them must not slow a scanner's push.
 */
@ApplicationScoped
public class AccountIdentityProvider implements IdentityProvider<UsernamePasswordAuthenticationRequest> {

    private static final long TURN_WAIT_MILLIS = 2000;

    private final Semaphore turns;

    public AccountIdentityProvider(AccountConfig config) {
        this.turns = new Semaphore(Math.max(1, config.maxConcurrentPasswordChecks()), true);
    }

    @Override
    public Class<UsernamePasswordAuthenticationRequest> getRequestType() {
        return UsernamePasswordAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(UsernamePasswordAuthenticationRequest request,
                                              AuthenticationRequestContext context) {
        // The lookup and the bcrypt check block; they run on a worker thread, not the event loop.
        return context.runBlocking(() -> {
            String username = request.getUsername();
            String password = new String(request.getPassword().getPassword());
            UserAccount account = QuarkusTransaction.requiringNew()
                    .call(() -> UserAccount.findByUsername(username).orElse(null));
            if (account == null || !matchesInTurn(account, password)) {
                throw new AuthenticationFailedException("invalid user name or password");
            }
            return QuarkusSecurityIdentity.builder()
                    .setPrincipal(new QuarkusPrincipal(account.username))
                    .addRole(account.role)
                    .build();
        });
    }

    private boolean matchesInTurn(UserAccount account, String password) {
        try {
            if (!turns.tryAcquire(TURN_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                return false;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        try {
            return account.passwordMatches(password);
        } finally {
            turns.release();
        }
    }
}
