package org.neurogate.gateway.api;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;
import java.security.SecureRandom;
import java.util.Base64;
import org.jboss.logging.Logger;
import org.neurogate.persistence.UserAccount;

/** Makes sure an {@code admin} account exists, so a fresh install can be administered at once. */
@ApplicationScoped
public class AdminAccountBootstrap {

    private static final Logger LOG = Logger.getLogger(AdminAccountBootstrap.class);
    static final String ADMIN_USERNAME = "admin";

    private final AccountConfig config;

    public AdminAccountBootstrap(AccountConfig config) {
        this.config = config;
    }

    @Transactional
    void ensureAdmin(@Observes StartupEvent event) {
        UserAccount admin = UserAccount.findByUsername(ADMIN_USERNAME).orElse(null);
        if (admin == null) {
            admin = new UserAccount();
            admin.username = ADMIN_USERNAME;
            admin.role = ApiRoles.ADMIN;
            String password = config.adminPassword().orElseGet(AdminAccountBootstrap::generatePassword);
            admin.setPassword(password);
            admin.persist();
            if (config.adminPassword().isEmpty()) {
                LOG.infof("Created API user 'admin' with generated password: %s"
                        + "  (shown only now; set NEUROGATE_ADMIN_PASSWORD to choose one)", password);
            } else {
                LOG.info("Created API user 'admin' with the password from NEUROGATE_ADMIN_PASSWORD");
            }
        } else if (config.adminPassword().isPresent() && !admin.passwordMatches(config.adminPassword().get())) {
            admin.setPassword(config.adminPassword().get());
            LOG.info("Password of API user 'admin' set from NEUROGATE_ADMIN_PASSWORD");
        }
    }

    private static String generatePassword() {
        byte[] random = new byte[18];
        new SecureRandom().nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }
}
