package cn.duibiao;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small JSON reader and writer (RFC 8259), so that the binding depends on nothing but the JDK
 * (application servers often carry conflicting Jackson or Gson versions).
 *
 * <p>Reading gives {@code Map<String, Object>} (a {@link LinkedHashMap}, keys in document order),
 * {@code List<Object>}, {@link String}, {@link BigDecimal} (every number, exactly as written:
 * never a {@code double}), {@link Boolean} and {@code null}. Writing takes the same types (any
 * {@link Number}, written by its {@code toString}), and {@link Raw} for JSON text passed on as it
 * is. Reading is strict: trailing commas, leading zeros, bare control characters, bad escapes,
 * text after the value and nesting deeper than {@value #MAX_DEPTH} are errors.
 *
 * <p>一个小型 JSON 读写器：数字一律保留为 {@code BigDecimal}（十进制，从不用 double）。
 */
final class Json {
    /** The deepest nesting read (so that a hostile text cannot exhaust a small thread stack). */
    static final int MAX_DEPTH = 256;

    private final String text;
    private int at;

    private Json(String text) {
        this.text = text;
    }

    /** JSON text written as it is by {@link #write(Object)}. */
    static final class Raw {
        final String json;

        /**
         * @param json JSON text (not checked here: the native side checks what it receives).
         */
        Raw(String json) {
            this.json = json;
        }
    }

    /** A text that is not JSON: the message says what was expected and at which offset. */
    static final class JsonException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        JsonException(String message) {
            super(message);
        }
    }

    /**
     * Reads one JSON value.
     *
     * @param text the JSON text
     * @return the value, as described on the class
     * @throws JsonException when the text is not exactly one JSON value
     */
    static Object parse(String text) {
        if (text == null) {
            throw new JsonException("null is not JSON text");
        }
        Json p = new Json(text);
        p.space();
        Object v = p.value(0);
        p.space();
        if (p.at != text.length()) {
            throw p.error("end of text");
        }
        return v;
    }

    /**
     * Reads a JSON object's members, leaving each member that is an object or an array as a
     * {@link Lazy} span of the text, read when first asked for: a large response (10^5 units) is
     * then only scanned, not built into objects, until its units are read.
     *
     * @param text the JSON text of an object
     * @return its members, objects and arrays as {@link Lazy}
     * @throws JsonException when the text is not one JSON object (members left lazy are checked
     *     when read)
     */
    static Map<String, Object> parseShallow(String text) {
        if (text == null) {
            throw new JsonException("null is not JSON text");
        }
        Json p = new Json(text);
        p.space();
        if (p.at >= text.length() || text.charAt(p.at) != '{') {
            throw p.error("`{`");
        }
        Map<String, Object> map = new LinkedHashMap<String, Object>();
        p.at++;
        p.space();
        if (p.at < text.length() && text.charAt(p.at) == '}') {
            p.at++;
        } else {
            while (true) {
                p.space();
                if (p.at >= text.length() || text.charAt(p.at) != '"') {
                    throw p.error("a string key");
                }
                String key = p.string();
                p.space();
                p.expect(':');
                p.space();
                char c = p.at < text.length() ? text.charAt(p.at) : ' ';
                if (c == '{' || c == '[') {
                    int start = p.at;
                    p.skip();
                    map.put(key, new Lazy(text, start, p.at));
                } else {
                    map.put(key, p.value(0));
                }
                p.space();
                if (p.at < text.length() && text.charAt(p.at) == ',') {
                    p.at++;
                    continue;
                }
                p.expect('}');
                break;
            }
        }
        p.space();
        if (p.at != text.length()) {
            throw p.error("end of text");
        }
        return map;
    }

    /**
     * An object or array member of a shallow-read object: its span of the text (or of the UTF-8
     * bytes, {@link JsonUtf8}), read on first use.
     */
    static final class Lazy {
        private final String text;
        private final byte[] utf8;
        private final int start;
        private final int end;
        private volatile Object value;

        Lazy(String text, int start, int end) {
            this.text = text;
            this.utf8 = null;
            this.start = start;
            this.end = end;
        }

        Lazy(byte[] utf8, int start, int end) {
            this.text = null;
            this.utf8 = utf8;
            this.start = start;
            this.end = end;
        }

        /** @return the value, read the first time (and kept) */
        Object get() {
            Object v = value;
            if (v == null) {
                synchronized (this) {
                    v = value;
                    if (v == null) {
                        v = text != null ? parse(text.substring(start, end)) : JsonUtf8.parse(utf8, start, end);
                        value = v;
                    }
                }
            }
            return v;
        }
    }

    /** Moves past the object or array at {@code at}, checking only that brackets and strings close. */
    private void skip() {
        int depth = 0;
        while (at < text.length()) {
            char c = text.charAt(at++);
            if (c == '"') {
                while (true) {
                    if (at >= text.length()) {
                        throw error("`\"`");
                    }
                    char d = text.charAt(at++);
                    if (d == '\\') {
                        at++;
                    } else if (d == '"') {
                        break;
                    }
                }
            } else if (c == '{' || c == '[') {
                depth++;
            } else if (c == '}' || c == ']') {
                if (--depth == 0) {
                    return;
                }
            }
        }
        throw error("the end of an object or array");
    }

    /**
     * Writes a value as compact JSON text.
     *
     * @param value a value of the types named on the class
     * @return its JSON text
     */
    static String write(Object value) {
        StringBuilder out = new StringBuilder();
        write(out, value);
        return out.toString();
    }

    /**
     * Writes a value as compact JSON text to {@code out}.
     *
     * @param out where to write
     * @param value a value of the types named on the class
     */
    static void write(StringBuilder out, Object value) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof String) {
            string(out, (String) value);
        } else if (value instanceof Boolean) {
            out.append(((Boolean) value).booleanValue() ? "true" : "false");
        } else if (value instanceof BigDecimal) {
            out.append(((BigDecimal) value).toString());
        } else if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new JsonException("JSON has no " + d);
            }
            out.append(new BigDecimal(value.toString()).toString());
        } else if (value instanceof Number) {
            out.append(value.toString());
        } else if (value instanceof Raw) {
            out.append(((Raw) value).json);
        } else if (value instanceof Map) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                string(out, String.valueOf(e.getKey()));
                out.append(':');
                write(out, e.getValue());
            }
            out.append('}');
        } else if (value instanceof Iterable) {
            out.append('[');
            boolean first = true;
            for (Object o : (Iterable<?>) value) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                write(out, o);
            }
            out.append(']');
        } else {
            throw new JsonException("cannot write a " + value.getClass().getName() + " as JSON");
        }
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private static void string(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"':
                    out.append("\\\"");
                    break;
                case '\\':
                    out.append("\\\\");
                    break;
                case '\n':
                    out.append("\\n");
                    break;
                case '\r':
                    out.append("\\r");
                    break;
                case '\t':
                    out.append("\\t");
                    break;
                case '\b':
                    out.append("\\b");
                    break;
                case '\f':
                    out.append("\\f");
                    break;
                default:
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        out.append("\\u").append(HEX[c >> 12 & 15]).append(HEX[c >> 8 & 15])
                                .append(HEX[c >> 4 & 15]).append(HEX[c & 15]);
                    } else {
                        out.append(c);
                    }
            }
        }
        out.append('"');
    }

    private JsonException error(String expected) {
        String found = at < text.length() ? "`" + text.charAt(at) + "`" : "the end";
        return new JsonException("JSON: expected " + expected + " at offset " + at + ", found " + found);
    }

    private void space() {
        while (at < text.length()) {
            char c = text.charAt(at);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                at++;
            } else {
                break;
            }
        }
    }

    private Object value(int depth) {
        if (depth > MAX_DEPTH) {
            throw new JsonException("JSON: nested deeper than " + MAX_DEPTH + " at offset " + at);
        }
        if (at >= text.length()) {
            throw error("a value");
        }
        char c = text.charAt(at);
        switch (c) {
            case '{':
                return object(depth);
            case '[':
                return array(depth);
            case '"':
                return string();
            case 't':
                return literal("true", Boolean.TRUE);
            case 'f':
                return literal("false", Boolean.FALSE);
            case 'n':
                return literal("null", null);
            default:
                if (c == '-' || (c >= '0' && c <= '9')) {
                    return number();
                }
                throw error("a value");
        }
    }

    private Object literal(String word, Object value) {
        if (!text.startsWith(word, at)) {
            throw error("`" + word + "`");
        }
        at += word.length();
        return value;
    }

    private Map<String, Object> object(int depth) {
        Map<String, Object> map = new LinkedHashMap<String, Object>();
        at++;
        space();
        if (at < text.length() && text.charAt(at) == '}') {
            at++;
            return map;
        }
        while (true) {
            space();
            if (at >= text.length() || text.charAt(at) != '"') {
                throw error("a string key");
            }
            String key = string();
            space();
            expect(':');
            space();
            map.put(key, value(depth + 1));
            space();
            if (at < text.length() && text.charAt(at) == ',') {
                at++;
                continue;
            }
            expect('}');
            return map;
        }
    }

    private List<Object> array(int depth) {
        List<Object> list = new ArrayList<Object>();
        at++;
        space();
        if (at < text.length() && text.charAt(at) == ']') {
            at++;
            return list;
        }
        while (true) {
            space();
            list.add(value(depth + 1));
            space();
            if (at < text.length() && text.charAt(at) == ',') {
                at++;
                continue;
            }
            expect(']');
            return list;
        }
    }

    private void expect(char c) {
        if (at >= text.length() || text.charAt(at) != c) {
            throw error("`" + c + "`");
        }
        at++;
    }

    private String string() {
        at++; // the opening quote
        StringBuilder out = null;
        int start = at;
        while (true) {
            if (at >= text.length()) {
                throw error("`\"`");
            }
            char c = text.charAt(at);
            if (c == '"') {
                String s = out == null ? text.substring(start, at) : out.append(text, start, at).toString();
                at++;
                return s;
            }
            if (c < 0x20) {
                throw error("an escaped control character");
            }
            if (c != '\\') {
                at++;
                continue;
            }
            if (out == null) {
                out = new StringBuilder();
            }
            out.append(text, start, at);
            at++;
            if (at >= text.length()) {
                throw error("an escape");
            }
            char e = text.charAt(at++);
            switch (e) {
                case '"':
                case '\\':
                case '/':
                    out.append(e);
                    break;
                case 'b':
                    out.append('\b');
                    break;
                case 'f':
                    out.append('\f');
                    break;
                case 'n':
                    out.append('\n');
                    break;
                case 'r':
                    out.append('\r');
                    break;
                case 't':
                    out.append('\t');
                    break;
                case 'u':
                    if (at + 4 > text.length()) {
                        throw error("four hex digits");
                    }
                    int code = 0;
                    for (int i = 0; i < 4; i++) {
                        int d = Character.digit(text.charAt(at + i), 16);
                        if (d < 0) {
                            at += i;
                            throw error("a hex digit");
                        }
                        code = code * 16 + d;
                    }
                    at += 4;
                    out.append((char) code);
                    break;
                default:
                    at--;
                    throw error("an escape (one of \"\\/bfnrtu)");
            }
            start = at;
        }
    }

    private BigDecimal number() {
        int start = at;
        if (text.charAt(at) == '-') {
            at++;
        }
        if (at < text.length() && text.charAt(at) == '0') {
            at++;
        } else if (!digits()) {
            throw error("a digit");
        }
        if (at < text.length() && text.charAt(at) == '.') {
            at++;
            if (!digits()) {
                throw error("a digit after `.`");
            }
        }
        if (at < text.length() && (text.charAt(at) == 'e' || text.charAt(at) == 'E')) {
            at++;
            if (at < text.length() && (text.charAt(at) == '+' || text.charAt(at) == '-')) {
                at++;
            }
            if (!digits()) {
                throw error("a digit in the exponent");
            }
        }
        try {
            return new BigDecimal(text.substring(start, at));
        } catch (NumberFormatException e) {
            at = start;
            throw error("a number within range");
        }
    }

    private boolean digits() {
        int start = at;
        while (at < text.length() && text.charAt(at) >= '0' && text.charAt(at) <= '9') {
            at++;
        }
        return at > start;
    }

    // Typed access to parsed values, for the result classes.

    @SuppressWarnings("unchecked")
    static Map<String, Object> object(Object v) {
        return v instanceof Map ? (Map<String, Object>) v : Collections.<String, Object>emptyMap();
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object v) {
        return v instanceof List ? (List<Object>) v : Collections.emptyList();
    }

    static String str(Object v) {
        return v instanceof String ? (String) v : null;
    }

    static BigDecimal decimal(Object v) {
        if (v instanceof BigDecimal) {
            return (BigDecimal) v;
        }
        if (v instanceof String) {
            try {
                return new BigDecimal((String) v);
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    static List<String> strings(Object v) {
        List<String> out = new ArrayList<String>();
        for (Object o : list(v)) {
            out.add(o instanceof String ? (String) o : write(o));
        }
        return Collections.unmodifiableList(out);
    }
}
