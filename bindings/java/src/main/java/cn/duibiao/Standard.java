package cn.duibiao;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.LinkedHashMap;

/**
 * A compiled standard ({@code .std}): compile it once, then evaluate any number of facts with it,
 * from any number of threads at once. Facts are the JSON text of a facts file
 * ({@code docs/facts-format.md}); options are an {@link Options} value or null for the defaults.
 * Every operation returns the protocol's response, typed; when the call cannot be done it throws
 * a {@link DuibiaoException} with every problem.
 *
 * <p>Closing releases the standard in the engine; a standard that becomes unreachable without
 * being closed is released by a background thread (a {@code PhantomReference} queue: the
 * {@code Cleaner} of Java 9+, for Java 8). Closing twice does nothing; using a closed standard
 * throws a {@link DuibiaoException} with the protocol's stale-handle problem {@code A0004}.
 *
 * <pre>{@code
 * try (Standard s = Standard.open("standards/haiyan-2021.std")) {
 *     Evaluation e = s.evaluate(Duibiao.read("standards/haiyan-2021/demo.json"), null);
 *     System.out.println(e.unit("SQ2").tier());
 * }
 * }</pre>
 *
 * <p>编译好的标准：编译一次，可在多个线程中同时评价；用完关闭（忘记关闭时由后台线程释放）。
 */
public final class Standard implements AutoCloseable {
    private final Native.Handle handle;
    private final Response compiled;
    @SuppressWarnings("unused")
    private volatile int fence;

    private Standard(Response compiled) {
        this.compiled = compiled;
        java.math.BigDecimal h = Json.decimal(compiled.get("handle"));
        this.handle = new Native.Handle(this, h == null ? 0 : h.longValue(), false);
    }

    /**
     * Compiles a standard from its text.
     *
     * @param source the standard's text
     * @param file the name problems give it ({@code haiyan-2021.std}); null: {@code standard.std}
     * @return the compiled standard
     * @throws DuibiaoException when it does not compile: every problem, with line and column
     */
    public static Standard compile(String source, String file) {
        return new Standard(Response.checked(Native.compile(file, source)));
    }

    /**
     * Reads and compiles a {@code .std} file.
     *
     * @param path the file
     * @return the compiled standard
     * @throws DuibiaoException when it does not compile
     * @throws java.io.UncheckedIOException when it cannot be read
     */
    public static Standard open(String path) {
        return compile(Duibiao.read(path), path);
    }

    /**
     * Reads and compiles a {@code .std} file.
     *
     * @param path the file
     * @return the compiled standard
     */
    public static Standard open(Path path) {
        return open(path.toString());
    }

    /** @return the handle naming it in protocol requests ({@link Duibiao#call(String)}) · 句柄 */
    public long handle() {
        return handle.value;
    }

    /** @return the response of {@code compile}: slug, fingerprint, title, kinds, warnings */
    public Response compiled() {
        return compiled;
    }

    /** @return the standard's slug ({@code haiyan-2021}) · 标识 */
    public String slug() {
        return compiled.standard();
    }

    /** @return the standard's fingerprint ({@code sha256:...}) · 指纹 */
    public String fingerprint() {
        return compiled.fingerprint();
    }

    /** @return the standard's title, or null · 标题 */
    public String title() {
        return Json.str(compiled.get("title"));
    }

    /** @return the kinds of unit it assesses · 评价的单位类别 */
    public List<String> kinds() {
        return Json.strings(compiled.get("kinds"));
    }

    /** @return the warnings of compiling it · 编译警告 */
    public List<Problem> warnings() {
        return compiled.problems();
    }

    /**
     * Evaluates every unit of the facts.
     *
     * @param facts the facts file's JSON text
     * @param options the options, or null for the defaults
     * @return every unit's outcome
     * @throws DuibiaoException when the facts cannot be evaluated (the standard closed, facts
     *     that are not JSON, ...)
     */
    public Evaluation evaluate(String facts, Options options) {
        byte[] r = Native.evaluate(handle.value, facts, Options.json(options));
        fence = 0;
        Evaluation e = new Evaluation(r);
        e.check();
        return e;
    }

