package cn.duibiao;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;

/**
 * The protocol itself, for hosts that speak it directly: {@link #call(String)} answers one
 * request (JSON text, as {@code docs/embedding.md} describes) with its response (JSON text). The
 * typed classes ({@link Standard}, {@link Live}) are built on the same calls.
 *
 * <p>直接使用协议：{@link #call(String)} 以 JSON 文本请求，得到 JSON 文本响应。
 */
public final class Duibiao {
    private Duibiao() {}

    /**
     * Answers one protocol request. Never throws for a problem of the request: the problems are
     * in the response, whose {@code ok} is then false.
     *
     * @param request the request's JSON text ({@code {"call": "version"}})
     * @return the response's JSON text, one line
     */
    public static String call(String request) {
        return Native.call(request);
    }

    /** @return the engine's version ({@code 0.1.0}) · 引擎版本 */
    public static String version() {
        return new Response(Native.call("{\"call\":\"version\"}")).engine();
    }

    /** @return where the native library was loaded from ({@code java.library.path}, {@code jar:...}) */
    public static String libraryLoadedFrom() {
        return Native.LOADED_FROM;
    }

    /**
     * Reads a UTF-8 text file, such as a facts file (a convenience for examples).
     *
     * @param path the file's path
     * @return its text
     * @throws UncheckedIOException when it cannot be read
     */
    public static String read(String path) {
        try {
            return new String(Files.readAllBytes(Paths.get(path)), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
