package cn.duibiao;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
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
 * <p>There is one parser, {@link JsonUtf8}, which reads UTF-8 bytes (as the native side returns
 * them): a {@code String} is encoded to UTF-8 and its bytes read, so that offsets in error
 * messages count bytes of that encoding (the same as characters for ASCII text). A lone surrogate
 * in a {@code String} (which no UTF-8 can hold) is read as {@code ?}, as the native side does.
 *
 * <p>一个小型 JSON 读写器：数字一律保留为 {@code BigDecimal}（十进制，从不用 double）；
 * 只有一个解析器（按 UTF-8 字节读取），字符串先编码为 UTF-8。
 */
final class Json {
    /** The deepest nesting read (so that a hostile text cannot exhaust a small thread stack). */
    static final int MAX_DEPTH = 256;

    private Json() {
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

    /** A text that is not JSON: the message says what was expected and at which byte offset. */
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
        byte[] b = utf8(text);
        return JsonUtf8.parse(b, 0, b.length);
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
        return JsonUtf8.parseShallow(utf8(text));
    }

    /** The UTF-8 bytes of {@code text} (a lone surrogate becomes {@code ?}). */
    private static byte[] utf8(String text) {
        if (text == null) {
            throw new JsonException("null is not JSON text");
        }
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * An object or array member of a shallow-read object: its span of the UTF-8 bytes
     * ({@link JsonUtf8}), read on first use.
     */
    static final class Lazy {
        private final byte[] utf8;
        private final int start;
        private final int end;
        private volatile Object value;

        Lazy(byte[] utf8, int start, int end) {
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
                        v = JsonUtf8.parse(utf8, start, end);
                        value = v;
                    }
                }
            }
            return v;
        }
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
