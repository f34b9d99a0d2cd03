package cn.duibiao;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The response of {@code evaluate} (and of {@code live_open}'s evaluation date and parameters):
 * every unit's outcome in the facts' order, the evaluation date and the dated parameters without
 * a value on it.
 *
 * <p>评价结果：按数据顺序的各单位结果、评价日期、未定的参数。
 */
public final class Evaluation extends Response {
    private volatile List<Unit> units;
    private volatile Map<String, Unit> byId;

    Evaluation(String json) {
        super(json);
    }

    /** Reads the response as the UTF-8 bytes the native side returns. */
    Evaluation(byte[] utf8) {
        super(utf8);
    }

    /** Reads the units, the first time they are asked for. */
    private synchronized void read() {
        if (byId != null) {
            return;
        }
        List<Unit> us = new ArrayList<Unit>();
        Map<String, Unit> ids = new LinkedHashMap<String, Unit>();
        for (Object o : Json.list(get("units"))) {
            Unit u = new Unit(Json.object(o));
            us.add(u);
            ids.put(u.id(), u);
        }
        units = Collections.unmodifiableList(us);
        byId = Collections.unmodifiableMap(ids);
    }

    /** @return the evaluation date ({@code 2021-12-31}), or null · 评价日期 */
    public String asOf() {
        return Json.str(get("as_of"));
    }

    /** @return the dated parameters without a value on the evaluation date, as read */
    public List<Object> unresolvedParams() {
        return Collections.unmodifiableList(Json.list(get("unresolved_params")));
    }

    /** @return every unit's outcome, in the facts' order · 全部单位 */
    public List<Unit> units() {
        if (units == null) {
            read();
        }
        return units;
    }

    /**
     * @param id a unit's id
     * @return that unit's outcome, or null when there is no such unit · 按编号取单位
     */
    public Unit unit(String id) {
        if (byId == null) {
            read();
        }
        return byId.get(id);
    }
}
