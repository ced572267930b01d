package org.neurogate.gateway.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;
import org.neurogate.gateway.EmbeddedPostgresResource;

@QuarkusTest
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = true)
class ApiSecurityTest {

    private static final String ADMIN = EmbeddedPostgresResource.ADMIN_PASSWORD;

    @Test
    void apiNeedsCredentials() {
        given().when().get("/api/studies").then().statusCode(401);
        given().auth().preemptive().basic("admin", "wrong-password").when().get("/api/studies").then().statusCode(401);
    }

    @Test
    void adminReadsStudies() {
        given().auth().preemptive().basic("admin", ADMIN).when().get("/api/studies")
                .then().statusCode(200).contentType(ContentType.JSON);
        given().auth().preemptive().basic("admin", ADMIN).when().get("/api/studies/1.2.3.999")
                .then().statusCode(404);
    }

    @Test
    void rolesDecideWhatAUserMaySee() {
        createUser("reader1", "radiologist-password-1", "radiologist");
        createUser("scientist1", "researcher-password-1", "researcher");
        given().auth().preemptive().basic("reader1", "radiologist-password-1").when().get("/api/studies")
                .then().statusCode(200);
        given().auth().preemptive().basic("scientist1", "researcher-password-1").when().get("/api/studies")
                .then().statusCode(403);
        given().auth().preemptive().basic("reader1", "radiologist-password-1").when().get("/api/users")
                .then().statusCode(403);
    }

    @Test
    void userCreationValidatesEachField() {
        post("{\"username\":\"bad name\",\"password\":\"long-enough-password\",\"role\":\"radiologist\"}").statusCode(400);
        post("{\"username\":\"shortpw\",\"password\":\"short\",\"role\":\"radiologist\"}").statusCode(400);
        post("{\"username\":\"norole\",\"password\":\"long-enough-password\",\"role\":\"janitor\"}").statusCode(400);
        post("{\"username\":\"admin\",\"password\":\"long-enough-password\",\"role\":\"admin\"}").statusCode(409);
    }

    @Test
    void healthMetricsAndOpenApiAreOpen() {
        given().when().get("/q/health/ready").then().statusCode(200).body(containsString("dicom-scp"));
        given().when().get("/q/metrics").then().statusCode(200).body(containsString("neurogate_analysis_queue_depth"));
        given().when().get("/q/openapi").then().statusCode(200).body(containsString("/api/studies"))
                .body(containsString("/api/studies/{studyUid}/review/sign"))
                .body(containsString("/api/studies/{studyUid}/review/reject"))
                .body(containsString("/api/studies/{studyUid}/key-images"));
    }

    @Test
    void viewerPagesSendAnonymousUsersToTheLoginForm() {
        given().redirects().follow(false).when().get("/viewer").then().statusCode(302)
                .header("Location", org.hamcrest.Matchers.endsWith("/login"));
        given().redirects().follow(false).when().get("/viewer/studies/1.2.3/key-images/infarct-dwi.png").then()
                .statusCode(302).header("Location", org.hamcrest.Matchers.endsWith("/login"));
        given().when().get("/login").then().statusCode(200).body(containsString("j_security_check"))
                .body(containsString("j_username")).body(containsString("j_password"));
    }

    @Test
    void formLoginGivesAnHttpOnlyStrictSessionCookieAndAWrongPasswordNone() {
        io.restassured.response.Response ok = given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .formParam("j_username", "admin").formParam("j_password", ADMIN).when().post("/j_security_check");
        ok.then().statusCode(302).header("Location", org.hamcrest.Matchers.endsWith("/viewer"));
        String cookie = ok.headers().getValues("Set-Cookie").stream().filter(c -> c.startsWith("neurogate-session="))
                .findFirst().orElseThrow();
        org.junit.jupiter.api.Assertions.assertTrue(cookie.toLowerCase(java.util.Locale.ROOT).contains("httponly"), cookie);
        org.junit.jupiter.api.Assertions.assertTrue(cookie.toLowerCase(java.util.Locale.ROOT).contains("samesite=strict"),
                cookie);
        String session = cookie.substring(0, cookie.indexOf(';'));
        given().header("Cookie", session).when().get("/viewer").then().statusCode(200).body(containsString("Worklist"));
        io.restassured.response.Response wrong = given().redirects().follow(false)
                .contentType("application/x-www-form-urlencoded").formParam("j_username", "admin")
                .formParam("j_password", "wrong").when().post("/j_security_check");
        wrong.then().statusCode(302).header("Location", org.hamcrest.Matchers.endsWith("/login-error"));
        org.junit.jupiter.api.Assertions.assertTrue(wrong.headers().getValues("Set-Cookie").stream()
                .noneMatch(c -> c.startsWith("neurogate-session=") && c.length() > "neurogate-session=;".length() + 10));
    }

    @Test
    void onlyRadiologistsSignAndResearchersSeeNoViewer() {
        createUser("scientist2", "researcher-password-2", "researcher");
        given().auth().preemptive().basic("scientist2", "researcher-password-2").redirects().follow(false)
                .when().get("/viewer").then().statusCode(403);
        given().auth().preemptive().basic("admin", ADMIN).contentType(ContentType.JSON).body("{}")
                .when().post("/api/studies/1.2.3/review/sign").then().statusCode(403);
        createUser("reader2", "radiologist-password-2", "radiologist");
        given().auth().preemptive().basic("reader2", "radiologist-password-2").contentType(ContentType.JSON).body("{}")
                .when().post("/api/studies/1.2.3/review/sign").then().statusCode(404);
        given().auth().preemptive().basic("reader2", "radiologist-password-2").contentType(ContentType.JSON)
                .body("{\"reason\":\" \"}").when().post("/api/studies/1.2.3/review/reject").then().statusCode(400);
    }

    private static void createUser(String username, String password, String role) {
        String body = String.format("{\"username\":\"%s\",\"password\":\"%s\",\"role\":\"%s\",\"mustChangePassword\":false}",
                username, password, role);
        int status = post(body).extract().statusCode();
        if (status != 201 && status != 409) {
            throw new AssertionError("creating " + username + " answered " + status);
        }
    }

    private static io.restassured.response.ValidatableResponse post(String json) {
        return given().auth().preemptive().basic("admin", ADMIN).contentType(ContentType.JSON).body(json)
                .when().post("/api/users").then();
    }

    @Test
    void createdUserIsListedWithoutPassword() {
        createUser("lister1", "lister-password-12", "radiologist");
        given().auth().preemptive().basic("admin", ADMIN).when().get("/api/users").then().statusCode(200)
                .body(containsString("lister1")).body("find { it.username == 'lister1' }.role", equalTo("radiologist"))
                .body(org.hamcrest.Matchers.not(containsString("lister-password-12")));
    }
}
