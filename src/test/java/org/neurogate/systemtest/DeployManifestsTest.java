package org.neurogate.systemtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.databind.MappingIterator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes manifests of deploy/kubernetes as kubectl renders them (Debian's kubernetes-client):
 * they parse, every environment variable they set is one our configuration reference documents, the
 * probes point at the health endpoints, the ports at what the processes open, and the images are the
 * ones the Containerfiles are built as. No cluster and no container engine exist here, so this is
 * what can be checked of them.
 */
class DeployManifestsTest {

    private static final Path DEPLOY = TestEnvironment.repositoryRoot().resolve("deploy");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Map<String, String> ROLES = Map.of("neurogate-receiver", "receiver", "neurogate-worker", "worker",
            "neurogate-delivery", "delivery", "neurogate-web", "web");

    @Test
    void bothOverlaysRenderIntoWhatTheProcessesExpect() throws Exception {
        Set<String> documented = documentedVariables();
        Map<String, String> builtImages = builtImages();
        for (String overlay : List.of("cpu", "gpu")) {
            List<JsonNode> docs = render(DEPLOY.resolve("kubernetes/overlays/" + overlay));
            Map<String, List<JsonNode>> byKind = new HashMap<>();
            docs.forEach(d -> byKind.computeIfAbsent(d.path("kind").asText(), k -> new ArrayList<>()).add(d));
            assertEquals(4, byKind.get("Deployment").size(), overlay);
            assertEquals("postgresql.cnpg.io/v1", byKind.get("Cluster").get(0).path("apiVersion").asText());
            assertEquals("ReadWriteMany", byKind.get("PersistentVolumeClaim").get(0).path("spec").path("accessModes").get(0).asText());
            assertEquals(2, byKind.get("PodDisruptionBudget").size());
            assertEquals("neurogate-worker", byKind.get("ScaledObject").get(0).path("spec").path("scaleTargetRef").path("name").asText());
            assertEquals(1, byKind.get("Ingress").size());
            JsonNode config = byKind.get("ConfigMap").get(0).path("data");
            config.fieldNames().forEachRemaining(name -> assertTrue(documented.contains(name), "ConfigMap sets " + name
                    + ", which deploy/CONFIGURATION.md does not document"));
            for (JsonNode deployment : byKind.get("Deployment")) {
                String name = deployment.path("metadata").path("name").asText();
                JsonNode pod = deployment.path("spec").path("template").path("spec");
                JsonNode container = pod.path("containers").get(0);
                Map<String, String> env = new HashMap<>();
                for (JsonNode e : container.path("env")) {
                    String variable = e.path("name").asText();
                    assertTrue(documented.contains(variable), name + " sets " + variable + ", which is not documented");
                    env.put(variable, e.path("value").asText(null));
                }
                assertEquals(ROLES.get(name), env.get("NEUROGATE_ROLES"), name + "'s role");
                assertEquals("/q/health/live", container.path("livenessProbe").path("httpGet").path("path").asText(), name);
                assertEquals("/q/health/ready", container.path("readinessProbe").path("httpGet").path("path").asText(), name);
                Map<String, Integer> ports = new HashMap<>();
                container.path("ports").forEach(p -> ports.put(p.path("name").asText(), p.path("containerPort").asInt()));
                assertEquals(8080, ports.get(container.path("readinessProbe").path("httpGet").path("port").asText()),
                        name + ": the probes reach the web port (quarkus.http.port's default)");
                if (name.equals("neurogate-receiver")) {
                    assertEquals(11112, ports.get("dicom"), "the receiver's DICOM port (neurogate.dicom-port's default)");
                }
                assertEquals(config.path("NEUROGATE_DATA_DIR").asText(), container.path("volumeMounts").get(0).path("mountPath").asText(),
                        name + " mounts the store at the data directory");
                String image = container.path("image").asText();
                boolean gpuWorker = overlay.equals("gpu") && name.equals("neurogate-worker");
                assertEquals(builtImages.get(gpuWorker ? "Containerfile.cuda" : "Containerfile"), image, name + " in " + overlay);
                if (gpuWorker) {
                    assertEquals("cuda", env.get("NEUROGATE_INFERENCE_DEVICE"));
                    assertEquals(1, container.path("resources").path("limits").path("nvidia.com/gpu").asInt());
                }
                assertTrue(pod.path("terminationGracePeriodSeconds").asInt() > seconds(config.path("NEUROGATE_SHUTDOWN_DELAY").asText())
                        + seconds(config.path("NEUROGATE_SHUTDOWN_GRACE").asText()), name + ": the pod outlives the graceful stop");
            }
        }
    }

    /** The queue query KEDA scales the workers on, from the manifest (run against the real schema in ScaleOutSystemTest). */
    static String workerScalingQuery() throws Exception {
        JsonNode scaled = YAML.readTree(DEPLOY.resolve("kubernetes/base/worker-autoscaling.yaml").toFile());
        return scaled.path("spec").path("triggers").get(0).path("metadata").path("query").asText();
    }

    private static List<JsonNode> render(Path overlay) throws Exception {
        Process p = new ProcessBuilder("kubectl", "kustomize", overlay.toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "kubectl kustomize " + overlay + " failed:\n" + out);
        List<JsonNode> docs = new ArrayList<>();
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(out)) {
            while (it.hasNext()) {
                JsonNode d = it.next();
                if (d != null && !d.isEmpty()) {
                    docs.add(d);
                }
            }
        }
        return docs;
    }

    /**
     * Every variable the configuration reference names: each property in backquotes in its environment
     * form (upper case, dots and hyphens as underscores), and the launcher's variables as written.
     */
    private static Set<String> documentedVariables() throws Exception {
        Set<String> names = new HashSet<>();
        Matcher m = Pattern.compile("`([a-zA-Z][a-zA-Z0-9._\\-\"]*)`").matcher(Files.readString(DEPLOY.resolve("CONFIGURATION.md")));
        while (m.find()) {
            String token = m.group(1);
            if (token.matches("[A-Z][A-Z0-9_]+")) {
                names.add(token);
            } else if (token.contains(".")) {
                names.add(token.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_"));
            }
        }
        return names;
    }

    /** The tag each Containerfile is built as, from the build command at its head. */
    private static Map<String, String> builtImages() throws Exception {
        Map<String, String> images = new HashMap<>();
        for (String file : List.of("Containerfile", "Containerfile.cuda")) {
            Matcher m = Pattern.compile("build -f deploy/" + Pattern.quote(file) + " -t (\\S+)")
                    .matcher(Files.readString(DEPLOY.resolve(file)));
            assertTrue(m.find(), file + " names the image it builds");
            images.put(file, m.group(1));
        }
        return images;
    }

    private static int seconds(String duration) {
        return Integer.parseInt(duration.replaceAll("s$", ""));
    }
}
