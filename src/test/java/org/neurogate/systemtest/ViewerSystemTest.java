package org.neurogate.systemtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.neurogate.phantoms.AcquisitionOptions;
import org.neurogate.phantoms.PhantomStudy;
import org.neurogate.phantoms.anatomy.Subject;
import org.neurogate.phantoms.geometry.Vec3;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The radiologist's viewer in Debian's chromium, against the packaged gateway with its PostgreSQL:
 * two phantom studies pushed with storescu (one with an infarct and a 6 mm midline shift, one without),
 * read, signed and rejected in the browser, the verified and the rejection SRs checked at storescp
 * with dsrdump and dciodvfy; and every page and image closed to a researcher and to anonymous users.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ViewerSystemTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private static final String RADIOLOGIST = "drhouse";
    private static final String RADIOLOGIST_PASSWORD = "radiologist-password-1";
    private static final String RESEARCHER = "scientist";
    private static final String RESEARCHER_PASSWORD = "researcher-password-1";

    private Path work;
    private Process pacs;
    private GatewayProcess gateway;
    private ChromeDriver browser;
    private String base;
    private Map<String, Object> lesionTruth;
    private Map<String, Object> quietTruth;
    private String lesionStudy;
    private String quietStudy;

    @BeforeAll
    void pushTwoStudies() throws Exception {
        work = TestEnvironment.workDir("viewer");
        int pacsPort = TestEnvironment.freePort();
        Files.createDirectories(work.resolve("pacs"));
        pacs = Dcmtk.start(List.of("storescp", "-aet", "PACS", "-uf", "-od", work.resolve("pacs").toString(),
                Integer.toString(pacsPort)), work.resolve("storescp.log"));
        gateway = GatewayProcess.start(work.resolve("data"), GatewayProcess.env("NEUROGATE_FORWARD_TO",
                "PACS@localhost:" + pacsPort, "NEUROGATE_STUDY_STABLE_SECONDS", "2"));
        base = "http://localhost:" + gateway.httpPort();
        createUser(RADIOLOGIST, RADIOLOGIST_PASSWORD, "radiologist", "House^Gregory");
        createUser(RESEARCHER, RESEARCHER_PASSWORD, "researcher", null);
        AcquisitionOptions acquisition = new AcquisitionOptions(AcquisitionOptions.Plane.SAGITTAL, 0, false,
                AcquisitionOptions.EXPLICIT_LITTLE_ENDIAN, 30);
        lesionTruth = PhantomStudy.write(new Subject(911, 68, Subject.Sex.M, Subject.Diagnosis.CN, 6, -4, 0, Vec3.ZERO, 6,
                1, 14), acquisition, work.resolve("lesion"));
        quietTruth = PhantomStudy.write(new Subject(912, 74, Subject.Sex.F, Subject.Diagnosis.MCI, 0, 0, 0, Vec3.ZERO, 0,
                0, 0), acquisition, work.resolve("quiet"));
        lesionStudy = (String) lesionTruth.get("study_instance_uid");
        quietStudy = (String) quietTruth.get("study_instance_uid");
        for (String dir : List.of("lesion", "quiet")) {
            Dcmtk.Result sent = Dcmtk.storescu("STORESCU", gateway.dicomPort(), List.of(),
                    TestEnvironment.dicomFiles(work.resolve(dir).resolve("dicom")));
            assertEquals(0, sent.exitCode(), sent.output());
        }
        for (String study : List.of(lesionStudy, quietStudy)) {
            gateway.awaitApi("/api/studies/" + study + "/reports", r -> r.toString().contains("\"kind\":\"SR\""),
                    Duration.ofSeconds(240));
        }
        browser = Browser.start(work.resolve("chromium-profile"));
    }

    @AfterAll
    void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (gateway != null) {
            gateway.close();
        }
        if (pacs != null) {
            pacs.destroy();
        }
    }

    @Test
    @Order(1)
    void loginIsRequiredAndAWrongPasswordFails() {
        browser.get(base + "/viewer");
        assertTrue(browser.getCurrentUrl().endsWith("/login"), "an anonymous visit lands on the login: " + browser.getCurrentUrl());
        login(RADIOLOGIST, "not-the-password");
        assertTrue(browser.getCurrentUrl().contains("/login-error"), browser.getCurrentUrl());
        assertTrue(browser.findElement(By.id("login-error")).isDisplayed());
        assertTrue(browser.manage().getCookieNamed("neurogate-session") == null, "no session for a wrong password");
        login(RADIOLOGIST, RADIOLOGIST_PASSWORD);
        assertTrue(browser.getCurrentUrl().endsWith("/viewer"), browser.getCurrentUrl());
        Cookie session = browser.manage().getCookieNamed("neurogate-session");
        assertNotNull(session);
        assertTrue(session.isHttpOnly(), "the session cookie is HttpOnly");
        assertEquals("Strict", session.getSameSite());
        assertEquals(RADIOLOGIST, browser.findElement(By.id("current-user")).getText());
    }

    @Test
    @Order(2)
    void theWorklistListsBothStudiesWithTheirFlags() {
        browser.get(base + "/viewer");
        WebElement lesion = row(lesionStudy);
        WebElement quiet = row(quietStudy);
        assertEquals("DONE", lesion.getDomAttribute("data-analysis-state"));
        assertEquals("UNREAD", lesion.getDomAttribute("data-review-state"));
        List<String> lesionFlags = flags(lesion);
        assertTrue(lesionFlags.contains("infarct"), "infarct flag: " + lesionFlags);
        assertTrue(lesionFlags.contains("midline-shift"), "6 mm shift flagged: " + lesionFlags);
        List<String> quietFlags = flags(quiet);
        assertFalse(quietFlags.contains("infarct") || quietFlags.contains("midline-shift"), "no lesion, no shift: " + quietFlags);
        assertTrue(lesion.getText().contains("PHANTOM"), "patient name shown: " + lesion.getText());
        // Filters run on the server.
        new Select(browser.findElement(By.id("filter-flag"))).selectByValue("INFARCT");
        browser.findElement(By.id("filters")).submit();
        List<String> shown = browser.findElements(By.cssSelector("tr.study")).stream()
                .map(r -> r.getDomAttribute("data-study-uid")).toList();
        assertEquals(List.of(lesionStudy), shown);
    }

    @Test
    @Order(3)
    void theReportShowsTheNumbersOfTheFindingsApi() throws Exception {
        browser.get(base + "/viewer/studies/" + lesionStudy);
        JsonNode api = gateway.api("/api/studies/" + lesionStudy + "/findings").path("measurements");
        Map<String, Double> expected = new HashMap<>();
        for (JsonNode m : api) {
            expected.put(m.path("analysis").asText() + "." + m.path("name").asText(), m.path("value").asDouble());
        }
        List<WebElement> rows = browser.findElements(By.cssSelector("tr.measurement"));
        assertEquals(expected.size(), rows.size(), "one table row per finding");
        for (WebElement r : rows) {
            String key = r.getDomAttribute("data-analysis") + "." + r.getDomAttribute("data-name");
            assertTrue(expected.containsKey(key), key);
            double value = Double.parseDouble(r.getDomAttribute("data-value"));
            assertEquals(expected.get(key), value, 1e-9, key);
            double shown = Double.parseDouble(r.findElement(By.cssSelector("td.value")).getText());
            assertEquals(value, shown, Math.max(0.006, Math.abs(value) * 0.0006), key + " as displayed");
        }
        assertEquals(4, browser.findElements(By.cssSelector("svg.centile-chart")).size(), "hippocampi, GM, ventricles");
        assertEquals(4, browser.findElements(By.cssSelector("svg.centile-chart circle.patient")).size());
        assertTrue(browser.findElement(By.id("disclaimer")).getText().toLowerCase().contains("not for diagnostic use"));
    }

    @Test
    @Order(4)
    void everyKeyImageLoadsWithItsOverlayWhereThePhantomHasIt() throws Exception {
        browser.get(base + "/viewer/studies/" + lesionStudy);
        List<WebElement> images = browser.findElements(By.cssSelector("img[data-key-image]"));
        List<String> names = images.stream().map(i -> i.getDomAttribute("data-key-image")).toList();
        assertTrue(names.containsAll(List.of("infarct-dwi", "infarct-adc", "hippocampi-coronal-t1", "midline-axial-t1")),
                names.toString());
        new WebDriverWait(browser, Duration.ofSeconds(60)).until(d -> images.stream().allMatch(this::loaded));
        JsonNode list = gateway.api("/api/studies/" + lesionStudy + "/key-images");
        double[] lesion = vector(lesionTruth.get("lesion_centroid_lps"));
        double[] mirror = mirror(lesion, lesionTruth);
        for (String name : List.of("infarct-dwi", "infarct-adc")) {
            JsonNode entry = entry(list, name);
            BufferedImage png = sessionImage(entry.path("url").asText());
            int[] at = project(entry.path("geometry"), lesion);
            int[] other = project(entry.path("geometry"), mirror);
            int[] rgb = rgb(png, at);
            assertTrue(rgb[0] - rgb[2] > 60, name + ": infarct colour at the phantom's lesion " + List.of(at[0], at[1])
                    + " was " + List.of(rgb[0], rgb[1], rgb[2]));
            int[] grey = rgb(png, other);
            assertTrue(Math.abs(grey[0] - grey[2]) < 25, name + ": no overlay at the mirror point, was "
                    + List.of(grey[0], grey[1], grey[2]));
        }
        JsonNode hippocampi = entry(list, "hippocampi-coronal-t1");
        BufferedImage coronal = sessionImage(hippocampi.path("url").asText());
        int[] left = project(hippocampi.path("geometry"), vector(lesionTruth.get("hippocampus_left_centroid_lps")));
        int[] right = project(hippocampi.path("geometry"), vector(lesionTruth.get("hippocampus_right_centroid_lps")));
        int[] l = rgb(coronal, left);
        int[] r = rgb(coronal, right);
        assertTrue(l[2] - l[0] > 60, "left hippocampus blue, was " + List.of(l[0], l[1], l[2]));
        assertTrue(r[1] - r[0] > 60, "right hippocampus green, was " + List.of(r[0], r[1], r[2]));
        assertTrue(left[0] > right[0], "radiological convention: the patient's left on the screen's right");
        assertTrue(left[0] > coronal.getWidth() / 2 && right[0] < coronal.getWidth() / 2);
    }

    @Test
    @Order(5)
    void theSliceScrollerMovesThroughEverySlice() {
        browser.get(base + "/viewer/studies/" + lesionStudy);
        WebElement stack = browser.findElement(By.cssSelector(".stack[data-label-map='lesion_mask']"));
        WebElement img = stack.findElement(By.tagName("img"));
        int start = Integer.parseInt(stack.getDomAttribute("data-start"));
        int slices = Integer.parseInt(stack.getDomAttribute("data-slices"));
        assertTrue(slices > 10);
        img.sendKeys(Keys.ARROW_UP);
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(d -> img.getDomProperty("src").contains("/" + (start + 1)
                + ".png") && loaded(img));
        stack.findElement(By.cssSelector("input.overlay")).click();
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(d -> img.getDomProperty("src").contains("overlay=false")
                && loaded(img));
        new Select(stack.findElement(By.cssSelector("select.window"))).selectByValue("wide");
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(d -> img.getDomProperty("src").contains("window=wide")
                && loaded(img));
    }

    @Test
    @Order(6)
    void aSignPostWithoutTheCsrfTokenIsRefused() throws Exception {
        String cookies = browserCookies();
        HttpResponse<String> form = post("/viewer/studies/" + lesionStudy + "/sign", cookies,
                "application/x-www-form-urlencoded", "comment=forged");
        assertEquals(403, form.statusCode(), "form without its token");
        HttpResponse<String> wrong = post("/viewer/studies/" + lesionStudy + "/sign", cookies,
                "application/x-www-form-urlencoded", "comment=forged&csrf=guess");
        assertEquals(403, wrong.statusCode(), "form with a wrong token");
        HttpResponse<String> api = post("/api/studies/" + lesionStudy + "/review/sign", cookies, "application/json",
                "{\"comment\":\"forged\"}");
        assertEquals(403, api.statusCode(), "session API call without X-CSRF-Token");
        assertEquals("UNREAD", gateway.api("/api/studies/" + lesionStudy + "/review").path("state").asText());
        // An admin who is not a radiologist cannot sign, with or without a session.
        HttpResponse<String> admin = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/studies/" + lesionStudy
                + "/review/sign")).header("Authorization", basic("admin", GatewayProcess.ADMIN_PASSWORD))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(403, admin.statusCode());
    }

    @Test
    @Order(7)
    void signingDeliversAVerifiedSrAndRejectingARejectionToThePacs() throws Exception {
        browser.get(base + "/viewer/studies/" + lesionStudy);
        saveFullPageScreenshot(work.resolve("report-page.png"));
        browser.findElement(By.id("sign-comment")).sendKeys("Left MCA infarct, agree");
        browser.findElement(By.id("sign")).click();
        awaitReviewState("signed");
        assertTrue(browser.findElements(By.id("sign")).isEmpty(), "a signed report cannot be signed again");
        JsonNode review = gateway.api("/api/studies/" + lesionStudy + "/review");
        assertEquals("SIGNED", review.path("state").asText());
        String unverified = review.path("reportSopInstanceUid").asText();
        String verified = review.path("decision").path("resultSopInstanceUid").asText();
        assertEquals(RADIOLOGIST, review.path("decision").path("username").asText());
        Path sr = awaitFile(work.resolve("pacs"), verified);
        String dump = Dcmtk.run(List.of("dsrdump", "+Pl", sr.toString())).output();
        assertTrue(dump.contains("Verification Flag   : VERIFIED"), dump);
        assertTrue(dump.contains("House^Gregory"), "the verifying observer:\n" + dump);
        assertTrue(dump.contains("Predecessor Docs    : 1"), dump);
        assertTrue(dump.contains("Left MCA infarct, agree"), dump);
        String predecessor = Dcmtk.run(List.of("dcmdump", "+P", "0040,a360", "+P", "0008,1155", sr.toString())).output();
        assertTrue(predecessor.contains(unverified), "the predecessor is the unverified SR:\n" + predecessor);
        assertNoErrors(sr);
        assertEquals(409, post("/api/studies/" + lesionStudy + "/review/sign", null, "application/json", "{}",
                basic(RADIOLOGIST, RADIOLOGIST_PASSWORD)).statusCode(), "signed twice");
        JsonNode reports = gateway.api("/api/studies/" + lesionStudy + "/reports");
        assertTrue(reports.toString().contains("SIGNED_SR"), reports.toString());
        // The PDF is re-issued too, for PACS viewers that show only the PDF.
        Path signedPdf = awaitFile(work.resolve("pacs"), sopOfKind(reports, "SIGNED_PDF"));
        String signedText = DicomFiles.pdfText(signedPdf);
        assertTrue(signedText.contains("Signed by House Gregory (" + RADIOLOGIST + ")")
                && signedText.contains("Left MCA infarct, agree"), signedText);
        assertTrue(signedText.contains("Infarct") && signedText.contains("Key images"), "the full report, signed");
        assertNoErrors(signedPdf);
        for (JsonNode r : reports) {
            if (r.path("kind").asText().equals("SR")) {
                assertEquals("SIGNED", r.path("review").asText(), "the review state in the reports API");
            }
        }

        browser.get(base + "/viewer/studies/" + quietStudy);
        new Select(browser.findElement(By.id("reject-reason"))).selectByValue("motion artefact");
        browser.findElement(By.id("reject")).click();
        awaitReviewState("rejected");
        JsonNode rejected = gateway.api("/api/studies/" + quietStudy + "/review");
        Path notice = awaitFile(work.resolve("pacs"), rejected.path("decision").path("resultSopInstanceUid").asText());
        String rejectDump = Dcmtk.run(List.of("dsrdump", "+Pl", notice.toString())).output();
        assertTrue(rejectDump.contains("rejected by House^Gregory: motion artefact"), rejectDump);
        assertTrue(rejectDump.contains("Predecessor Docs    : 1"), rejectDump);
        assertNoErrors(notice);
        Path rejectedPdf = awaitFile(work.resolve("pacs"), sopOfKind(gateway.api("/api/studies/" + quietStudy + "/reports"),
                "REJECTED_PDF"));
        String rejectedText = DicomFiles.pdfText(rejectedPdf);
        assertTrue(rejectedText.contains("Rejected by House Gregory") && rejectedText.contains("motion artefact")
                && rejectedText.contains("withdrawn"), rejectedText);
        assertFalse(rejectedText.contains("Intracranial volume"), "no withdrawn number on the rejected PDF:\n" + rejectedText);
        assertNoErrors(rejectedPdf);
        browser.get(base + "/viewer");
        assertEquals("SIGNED", row(lesionStudy).getDomAttribute("data-review-state"));
        assertEquals("REJECTED", row(quietStudy).getDomAttribute("data-review-state"));

        // The audit trail: who viewed, signed and rejected which study, and the refused second signature.
        JsonNode signed = AuditTrailSystemTest.awaitAudit(gateway, "event=report-signed&object=" + lesionStudy,
                rows -> rows.size() >= 2);
        assertTrue(AuditTrailSystemTest.has(signed, RADIOLOGIST, 0), "the signature:\n" + signed);
        assertTrue(AuditTrailSystemTest.has(signed, RADIOLOGIST, 4), "the refused second signature:\n" + signed);
        JsonNode rejections = AuditTrailSystemTest.awaitAudit(gateway, "event=report-rejected&object=" + quietStudy,
                rows -> rows.size() >= 1);
        assertTrue(AuditTrailSystemTest.has(rejections, RADIOLOGIST, 0), rejections.toString());
        JsonNode views = AuditTrailSystemTest.awaitAudit(gateway, "event=study-viewed&object=" + lesionStudy
                + "&user=" + RADIOLOGIST, rows -> rows.size() >= 1);
        assertTrue(AuditTrailSystemTest.has(views, RADIOLOGIST, 0), views.toString());
    }

    @Test
    @Order(8)
    void researchersAndAnonymousUsersGetNoPageAndNoImage() throws Exception {
        List<String> urls = new ArrayList<>(List.of("/viewer", "/viewer/studies/" + lesionStudy,
                "/viewer/studies/" + lesionStudy + "/slices/lesion_mask/3.png", "/viewer/assets/viewer.js"));
        for (JsonNode k : gateway.api("/api/studies/" + lesionStudy + "/key-images")) {
            urls.add(k.path("url").asText());
        }
        List<String> api = List.of("/api/studies/" + lesionStudy + "/key-images", "/api/studies/" + lesionStudy + "/review",
                "/api/studies/" + lesionStudy + "/slices/labels_t1", "/api/studies/" + lesionStudy + "/findings");
        String researcher = sessionOf(RESEARCHER, RESEARCHER_PASSWORD);
        for (String url : urls) {
            HttpResponse<byte[]> anonymous = get(url, null);
            assertEquals(302, anonymous.statusCode(), "anonymous " + url);
            assertTrue(anonymous.headers().firstValue("Location").orElse("").endsWith("/login"), url);
            assertEquals(403, get(url, researcher).statusCode(), "researcher session " + url);
        }
        for (String url : api) {
            assertEquals(401, get(url, null).statusCode(), "anonymous API " + url);
            assertEquals(403, get(url, researcher).statusCode(), "researcher session " + url);
            HttpResponse<byte[]> basic = HTTP.send(HttpRequest.newBuilder(URI.create(base + url))
                    .header("Authorization", basic(RESEARCHER, RESEARCHER_PASSWORD)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(403, basic.statusCode(), "researcher Basic " + url);
        }
    }

    @Test
    @Order(9)
    void logoutEndsTheSession() {
        browser.get(base + "/viewer");
        browser.findElement(By.id("logout")).click();
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(d -> d.getCurrentUrl().endsWith("/login"));
        browser.get(base + "/viewer/studies/" + lesionStudy);
        assertTrue(browser.getCurrentUrl().endsWith("/login"), "after logout: " + browser.getCurrentUrl());
    }

    // --- helpers

    /** After a form post the page is replaced: elements of the old one go stale meanwhile. */
    private static String sopOfKind(JsonNode reports, String kind) {
        for (JsonNode r : reports) {
            if (r.path("kind").asText().equals(kind)) {
                return r.path("sopInstanceUid").asText();
            }
        }
        throw new AssertionError("no " + kind + " in " + reports);
    }

    private void awaitReviewState(String state) {
        new WebDriverWait(browser, Duration.ofSeconds(30)).ignoring(StaleElementReferenceException.class)
                .until(d -> state.equals(d.findElement(By.id("review-state")).getText()));
    }

    /** Fills and sends the login form, then waits until the browser has left it. */
    private void login(String user, String password) {
        browser.get(base + "/login");
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(d -> d.getCurrentUrl().endsWith("/login"));
        WebElement name = browser.findElement(By.id("j_username"));
        WebElement secret = browser.findElement(By.id("j_password"));
        name.clear();
        name.sendKeys(user);
        secret.clear();
        secret.sendKeys(password);
        assertEquals(user, name.getDomProperty("value"));
        browser.findElement(By.id("login-submit")).click();
        new WebDriverWait(browser, Duration.ofSeconds(20)).ignoring(StaleElementReferenceException.class)
                .until(d -> !d.getCurrentUrl().endsWith("/login"));
    }

    private WebElement row(String study) {
        return browser.findElement(By.cssSelector("tr.study[data-study-uid='" + study + "']"));
    }

    private static List<String> flags(WebElement row) {
        return row.findElements(By.cssSelector("[data-flag]")).stream().map(e -> e.getDomAttribute("data-flag")).toList();
    }

    private boolean loaded(WebElement img) {
        return Boolean.TRUE.equals(((JavascriptExecutor) browser).executeScript(
                "return arguments[0].complete && arguments[0].naturalWidth > 0;", img));
    }

    private String browserCookies() {
        StringBuilder out = new StringBuilder();
        for (Cookie c : browser.manage().getCookies()) {
            out.append(c.getName()).append('=').append(c.getValue()).append("; ");
        }
        return out.toString();
    }

    /** Logs in with the form over plain HTTP and returns the session cookie header. */
    private String sessionOf(String user, String password) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/j_security_check"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("j_username=" + user + "&j_password=" + password)).build(),
                HttpResponse.BodyHandlers.ofString());
        String cookie = r.headers().allValues("set-cookie").stream().filter(c -> c.startsWith("neurogate-session="))
                .findFirst().orElseThrow(() -> new AssertionError("no session for " + user + ": " + r.headers()));
        return cookie.substring(0, cookie.indexOf(';'));
    }

    private HttpResponse<byte[]> get(String path, String cookies) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
        if (cookies != null) {
            b.header("Cookie", cookies);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpResponse<String> post(String path, String cookies, String type, String body) throws Exception {
        return post(path, cookies, type, body, null);
    }

    private HttpResponse<String> post(String path, String cookies, String type, String body, String authorization)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (cookies != null) {
            b.header("Cookie", cookies);
        }
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private BufferedImage sessionImage(String url) throws Exception {
        HttpResponse<byte[]> r = get(url, browserCookies());
        assertEquals(200, r.statusCode(), url);
        assertEquals("image/png", r.headers().firstValue("Content-Type").orElse(""));
        return ImageIO.read(new ByteArrayInputStream(r.body()));
    }

    private void createUser(String user, String password, String role, String fullName) throws Exception {
        String body = JSON.writeValueAsString(fullName == null
                ? Map.of("username", user, "password", password, "role", role, "mustChangePassword", false)
                : Map.of("username", user, "password", password, "role", role, "fullName", fullName,
                        "mustChangePassword", false));
        HttpResponse<String> r = post("/api/users", null, "application/json", body, basic("admin", GatewayProcess.ADMIN_PASSWORD));
        assertEquals(201, r.statusCode(), r.body());
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode entry(JsonNode list, String name) {
        for (JsonNode k : list) {
            if (k.path("name").asText().equals(name)) {
                return k;
            }
        }
        throw new AssertionError("no key image " + name + " in " + list);
    }

    /** Pixel (column, row) of a patient point in a key image, from the geometry the API gives. */
    private static int[] project(JsonNode g, double[] lps) {
        double[] o = vector(g.path("originLps"));
        double[] u = vector(g.path("columnDirection"));
        double[] v = vector(g.path("rowDirection"));
        double ps = g.path("pixelSpacingMm").asDouble();
        double[] d = {lps[0] - o[0], lps[1] - o[1], lps[2] - o[2]};
        return new int[] {(int) Math.round((d[0] * u[0] + d[1] * u[1] + d[2] * u[2]) / ps),
            (int) Math.round((d[0] * v[0] + d[1] * v[1] + d[2] * v[2]) / ps)};
    }

    /** The point's mirror image across the phantom's true mid-sagittal plane. */
    private static double[] mirror(double[] p, Map<String, Object> truth) {
        double[] n = vector(truth.get("msp_normal_lps"));
        double offset = ((Number) truth.get("msp_offset_mm")).doubleValue();
        double d = n[0] * p[0] + n[1] * p[1] + n[2] * p[2] - offset;
        return new double[] {p[0] - 2 * d * n[0], p[1] - 2 * d * n[1], p[2] - 2 * d * n[2]};
    }

    private static int[] rgb(BufferedImage img, int[] at) {
        int c = img.getRGB(at[0], at[1]);
        return new int[] {c >> 16 & 0xFF, c >> 8 & 0xFF, c & 0xFF};
    }

    private static double[] vector(Object value) {
        if (value instanceof JsonNode node) {
            double[] out = new double[node.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = node.get(i).asDouble();
            }
            return out;
        }
        if (value instanceof double[] array) {
            return array;
        }
        List<?> list = (List<?>) value;
        double[] out = new double[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ((Number) list.get(i)).doubleValue();
        }
        return out;
    }

    private static Path awaitFile(Path dir, String sopInstanceUid) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            try (Stream<Path> files = Files.list(dir)) {
                List<Path> found = files.filter(f -> f.getFileName().toString().contains(sopInstanceUid)).toList();
                if (!found.isEmpty()) {
                    Thread.sleep(500);
                    return found.get(0);
                }
            }
            Thread.sleep(250);
        }
        throw new AssertionError("SR " + sopInstanceUid + " did not arrive at the PACS");
    }

    private static void assertNoErrors(Path object) throws Exception {
        List<String> errors = Dcmtk.run(List.of("dciodvfy", object.toString())).output().lines()
                .filter(l -> l.startsWith("Error")).toList();
        assertTrue(errors.isEmpty(), object.getFileName() + ": " + errors);
    }

    /** The whole page, not only the window: the browser is made as tall as the document. */
    private void saveFullPageScreenshot(Path file) throws IOException {
        Number height = (Number) ((JavascriptExecutor) browser).executeScript(
                "return Math.max(document.body.scrollHeight, document.documentElement.scrollHeight);");
        Dimension before = browser.manage().window().getSize();
        browser.manage().window().setSize(new Dimension(1400, Math.min(8000, height.intValue() + 120)));
        Files.write(file, browser.getScreenshotAs(OutputType.BYTES));
        browser.manage().window().setSize(before);
    }
}
