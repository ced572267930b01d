package org.neurogate.gateway.audit;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;
import org.neurogate.gateway.NeuroGateMain;
import org.neurogate.gateway.PrivateFiles;
import org.neurogate.gateway.analysis.ModelCatalog;
import org.neurogate.gateway.store.StorageConfig;
import org.neurogate.inference.brainage.BrainAgeManifest;
import org.neurogate.inference.brainage.BrainAgeModel;
import org.neurogate.inference.models.ModelPack;
import org.neurogate.persistence.AuditEvent;
import org.neurogate.persistence.AuditTrail;

/**
 * Application start and stop, and what changed since the last start: every setting of ours (and the
 * database, HTTP and TLS settings of Quarkus) and every loaded model is reduced to a keyed digest, so
 * the trail names a setting that changed without ever holding its value, a password included. The key
 * is private to this installation ({@code data/audit.key}, 0600).
 */
@ApplicationScoped
public class StartupAudit {

    private static final Logger LOG = Logger.getLogger(StartupAudit.class);
    private static final List<String> AUDITED_PREFIXES = List.of("neurogate.", "quarkus.datasource.", "quarkus.tls.",
            "quarkus.http.");

    private static final Set<String> EMBEDDED_LOGIN = Set.of("quarkus.datasource.jdbc.url",
            "quarkus.datasource.username", "quarkus.datasource.password");

    private final AuditLog audit;
    private final AuditTrail trail;
    private final ModelCatalog models;
    private final StorageConfig storage;

    private final org.neurogate.gateway.ProcessConfig process;

    public StartupAudit(AuditLog audit, AuditTrail trail, ModelCatalog models, StorageConfig storage,
                        org.neurogate.gateway.ProcessConfig process) {
        this.process = process;
        this.audit = audit;
        this.trail = trail;
        this.models = models;
        this.storage = storage;
    }

    /** After the model packs are loaded (their observer has the default priority). */
    void started(@Observes @Priority(5000) StartupEvent event) throws IOException, GeneralSecurityException {
        Path dataDir = storage.dataDir().toAbsolutePath();
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(PrivateFiles.key(dataDir.resolve("audit.key"))),
                "HmacSHA256"));
        Map<String, String> digests = new TreeMap<>();
        settings(ConfigProvider.getConfig()).forEach((name, value) -> digests.put(name, digest(mac, name, value)));
        List<String> modelNames = new ArrayList<>();
        for (ModelPack.Model m : models.loaded().models()) {
            modelNames.add(m.manifest().id() + "@" + m.manifest().version());
            digests.put("model." + m.manifest().id(), digest(mac, m.manifest().id(),
                    m.manifest().version() + " " + m.manifest().sha256()));
        }
        for (BrainAgeModel b : models.loaded().brainAge()) {
            BrainAgeManifest m = b.manifest();
            modelNames.add(m.id() + "@" + m.version());
            digests.put("model." + m.id(), digest(mac, m.id(), m.contentIdentity()));
        }
        String node = node(dataDir, process);
        Map<String, String> before = trail.settingDigests(node);
        String version = StartupAudit.class.getPackage().getImplementationVersion();
        audit.record(AuditEvent.APPLICATION_START, AuditEvent.SUCCESS, Actor.system(), "application", node, null,
                "version %s; %d settings; models %s%s".formatted(version == null ? "development" : version,
                        digests.size(), modelNames, before.isEmpty() ? "; first start on this node" : ""));
        String changes = changes(before, digests);
        if (!before.isEmpty() && !changes.isEmpty()) {
            audit.record(AuditEvent.CONFIGURATION_CHANGED, AuditEvent.SUCCESS, Actor.system(), "application", node,
                    null, changes);
            LOG.infof("Configuration changed since the last start: %s", changes);
        }
        trail.recordSettingDigests(node, digests);
    }

    void stopped(@Observes @Priority(1) ShutdownEvent event) {
        audit.record(AuditEvent.APPLICATION_STOP, AuditEvent.SUCCESS, Actor.system(), "application",
                node(storage.dataDir().toAbsolutePath(), process), null, null);
    }

    /**
     * Our settings by canonical name (lower case, '.' for '_' and '-'), so that NEUROGATE_DICOM_TLS_PORT
     * and neurogate.dicom.tls-port are one setting. The embedded database's own login is left out: it is
     * made at every start, on a new port.
     */
    static Map<String, String> settings(Config config) {
        Map<String, String> out = new TreeMap<>();
        boolean embedded = NeuroGateMain.embeddedDatabaseInUse();
        for (String name : config.getPropertyNames()) {
            String canonical = name.toLowerCase(Locale.ROOT).replace('_', '.').replace('-', '.');
            if (AUDITED_PREFIXES.stream().noneMatch(canonical::startsWith)
                    || embedded && EMBEDDED_LOGIN.contains(canonical)) {
                continue;
            }
            String value = config.getConfigValue(name).getValue();
            if (value != null) {
                out.put(canonical, value);
            }
        }
        return out;
    }

    /** The names that differ: changed, added and removed; empty when none does. */
    static String changes(Map<String, String> before, Map<String, String> now) {
        Set<String> changed = new TreeSet<>();
        Set<String> added = new TreeSet<>();
        Set<String> removed = new TreeSet<>(before.keySet());
        removed.removeAll(now.keySet());
        now.forEach((name, digest) -> {
            String old = before.get(name);
            if (old == null) {
                added.add(name);
            } else if (!old.equals(digest)) {
                changed.add(name);
            }
        });
        List<String> parts = new ArrayList<>();
        if (!changed.isEmpty()) {
            parts.add("changed: " + String.join(", ", changed));
        }
        if (!added.isEmpty()) {
            parts.add("added: " + String.join(", ", added));
        }
        if (!removed.isEmpty()) {
            parts.add("removed: " + String.join(", ", removed));
        }
        return String.join("; ", parts);
    }

    private static String digest(Mac mac, String name, String value) {
        byte[] d = mac.doFinal((name + "\0" + value).getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(d, 0, 16);
    }

    /**
     * This installation: the host, its data directory and, for a process with only some roles, those
     * roles (a receiver and a worker on one host are configured differently), stable across restarts.
     */
    private static String node(Path dataDir, org.neurogate.gateway.ProcessConfig process) {
        String host = AuditTrail.HOST;
        String dir = dataDir.toString();
        String roles = process.roles().size() == org.neurogate.gateway.ProcessConfig.Role.values().length ? ""
                : ":" + String.join("+", process.roles().stream().sorted().map(r -> r.name().toLowerCase(java.util.Locale.ROOT)
                        .substring(0, 3)).toList());
        int hostLength = roles.isEmpty() ? 40 : 24; // within the column's 64 characters either way
        return (host.length() > hostLength ? host.substring(0, hostLength) : host) + ":" + (dir.length() > 23
                ? "..." + dir.substring(dir.length() - 20) : dir) + roles;
    }
}
