package org.neurogate.gateway.api;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;
import java.security.SecureRandom;
import java.util.Base64;
import org.jboss.logging.Logger;
import org.neurogate.persistence.UserAccount;

/**
 * Makes sure an {@code admin} account exists, so a fresh install can be administered at once. A
 * {@code NEUROGATE_ADMIN_PASSWORD} that breaks the password policy stops the start; a generated password
 * is written to {@code <data dir>/admin-password.txt} (mode 0600), never to the log.
 */
@ApplicationScoped
public class AdminAccountBootstrap {

    private static final Logger LOG = Logger.getLogger(AdminAccountBootstrap.class);
    static final String ADMIN_USERNAME = "admin";

    private final AccountConfig config;
    private final java.nio.file.Path passwordFile;

    private final org.neurogate.gateway.ProcessConfig process;

    public AdminAccountBootstrap(AccountConfig config, org.neurogate.gateway.store.StorageConfig storage,
                                 org.neurogate.gateway.ProcessConfig process) {
        this.process = process;
        this.config = config;
        this.passwordFile = storage.dataDir().toAbsolutePath().resolve("admin-password.txt");
    }

    @Transactional
    void ensureAdmin(@Observes StartupEvent event) throws java.io.IOException {
        if (!process.runs(org.neurogate.gateway.ProcessConfig.Role.WEB)) {
            return; // accounts are the web processes' concern
        }
        if (config.adminPassword().isPresent()) {
            String weak = PasswordPolicy.problem(ADMIN_USERNAME, config.adminPassword().get());
            if (weak != null) {
                throw new IllegalStateException("NEUROGATE_ADMIN_PASSWORD refused: " + weak
                        + "; choose another (or unset it to have one generated)");
            }
        }
        // Web processes starting together: one at a time, so the second finds the first's account.
        io.quarkus.hibernate.orm.panache.Panache.getEntityManager()
                .createNativeQuery("SELECT pg_advisory_xact_lock(7361720)").getSingleResult();
        UserAccount admin = UserAccount.findByUsername(ADMIN_USERNAME).orElse(null);
        if (admin == null) {
            admin = new UserAccount();
            admin.username = ADMIN_USERNAME;
            admin.role = ApiRoles.ADMIN;
            String password = config.adminPassword().orElseGet(AdminAccountBootstrap::generatePassword);
            admin.setPassword(password);
            admin.persist();
            if (config.adminPassword().isEmpty()) {
                org.neurogate.gateway.PrivateFiles.write(passwordFile, password + "\n");
                LOG.infof("Created API user 'admin' with a generated password, written to %s (mode 0600); "
                        + "set NEUROGATE_ADMIN_PASSWORD to choose one", passwordFile);
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
