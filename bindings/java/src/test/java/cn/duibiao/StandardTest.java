package cn.duibiao;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The typed API on the haiyan demo: results, options, errors, threads, closing, live sessions. */
class StandardTest {
    static Standard haiyan;
    static String demo;

    static String path(String rel) {
        return ConformanceTest.root().resolve(rel).toString();
    }

    @BeforeAll
    static void compile() {
        haiyan = Standard.open(path("standards/haiyan-2021.std"));
        demo = Duibiao.read(path("standards/haiyan-2021/demo.json"));
    }

    @AfterAll
    static void close() {
        haiyan.close();
    }

    @Test
    void theLibraryIsLoadedFromWhereTheTestRunExpects() {
        String expected = System.getProperty("duibiao.expect.loaded");
        String from = Duibiao.libraryLoadedFrom();
        System.out.println("native library loaded from " + from);
        if (expected != null) {
            assertTrue(from.startsWith(expected), from);
        }
    }

    @Test
    void compiledStandardDescribesItself() {
        assertEquals("haiyan-2021", haiyan.slug());
        assertTrue(haiyan.fingerprint().startsWith("sha256:"));
        assertEquals("关于开展城市基层党建全域提升行动的工作方案", haiyan.title());
        assertTrue(haiyan.kinds().contains("社区"));
        assertTrue(haiyan.warnings().isEmpty());
        assertTrue(haiyan.handle() > 0);
        assertEquals("0.1.0", Duibiao.version());
    }

    @Test
    void sq2TierAndItsExplanation() {
        Evaluation e = haiyan.evaluate(demo, null);
        assertTrue(e.ok());
        assertEquals(1, e.protocol());
        assertEquals("2021-12-31", e.asOf());
        assertEquals(18, e.units().size());
        Unit sq2 = e.unit("SQ2");
        assertEquals("标准型", sq2.tier());
        assertEquals("城西社区", sq2.name());
        assertEquals("JD", sq2.parent());
        assertEquals(new BigDecimal("92"), sq2.score());
        assertEquals("pass", sq2.tiers().get("标准型"));
        assertEquals("fail", sq2.tiers().get("示范型"));
        assertEquals("示范型", e.unit("SQ1").tier());
        assertNull(e.unit("nobody"));
        assertTrue(e.json().startsWith("{\"protocol\":1"));

        byte[] bytes = demo.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(e.json(), haiyan.evaluate(bytes, null).json(), "facts as bytes, the same response");
        assertEquals("A0009", assertThrows(DuibiaoException.class,
                () -> haiyan.evaluate(new byte[] {'{', (byte) 0xc3, '}'}, null)).code());
        assertEquals("A0009", assertThrows(DuibiaoException.class, () -> haiyan.evaluate((byte[]) null, null)).code());

        Explanation x = haiyan.explain(demo, "SQ2", null);
        assertEquals("SQ2", x.unit().id());
        assertEquals("标准型", x.unit().tier());
        assertTrue(x.text().contains("✗ 示范型"), x.text());
        assertTrue(x.text().contains("所辖小区完成示范型建设不少于30%"), x.text());
        assertTrue(x.text().contains("〔三、建设要求"), "every verdict cites its clause: " + x.text());
        assertNotNull(x.unit().get("items"), "the explained unit is the full outcome");
    }

    @Test
    void options() {
        Evaluation members = haiyan.evaluate(demo, new Options().detail(Options.Detail.MEMBERS).threads(Options.Threads.SINGLE));
        assertNotNull(members.unit("JD").get("items"));
        Explanation en = haiyan.explain(demo, "SQ2", new Options().lang(Options.Lang.EN));
        assertTrue(en.text().contains("required >="), en.text());
        Evaluation what = haiyan.evaluate(demo, new Options().set("SQ2", "社会组织充分融入", true).set("SQ2", "6.1", 10));
        assertNotNull(what.unit("SQ2").tier());
        Evaluation dated = haiyan.evaluate(demo, new Options().asOf("2022-06-30"));
        assertEquals("2022-06-30", dated.asOf());
        DuibiaoException unknown = assertThrows(DuibiaoException.class,
                () -> haiyan.evaluate(demo, new Options().param("没有这个参数", 1)));
        assertFalse(unknown.problems().isEmpty());
        assertEquals("{\"params\":{\"a\":0.80},\"as_of\":\"2021-12-31\",\"detail\":\"conditions\",\"lang\":\"en\"}",
                new Options().param("a", new BigDecimal("0.80")).asOf("2021-12-31").detail(Options.Detail.CONDITIONS)
                        .lang(Options.Lang.EN).toJson());
    }

