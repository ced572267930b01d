package org.neurogate.systemtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.neurogate.phantoms.SyntheticMrSeries;

/**
 * Accounts and files as a security review checks them: a weak admin password stops the start, a
 * generated one goes to a private file and never to the log, weak account passwords are refused, and
 * everything under the data directory is readable by the gateway's user only.
 */
class AccountSecuritySystemTest {

    @Test
    void aWeakAdminPasswordStopsTheStart() throws Exception {
        Path work = TestEnvironment.workDir("weak-admin");
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> GatewayProcess.start(work.resolve("data"), Map.of("NEUROGATE_ADMIN_PASSWORD", "admin2024admin")));
        assertTrue(refused.getMessage().contains("NEUROGATE_ADMIN_PASSWORD refused: must not contain the user name"),
                refused.getMessage().lines().filter(l -> l.contains("refused")).findFirst().orElse("no reason logged"));
        IllegalStateException tooShort = assertThrows(IllegalStateException.class,
                () -> GatewayProcess.start(work.resolve("data2"), Map.of("NEUROGATE_ADMIN_PASSWORD", "short-pw")));
        assertTrue(tooShort.getMessage().contains("at least 12 characters"));
    }

    @Test
    void aGeneratedAdminPasswordGoesToAPrivateFileNotTheLog() throws Exception {
        Path work = TestEnvironment.workDir("generated-admin");
        try (GatewayProcess gateway = GatewayProcess.start(work.resolve("data"), Map.of("NEUROGATE_ADMIN_PASSWORD", ""))) {
            Path file = gateway.dataDir().resolve("admin-password.txt");
            assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
                    Files.getPosixFilePermissions(file));
            String password = Files.readString(file).strip();
            assertTrue(password.length() >= 12);
            assertFalse(gateway.log().contains(password), "the password is not in the log");
            assertEquals(200, gateway.send("GET", "/api/studies", "admin", password, null).statusCode());
            // Account passwords follow the same policy.
            String weak = "{\"username\":\"radiologist1\",\"password\":\"radiologist1-pw\",\"role\":\"radiologist\"}";
            var refused = gateway.send("POST", "/api/users", "admin", password, weak);
            assertEquals(400, refused.statusCode());
            assertTrue(new String(refused.body()).contains("must not contain the user name"));
        }
    }

    @Test
    void tenFailuresLockTheNameAndTheAddressEvenForTheRightPassword() throws Exception {
        Path work = TestEnvironment.workDir("lockout");
        try (GatewayProcess gateway = GatewayProcess.start(work.resolve("data"),
                Map.of("NEUROGATE_LOGIN_LOCKOUT_DURATION", "5s"))) {
            String other = "{\"username\":\"reader\",\"password\":\"a-long-enough-secret\",\"role\":\"radiologist\","
                    + "\"mustChangePassword\":false}";
            assertEquals(201, gateway.send("POST", "/api/users", "admin", GatewayProcess.ADMIN_PASSWORD, other).statusCode());
            for (int i = 0; i < 10; i++) {
                assertEquals(401, gateway.send("GET", "/api/studies", "admin", "guess-number-" + i, null).statusCode());
            }
            assertEquals(401, gateway.send("GET", "/api/studies", "admin", GatewayProcess.ADMIN_PASSWORD, null).statusCode(),
                    "locked: the right password is refused too");
            assertEquals(401, gateway.send("GET", "/api/studies", "reader", "a-long-enough-secret", null).statusCode(),
                    "the address is locked as well");
            assertTrue(gateway.log().contains("Login locked for PT5S after 10 failed attempts"));
            Thread.sleep(5500);
            assertEquals(200, gateway.send("GET", "/api/studies", "admin", GatewayProcess.ADMIN_PASSWORD, null).statusCode(),
                    "the lock ends");
        }
    }

    @Test
    void wrongCurrentPasswordsOnTheOwnPasswordChangeCountTowardsTheLockout() throws Exception {
        Path work = TestEnvironment.workDir("own-password-lockout");
        try (GatewayProcess gateway = GatewayProcess.start(work.resolve("data"),
                Map.of("NEUROGATE_LOGIN_LOCKOUT_DURATION", "5s"))) {
            String reader = "{\"username\":\"reader\",\"password\":\"a-long-enough-secret\",\"role\":\"radiologist\","
                    + "\"mustChangePassword\":false}";
            assertEquals(201, gateway.send("POST", "/api/users", "admin", GatewayProcess.ADMIN_PASSWORD, reader).statusCode());
            // Someone holding the reader's viewer session guesses at the current password on the form.
            FormClient session = new FormClient(gateway);
            assertEquals(302, session.post("/j_security_check", Map.of("j_username", "reader",
                    "j_password", "a-long-enough-secret")).statusCode());
            String csrf = FormClient.field(session.get("/account/password").body(), "csrf");
            for (int i = 0; i < 10; i++) {
                String page = session.post("/account/password", Map.of("csrf", csrf, "currentPassword", "guess-number-" + i,
                        "newPassword", "taken-over-account-1", "repeatPassword", "taken-over-account-1")).body();
                assertTrue(page.contains("The current password is wrong."), page);
            }
            // Ten wrong guesses lock the name, as ten failed logins would: even the right password is refused,
            // on the form and at the login.
            String locked = session.post("/account/password", Map.of("csrf", csrf, "currentPassword",
                    "a-long-enough-secret", "newPassword", "taken-over-account-1", "repeatPassword",
                    "taken-over-account-1")).body();
            assertTrue(locked.contains("locked after repeated failed attempts"), locked);
            assertEquals(401, gateway.send("GET", "/api/studies", "reader", "a-long-enough-secret", null).statusCode());
            Thread.sleep(5500);
            assertEquals(200, gateway.send("GET", "/api/studies", "reader", "a-long-enough-secret", null).statusCode(),
                    "the lock ends, and no guess changed the password");
        }
    }

    @Test
    void everythingUnderTheDataDirectoryIsPrivate() throws Exception {
        Path work = TestEnvironment.workDir("private-files");
        try (GatewayProcess gateway = GatewayProcess.startWithLauncher(work.resolve("data"), Map.of())) {
            List<Path> series = SyntheticMrSeries.write(new SyntheticMrSeries.Spec(818, 0, 3, 64, 1.0), work.resolve("series"));
            assertEquals(series.size(), Dcmtk.storescu("STORESCU", gateway.dicomPort(), List.of(), series).successes());
            List<String> open = new ArrayList<>();
            try (Stream<Path> all = Files.walk(gateway.dataDir())) {
                all.filter(p -> !Files.isSymbolicLink(p)).forEach(p -> {
                    try {
                        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
                        if (perms.stream().anyMatch(x -> x.name().startsWith("GROUP") || x.name().startsWith("OTHERS"))) {
                            open.add(gateway.dataDir().relativize(p) + " " + java.nio.file.attribute.PosixFilePermissions.toString(perms));
                        }
                    } catch (java.io.IOException gone) {
                        // a file removed while we walked
                    }
                });
            }
            assertEquals(List.of(), open, "readable by others");
            assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(gateway.dataDir())));
        }
    }
}
