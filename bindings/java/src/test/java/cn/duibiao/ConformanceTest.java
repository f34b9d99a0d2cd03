package cn.duibiao;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;

/**
 * The shared conformance suite through the raw protocol call: each file is run by
 * {@link ConformanceRunner} in a JVM of its own (the expected handles are a fresh runtime's),
 * writing {@code build/conformance/NAME.responses}, and {@code conformance/check.py} compares
 * the responses with the expected ones.
 */
class ConformanceTest {
    static Path root() {
        return Paths.get(System.getProperty("duibiao.root", "../..")).toAbsolutePath().normalize();
    }

    @Test
    void everyStepOfEveryFile() throws Exception {
        Path suite = root().resolve("conformance");
        Path out = Paths.get(System.getProperty("duibiao.conformance.out", "build/conformance")).toAbsolutePath();
        Files.createDirectories(out);
        File[] files = suite.toFile().listFiles((d, n) -> n.endsWith(".json"));
        assertTrue(files != null && files.length > 0, "no conformance files in " + suite);
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = System.getProperty("duibiao.classpath", System.getProperty("java.class.path"));
        for (File f : files) {
            Path responses = out.resolve(f.getName().replaceAll("\\.json$", ".responses"));
            String log = run(java, "-cp", classpath, ConformanceRunner.class.getName(), f.toString(), responses.toString());
            System.out.print(log);
        }
        String report = run("python3", suite.resolve("check.py").toString(), suite.toString(), out.toString());
        System.out.println("conformance (Java, one JVM per file): " + report.trim());
        assertTrue(report.contains(" 0 failed"), report);
    }

    /** Runs a command; its output (with errors), or an assertion error when it fails. */
    static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output;
        try (InputStream in = p.getInputStream()) {
            output = new String(readAll(in), StandardCharsets.UTF_8);
        }
        assertEquals(0, p.waitFor(), String.join(" ", command) + "\n" + output);
        return output;
    }

    static byte[] readAll(InputStream in) throws IOException {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        for (int k; (k = in.read(buf)) > 0; ) {
            b.write(buf, 0, k);
        }
        return b.toByteArray();
    }
}
