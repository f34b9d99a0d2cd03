package cn.duibiao;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs one conformance file through {@link Duibiao#call(String)}, as {@code examples/c/conformance.c}
 * does through the C ABI: every step's request, exactly as the file writes it, with
 * {@code "$standard"} and {@code "$live"} replaced by the handle the last {@code compile} or
 * {@code live_open} returned; the responses one a line. Run in a JVM of its own per file, since
 * the expected handles are those of a fresh runtime.
 *
 * <p>Usage: {@code ConformanceRunner FILE.json OUT.responses}
 */
public final class ConformanceRunner {
    private ConformanceRunner() {}

    private static final String KEY = "{\"request\":";
    private static final Pattern HANDLE = Pattern.compile("\"handle\":(\\d+)");
    private static final Pattern LIVE = Pattern.compile("\"live\":(\\d+)");

    /** The end (exclusive) of the JSON object or array starting at {@code from}, or -1. */
    static int valueEnd(String text, int from) {
        int depth = 0;
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                for (i++; i < text.length() && text.charAt(i) != '"'; i++) {
                    if (text.charAt(i) == '\\') {
                        i++;
                    }
                }
            } else if (c == '{' || c == '[') {
                depth++;
            } else if ((c == '}' || c == ']') && --depth == 0) {
                return i + 1;
            }
        }
        return -1;
    }

    /**
     * @param args the conformance file and the responses file to write
     * @throws IOException when a file cannot be read or written
     */
    public static void main(String[] args) throws IOException {
        String text = new String(Files.readAllBytes(Paths.get(args[0])), StandardCharsets.UTF_8);
        String standard = "0";
        String live = "0";
        int steps = 0;
        try (Writer w = Files.newBufferedWriter(Paths.get(args[1]), StandardCharsets.UTF_8)) {
            for (int at = text.indexOf(KEY); at >= 0; at = text.indexOf(KEY, at)) {
                int start = at + KEY.length();
                int end = valueEnd(text, start);
                if (end < 0) {
                    throw new IOException(args[0] + ": step " + steps + " is not JSON");
                }
                String request = text.substring(start, end)
                        .replace("\"$standard\"", standard).replace("\"$live\"", live);
                String response = Duibiao.call(request);
                w.write(response);
                w.write('\n');
                Matcher h = HANDLE.matcher(response);
                if (h.find()) {
                    standard = h.group(1);
                }
                Matcher l = LIVE.matcher(response);
                if (response.contains("\"call\":\"live_open\"") && l.find()) {
                    live = l.group(1);
                }
                steps++;
                at = end;
            }
        }
        System.out.println(args[0] + ": " + steps + " steps");
    }
}