    @Test
    void progressGapDiffTemplate() {
        Progress p = haiyan.progress(demo, null);
        assertEquals("2021-12-31", p.asOf());
        assertFalse(p.targets().isEmpty());
        assertFalse(p.allHardMet());
        Gap g = haiyan.gap(demo, "SQ2", "示范型", null);
        assertEquals("SQ2", g.unit());
        assertEquals("标准型", g.current());
        assertEquals("示范型", g.target());
        assertTrue(g.reachable());
        assertFalse(g.changes().isEmpty());
        Diff d = haiyan.diff(demo, demo, null);
        assertTrue(d.changed().isEmpty());
        assertTrue(d.added().isEmpty());
        Template t = haiyan.template("社区");
        assertTrue(t.facts().contains("\"kind\":\"社区\""), t.facts());
        assertThrows(DuibiaoException.class, () -> haiyan.template("没有这类"));
    }

    @Test
    void brokenStandardGivesCodeLineAndColumn() {
        DuibiaoException e = assertThrows(DuibiaoException.class,
                () -> Standard.compile("standard x {\n  title \"t\"\n  scorecard 社区 {\n", "broken.std"));
        Problem p = e.problems().get(0);
        assertTrue(p.code().startsWith("E"), p.toString());
        assertEquals("error", p.severity());
        assertEquals("broken.std", p.file());
        assertTrue(p.line() >= 1 && p.column() >= 1, p.toString());
        assertEquals("source", p.locationType());
        assertNotNull(p.message("en"));
        assertTrue(e.getMessage().contains("broken.std:"), e.getMessage());
        assertTrue(e.response().contains("\"ok\":false"));
    }

