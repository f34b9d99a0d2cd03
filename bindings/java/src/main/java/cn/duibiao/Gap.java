package cn.duibiao;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The response of {@code gap}: what one unit lacks to reach a tier — its current and target
 * tiers, whether the target is reachable, the changes that would reach it, the issues in the way
 * and the reasons, each as the protocol gives them.
 *
 * <p>差距分析：一个单位达到某等级还差什么（当前、目标、能否达到、需要的改动、问题与理由）。
 */
public final class Gap extends Response {
    Gap(String json) {
        super(json);
    }

    /** @return the unit's id · 单位 */
    public String unit() {
        return Json.str(get("unit"));
    }

    /** @return the unit's kind · 类别 */
    public String kind() {
        return Json.str(get("kind"));
    }

    /** @return the tier reached now, or null · 当前等级 */
    public String current() {
        return Json.str(get("current"));
    }

    /** @return the tier aimed at · 目标等级 */
    public String target() {
        return Json.str(get("target"));
    }

    /** @return whether the target can be reached by changing inputs · 能否达到 */
    public boolean reachable() {
        return Boolean.TRUE.equals(get("reachable"));
    }

    /** @return the changes that would reach the target, as read · 需要的改动 */
    public List<Map<String, Object>> changes() {
        return objects(get("changes"));
    }

    /** @return the issues in the way, as read · 问题 */
    public List<Map<String, Object>> issues() {
        return objects(get("issues"));
    }

    /** @return the reasons, as read · 理由 */
    public List<Object> reasons() {
        return Collections.unmodifiableList(Json.list(get("reasons")));
    }

    static List<Map<String, Object>> objects(Object v) {
        List<Map<String, Object>> out = new ArrayList<Map<String, Object>>();
        for (Object o : Json.list(v)) {
            out.add(Collections.unmodifiableMap(Json.object(o)));
        }
        return Collections.unmodifiableList(out);
    }
}
