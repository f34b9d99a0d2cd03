package cn.duibiao;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A call could not be done: its response was not {@code ok}. Carries every problem of the
 * response (the protocol's problems, never a flattened string) and the response's JSON text.
 *
 * <p>Unchecked (a {@link RuntimeException}), on purpose: the problems are about the input (a
 * standard that does not compile, facts that do not load, a handle closed already), which the
 * caller checks by catching where it can act on them, and the binding's methods fit in lambdas
 * and streams. Stale handles are {@code A0004} (standard) and {@code A0005} (live session); a panic
 * inside the engine is {@code A0008}; a null or unreadable argument is {@code A0009}.
 *
 * <p>调用未能完成时抛出（非受检异常），带有响应中的全部问题（{@link #problems()}）。
 */
public class DuibiaoException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The response's problems (not serialized: {@link #response()} holds them as JSON). */
    private final transient List<Problem> problems;
    /** The response's JSON text, or null for a failure of JNI itself. */
    private final String response;

    DuibiaoException(List<Problem> problems, String response) {
        super(summary(problems));
        this.problems = Collections.unmodifiableList(new ArrayList<Problem>(problems));
        this.response = response;
    }

    /**
     * The problem {@code A0008} for a failure of JNI itself (a native method threw), with the
     * failure as the cause.
     */
    static DuibiaoException internal(RuntimeException cause) {
        if (cause instanceof DuibiaoException) {
            return (DuibiaoException) cause;
        }
        java.util.Map<String, Object> message = new java.util.LinkedHashMap<String, Object>();
        message.put("zh", "内部错误：本机调用失败：" + cause);
        message.put("en", "internal error: the native call failed: " + cause);
        java.util.Map<String, Object> p = new java.util.LinkedHashMap<String, Object>();
        p.put("code", "A0008");
        p.put("severity", "error");
        p.put("message", message);
        p.put("help", null);
        p.put("location", null);
        DuibiaoException e = new DuibiaoException(Collections.singletonList(new Problem(p)), null);
        e.initCause(cause);
        return e;
    }

    private static String summary(List<Problem> problems) {
        StringBuilder s = new StringBuilder();
        for (Problem p : problems) {
            if (s.length() > 0) {
                s.append('\n');
            }
            s.append(p);
        }
        return s.length() == 0 ? "duibiao: the call failed" : s.toString();
    }

    /** @return every problem of the response, in order · 全部问题 */
    public List<Problem> problems() {
        return problems == null ? Collections.<Problem>emptyList() : problems;
    }

    /** @return the code of the first problem that is an error (else of the first), or null */
    public String code() {
        for (Problem p : problems()) {
            if (p.isError()) {
                return p.code();
            }
        }
        return problems().isEmpty() ? null : problems().get(0).code();
    }

    /** @return the response's JSON text · 响应的 JSON 原文 */
    public String response() {
        return response;
    }
}
