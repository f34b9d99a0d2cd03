package cn.duibiao;

import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The response of {@code diff}: the units added, removed and changed between two sets of facts,
 * and how the targets moved.
 *
 * <p>对比：两份数据之间新增、删除、变化的单位，以及目标的变化。
 */
public final class Diff extends Response {
    Diff(String json) {
        super(json);
    }

    /** @return the units only in the facts after, as read · 新增 */
    public List<Object> added() {
        return Collections.unmodifiableList(Json.list(get("added")));
    }

    /** @return the units only in the facts before, as read · 删除 */
    public List<Object> removed() {
        return Collections.unmodifiableList(Json.list(get("removed")));
    }

    /** @return the units whose outcome changed, as read · 变化 */
    public List<Map<String, Object>> changed() {
        return Gap.objects(get("changed"));
    }

    /** @return how each target moved, as read · 目标变化 */
    public List<Map<String, Object>> targets() {
        return Gap.objects(get("targets"));
    }
}
