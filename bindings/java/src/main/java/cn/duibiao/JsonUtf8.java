package cn.duibiao;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON reader, over UTF-8 bytes: the one parser behind {@link Json#parse(String)} (which
 * reads a string's UTF-8 encoding) and behind the response of {@code evaluate}, read as the native
 * side returns it without first decoding the whole text into a Java string. Only the strings
 * actually read are decoded; a string of ASCII without escapes (every key, most values) is copied
 * byte for byte. Values and strictness are those described on {@link Json}.
 *
 * <p>Bytes that are not UTF-8 (a stray continuation byte, an overlong form, an encoded
 * surrogate, a code point past U+10FFFF, a sequence cut short) are an error; offsets in messages
 * count bytes ("at byte offset").
 *
 * <p>按 UTF-8 字节读取 JSON（唯一的解析器）：只解码真正读到的字符串；数字仍为精确的 {@code BigDecimal}。
 */
final class JsonUtf8 {
    private final byte[] b;
    private final int end;
    private int at;
    /** Scratch for decoding strings that are not plain ASCII and for numbers. */
    private char[] chars = new char[64];

    private JsonUtf8(byte[] b, int start, int end) {
        this.b = b;
        this.at = start;
        this.end = end;
    }

    private static JsonUtf8 over(byte[] b, int start, int end) {
        if (b == null) {
            throw new Json.JsonException("null is not JSON text");
        }
        if (start < 0 || end > b.length || start > end) {
            throw new Json.JsonException("JSON: no bytes " + start + ".." + end + " in " + b.length);
        }
        return new JsonUtf8(b, start, end);
    }

    /**
     * Reads one JSON value from {@code b[start..end)}.
     *
     * @param b UTF-8 bytes
     * @param start the first byte of the value's text
     * @param end the byte after its text
     * @return the value, as described on {@link Json}
     * @throws Json.JsonException when the bytes are not exactly one JSON value in UTF-8
     */
    static Object parse(byte[] b, int start, int end) {
        JsonUtf8 p = over(b, start, end);
        p.space();
        Object v = p.value(0);
        p.space();
        if (p.at != end) {
            throw p.error("end of text");
        }
        return v;
    }

    /**
     * Reads a JSON object's members, leaving members that are objects or arrays as
     * {@link Json.Lazy} spans of the bytes, read when first asked for.
     *
     * @param b the UTF-8 bytes of a JSON object
     * @return its members, objects and arrays as {@link Json.Lazy}
     * @throws Json.JsonException when the bytes are not one JSON object (members left lazy are
     *     checked when read)
     */
    static Map<String, Object> parseShallow(byte[] b) {
        JsonUtf8 p = over(b, 0, b == null ? 0 : b.length);
        p.space();
        p.expect('{');
        Map<String, Object> map = new LinkedHashMap<String, Object>();
        p.space();
        if (p.peek() == '}') {
            p.at++;
        } else {
            while (true) {
                p.space();
                String key = p.key();
                p.space();
                p.expect(':');
                p.space();
                int c = p.peek();
                if (c == '{' || c == '[') {
                    int start = p.at;
                    p.skip();
                    map.put(key, new Json.Lazy(b, start, p.at));
                } else {
                    map.put(key, p.value(0));
                }
                p.space();
                if (p.peek() == ',') {
                    p.at++;
                    continue;
                }
                p.expect('}');
                break;
            }
        }
        p.space();
        if (p.at != p.end) {
            throw p.error("end of text");
        }
        return map;
    }

    /** The byte at {@code at} (0..255), or -1 at the end. */
    private int peek() {
        return at < end ? b[at] & 0xff : -1;
    }

    /** Moves past the object or array at {@code at}, checking only that brackets and strings close. */
    private void skip() {
        int depth = 0;
        while (at < end) {
            byte c = b[at++];
            if (c == '"') {
                while (true) {
                    if (at >= end) {
                        throw error("`\"`");
                    }
                    byte d = b[at++];
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

    private Json.JsonException error(String expected) {
        String found;
        if (at >= end) {
            found = "the end";
        } else {
            int c = b[at] & 0xff;
            found = c >= 0x20 && c < 0x7f ? "`" + (char) c + "`" : String.format("byte 0x%02x", c);
        }
        return new Json.JsonException("JSON: expected " + expected + " at byte offset " + at + ", found " + found);
    }

    private void space() {
        while (at < end) {
            byte c = b[at];
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                at++;
            } else {
                break;
            }
        }
    }

    private void expect(char c) {
        if (peek() != c) {
            throw error("`" + c + "`");
        }
        at++;
    }

    private Object value(int depth) {
        if (depth > Json.MAX_DEPTH) {
            throw new Json.JsonException("JSON: nested deeper than " + Json.MAX_DEPTH + " at byte offset " + at);
        }
        int c = peek();
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
        int n = word.length();
        for (int i = 0; i < n; i++) {
            if (at + i >= end || b[at + i] != word.charAt(i)) {
                throw error("`" + word + "`");
            }
        }
        at += n;
        return value;
    }

    private String key() {
        if (peek() != '"') {
            throw error("a string key");
        }
        return string();
    }

    private Map<String, Object> object(int depth) {
        Map<String, Object> map = new LinkedHashMap<String, Object>();
        at++;
        space();
        if (peek() == '}') {
            at++;
            return map;
        }
        while (true) {
            space();
            String key = key();
            space();
            expect(':');
            space();
            map.put(key, value(depth + 1));
            space();
            if (peek() == ',') {
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
        if (peek() == ']') {
            at++;
            return list;
        }
        while (true) {
            space();
            list.add(value(depth + 1));
            space();
            if (peek() == ',') {
                at++;
                continue;
            }
            expect(']');
            return list;
        }
    }

    /** Reads the string at {@code at} (its opening quote). */
    private String string() {
        at++; // the opening quote
        int start = at;
        // Plain ASCII without escapes: the bytes are the characters.
        while (at < end) {
            byte c = b[at];
            if (c == '"') {
                at++;
                return new String(b, start, at - 1 - start, StandardCharsets.ISO_8859_1);
            }
            if (c < 0x20 || c == '\\') { // c < 0 is a byte of a multi-byte sequence
                break;
            }
            at++;
        }
        int n = at - start;
        room(n + 16);
        for (int i = 0; i < n; i++) {
            chars[i] = (char) b[start + i];
        }
        while (true) {
            if (at >= end) {
                throw error("`\"`");
            }
            int c = b[at] & 0xff;
            if (c == '"') {
                at++;
                return new String(chars, 0, n);
            }
            room(n + 2);
            if (c < 0x20) {
                throw error("an escaped control character");
            } else if (c == '\\') {
                chars[n++] = escape();
            } else if (c < 0x80) {
                chars[n++] = (char) c;
                at++;
            } else {
                int cp = codePoint(c);
                if (cp >= 0x10000) {
                    chars[n++] = Character.highSurrogate(cp);
                    chars[n++] = Character.lowSurrogate(cp);
                } else {
                    chars[n++] = (char) cp;
                }
            }
        }
    }

    /** Makes room for {@code n} characters in the scratch, keeping what it holds. */
    private void room(int n) {
        if (n > chars.length) {
            chars = java.util.Arrays.copyOf(chars, Math.max(n, chars.length * 2));
        }
    }

    /** Reads the escape at {@code at} (its backslash) as the one character it stands for. */
    private char escape() {
        at++;
        if (at >= end) {
            throw error("an escape");
        }
        int e = b[at++];
        switch (e) {
            case '"':
            case '\\':
            case '/':
                return (char) e;
            case 'b':
                return '\b';
            case 'f':
                return '\f';
            case 'n':
                return '\n';
            case 'r':
                return '\r';
            case 't':
                return '\t';
            case 'u':
                if (at + 4 > end) {
                    throw error("four hex digits");
                }
                int code = 0;
                for (int i = 0; i < 4; i++) {
                    int d = Character.digit((char) (b[at + i] & 0xff), 16);
                    if (d < 0 || b[at + i] < 0) {
                        at += i;
                        throw error("a hex digit");
                    }
                    code = code * 16 + d;
                }
                at += 4;
                return (char) code; // a pair of \\u escapes makes a surrogate pair
            default:
                at--;
                throw error("an escape (one of \"\\/bfnrtu)");
        }
    }

    /**
     * Decodes the multi-byte UTF-8 sequence at {@code at}, whose first byte is {@code c}
     * (0x80..0xff), strictly (RFC 3629: no overlong forms, no surrogates, nothing past U+10FFFF).
     */
    private int codePoint(int c) {
        int n;
        int min;
        int lo = 0x80;
        int hi = 0xbf;
        if (c >= 0xc2 && c <= 0xdf) {
            n = 1;
            min = c & 0x1f;
        } else if (c >= 0xe0 && c <= 0xef) {
            n = 2;
            min = c & 0x0f;
            lo = c == 0xe0 ? 0xa0 : 0x80;
            hi = c == 0xed ? 0x9f : 0xbf;
        } else if (c >= 0xf0 && c <= 0xf4) {
            n = 3;
            min = c & 0x07;
            lo = c == 0xf0 ? 0x90 : 0x80;
            hi = c == 0xf4 ? 0x8f : 0xbf;
        } else {
            throw error("UTF-8 text");
        }
        int cp = min;
        int first = at;
        for (int i = 1; i <= n; i++) {
            int d = first + i < end ? b[first + i] & 0xff : -1;
            if (d < (i == 1 ? lo : 0x80) || d > (i == 1 ? hi : 0xbf)) {
                at = first + i;
                throw error("UTF-8 text (a continuation byte)");
            }
            cp = cp << 6 | (d & 0x3f);
        }
        at = first + n + 1;
        return cp;
    }

    private BigDecimal number() {
        int start = at;
        if (b[at] == '-') {
            at++;
        }
        if (peek() == '0') {
            at++;
        } else if (!digits()) {
            throw error("a digit");
        }
        if (peek() == '.') {
            at++;
            if (!digits()) {
                throw error("a digit after `.`");
            }
        }
        if (peek() == 'e' || peek() == 'E') {
            at++;
            if (peek() == '+' || peek() == '-') {
                at++;
            }
            if (!digits()) {
                throw error("a digit in the exponent");
            }
        }
        int n = at - start;
        room(n);
        for (int i = 0; i < n; i++) {
            chars[i] = (char) b[start + i];
        }
        try {
            return new BigDecimal(chars, 0, n);
        } catch (NumberFormatException e) {
            at = start;
            throw error("a number within range");
        }
    }

    private boolean digits() {
        int start = at;
        while (at < end && b[at] >= '0' && b[at] <= '9') {
            at++;
        }
        return at > start;
    }
}
