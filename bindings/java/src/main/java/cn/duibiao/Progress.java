package cn.duibiao;

import java.util.List;
import java.util.Map;

/**
 * The response of {@code progress}: every target due by the evaluation date, with its rows per
 * unit and overall, and whether every hard target is met.
 *
 * <p>目标进度：评价日期前到期的全部目标，以及硬性目标是否全部达成。
 */
public final class Progress extends Response {
    Progress(String json) {
        super(json);
    }

    /** @return the evaluation date · 评价日期 */
    public String asOf() {
        return Json.str(get("as_of"));
    }

    /** @return whether every hard target is met · 硬性目标是否全部达成 */
    public boolean allHardMet() {
        return Boolean.TRUE.equals(get("all_hard_met"));
    }

    /** @return every target due, as read ({@code name}, {@code due}, {@code status}, {@code rows}, ...) */
    public List<Map<String, Object>> targets() {
        return Gap.objects(get("targets"));
    }

}
