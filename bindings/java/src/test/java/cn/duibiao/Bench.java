package cn.duibiao;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The Java binding's benchmark (run by {@code bindings/java/bench.sh}, after the Rust side,
 * {@code examples/bench_rust.rs}, has timed the same calls and written the generated facts): a
 * prepared evaluation of the haiyan demo, and of generated haiyan facts at 10^3 and 10^5 units.
 * For each it times, per call (the best of several batches):
 *
 * <ul>
 *   <li>{@code native}: {@code Native.evaluate} alone: the facts' string encoded as UTF-8 and
 *       handed to JNI, the engine's {@code Runtime::evaluate_text}, the response's UTF-8 bytes
 *       handed back;
 *   <li>{@code read}: reading those bytes into an {@link Evaluation} in Java, every unit
 *       built ({@code units()});
 *   <li>{@code evaluate}: {@link Standard#evaluate(String, Options)}, what a user calls (the units
 *       are read when first asked for);
 *   <li>{@code evaluate+units}: the same and then {@code units()}: every unit read.
 * </ul>
 *
 * <p>Usage: {@code Bench ROOT FACTS_DIR}; prints one line per case:
 * {@code java CASE UNITS NATIVE_US READ_US EVALUATE_US EVALUATE_AND_UNITS_US}.
 */
public final class Bench {
    private Bench() {}

    interface Call {
        Object run();
    }

    /** The time of one call, in µs: the best of the batches (other load on the machine only adds time). */
    static double bestUs(int batches, int per, Call f) {
        for (int i = 0; i < Math.max(per, 3) * 3; i++) {
            f.run();
        }
        double[] t = new double[batches];
        for (int b = 0; b < batches; b++) {
            long start = System.nanoTime();
            for (int i = 0; i < per; i++) {
                if (f.run() == null) {
                    throw new AssertionError("no result");
                }
            }
            t[b] = (System.nanoTime() - start) / 1e3 / per;
        }
        Arrays.sort(t);
        return t[0];
    }

    /**
     * @param args the repository's root and the directory of the generated facts
     */
    public static void main(String[] args) {
        String root = args[0];
        String dir = args[1];
        final Standard s = Standard.open(root + "/standards/haiyan-2021.std");
        List<String[]> cases = new ArrayList<String[]>();
        cases.add(new String[] {"demo", "18", root + "/standards/haiyan-2021/demo.json"});
        cases.add(new String[] {"generated", "1000", dir + "/facts-1000.json"});
        cases.add(new String[] {"generated", "100000", dir + "/facts-100000.json"});
        for (String[] c : cases) {
            final String facts = Duibiao.read(c[2]);
            int units = Integer.parseInt(c[1]);
            // As examples/bench_rust.rs: many short batches for the demo (some then run without
            // being interrupted on a loaded machine).
            int batches = units <= 100 ? 201 : units <= 10000 ? 11 : 5;
            int per = units <= 100 ? 50 : units <= 10000 ? 20 : 1;
            final long h = s.handle();
            final byte[] response = Native.evaluate(h, facts, null);
            Evaluation first = new Evaluation(response);
            if (!first.ok() || (c[0].equals("demo") && !"标准型".equals(s.evaluate(facts, null).unit("SQ2").tier()))) {
                throw new AssertionError(first.json().substring(0, Math.min(500, first.json().length())));
            }
            double nat = bestUs(batches, per, new Call() {
                public Object run() {
                    return Native.evaluate(h, facts, null);
                }
            });
            double read = bestUs(batches, per, new Call() {
                public Object run() {
                    return new Evaluation(response).units();
                }
            });
            double total = bestUs(batches, per, new Call() {
                public Object run() {
                    return s.evaluate(facts, null);
                }
            });
            double all = bestUs(batches, per, new Call() {
                public Object run() {
                    return s.evaluate(facts, null).units();
                }
            });
            System.out.printf("java %s %d %.1f %.1f %.1f %.1f%n", c[0], units, nat, read, total, all);
        }
        s.close();
    }
}
