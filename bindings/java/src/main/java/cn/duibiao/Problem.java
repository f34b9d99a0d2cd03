package cn.duibiao;

import java.util.Collections;
import java.util.Map;

/**
 * One problem of a call, as the protocol gives it: a code ({@code E0001}, {@code F0012},
 * {@code A0004}, ... listed in {@code docs/error-codes.md}), a severity, a message and a help in
 * Chinese and English, and where it is: a place in a {@code .std} file (file, line, column) or in
 * data (input, unit, key, pointer, sheet, cell), whichever are known.
 *
 * <p>一个问题：代码、严重程度、中英文消息与帮助、位置（源文件的行列，或数据中的单位、键等）。
 */
public final class Problem {
    private final Map<String, Object> raw;

    Problem(Map<String, Object> raw) {
        this.raw = Collections.unmodifiableMap(raw);
    }

    /** @return the code, such as {@code E0001} · 问题代码 */
    public String code() {
        return Json.str(raw.get("code"));
    }

    /** @return {@code error} or {@code warning} · 严重程度 */
    public String severity() {
        return Json.str(raw.get("severity"));
    }

    /** @return whether the severity is {@code error} */
    public boolean isError() {
        return "error".equals(severity());
    }

    /** @return the message in Chinese · 中文消息 */
    public String message() {
        return message("zh");
    }

    /**
     * @param lang {@code zh} or {@code en}
     * @return the message in that language
     */
    public String message(String lang) {
        return Json.str(Json.object(raw.get("message")).get(lang));
    }

    /** @return the help in Chinese, or null when there is none · 中文帮助 */
    public String help() {
        return help("zh");
    }

    /**
     * @param lang {@code zh} or {@code en}
     * @return the help in that language, or null when there is none
     */
    public String help(String lang) {
        return Json.str(Json.object(raw.get("help")).get(lang));
    }

    /** @return the location as the protocol gives it (empty when there is none) · 位置 */
    public Map<String, Object> location() {
        return Collections.unmodifiableMap(Json.object(raw.get("location")));
    }

    /** @return {@code source} (a place in a .std file), {@code data}, or null */
    public String locationType() {
        return Json.str(location().get("type"));
    }

    /** @return the .std file of a source location, or null */
    public String file() {
        return Json.str(location().get("file"));
    }

    /** @return the line (from 1) of a source location, or 0 */
    public int line() {
        return number("line");
    }

    /** @return the column (from 1, in characters) of a source location, or 0 */
    public int column() {
        return number("column");
    }

    /** @return the unit of a data location, or null */
    public String unit() {
        return Json.str(location().get("unit"));
    }

    /** @return the key (a fact's name or a part's key) of a data location, or null */
    public String key() {
        return Json.str(location().get("key"));
    }

    /** @return the JSON pointer of a data location, or null */
    public String pointer() {
        return Json.str(location().get("pointer"));
    }

    private int number(String field) {
        java.math.BigDecimal d = Json.decimal(location().get(field));
        return d == null ? 0 : d.intValue();
    }

    /** @return the problem as the protocol's JSON object · 协议中的原样 */
    public Map<String, Object> raw() {
        return raw;
    }

    /** @return the problem as JSON text */
    public String json() {
        return Json.write(raw);
    }

    /** @return {@code CODE file:line:col: message} (or the data location) */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(String.valueOf(code())).append(' ');
        if (file() != null) {
            s.append(file()).append(':').append(line()).append(':').append(column()).append(": ");
        } else if (unit() != null || key() != null) {
            s.append(unit() == null ? "" : unit()).append(key() == null ? "" : "/" + key()).append(": ");
        }
        s.append(message());
        String en = message("en");
        if (en != null) {
            s.append(" · ").append(en);
        }
        return s.toString();
    }
}
