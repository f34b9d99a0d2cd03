package cn.duibiao;

import java.util.ArrayList;
import java.util.List;

/**
 * Run by {@code test.sh} in a JVM of its own with {@code -Xss256k} (every Java thread, and so
 * the native code it calls, on a 256 KiB stack) and the library on {@code java.library.path}:
 * the demo, explanations, deeply nested facts and a deeply nested standard give results or
 * problems, never a crash. Prints {@code small-stack: N passed, M failed}; exits 1 on a failure.
 */
public final class SmallStackCheck {
    private static int passed;
    private static final List<String> FAILED = new ArrayList<String>();

    private SmallStackCheck() {}

    private static void check(String what, boolean ok) {
        if (ok) {
            passed++;
        } else {
            FAILED.add(what);
            System.out.println("FAILED: " + what);
        }
    }

    private static String code(Runnable r) {
        try {
            r.run();
            return null;
        } catch (DuibiaoException e) {
            return e.code();
        }
    }

    private static String nested(String open, String close, int depth, String inner) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < depth; i++) {
            s.append(open);
        }
        s.append(inner);
        for (int i = 0; i < depth; i++) {
            s.append(close);
        }
        return s.toString();
    }

    public static void main(String[] args) throws Exception {
        String root = args.length > 0 ? args[0] : ".";
        check("loaded from " + Duibiao.libraryLoadedFrom(), Duibiao.libraryLoadedFrom().equals(
                System.getProperty("duibiao.expect.loaded", Duibiao.libraryLoadedFrom())));
        final Standard s = Standard.open(root + "/standards/haiyan-2021.std");
        final String demo = Duibiao.read(root + "/standards/haiyan-2021/demo.json");
        check("SQ2 标准型", "标准型".equals(s.evaluate(demo, null).unit("SQ2").tier()));
        check("explain", s.explain(demo, "SQ2", new Options().detail(Options.Detail.MEMBERS)).text().contains("示范型"));
        final String deepFacts = "{\"units\": " + nested("[", "]", 100000, "") + "}";
        check("deep facts are a problem", code(new Runnable() {
            public void run() {
                s.evaluate(deepFacts, null);
            }
        }) != null);
        check("deep request is a problem", Duibiao.call(nested("[", "]", 100000, "")).contains("\"ok\":false"));
        String std = Duibiao.read(root + "/standards/haiyan-2021.std");
        final String deepStd = std.replaceFirst("score >= 75", "score >= " + nested("(", ")", 5000, "75"));
        check("deep standard is a problem or compiles", !"A0008".equals(code(new Runnable() {
            public void run() {
                Standard.compile(deepStd, "deep.std").close();
            }
        })));
        final String[] results = new String[4];
        Thread[] threads = new Thread[4];
        for (int i = 0; i < 4; i++) {
            final int k = i;
            threads[i] = new Thread(null, new Runnable() {
                public void run() {
                    results[k] = s.evaluate(demo, null).json();
                }
            }, "small-" + i, 256 * 1024);
            threads[i].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        String first = results[0];
        boolean same = first != null;
        for (String r : results) {
            same &= first != null && first.equals(r);
        }
        check("4 threads of 256 KiB agree", same);
        s.close();
        System.out.println("small-stack: " + passed + " passed, " + FAILED.size() + " failed");
        System.exit(FAILED.isEmpty() ? 0 : 1);
    }
}