    /**
     * Evaluates every unit of facts given as the UTF-8 bytes of a facts file (as read from a file
     * or a request body): no conversion to and from a Java string.
     *
     * @param facts the facts file's JSON text, UTF-8 encoded
     * @param options the options, or null for the defaults
     * @return every unit's outcome
     * @throws DuibiaoException when the facts cannot be evaluated ({@code A0009} for bytes that
     *     are not UTF-8)
     */
    public Evaluation evaluate(byte[] facts, Options options) {
        byte[] r = Native.evaluate(handle.value, facts, Options.json(options));
        fence = 0;
        Evaluation e = new Evaluation(r);
        e.check();
        return e;
    }

    /**
     * Explains one unit's outcome, citing the standard's clauses.
     *
     * @param facts the facts file's JSON text
     * @param unit the unit's id
     * @param options the options, or null ({@code lang} chooses the text's language)
     * @return the unit's full outcome and its explanation
     */
    public Explanation explain(String facts, String unit, Options options) {
        Map<String, Object> req = request("explain", options);
        req.put("unit", unit);
        Explanation e = new Explanation(withFacts(req, facts));
        e.check();
        return e;
    }

    /**
     * The progress of every target due by the evaluation date.
     *
     * @param facts the facts file's JSON text
     * @param options the options, or null
     * @return the targets and their rows
     */
    public Progress progress(String facts, Options options) {
        Progress p = new Progress(withFacts(request("progress", options), facts));
        p.check();
        return p;
    }

    /**
     * What one unit lacks to reach a tier.
     *
     * @param facts the facts file's JSON text
     * @param unit the unit's id
     * @param tier the tier aimed at
     * @param options the options, or null
     * @return the gap plan
     */
    public Gap gap(String facts, String unit, String tier, Options options) {
        Map<String, Object> req = request("gap", options);
        req.put("unit", unit);
        req.put("tier", tier);
        Gap g = new Gap(withFacts(req, facts));
        g.check();
        return g;
    }

    /**
     * What changed between two sets of facts.
     *
     * @param before the earlier facts' JSON text
     * @param after the later facts' JSON text
     * @param options the options, or null
     * @return the units added, removed and changed, and the targets' moves
     */
    public Diff diff(String before, String after, Options options) {
        String r = Native.callWith(Json.write(request("diff", options)), "before", before, "after", after);
        fence = 0;
        Diff d = new Diff(r);
        d.check();
        return d;
    }

    /**
     * An empty facts file for one unit of a kind.
     *
     * @param kind the unit kind ({@code 社区})
     * @return the template
     */
    public Template template(String kind) {
        Map<String, Object> req = request("template", null);
        req.remove("options");
        req.put("kind", kind);
        String r = Native.call(Json.write(req));
        fence = 0;
        Template t = new Template(r);
        t.check();
        return t;
    }

    /**
     * Opens a live session over the facts: an evaluation kept up to date change by change.
     *
     * @param facts the facts file's JSON text
     * @param options the options, or null
     * @return the session (close it when done)
     */
    public Live live(String facts, Options options) {
        String r = Native.liveOpen(handle.value, facts, Options.json(options));
        fence = 0;
        return new Live(Response.checked(r));
    }

    /** Releases the standard in the engine; closing again does nothing · 释放 */
    @Override
    public void close() {
        handle.release();
    }

    /** @return whether it has been closed */
    public boolean isClosed() {
        return handle.isReleased();
    }

    private Map<String, Object> request(String call, Options options) {
        Map<String, Object> req = new LinkedHashMap<String, Object>();
        req.put("call", call);
        req.put("standard", handle.value);
        req.put("options", Options.raw(options));
        return req;
    }

    private String withFacts(Map<String, Object> request, String facts) {
        String r = Native.callWith(Json.write(request), "facts", facts, null, null);
        fence = 0; // keeps this standard reachable until the call has returned
        return r;
    }

    @Override
    public String toString() {
        return "Standard(" + slug() + ", handle " + handle.value + (isClosed() ? ", closed)" : ")");
    }
}
