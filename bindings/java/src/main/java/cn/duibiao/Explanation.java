package cn.duibiao;

/**
 * The response of {@code explain}: one unit's full outcome and its explanation as text, each
 * verdict cited to the clause of the standard it comes from.
 *
 * <p>解释：一个单位的完整结果，以及逐条引用标准条款的文字说明。
 */
public final class Explanation extends Response {
    private final Unit unit;

    Explanation(String json) {
        super(json);
        this.unit = new Unit(Json.object(get("unit")));
    }

    /** @return the unit's full outcome · 单位的完整结果 */
    public Unit unit() {
        return unit;
    }

    /** @return the explanation as text, in the options' language · 解释文字 */
    public String text() {
        return Json.str(get("text"));
    }
}
