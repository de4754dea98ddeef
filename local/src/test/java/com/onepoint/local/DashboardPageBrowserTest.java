package com.onepoint.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.onepoint.devkit.SamTemplate;
import com.onepoint.shared.domain.BusinessMonth;
import com.onepoint.shared.dynamo.Items;
import com.onepoint.shared.table.BillingTable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The manager dashboard page at /ui/ in headless Chromium (Debian's chromium and chromedriver, driven by Selenium with
 * the paths set, so nothing is downloaded), against the whole local runtime from template.yaml. What the page shows is
 * checked against what the API answers for the same thing. Screenshots go to target/ui-*.png.
 */
class DashboardPageBrowserTest {
    private static final Duration WAIT = Duration.ofSeconds(40);
    private static final ZoneId ZONE = BusinessMonth.DEFAULT_ZONE;
    private static final String PHONE_AS_TYPED = "+82 10-2000-3000";
    private static LocalRuntime runtime;
    private static ApiClient api;
    private static ChromeDriver browser;
    private static Path profile;
    private static String merchantKey;
    private static String refusedDealId;
    private static String month;

    @BeforeAll
    static void start() throws Exception {
        SamTemplate template = SamTemplate.load(Path.of("template.yaml"), Map.of("RestoreRetryDelaySeconds", "1"));
        runtime = LocalRuntime.start(template, 0, RuntimeOverrides.standard());
        api = new ApiClient(runtime);
        seed();
        browser = chromium();
    }

