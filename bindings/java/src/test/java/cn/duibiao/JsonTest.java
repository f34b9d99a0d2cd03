package cn.duibiao;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The JSON reader and writer: RFC 8259, strict, numbers as exact decimals. */
class JsonTest {
    @Test
    void readsEveryKindOfValue() {
        Map<String, Object> m = Json.object(Json.parse(
                " {\"a\": [1, -2.50, 1e3, 0, -0.0, true, false, null], \"b\": {\"c\": \"d\"}, \"\": \"\"} "));
        List<Object> a = Json.list(m.get("a"));
        assertEquals(new BigDecimal("1"), a.get(0));
        assertEquals("-2.50", a.get(1).toString(), "the scale is kept");
        assertEquals(0, new BigDecimal("1000").compareTo((BigDecimal) a.get(2)));
        assertEquals(Boolean.TRUE, a.get(5));
        assertEquals(Boolean.FALSE, a.get(6));
        assertNull(a.get(7));
        assertEquals("d", Json.object(m.get("b")).get("c"));
        assertEquals(Arrays.asList("a", "b", ""), new java.util.ArrayList<String>(m.keySet()), "document order");
    }

    @Test
    void numbersAreExactDecimalsNeverDoubles() {
        Object v = Json.parse("0.1");
        assertEquals(BigDecimal.class, v.getClass());
        assertEquals("0.1", v.toString());
        assertEquals("12345678901234567890.123456789", Json.parse("12345678901234567890.123456789").toString());
        assertEquals("1E+400", Json.write(Json.parse("1e400")));
        assertEquals("[0.1,2,3.5]", Json.write(Arrays.<Object>asList(new BigDecimal("0.1"), 2, 3.5)));
    }

    @Test
    void stringsAndEscapes() {
        assertEquals("a\"b\\c/\b\f\n\r\t\u00e9\ud83d\ude00", Json.parse("\"a\\\"b\\\\c\\/\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00\""));
        assertEquals("标准型", Json.parse("\"标准型\""));
        String tricky = "q\"\\\n\u0001\u2028标";
        assertEquals(tricky, Json.parse(Json.write(tricky)));
        assertEquals("\"\\u0001\\u2028\"", Json.write("\u0001\u2028"));
    }

    @Test
    void writesMapsListsAndRaw() {
        Map<String, Object> m = new LinkedHashMap<String, Object>();
        m.put("call", "evaluate");
        m.put("standard", 3L);
        m.put("facts", new Json.Raw("{\"units\":[]}"));
        m.put("x", null);
        m.put("ok", true);
        assertEquals("{\"call\":\"evaluate\",\"standard\":3,\"facts\":{\"units\":[]},\"x\":null,\"ok\":true}", Json.write(m));
        assertThrows(IllegalArgumentException.class, () -> Json.write(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> Json.write(new Object()));
    }

    @Test
    void rejectsWhatIsNotJson() {
        String[] bad = {"", " ", "{", "[1,]", "{\"a\":1,}", "01", "-", "1.", "1e", ".5", "+1", "tru", "nul",
            "\"abc", "\"a\nb\"", "\"\\x\"", "\"\\u12g4\"", "{a:1}", "{\"a\" 1}", "[1 2]", "1 2", "'a'", "NaN",
            "Infinity", "{\"a\":1}}", "[\"\\u12\"]"};
        for (String b : bad) {
            assertThrows(Json.JsonException.class, () -> Json.parse(b), b);
        }
        assertThrows(Json.JsonException.class, () -> Json.parse(null));
    }

    @Test
    void deepNestingIsAnErrorNotAStackOverflow() {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 100000; i++) {
            s.append('[');
        }
        Json.JsonException e = assertThrows(Json.JsonException.class, () -> Json.parse(s.toString()));
        assertTrue(e.getMessage().contains("deeper"), e.getMessage());
        StringBuilder ok = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            ok.append('[');
        }
        for (int i = 0; i < 200; i++) {
            ok.append(']');
        }
        Json.parse(ok.toString());
    }

    @Test
    void shallowReadingLeavesObjectsAndArraysForLater() {
        Map<String, Object> m = Json.parseShallow(
                " {\"ok\": true, \"n\": 1.50, \"s\": \"a}\\\"]\", \"units\": [{\"id\": \"x]}\"}, [1, {}]], \"e\": {}} ");
        assertEquals(Boolean.TRUE, m.get("ok"));
        assertEquals("1.50", m.get("n").toString());
        assertEquals("a}\"]", m.get("s"));
        assertTrue(m.get("units") instanceof Json.Lazy);
        List<Object> units = Json.list(((Json.Lazy) m.get("units")).get());
        assertEquals("x]}", Json.object(units.get(0)).get("id"));
        assertEquals(2, Json.list(units.get(1)).size());
        assertTrue(Json.object(((Json.Lazy) m.get("e")).get()).isEmpty());
        assertTrue(Json.parseShallow("{}").isEmpty());
        String[] bad = {"[]", "{", "{\"a\": [1, 2}", "{\"a\": [\"]}", "{\"a\": 1,}", "{\"a\": {}} x", "{\"a\" {}}"};
        for (String b : bad) {
            assertThrows(Json.JsonException.class, () -> Json.parseShallow(b), b);
        }
        // A span that closes but is not JSON is found when it is read.
        Json.Lazy lazy = (Json.Lazy) Json.parseShallow("{\"a\": [1,, 2]}").get("a");
        assertThrows(Json.JsonException.class, lazy::get);
    }

    @Test
    void errorsSayWhere() {
        Json.JsonException e = assertThrows(Json.JsonException.class, () -> Json.parse("{\"a\": [1, }"));
        assertTrue(e.getMessage().contains("offset 10"), e.getMessage());
    }
}
