package cn.duibiao;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * A protocol response: the stamp ({@code protocol}, {@code engine}, {@code standard} slug,
 * {@code fingerprint}), {@code ok}, every problem, and the call's own fields, which the subclasses
 * give typed ({@link Evaluation}, {@link Explanation}, ...) and {@link #get(String)} gives as read.
 * {@link #json()} is the response's JSON text as the engine wrote it, for storing and auditing.
 *
 * <p>协议响应：戳记、{@code ok}、全部问题和调用自己的字段；{@link #json()} 为原始 JSON 文本。
 */
public class Response {
    private final byte[] utf8;
    private volatile String json;
    private final Map<String, Object> members;
    private volatile Map<String, Object> raw;
    private volatile List<Problem> problems;

    /**
     * Reads the response's members, leaving objects and arrays (the units, the problems) to be
     * read when first asked for, so that a call whose result is only partly used does not pay
     * for building every unit's objects.
     */
    Response(String json) {
        this.utf8 = null;
        this.json = json;
        this.members = Json.parseShallow(json);
    }

    /**
     * Reads a response given as the UTF-8 bytes the native side returns, as
     * {@link #Response(String)} does, without decoding the whole text: only the strings read are
     * decoded, and {@link #json()} is made when first asked for.
     */
    Response(byte[] utf8) {
        this.utf8 = utf8;
        this.members = JsonUtf8.parseShallow(utf8);
    }

    /**
     * Reads a response, throwing when it is not {@code ok}.
     *
     * @param json the response's JSON text
     * @return the response
     * @throws DuibiaoException with the response's problems when it is not {@code ok}
     */
    static Response checked(String json) {
        Response r = new Response(json);
        r.check();
        return r;
    }

    /** Throws a {@link DuibiaoException} with the problems when the response is not {@code ok}. */
    final void check() {
        if (!ok()) {
            throw new DuibiaoException(problems(), json());
        }
    }

    /** @return the protocol's version (1) */
    public int protocol() {
        java.math.BigDecimal v = Json.decimal(get("protocol"));
        return v == null ? 0 : v.intValue();
    }

    /** @return the engine's version */
    public String engine() {
        return Json.str(get("engine"));
    }

    /** @return the call answered ({@code evaluate}, ...) */
    public String call() {
        return Json.str(get("call"));
    }

    /** @return the standard's slug ({@code haiyan-2021}), or null · 标准标识 */
    public String standard() {
        return Json.str(get("standard"));
    }

    /** @return the standard's fingerprint ({@code sha256:...}), or null · 标准指纹 */
    public String fingerprint() {
        return Json.str(get("fingerprint"));
    }

    /** @return whether the call did all it was asked without an error */
    public boolean ok() {
        return Boolean.TRUE.equals(get("ok"));
    }

    /** @return every problem (warnings and, for partial results, errors) · 全部问题 */
    public List<Problem> problems() {
        List<Problem> ps = problems;
        if (ps == null) {
            List<Problem> read = new ArrayList<Problem>();
            for (Object p : Json.list(get("problems"))) {
                read.add(new Problem(Json.object(p)));
            }
            ps = Collections.unmodifiableList(read);
            problems = ps;
        }
        return ps;
    }

    /**
     * @param field a field of the response
     * @return its value as read (Map, List, String, BigDecimal, Boolean or null)
     */
    public Object get(String field) {
        Object v = members.get(field);
        return v instanceof Json.Lazy ? ((Json.Lazy) v).get() : v;
    }

    /** @return the whole response as read · 整个响应 */
    public Map<String, Object> raw() {
        Map<String, Object> r = raw;
        if (r == null) {
            Map<String, Object> all = new java.util.LinkedHashMap<String, Object>();
            for (String k : members.keySet()) {
                all.put(k, get(k));
            }
            r = Collections.unmodifiableMap(all);
            raw = r;
        }
        return r;
    }

    /** @return the response's JSON text · 响应的 JSON 原文 */
    public String json() {
        String j = json;
        if (j == null) {
            j = new String(utf8, java.nio.charset.StandardCharsets.UTF_8);
            json = j;
        }
        return j;
    }

    @Override
    public String toString() {
        return json();
    }
}
