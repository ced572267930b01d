package org.neurogate.gateway.api;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.UsernamePasswordAuthenticationRequest;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.neurogate.persistence.LoginFailures;
import org.neurogate.persistence.UserAccount;

/**
 * Checks HTTP Basic and form credentials against the bcrypt hashes in {@code app_user}. The hash checks
 * take turns ({@link AccountConfig#maxConcurrentPasswordChecks()}): unauthenticated requests cost
 * CPU that the receiver needs, and a flood of them must not slow a scanner's push. Failures are
 * counted per user name and per address ({@link LoginFailures}); past the limit both are locked, and a
 * name without an account costs the same hash check as one with.
 */
@ApplicationScoped
public class AccountIdentityProvider implements IdentityProvider<UsernamePasswordAuthenticationRequest> {

    private static final long TURN_WAIT_MILLIS = 2000;
    /** A hash of a random password, checked against for names that have no account. */
    private static final String UNKNOWN_USER_HASH = io.quarkus.elytron.security.common.BcryptUtil.bcryptHash(
            java.util.UUID.randomUUID().toString());

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(AccountIdentityProvider.class);

    private final Semaphore turns;
    private final LoginFailures failures;
    private final LoginFailures.Rule lockout;
    private final LoginAudit audit;

    public AccountIdentityProvider(AccountConfig config, LoginFailures failures, LoginAudit audit) {
        this.turns = new Semaphore(Math.max(1, config.maxConcurrentPasswordChecks()), true);
        this.failures = failures;
        this.audit = audit;
        this.lockout = config.lockoutRule();
    }

    @Override
    public Class<UsernamePasswordAuthenticationRequest> getRequestType() {
        return UsernamePasswordAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(UsernamePasswordAuthenticationRequest request,
                                              AuthenticationRequestContext context) {
        // The lookup and the bcrypt check block; they run on a worker thread, not the event loop.
        String address = clientAddress(request);
        boolean form = isFormLogin(request);
        return context.runBlocking(() -> {
            String username = request.getUsername();
            String password = new String(request.getPassword().getPassword());
            if (failures.lockedUntil(username, address, lockout).isPresent()) {
                // No hash check while locked: the right password is refused too, and guessing costs nothing.
                audit.refused(username, address, form, "locked after repeated failed logins");
                throw new AuthenticationFailedException("locked after repeated failed logins");
            }
            UserAccount account = QuarkusTransaction.requiringNew()
                    .call(() -> UserAccount.findByUsername(username).orElse(null));
            // For a name without an account, the same bcrypt work: timing does not tell which names exist.
            boolean matches = matchesInTurn(account == null ? UNKNOWN_USER_HASH : account.passwordHash, password);
            if (account == null || !matches) {
                failures.record(username, address);
                audit.failed(username, address, form, "invalid user name or password");
                if (failures.lockedUntil(username, address, lockout).isPresent()) {
                    LOG.warnf("Login locked for %s after %d failed attempts (user name or address %s)",
                            lockout.duration(), lockout.failures(), address);
                }
                throw new AuthenticationFailedException("invalid user name or password");
            }
            if (account.disabled) {
                // Checked after the hash, so that a disabled name costs the same time as any other.
                LOG.infof("Login refused for a disabled account (from %s)", address);
                audit.failed(username, address, form, "account disabled");
                throw new AuthenticationFailedException("account disabled");
            }
            failures.clear(username);
            audit.succeeded(account.username, account.role, address, form);
            return AccountIdentity.of(account);
        });
    }

    /** The viewer's login form posts to j_security_check; every other password comes as HTTP Basic. */
    private static boolean isFormLogin(UsernamePasswordAuthenticationRequest request) {
        io.vertx.ext.web.RoutingContext rc = io.quarkus.vertx.http.runtime.security.HttpSecurityUtils
                .getRoutingContextAttribute(request);
        return rc != null && rc.request().path() != null && rc.request().path().endsWith("/j_security_check");
    }

    private static String clientAddress(UsernamePasswordAuthenticationRequest request) {
        io.vertx.ext.web.RoutingContext rc = io.quarkus.vertx.http.runtime.security.HttpSecurityUtils
                .getRoutingContextAttribute(request);
        return OwnPasswordChange.address(rc == null ? null : rc.request());
    }

    private boolean matchesInTurn(String passwordHash, String password) {
        try {
            if (!turns.tryAcquire(TURN_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                return false;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        try {
            return UserAccount.hashMatches(passwordHash, password);
        } finally {
            turns.release();
        }
    }
}
