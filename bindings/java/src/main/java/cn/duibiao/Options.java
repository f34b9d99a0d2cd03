package cn.duibiao;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The options every operation takes, mirroring the protocol's {@code options}: parameter values
 * ({@code params}), the evaluation date ({@code as_of}), what-if assignments ({@code set}), how
 * much detail ({@code detail}), the language of texts ({@code lang}) and which threads evaluate
 * ({@code threads}). Every option has the protocol's default when not set. A builder: each
 * method returns this options value; build it in one thread, then share it freely (it is only
 * read by the calls).
 *
 * <pre>{@code
 * Options o = new Options().asOf("2021-12-31").detail(Options.Detail.MEMBERS).lang(Options.Lang.EN);
 * }</pre>
 *
 * <p>选项：参数、评价日期、假设修改、详细程度、语言、线程；未设置的取协议的默认值。
 */
public final class Options {
    /** How much of each unit's outcome an evaluation gives (protocol {@code detail}). */
    public enum Detail {
        /** Id, name, kind, parent, score, tier, verdicts, vetoes, missing inputs (the default). */
        SUMMARY,
        /** Also items, every condition with its numbers and clause, derived values. */
        CONDITIONS,
        /** As {@code CONDITIONS}, and every aggregate lists the ids of the sub-units it counted. */
        MEMBERS
    }

    /** The language of explanations and other texts (problems always carry both). */
    public enum Lang {
        /** 中文 (the default). */
        ZH,
        /** English. */
        EN
    }

    /** Which threads evaluate a large forest (4,096 units or more). */
    public enum Threads {
        /** The engine's shared pool (the default). */
        SHARED,
        /** Only the calling thread. */
        SINGLE
    }

    private final Map<String, Object> params = new LinkedHashMap<String, Object>();
    private final List<Object> set = new ArrayList<Object>();
    private String asOf;
    private Detail detail;
    private Lang lang;
    private Threads threads;

    /** Options with every default. */
    public Options() {}

    /** @return options with every default (the same as {@code new Options()}) */
    public static Options defaults() {
        return new Options();
    }

    /**
     * Sets a parameter's value, overriding the standard's and the facts file's.
     *
     * @param name the parameter's name
     * @param value a String, a Number (BigDecimal keeps it exact), a Boolean, null, or a Map/List
     *     of these, written as JSON
     * @return this
     */
    public Options param(String name, Object value) {
        params.put(name, value);
        return this;
    }

    /**
     * Sets a parameter's value given as JSON text ({@code "0.8"}, {@code "[1, 2]"}).
     *
     * @param name the parameter's name
     * @param json the value's JSON text
     * @return this
     */
    public Options paramJson(String name, String json) {
        params.put(name, Json.parse(json));
        return this;
    }

    /**
     * Sets every parameter of a map.
     *
     * @param values parameter values by name (as for {@link #param(String, Object)})
     * @return this
     */
    public Options params(Map<String, ?> values) {
        params.putAll(values);
        return this;
    }

    /**
     * @param date the evaluation date, {@code YYYY-MM-DD} (default: the facts file's)
     * @return this
     */
    public Options asOf(String date) {
        this.asOf = date;
        return this;
    }

    /**
     * Adds a what-if assignment, applied to the facts before the call (in the order added).
     *
     * @param unit the unit's id
     * @param key a fact's name or a scored part's key ({@code 6.1})
     * @param value the value, as for {@link #param(String, Object)}; null: not reported
     * @return this
     */
    public Options set(String unit, String key, Object value) {
        Map<String, Object> a = new LinkedHashMap<String, Object>();
        a.put("unit", unit);
        a.put("key", key);
        a.put("value", value);
        set.add(a);
        return this;
    }

    /**
     * Adds a what-if assignment written as the command line's {@code --set} takes it:
     * {@code UNIT.KEY=VALUE}.
     *
     * @param assignment the assignment's text
     * @return this
     */
    public Options set(String assignment) {
        set.add(assignment);
        return this;
    }

    /**
     * @param detail how much detail (default {@code SUMMARY})
     * @return this
     */
    public Options detail(Detail detail) {
        this.detail = detail;
        return this;
    }

    /**
     * @param lang the language of texts (default {@code ZH})
     * @return this
     */
    public Options lang(Lang lang) {
        this.lang = lang;
        return this;
    }

    /**
     * @param threads which threads evaluate (default {@code SHARED})
     * @return this
     */
    public Options threads(Threads threads) {
        this.threads = threads;
        return this;
    }

    /** @return the protocol's {@code options} object as JSON text */
    public String toJson() {
        Map<String, Object> o = new LinkedHashMap<String, Object>();
        if (!params.isEmpty()) {
            o.put("params", params);
        }
        if (asOf != null) {
            o.put("as_of", asOf);
        }
        if (!set.isEmpty()) {
            o.put("set", set);
        }
        if (detail != null) {
            o.put("detail", detail.name().toLowerCase(Locale.ROOT));
        }
        if (lang != null) {
            o.put("lang", lang.name().toLowerCase(Locale.ROOT));
        }
        if (threads != null) {
            o.put("threads", threads.name().toLowerCase(Locale.ROOT));
        }
        return Json.write(o);
    }

    /** The options' JSON text, or null for the defaults (none given). */
    static String json(Options options) {
        return options == null ? null : options.toJson();
    }

    /** The options as a raw JSON value for a request (defaults: an empty object). */
    static Json.Raw raw(Options options) {
        return new Json.Raw(options == null ? "{}" : options.toJson());
    }

    @Override
    public String toString() {
        return toJson();
    }
}