    @AfterAll
    static void stop() throws IOException {
        if (browser != null) {
            browser.quit();
        }
        if (runtime != null) {
            runtime.close();
        }
        if (profile != null) {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }

    /** A fresh tab state for each test: no session, the page loaded anew. */
    @BeforeEach
    void freshPage() {
        browser.get(runtime.baseUrl() + "/ui/");
        js("window.sessionStorage.clear();");
        browser.navigate().refresh();
        waitFor("the page's script", () -> "true".equals(browser.findElement(By.tagName("body")).getDomAttribute("data-ready")));
    }

    static ChromeDriver chromium() throws IOException {
        for (String path : List.of("/usr/bin/chromium", "/usr/bin/chromedriver")) {
            assertTrue(Files.isExecutable(Path.of(path)), path + " is missing: apt-get install chromium chromium-driver (.ci/run does)");
        }
        System.setProperty("webdriver.chrome.driver", "/usr/bin/chromedriver");
        profile = Files.createTempDirectory("onepoint-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--user-data-dir=" + profile,
                "--window-size=1280,1400", "--lang=en-US");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.PERFORMANCE, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    // ------------------------------------------------------------------ data: through the API, as a POS would

    private static void seed() {
        Instant now = Instant.now();
        // deals on days before today, so the chart has several days; a deal may be up to 35 days old
        month = BusinessMonth.of(now.minus(10, ChronoUnit.DAYS), ZONE);
        JsonNode merchant = expect(201, api.post("/merchants", "{\"merchantId\":\"20\",\"name\":\"Cafe Hangang\"}")).json();
        merchantKey = merchant.get("apiKey").asText();
        expect(201, api.post("/members", "{\"memberId\":\"0001\",\"name\":\"Kim Minji\",\"phone\":\"010-2000-3000\"}"));
        expect(201, api.post("/members", "{\"memberId\":\"0002\",\"name\":\"Lee Jun\"}"));
        String firstEarn = deal("0001", "earn", 100000, null, now, 20).get("dealId").asText();
        deal("0002", "earn", 200000, null, now, 19);
        deal("0001", "earn", 45000, null, now, 17);
        deal("0001", "use", 30000, 300L, now, 15);
        deal("0002", "use", 70000, 700L, now, 14);
        deal("0001", "earn", 80000, null, now, 12);
        deal("0001", "use", 50000, 500L, now, 10);
        ApiClient.Answer refused = api.post("/deals", dealBody("0001", "use", 1_000_000, 100_000L, now, 9));
        assertEquals("INSUFFICIENT_POINTS", expect(409, refused).errorCode());
        refusedDealId = refused.json().at("/error/details/deal/dealId").asText();
        String bigEarn = deal("0002", "earn", 120000, null, now, 7).get("dealId").asText();
        String use = deal("0001", "use", 25000, 250L, now, 5).get("dealId").asText();
        deal("0002", "earn", 60000, null, now, 3);
        deal("0001", "use", 10000, 100L, now, 1);
        expect(201, api.post("/deals/" + firstEarn + "/refunds", "{\"amount\":20000}"));
        expect(200, api.post("/deals/" + bigEarn + "/cancel", null));
        expect(202, api.post("/deals/" + use + "/cancel", null));
        expect(201, api.post("/members/0001/adjustments", "{\"points\":500,\"reason\":\"welcome gift\"}"));

        // the read models follow within a second or two: wait until each shows everything, then settle the month
        Eventually.await("the statement of 0001 holds its 10 movements", WAIT,
                () -> api.get("/members/0001/ledger").json().get("entries").size() == 10);
        Eventually.await("the dashboard of 0001 holds its 8 deals with the cancellation restored", WAIT, () -> {
            JsonNode deals = api.get("/dashboard/members/0001").json().get("deals");
            return deals.size() == 8 && deals.findValuesAsText("restoration").contains("DONE");
        });
        Eventually.await("merchant 20's days hold every deal", WAIT, () -> {
            long counted = 0;
            for (String m : List.of(month, BusinessMonth.of(now, ZONE))) {
                JsonNode t = api.get("/merchants/20/days?month=" + m).json().get("totals");
                counted += t.get("earnCount").asLong() + t.get("useCount").asLong() + t.get("refusedCount").asLong()
                        + t.get("cancelCount").asLong() + t.get("refundCount").asLong();
            }
            return counted == 15; // 12 deals recorded, 1 refund, 2 cancellations
        });
        long uses = api.get("/merchants/20/days?month=" + month).json().at("/totals/useCount").asLong();
        Eventually.await("the billing view counts the month's " + uses + " uses", WAIT, () -> billingUses(month) == uses);
        expect(201, api.post("/billings", "{\"merchantId\":\"20\",\"billingMonth\":\"" + month + "\"}"));
    }

    private static JsonNode deal(String member, String type, long amount, Long points, Instant now, int daysAgo) {
        return expect(201, api.post("/deals", dealBody(member, type, amount, points, now, daysAgo))).json();
    }

    private static String dealBody(String member, String type, long amount, Long points, Instant now, int daysAgo) {
        Instant at = now.minus(daysAgo, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        return "{\"memberId\":\"" + member + "\",\"merchantId\":\"20\",\"type\":\"" + type + "\",\"amount\":" + amount
                + (points == null ? "" : ",\"points\":" + points) + ",\"occurredAt\":\"" + at + "\"}";
    }

    private static long billingUses(String billingMonth) {
        String table = runtime.dynamo().tableNames().get("BillingTable");
        Map<String, AttributeValue> item = runtime.dynamo().client().getItem(b -> b.tableName(table).consistentRead(true)
                .key(Map.of(BillingTable.MERCHANT_ID, Items.s("20"), BillingTable.BILLING_MONTH, Items.s(billingMonth)))).item();
        Long count = item == null ? null : Items.numOrNull(item, BillingTable.GROSS_USE_COUNT);
        return count == null ? 0 : count;
    }

    private static ApiClient.Answer expect(int status, ApiClient.Answer answer) {
        assertEquals(status, answer.status(), answer.body());
        return answer;
    }

    // ------------------------------------------------------------------ the page

    private static Object js(String script, Object... args) {
        return ((JavascriptExecutor) browser).executeScript(script, args);
    }

    private static WebElement id(String id) {
        return browser.findElement(By.id(id));
    }

    private static void waitFor(String what, java.util.function.BooleanSupplier condition) {
        new WebDriverWait(browser, Duration.ofSeconds(15)).withMessage(what).until(d -> condition.getAsBoolean());
    }

    private static void signIn(String key) {
        id("api-key").sendKeys(key);
        id("signin-button").click();
    }

    private static void signInAsAdmin() {
        signIn(ApiClient.ADMIN_KEY);
        waitFor("the signed-in view", () -> id("app").isDisplayed());
    }

    private static void findMember(String query) {
        id("member-query").clear();
        id("member-query").sendKeys(query);
        id("member-search").click();
        waitFor("the search to finish", () -> idle() && (id("member-view").isDisplayed() || id("error").isDisplayed()));
    }

    private static void openMonth(String merchantId, String yyyymm) {
        id("merchant-id").clear();
        id("merchant-id").sendKeys(merchantId);
        id("merchant-month").clear();
        id("merchant-month").sendKeys(yyyymm);
        id("merchant-search").click();
        waitFor("the month to load", () -> idle() && ((merchantId + "/" + yyyymm).equals(id("merchant-view")
                .getDomAttribute("data-loaded")) || id("error").isDisplayed()));
    }

    /** No request of the page under way (it marks the body while one runs). */
    private static boolean idle() {
        return browser.findElement(By.tagName("body")).getDomAttribute("data-busy") == null;
    }

    private static String points(long n) {
        return String.format(java.util.Locale.US, "%,d", n);
    }

    private static void screenshot(String name) throws IOException {
        File shot = browser.findElement(By.tagName("main")).getScreenshotAs(OutputType.FILE);
        Path target = Path.of("local/target/" + name);
        Files.createDirectories(target.getParent());
        Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
    }

    // ------------------------------------------------------------------ tests

    @Test
    void aWrongKeyGetsTheSignInErrorAsTheApiWordsIt() {
        signIn("not-the-admin-key");
        waitFor("the sign-in error", () -> id("signin-error").isDisplayed());
        JsonNode refusal = api.withKey("not-the-admin-key").get("/merchants/dashboard-sign-in-check").json().get("error");
        assertEquals(refusal.get("code").asText() + ": " + refusal.get("message").asText(), id("signin-error").getText());
        assertEquals("UNAUTHORIZED", id("signin-error").getDomAttribute("data-code"));
        assertFalse(id("app").isDisplayed());
        assertNull(js("return window.sessionStorage.getItem('onepoint.adminKey');"), "a refused key is not kept");

        // a merchant's key is a valid key, but not the manager's
        signIn(merchantKey);
        waitFor("the forbidden error", () -> "FORBIDDEN".equals(id("signin-error").getDomAttribute("data-code")));
        assertTrue(id("signin-error").getText().startsWith("FORBIDDEN: "), id("signin-error").getText());
        assertFalse(id("app").isDisplayed());
    }

    @Test
    void aMemberFoundByPhoneShowsTheBalanceAndStatementTheApiHas() throws IOException {
        signInAsAdmin();
        findMember(PHONE_AS_TYPED);
        assertTrue(id("member-view").isDisplayed(), id("error").getText());

        assertEquals("0001", id("member-id").getText());
        JsonNode points = api.get("/points/0001").json();
        assertEquals(points(points.get("balance").asLong()), id("member-balance").getText());
        assertEquals("ACTIVE", id("member-status").getText());
        assertEquals("+821020003000", id("member-phone").getText());
        JsonNode entries = api.get("/members/0001/ledger?limit=100").json().get("entries");
        List<WebElement> rows = id("statement").findElements(By.cssSelector("tbody tr"));
        assertEquals(entries.size(), rows.size());
        for (int i = 0; i < rows.size(); i++) {
            assertEquals(entries.get(i).get("kind").asText(), rows.get(i).getDomAttribute("data-kind"), "row " + i);
            assertEquals(points(entries.get(i).get("balanceAfter").asLong()),
                    rows.get(i).findElement(By.className("balance-after")).getText(), "running balance, row " + i);
        }
        assertEquals(points(points.get("balance").asLong()), rows.get(0).findElement(By.className("balance-after")).getText(),
                "the newest running balance is the balance");
        List<WebElement> refunds = id("refunds").findElements(By.cssSelector("tbody tr"));
        assertEquals(1, refunds.size(), "the earn's refund");
        assertTrue(refunds.get(0).getText().contains("EARN_REFUND"), refunds.get(0).getText());
        assertEquals(api.get("/dashboard/members/0001").json().get("deals").size(),
                id("deals").findElements(By.cssSelector("tbody tr")).size());
        screenshot("ui-member.png");

        // by id as well, and the type filter
        findMember("0002");
        waitFor("member 0002", () -> "0002".equals(id("member-view").getDomAttribute("data-member-id")));
        new Select(id("deal-type")).selectByValue("earn");
        List<WebElement> earns = id("deals").findElements(By.cssSelector("tbody tr"));
        assertEquals(3, earns.size());
        earns.forEach(r -> assertEquals("earn", r.getDomAttribute("data-type")));
    }

    @Test
    void aRefusedUseIsShownAsRefusedAndAnUnknownMemberAsTheApiSaysIt() {
        signInAsAdmin();
        findMember("0001");
        new Select(id("deal-status")).selectByValue("FAILED");
        List<WebElement> refused = id("deals").findElements(By.cssSelector("tbody tr"));
        assertEquals(1, refused.size());
        assertEquals(refusedDealId, refused.get(0).getDomAttribute("data-deal-id"));
        assertTrue(refused.get(0).getText().contains("refused (INSUFFICIENT_POINTS)"), refused.get(0).getText());
        new Select(id("deal-status")).selectByValue("CANCELLED");
        assertEquals(1, id("deals").findElements(By.cssSelector("tbody tr")).size(), "the cancelled use");

        findMember("no-such-member");
        JsonNode error = api.get("/members/no-such-member").json().get("error");
        assertEquals(error.get("code").asText() + ": " + error.get("message").asText(), id("error").getText());
        assertFalse(id("member-view").isDisplayed() && "no-such-member".equals(id("member-view").getDomAttribute("data-member-id")));
        openMonth("20", "2026-1");
        assertTrue(id("error").getText().startsWith("VALIDATION_FAILED: "), id("error").getText());
    }

    @Test
    void aMerchantMonthShowsItsTotalsSettlementAndChart() throws IOException {
        signInAsAdmin();
        openMonth("20", month);
        assertTrue(id("merchant-view").isDisplayed(), id("error").getText());

        JsonNode figures = api.get("/merchants/20/days?month=" + month).json();
        JsonNode t = figures.get("totals");
        assertEquals(points(t.get("earnedPoints").asLong()), id("total-earned").getText());
        assertEquals(points(t.get("earnCount").asLong()), id("total-earn-count").getText());
        assertEquals(points(t.get("usedPoints").asLong()), id("total-used").getText());
        assertEquals(points(t.get("useCount").asLong()), id("total-use-count").getText());
        assertEquals(points(t.get("cancelCount").asLong()), id("total-cancel-count").getText());
        assertEquals(points(t.get("refusedCount").asLong()), id("total-refused").getText());
        assertEquals(points(t.get("netUsedPoints").asLong()), id("total-net-used").getText());
        JsonNode settlement = api.get("/billings/20/" + month).json();
        assertEquals("true", id("settlement").getDomAttribute("data-settled"));
        assertTrue(id("settlement").getText().contains("settlement amount " + points(settlement.get("settlementAmount").asLong())
                + " KRW"), id("settlement").getText());
        // the settlement nets cancellations and refunds into the deal's month, as the days do
        assertEquals(t.get("netUsedPoints").asLong(), settlement.get("usedPoints").asLong());

        List<WebElement> bars = id("chart").findElements(By.cssSelector("g.day"));
        assertEquals(figures.get("days").size(), bars.size(), "one group a day of the month");
        long daysWithDeals = 0;
        for (int i = 0; i < bars.size(); i++) {
            JsonNode day = figures.get("days").get(i);
            assertEquals(day.get("day").asText(), bars.get(i).getDomAttribute("data-day"));
            assertEquals(day.get("netEarnedPoints").asText(), bars.get(i).getDomAttribute("data-earned"));
            assertEquals(day.get("netUsedPoints").asText(), bars.get(i).getDomAttribute("data-used"));
            double earnHeight = Double.parseDouble(bars.get(i).findElement(By.cssSelector("rect.earn")).getDomAttribute("height"));
            assertEquals(day.get("netEarnedPoints").asLong() > 0, earnHeight > 0, "a bar where points were earned, " + day);
            if (day.get("earnCount").asLong() + day.get("useCount").asLong() > 0) {
                daysWithDeals++;
            }
        }
        assertTrue(daysWithDeals >= 2, "the seeded deals fall on several days of " + month);
        screenshot("ui-merchant.png");

        openMonth("no-such-shop", month);
        assertEquals("MERCHANT_NOT_FOUND: merchant no-such-shop does not exist", id("error").getText());
    }

    @Test
    void theKeyStaysOutOfTheUrlAndLocalStorageAndThePageCallsNothingButTheApi() {
        browser.manage().logs().get(LogType.PERFORMANCE); // drop what earlier tests logged
        signInAsAdmin();
        findMember(PHONE_AS_TYPED);
        openMonth("20", month);

        assertFalse(browser.getCurrentUrl().contains(ApiClient.ADMIN_KEY), browser.getCurrentUrl());
        assertEquals(runtime.baseUrl() + "/ui/", browser.getCurrentUrl());
        assertEquals(0L, js("return window.localStorage.length;"));
        assertEquals("", js("return document.cookie;"));
        assertEquals(ApiClient.ADMIN_KEY, js("return window.sessionStorage.getItem('onepoint.adminKey');"));
        assertEquals("", id("api-key").getDomProperty("value"), "the typed key does not stay in the form");

        URI origin = URI.create(runtime.baseUrl());
        @SuppressWarnings("unchecked")
        List<String> resources = (List<String>) js("return performance.getEntriesByType('resource').map(e => e.name);");
        assertFalse(resources.isEmpty());
        List<String> requested = new ArrayList<>(resources);
        for (LogEntry entry : browser.manage().logs().get(LogType.PERFORMANCE)) {
            JsonNode message = read(entry.getMessage()).get("message");
            if ("Network.requestWillBeSent".equals(message.path("method").asText())) {
                requested.add(message.at("/params/request/url").asText());
            }
        }
        assertTrue(requested.stream().anyMatch(u -> u.contains("/merchants/20/days")), requested.toString());
        for (String url : requested) {
            if (url.startsWith("data:")) {
                continue;
            }
            URI u = URI.create(url);
            assertEquals(origin.getScheme() + "://" + origin.getAuthority(), u.getScheme() + "://" + u.getAuthority(), url);
            assertFalse(url.contains(ApiClient.ADMIN_KEY), url);
        }

        id("sign-out").click();
        assertTrue(id("signin").isDisplayed());
        assertNull(js("return window.sessionStorage.getItem('onepoint.adminKey');"));
    }

    private static JsonNode read(String json) {
        try {
            return com.onepoint.devkit.json.Json.read(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
