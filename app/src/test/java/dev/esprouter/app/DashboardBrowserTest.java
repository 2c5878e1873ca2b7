package dev.esprouter.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.esprouter.analytics.AnalyticsRole;
import dev.esprouter.common.ProviderName;
import dev.esprouter.common.config.EspConfig;
import dev.esprouter.ingress.IngressRole;
import dev.esprouter.router.RouterRole;
import dev.esprouter.sandbox.SandboxRole;
import dev.esprouter.testkit.EspTestEnv;
import dev.esprouter.testkit.RunningRoles;
import dev.esprouter.webhooks.WebhooksRole;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard in a real browser (Debian's headless Chromium through its chromedriver; {@code .ci/run}
 * installs both): sign in with a tenant key, send real traffic through the sandbox, and watch the
 * charts fill, the failure table update, a dead letter get requeued with the session's CSRF token,
 * and nothing overflow a 1,280 px screen. The screenshot stays in {@code app/target/dashboard.png}.
 */
@DisplayName("The dashboard in headless Chromium: sign-in, charts with data, failures, requeue, 1,280 px")
class DashboardBrowserTest {

  @RegisterExtension
  static final EspTestEnv env = new EspTestEnv();

  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final String KEY = "esk_live_dashboardbrowsertestkey0000000000000";
  private static final Logger log = LoggerFactory.getLogger(DashboardBrowserTest.class);
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private static RunningRoles roles;
  private static ChromeDriver browser;
  private static Path profile;
  private static String api;
  private static String sandbox;

  @BeforeAll
  static void start() throws Exception {
    if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
      String why = "\n" + "!".repeat(100) + "\n!! DashboardBrowserTest SKIPPED: no " + (Files.isExecutable(CHROMIUM)
          ? CHROMEDRIVER : CHROMIUM) + ". Install Debian's chromium and chromium-driver (.ci/run does) to run the "
          + "dashboard's real-browser test.\n" + "!".repeat(100);
      System.err.println(why);
      log.error(why);
      Assumptions.abort(why);
    }
    int http = EspTestEnv.freePort();
    Map<String, String> o = new HashMap<>();
    o.put("ESP_ROLES", "ingress,router,webhooks,analytics,sandbox");
    o.put("ESP_HTTP_PORT", Integer.toString(http));
    o.put("ESP_PROVIDERS_MODE", "sandbox");
    o.put("ESP_SANDBOX_WEBHOOK_BASE", "http://127.0.0.1:" + http + "/webhooks");
    o.put("ESP_SANDBOX_SEED", "15");
    o.put("ESP_SANDBOX_INSTANCES", "1");
    o.put("ESP_BOOTSTRAP_API_KEY", KEY);
    o.put("ESP_ADMIN_TOKEN", "browser-test-admin-token-000000000000");
    o.put("ESP_DASHBOARD_SAMPLE_SECONDS", "1");
    o.put("ESP_WEIGHTS_REFRESH_MS", "500");
    o.put("ESP_WEIGHTS_WINDOW_REFRESH_MS", "500");
    EspConfig config = env.config(o);
    env.createTopics(config);
    roles = RunningRoles.start(config, new SandboxRole(), new AnalyticsRole(), new WebhooksRole(), new RouterRole(),
        new IngressRole());
    api = roles.baseUrl();
    sandbox = "http://127.0.0.1:" + config.sandbox().port();
    JsonObject fast = new JsonObject().put("latency_ms", new JsonObject().put("p50", 5).put("p99", 30))
        .put("webhook_delay_ms", 50)
        .put("outcomes", new JsonObject().put("bounced", 0.08).put("blocked", 0.03).put("complained", 0.01)
            .put("opened", 0.3).put("clicked", 0.05));
    for (ProviderName p : ProviderName.of(dev.esprouter.common.Channel.EMAIL)) {
      profile(p, fast);
    }
    // Telegram refuses every send as a bad request: permanent failures, so dead letters to requeue.
    profile(ProviderName.TELEGRAM, new JsonObject().put("error_rate", 1.0).put("error_status", 400));