    @Test
    void malformedFactsAndBadArguments() {
        DuibiaoException e = assertThrows(DuibiaoException.class, () -> haiyan.evaluate("{\"units\": [", null));
        assertEquals("F0001", e.code());
        assertTrue(e.problems().get(0).message("en").contains("line 1"), e.getMessage());
        // Every call taking facts answers facts that are not JSON the same way.
        assertEquals("F0001", assertThrows(DuibiaoException.class, () -> haiyan.explain("{", "SQ2", null)).code());
        assertEquals("F0001", assertThrows(DuibiaoException.class, () -> haiyan.progress("nope", null)).code());
        assertTrue(assertThrows(DuibiaoException.class, () -> haiyan.diff(demo, "[", null)).code().startsWith("F"));
        // Facts that are JSON but cannot add fields to the request.
        assertThrows(DuibiaoException.class, () -> haiyan.explain("{}, \"unit\": \"JD\"", "SQ2", null));
        // A wrong value in the facts: its unit and key.
        String bad = demo.replace("\"3.2\": 2", "\"3.2\": 6");
        DuibiaoException range = assertThrows(DuibiaoException.class, () -> haiyan.evaluate(bad, null));
        assertEquals("F0012", range.code());
        assertEquals("JD", range.problems().get(0).unit());
        assertEquals("3.2", range.problems().get(0).key());
        // Java nulls and strings that are not text are problems, not crashes.
        assertEquals("A0009", assertThrows(DuibiaoException.class, () -> haiyan.evaluate((String) null, null)).code());
        assertThrows(DuibiaoException.class, () -> haiyan.explain(demo, null, null));
        assertEquals("A0009", assertThrows(DuibiaoException.class, () -> Standard.compile(null, "x.std")).code());
        // A lone surrogate (not text) is replaced (by `?` or U+FFFD): a problem or a result, never a crash.
        assertThrows(DuibiaoException.class, () -> haiyan.evaluate("{\"units\": [\"\ud800\"]}", null));
        Unit renamed = haiyan.evaluate(demo.replace("城西社区", "城西\ud800"), null).unit("SQ2");
        assertTrue(renamed.name().startsWith("城西") && renamed.name().length() > 2, renamed.name());
        assertEquals("标准型", renamed.tier());
        // Bytes that are not UTF-8, and null bytes, at the native boundary itself.
        String notUtf8 = new String(Native.evaluateUtf8(haiyan.handle(), new byte[] {'{', (byte) 0xff, '}'}, null),
                java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(notUtf8.contains("A0009") && notUtf8.contains("\"call\":\"evaluate\""), notUtf8);
        assertTrue(new String(Native.evaluateUtf8(haiyan.handle(), null, null), java.nio.charset.StandardCharsets.UTF_8)
                .contains("A0009"));
        String r = Duibiao.call(null);
        assertTrue(r.contains("A0009"), r);
        assertTrue(Duibiao.call("not json").contains("A0001"));
        assertTrue(Duibiao.call("{\"call\": \"nothing\"}").contains("A0002"));
    }

    @Test
    void sixteenThreadsShareOneStandard() throws Exception {
        final String expected = haiyan.evaluate(demo, null).json();
        final String explained = haiyan.explain(demo, "SQ2", null).text();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<Boolean>> all = new ArrayList<Future<Boolean>>();
            for (int t = 0; t < 16; t++) {
                all.add(pool.submit(new Callable<Boolean>() {
                    @Override
                    public Boolean call() {
                        for (int i = 0; i < 25; i++) {
                            if (!expected.equals(haiyan.evaluate(demo, null).json())) {
                                return false;
                            }
                            if (i % 5 == 0 && !explained.equals(haiyan.explain(demo, "SQ2", null).text())) {
                                return false;
                            }
                        }
                        return true;
                    }
                }));
            }
            for (Future<Boolean> f : all) {
                assertTrue(f.get(), "every thread got identical results");
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void closeTwiceAndUseAfterClose() {
        Standard s = Standard.open(path("standards/haiyan-2021.std"));
        assertEquals("标准型", s.evaluate(demo, null).unit("SQ2").tier());
        s.close();
        assertTrue(s.isClosed());
        s.close(); // closing again does nothing
        DuibiaoException e = assertThrows(DuibiaoException.class, () -> s.evaluate(demo, null));
        assertEquals("A0004", e.code());
        assertEquals("A0004", assertThrows(DuibiaoException.class, () -> s.explain(demo, "SQ2", null)).code());
        assertEquals("A0004", assertThrows(DuibiaoException.class, () -> s.diff(demo, demo, null)).code());
        assertEquals("A0004", assertThrows(DuibiaoException.class, () -> s.template("社区")).code());
        assertEquals("A0004", assertThrows(DuibiaoException.class, () -> s.live(demo, null)).code());
        assertEquals("A0004", assertThrows(DuibiaoException.class, () -> s.progress("{", null)).code());
        // try-with-resources closes it.
        long h;
        try (Standard t = Standard.open(path("standards/haiyan-2021.std"))) {
            h = t.handle();
        }
        assertTrue(Duibiao.call("{\"call\":\"release\",\"standard\":" + h + "}").contains("A0004"));
    }

    @Test
    void liveSession() {
        Live live = haiyan.live(demo, null);
        assertEquals(18, live.size());
        assertEquals("标准型", live.unit("SQ2").tier());
        Response r = live.assign("SQ2", "社会组织充分融入", true);
        assertTrue(r.ok());
        assertEquals(1, Json.list(r.get("assigned")).size());
        assertNotNull(live.unit("SQ2").tiers().get("示范型"));
        Response both = live.assign(java.util.Arrays.asList("SQ2.6.1=10", "XQ21.一票否决=false"));
        assertEquals(2, Json.list(both.get("assigned")).size(), both.json());
        DuibiaoException noUnit = assertThrows(DuibiaoException.class, () -> live.unit("nobody"));
        assertTrue(noUnit.code().startsWith("F"), noUnit.getMessage());
        // A session owns what it needs: it outlives its standard.
        Standard s = Standard.open(path("standards/haiyan-2021.std"));
        Live other = s.live(demo, null);
        s.close();
        assertEquals("标准型", other.unit("SQ2").tier());
        other.close();
        live.close();
        live.close();
        assertTrue(live.isClosed());
        assertEquals("A0005", assertThrows(DuibiaoException.class, () -> live.unit("SQ2")).code());
        assertEquals("A0005", assertThrows(DuibiaoException.class, () -> live.assign("SQ2", "6.1", 5)).code());
    }

    @Test
    void forgottenHandlesAreReleased() throws Exception {
        long h = forget();
        for (int i = 0; i < 100; i++) {
            System.gc();
            Thread.sleep(20);
            String r = Duibiao.call("{\"call\":\"template\",\"standard\":" + h + ",\"kind\":\"社区\"}");
            if (r.contains("A0004")) {
                return;
            }
        }
        throw new AssertionError("a standard never closed was not released after 100 collections");
    }

    private static long forget() {
        Standard s = Standard.open(path("standards/haiyan-2021.std"));
        return s.handle();
    }
}
