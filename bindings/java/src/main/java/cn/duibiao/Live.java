package cn.duibiao;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A live session: facts evaluated once, then kept up to date assignment by assignment, each
 * re-evaluating only what the change reaches. Opened by {@link Standard#live(String, Options)};
 * it owns what it needs, so it stays usable after its standard is closed. Calls on one session
 * take turns. Closing twice does nothing; using a closed session throws a
 * {@link DuibiaoException} with the protocol's stale-handle problem {@code A0005}; a session
 * forgotten without being closed is closed by a background thread.
 *
 * <p>实时会话：数据评价一次后，逐项修改、只重算受影响的部分。用完关闭。
 */
public final class Live implements AutoCloseable {
    private final Native.Handle handle;
    private final Response opened;
    @SuppressWarnings("unused")
    private volatile int fence;

    Live(Response opened) {
        this.opened = opened;
        java.math.BigDecimal h = Json.decimal(opened.get("live"));
        this.handle = new Native.Handle(this, h == null ? 0 : h.longValue(), true);
    }

    /** @return the handle naming it in protocol requests · 句柄 */
    public long handle() {
        return handle.value;
    }

    /** @return the response of {@code live_open}: {@code units}, {@code as_of}, problems */
    public Response opened() {
        return opened;
    }

    /** @return how many units it holds · 单位数 */
    public int size() {
        java.math.BigDecimal n = Json.decimal(opened.get("units"));
        return n == null ? 0 : n.intValue();
    }

    /**
     * Assigns one input of one unit and re-evaluates what it reaches.
     *
     * @param unit the unit's id
     * @param key a fact's name or a scored part's key
     * @param value the value (as {@link Options#param(String, Object)} takes); null: not reported
     * @return the response of {@code live_assign}; its {@code assigned} field lists, per
     *     assignment, the change, how many units were evaluated again and which
     */
    public Response assign(String unit, String key, Object value) {
        Map<String, Object> a = new LinkedHashMap<String, Object>();
        a.put("unit", unit);
        a.put("key", key);
        a.put("value", value);
        List<Object> set = new ArrayList<Object>();
        set.add(a);
        return assign(set);
    }

    /**
     * Applies assignments in order: each a {@code Map} with {@code unit}, {@code key} and
     * {@code value}, or a {@code UNIT.KEY=VALUE} string.
     *
     * @param set the assignments
     * @return the response of {@code live_assign}
     */
    public Response assign(List<?> set) {
        Map<String, Object> req = new LinkedHashMap<String, Object>();
        req.put("call", "live_assign");
        req.put("live", handle.value);
        req.put("set", set);
        String r = Native.call(Json.write(req));
        fence = 0;
        return Response.checked(r);
    }

    /**
     * One unit's outcome as it is now.
     *
     * @param id the unit's id
     * @return its full outcome
     */
    public Unit unit(String id) {
        Map<String, Object> req = new LinkedHashMap<String, Object>();
        req.put("call", "live_unit");
        req.put("live", handle.value);
        req.put("unit", id);
        String r = Native.call(Json.write(req));
        fence = 0;
        return new Unit(Json.object(Response.checked(r).get("unit")));
    }

    /** Closes the session; closing again does nothing · 关闭 */
    @Override
    public void close() {
        handle.release();
    }

    /** @return whether it has been closed */
    public boolean isClosed() {
        return handle.isReleased();
    }
}
