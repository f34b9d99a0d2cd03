package cn.duibiao;

/**
 * The response of {@code template}: an empty facts file for one unit of a kind, to fill in.
 *
 * <p>数据模板：某类单位的空白数据文件。
 */
public final class Template extends Response {
    Template(String json) {
        super(json);
    }

    /** @return the facts skeleton as JSON text · 数据模板的 JSON 文本 */
    public String facts() {
        return Json.write(get("facts"));
    }
}
