package cn.duibiao;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One unit's outcome, as the protocol gives it: id, name, kind, parent, score (exact decimal),
 * tier reached, every tier's verdict ({@code pass}, {@code fail}, {@code unknown}), vetoes and
 * missing inputs; with {@code detail} {@code conditions} or {@code members} also items, conditions
 * and derived values, reachable through {@link #get(String)}.
 *
 * <p>一个单位的评价结果：编号、名称、类别、上级、得分（精确十进制）、达到的等级、各等级的结论、否决项、缺少的数据。
 */
public final class Unit {
    private final Map<String, Object> raw;

    Unit(Map<String, Object> raw) {
        this.raw = Collections.unmodifiableMap(raw);
    }

    /** @return the unit's id · 编号 */
    public String id() {
        return Json.str(raw.get("id"));
    }

    /** @return the unit's name · 名称 */
    public String name() {
        return Json.str(raw.get("name"));
    }

    /** @return the unit's kind · 类别 */
    public String kind() {
        return Json.str(raw.get("kind"));
    }

    /** @return the parent unit's id, or null · 上级 */
    public String parent() {
        return Json.str(raw.get("parent"));
    }

    /** @return the score, or null when unknown or not scored · 得分 */
    public BigDecimal score() {
        return Json.decimal(raw.get("score"));
    }

    /** @return the score's maximum, or null · 满分 */
    public BigDecimal scoreTotal() {
        return Json.decimal(raw.get("score_total"));
    }

    /** @return the highest tier reached, or null · 达到的等级 */
    public String tier() {
        return Json.str(raw.get("tier"));
    }

    /** @return every tier's verdict, by tier: {@code pass}, {@code fail} or {@code unknown} */
    public Map<String, String> tiers() {
        Map<String, String> out = new LinkedHashMap<String, String>();
        for (Map.Entry<String, Object> e : Json.object(raw.get("tiers")).entrySet()) {
            out.put(e.getKey(), Json.str(e.getValue()));
        }
        return Collections.unmodifiableMap(out);
    }

    /** @return every veto, by name: true (vetoed), false, or null (unknown) · 否决项 */
    public Map<String, Object> vetoes() {
        return Collections.unmodifiableMap(Json.object(raw.get("vetoes")));
    }

    /** @return the inputs missing, whose absence makes some verdict unknown · 缺少的数据 */
    public List<String> missing() {
        return Json.strings(raw.get("missing"));
    }

    /**
     * @param field a field of the outcome ({@code items}, {@code conditions}, ...)
     * @return its value as read
     */
    public Object get(String field) {
        return raw.get(field);
    }

    /** @return the outcome as read */
    public Map<String, Object> raw() {
        return raw;
    }

    /** @return the outcome as JSON text */
    public String json() {
        return Json.write(raw);
    }

    @Override
    public String toString() {
        return id() + " " + tier() + " " + score();
    }
}
