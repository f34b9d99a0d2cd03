package cn.duibiao;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The JSON reader and writer: RFC 8259, strict, numbers as exact decimals. The one reader reads
 * UTF-8 bytes ({@link JsonUtf8}); a {@code String} is read through its UTF-8 encoding.
 */
class JsonTest {
    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static Object parse(byte[] b) {
        return JsonUtf8.parse(b, 0, b.length);
    }

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
        assertEquals("-2.50", Json.parse("-2.50").toString(), "the scale is kept");
        assertEquals("12345678901234567890.123456789", Json.parse("12345678901234567890.123456789").toString());
        assertEquals("1E+400", Json.write(Json.parse("1e400")));
        List<Object> a = Json.list(Json.parse("[1E2, 1e-2, 0]"));
        assertEquals(Arrays.<Object>asList(new BigDecimal("1E2"), new BigDecimal("1e-2"), BigDecimal.ZERO), a);
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
    void nonAsciiEscapesAndSurrogatePairs() {
        assertEquals("a\u00e9\u0800\uffff", Json.parse("\"a\u00e9\u0800\uffff\""), "2- and 3-byte forms, and their limits");
        assertEquals("\ud83d\ude00\udbff\udfff", Json.parse("\"\ud83d\ude00\udbff\udfff\""), "4-byte forms become a surrogate pair");
        assertEquals("\ud83d\ude00", Json.parse("\"\\ud83d\\ude00\""), "a pair of \\u escapes");
        assertEquals("标\"\n😀", Json.parse("\"\\u6807\\\"\\n\\uD83D\\uDE00\""));
        assertEquals("a?b", Json.parse("\"a\ud800b\""), "a lone surrogate in a String is encoded as `?`");
        assertEquals("\ud800", Json.parse("\"\\ud800\""), "an escaped lone surrogate is kept");
        // A long string, mixed, past the scratch buffer's first size.
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 500; i++) {
            s.append("a标😀\\\"".charAt(i % 6));
        }
        assertEquals(s.toString(), Json.parse(Json.write(s.toString())));
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
            "Infinity", "{\"a\":1}}", "[\"\\u12\"]", "\"\\u\"", "\"\\", "[\"标", "1e99999999999"};
        for (String b : bad) {
            assertThrows(Json.JsonException.class, () -> Json.parse(b), b);
        }
        assertThrows(Json.JsonException.class, () -> Json.parse(null));
        assertThrows(Json.JsonException.class, () -> Json.parseShallow(null));
        assertThrows(Json.JsonException.class, () -> JsonUtf8.parse(null, 0, 0));
        assertThrows(Json.JsonException.class, () -> JsonUtf8.parse(new byte[2], 1, 3));
        assertThrows(Json.JsonException.class, () -> JsonUtf8.parseShallow(null));
    }

    @Test
    void rejectsBytesThatAreNotUtf8() {
        int[][] bad = {
            {0x80}, {0xbf}, // a continuation byte alone
            {0xc0, 0xaf}, {0xc1, 0xbf}, {0xe0, 0x80, 0xaf}, {0xf0, 0x80, 0x80, 0xaf}, // overlong forms
            {0xed, 0xa0, 0x80}, {0xed, 0xbf, 0xbf}, // encoded surrogates
            {0xf4, 0x90, 0x80, 0x80}, {0xf5, 0x80, 0x80, 0x80}, {0xff}, {0xfe}, // past U+10FFFF, never UTF-8
            {0xe6, 0xa0}, {0xf0, 0x9f, 0x98}, {0xc3}, // cut short
            {0xe6, 0x41, 0x87}, {0xc3, 0xc3}, // a continuation byte missing
        };
        for (int[] seq : bad) {
            byte[] b = new byte[seq.length + 2];
            b[0] = '"';
            for (int i = 0; i < seq.length; i++) {
                b[i + 1] = (byte) seq[i];
            }
            b[b.length - 1] = '"';
            Json.JsonException e = assertThrows(Json.JsonException.class, () -> parse(b), Arrays.toString(seq));
            assertTrue(e.getMessage().contains("UTF-8"), e.getMessage());
        }
        Json.JsonException e = assertThrows(Json.JsonException.class,
                () -> parse(new byte[] {'[', '1', ',', (byte) 0xff, ']'}));
        assertTrue(e.getMessage().contains("byte offset 3") && e.getMessage().contains("byte 0xff"), e.getMessage());
    }

    @Test
    void randomBytesAreAnErrorOrAValueNeverACrash() {
        Random r = new Random(14);
        byte[] alphabet = utf8("{}[]\",:\\u0e1-.tfn 标😀");
        for (int i = 0; i < 20000; i++) {
            byte[] b = new byte[r.nextInt(24)];
            for (int j = 0; j < b.length; j++) {
                b[j] = r.nextInt(4) == 0 ? (byte) r.nextInt(256) : alphabet[r.nextInt(alphabet.length)];
            }
            try {
                parse(b);
                JsonUtf8.parseShallow(b);
            } catch (Json.JsonException expected) {
                // a clear error is all that is asked
            }
        }
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
                " {\"ok\": true, \"n\": 1.50, \"s\": \"a}\\\"]标\", \"units\": [{\"id\": \"x]}标\"}, [1, {}]], \"e\": {}} ");
        assertEquals(Boolean.TRUE, m.get("ok"));
        assertEquals("1.50", m.get("n").toString());
        assertEquals("a}\"]标", m.get("s"));
        assertTrue(m.get("units") instanceof Json.Lazy);
        List<Object> units = Json.list(((Json.Lazy) m.get("units")).get());
        assertEquals("x]}标", Json.object(units.get(0)).get("id"));
        assertEquals(2, Json.list(units.get(1)).size());
        assertTrue(Json.object(((Json.Lazy) m.get("e")).get()).isEmpty());
        assertTrue(Json.parseShallow("{}").isEmpty());
        String[] bad = {"[]", "{", "{\"a\": [1, 2}", "{\"a\": [\"]}", "{\"a\": 1,}", "{\"a\": {}} x", "{\"a\" {}}", ""};
        for (String b : bad) {
            assertThrows(Json.JsonException.class, () -> Json.parseShallow(b), b);
        }
        assertTrue(JsonUtf8.parseShallow(utf8(" {\"a\": [1]} ")).get("a") instanceof Json.Lazy, "the bytes, as evaluate reads them");
        // A span that closes but is not JSON is found when it is read.
        Json.Lazy lazy = (Json.Lazy) Json.parseShallow("{\"a\": [1,, 2]}").get("a");
        assertThrows(Json.JsonException.class, lazy::get);
    }

    @Test
    void aResponseReadFromBytesIsTheResponseReadFromText() {
        String text = "{\"protocol\":1,\"call\":\"evaluate\",\"ok\":true,\"units\":[{\"id\":\"SQ2\",\"tier\":\"标准型\","
                + "\"score\":88.5}],\"problems\":[]}";
        Evaluation e = new Evaluation(utf8(text));
        assertEquals("标准型", e.unit("SQ2").tier());
        assertEquals(new BigDecimal("88.5"), e.unit("SQ2").score());
        assertEquals(1, e.protocol());
        assertEquals(text, e.json(), "json() is the text, decoded when asked for");
        assertEquals(new Evaluation(text).raw(), e.raw());
        assertNull(e.unit("SQ9"));
        assertThrows(Json.JsonException.class, () -> new Evaluation(new byte[] {'{', (byte) 0xff, '}'}));
    }

    @Test
    void errorsSayWhere() {
        Json.JsonException e = assertThrows(Json.JsonException.class, () -> Json.parse("{\"a\": [1, }"));
        assertTrue(e.getMessage().contains("byte offset 10"), e.getMessage());
        e = assertThrows(Json.JsonException.class, () -> Json.parse("\"标\\q\""));
        assertTrue(e.getMessage().contains("byte offset 5"), "offsets count bytes: " + e.getMessage());
    }
}