    profile = Files.createTempDirectory("esp-chromium");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
        "--user-data-dir=" + profile, "--window-size=1280,1000", "--lang=en-US");
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
    browser = new ChromeDriver(service, options);
  }

  @AfterAll
  static void stop() throws Exception {
    if (browser != null) {
      browser.quit();
    }
    if (roles != null) {
      roles.close();
    }
    if (profile != null) {
      try (var files = Files.walk(profile)) {
        files.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
      }
    }
  }

  @Test
  @DisplayName("signs in, sends through the sandbox, sees every chart drawn with data, the failures update, requeues a dead letter")
  void dashboard() throws Exception {
    browser.get(api + "/");
    assertThat(browser.getCurrentUrl()).endsWith("/login");
    browser.findElement(By.id("credential")).sendKeys(KEY);
    browser.findElement(By.id("sign-in")).click();
    await("the dashboard after sign-in", 10, () -> browser.getCurrentUrl().equals(api + "/")
        && "6".equals(attr("providers", "data-rows")));
    assertThat(browser.findElement(By.id("who")).getText()).isEqualTo("default");
    // With no data yet the failure table is empty and every rate is the prior, and says so.
    await("the first (empty) failure table and priors", 10, () -> "0".equals(attr("failures", "data-rows"))
        && cell("meta", 7).getText().equals("prior") && cell("sendgrid", 7).getText().equals("prior"));

    sendTraffic();
    refresh();
    long[] lastRefresh = {System.nanoTime()};
    await("charts and tables with data", 25, () -> {
      if (System.nanoTime() - lastRefresh[0] > 2_000_000_000L) {
        refresh();
        lastRefresh[0] = System.nanoTime();
      }
      return points("chart-rates") > 0 && points("chart-sent") > 0 && points("chart-latency") > 0
          && points("chart-weights") > 0 && points("chart-lag") > 0 && rows("failures") > 0 && rows("dlq") > 0
          // a provider call's p99 sampled (the throughput line alone counts idle zeros as points)
          && Boolean.TRUE.equals(js("var c = window.espDashboard.charts['chart-latency']; return !!c && "
              + "c.plot.data[3].some(function (v) { return v != null; });"));
    });

    for (String chart : List.of("chart-weights", "chart-rates", "chart-sent", "chart-latency", "chart-lag")) {
      assertThat(browser.findElements(By.cssSelector("#" + chart + " canvas"))).as(chart + " canvas").isNotEmpty();
      Object drawn = js("var c = window.espDashboard.charts[arguments[0]].plot; return c.data.slice(1).some("
          + "function (s) { return s.some(function (v) { return v != null; }); });", chart);
      assertThat(drawn).as(chart + " has a non-empty series").isEqualTo(true);
    }
    // The weights chart draws the learner's history (GET /v1/stats/weights) and lists its big changes.
    assertThat(browser.findElement(By.id("weights-source")).getText()).startsWith("this process's learner");
    assertThat(attr("chart-weights", "data-changes")).as("changes counted for the selected series").isNotNull();
    assertThat(Integer.parseInt(attr("weight-changes", "data-rows"))).as("the list of changes, at most 20")
        .isBetween(0, 20);
    await("sendgrid's delivered rate measured, meta's still the prior", 10, () ->
        cell("sendgrid", 7).getText().endsWith("%") && cell("meta", 7).getText().equals("prior"));
    assertThat((Long) js("return document.documentElement.scrollWidth;"))
        .as("no horizontal cut-off at 1,280 px").isLessThanOrEqualTo((Long) js("return window.innerWidth;"));

    // The failure filters: only bounces, newest first.
    new Select(browser.findElement(By.id("failure-type"))).selectByValue("bounced");
    await("the bounced filter, newest first", 10, () -> {
      List<String> types = texts("#failures tbody tr td:nth-child(3)");
      List<String> times = texts("#failures tbody tr td:nth-child(1)");
      return rows("failures") > 0 && types.stream().allMatch("bounced"::equals)
          && times.stream().sorted(java.util.Comparator.reverseOrder()).toList().equals(times);
    });

    new Select(browser.findElement(By.id("failure-type"))).selectByValue("");
    await("every failure type again", 10, () -> texts("#failures tbody tr td:nth-child(3)").stream().distinct().count() > 1);
    long loads = (Long) js("return window.espDashboard.state.loads;");
    new Select(browser.findElement(By.id("range"))).selectByValue("60");
    await("the last hour drawn", 10, () -> (Long) js("return window.espDashboard.state.loads;") > loads
        && points("chart-rates") > 0);
    screenshot(Path.of("target", "dashboard.png"));

    // Requeue the first dead letter through the page (POST with the session's X-CSRF-Token): the router
    // sends it again (and the sandbox, still refusing Telegram, refuses it again).
    long refusedBefore = telegramRefused();
    String[] deadId = {null};
    await("a click on a dead letter's Requeue", 10, () -> {
      WebElement row = browser.findElement(By.cssSelector("#dlq tbody tr"));
      String id = row.findElement(By.cssSelector("td:nth-child(1)")).getText();
      row.findElement(By.cssSelector("button.requeue")).click();
      deadId[0] = id;
      return true;
    });
    await("the requeue answer (202)", 10, () -> (Boolean) js(
        "return window.espDashboard.state.requeued.indexOf(arguments[0]) >= 0;", deadId[0]));
    await("the requeued message sent again", 10, () -> telegramRefused() > refusedBefore);

    browser.findElement(By.id("logout")).click();
    await("the sign-in form after sign-out", 10, () -> browser.getCurrentUrl().endsWith("/login"));
    browser.get(api + "/");
    assertThat(browser.getCurrentUrl()).endsWith("/login");
  }

  /** The whole page at 1,280 px wide (the window grown to the page's height), saved as a build artefact. */
  private static void screenshot(Path shot) throws Exception {
    js("window.scrollTo(0, 0);");
    long height = (Long) js("return document.documentElement.scrollHeight;");
    org.openqa.selenium.Dimension before = browser.manage().window().getSize();
    browser.manage().window().setSize(new org.openqa.selenium.Dimension(1280, (int) Math.min(height + 140, 4000)));
    Files.createDirectories(shot.getParent());
    Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), shot, StandardCopyOption.REPLACE_EXISTING);
    browser.manage().window().setSize(before);
    log.info("dashboard screenshot: {}", shot.toAbsolutePath());
  }

  private static long telegramRefused() {
    HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(sandbox + "/sandbox/stats")).GET());
    return new JsonObject(r.body()).getJsonObject("providers").getJsonObject("telegram").getLong("rejected");
  }

  /** 300 emails with engagement and failures, and a few Telegram messages the sandbox refuses. */
  private static void sendTraffic() {
    JsonArray recipients = new JsonArray();
    for (int i = 0; i < 300; i++) {
      recipients.add(new JsonObject().put("to", "u" + i + "@browser.example"));
    }
    post("/v1/batches", new JsonObject().put("channel", "email").put("from", "Shop <noreply@shop.example>")
        .put("subject", "Hi").put("html", "<p>Hi</p>").put("priority", "normal").put("recipients", recipients));
    for (int i = 0; i < 3; i++) {
      post("/v1/messages", new JsonObject().put("channel", "telegram").put("to", Integer.toString(1000 + i))
          .put("text", "hello"));
    }
  }

  /** A user changing the range twice: the page reloads every panel at once instead of waiting 10 s. */
  private static void refresh() {
    Select range = new Select(browser.findElement(By.id("range")));
    range.selectByValue("60");
    range.selectByValue("180");
  }

  private static List<String> texts(String css) {
    return browser.findElements(By.cssSelector(css)).stream().map(WebElement::getText).toList();
  }

  private static WebElement cell(String provider, int column) {
    return browser.findElement(By.cssSelector("#providers tr[data-provider='" + provider + "'] td:nth-child(" + column
        + ")"));
  }

  private static String attr(String id, String name) {
    return browser.findElement(By.id(id)).getAttribute(name);
  }

  private static int points(String id) {
    String v = attr(id, "data-points");
    return v == null ? 0 : Integer.parseInt(v);
  }

  private static int rows(String id) {
    String v = attr(id, "data-rows");
    return v == null ? 0 : Integer.parseInt(v);
  }

  private static Object js(String script, Object... args) {
    return ((JavascriptExecutor) browser).executeScript(script, args);
  }

  private static void await(String what, int seconds, java.util.function.BooleanSupplier done) {
    try {
      // The page rebuilds its tables on every refresh: an element found a moment ago may be gone.
      new WebDriverWait(browser, Duration.ofSeconds(seconds), Duration.ofMillis(250))
          .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
          .ignoring(org.openqa.selenium.NoSuchElementException.class)
          .until(d -> done.getAsBoolean());
    } catch (org.openqa.selenium.TimeoutException e) {
      throw new AssertionError("timed out waiting for " + what + "; page state: " + js(
          "return JSON.stringify({url: location.href, state: window.espDashboard && window.espDashboard.state, "
              + "charts: Array.prototype.map.call(document.querySelectorAll('.chart'), function (c) {"
              + " return c.id + '=' + c.getAttribute('data-points'); }), failures: document.getElementById('failures') "
              + "&& document.getElementById('failures').getAttribute('data-rows'), dlq: document.getElementById('dlq-note') "
              + "&& document.getElementById('dlq-note').textContent, text: document.body.innerText.substring(0, 400)});"), e);
    }
  }

  private static void post(String path, JsonObject body) {
    HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(api + path)).header("Authorization", "Bearer " + KEY)
        .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.encode())));
    assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(202);
  }

  private static void profile(ProviderName p, JsonObject patch) {
    HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(sandbox + "/sandbox/providers/" + p.wire()))
        .header("content-type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(patch.encode())));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
  }

  private static HttpResponse<String> send(HttpRequest.Builder b) {
    try {
      return HTTP.send(b.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
