package cn.duibiao;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.ref.PhantomReference;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Collections;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The native methods (library {@code duibiao_java}, the Rust crate {@code bindings/java}) and how
 * the library is found, plus the release of handles whose owner was forgotten.
 *
 * <p>Every method passes protocol JSON text and returns the response's JSON text (never null);
 * no method throws for a problem of the call: problems are in the response.
 *
 * <p>Loading: {@code System.loadLibrary("duibiao_java")} (the library on
 * {@code java.library.path}); if it is not there, the copy in this jar's resources for the running
 * platform ({@code /native/linux-x86_64/libduibiao_java.so} and the like) is written to a
 * temporary file (deleted on exit) and loaded. Setting the system property
 * {@code duibiao.library.path} to a file names the library to load instead.
 */
final class Native {
    private Native() {}

    /** Where the library was loaded from: {@code java.library.path}, a file, or {@code jar:...}. */
    static final String LOADED_FROM;

    static {
        LOADED_FROM = load();
    }

    private static String load() {
        String explicit = System.getProperty("duibiao.library.path");
        if (explicit != null && !explicit.isEmpty()) {
            System.load(new File(explicit).getAbsolutePath());
            return explicit;
        }
        try {
            System.loadLibrary("duibiao_java");
            return "java.library.path";
        } catch (UnsatisfiedLinkError notOnPath) {
            String resource = "/native/" + platform() + "/" + System.mapLibraryName("duibiao_java");
            InputStream in = Native.class.getResourceAsStream(resource);
            if (in == null) {
                UnsatisfiedLinkError e = new UnsatisfiedLinkError("duibiao: no duibiao_java on java.library.path ("
                        + notOnPath.getMessage() + ") and no " + resource + " in the jar");
                e.initCause(notOnPath);
                throw e;
            }
            try {
                File tmp = File.createTempFile("duibiao_java-", "-" + System.mapLibraryName("duibiao_java"));
                tmp.deleteOnExit();
                try (InputStream from = in; OutputStream to = Files.newOutputStream(tmp.toPath())) {
                    byte[] buf = new byte[1 << 16];
                    for (int n; (n = from.read(buf)) > 0; ) {
                        to.write(buf, 0, n);
                    }
                }
                System.load(tmp.getAbsolutePath());
                return "jar:" + resource;
            } catch (IOException io) {
                UnsatisfiedLinkError e = new UnsatisfiedLinkError("duibiao: cannot unpack " + resource + ": " + io);
                e.initCause(io);
                throw e;
            }
        }
    }

    /** The platform's folder name in the jar: {@code linux-x86_64}, {@code mac-aarch64}, ... */
    static String platform() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String o = os.contains("win") ? "windows" : os.contains("mac") ? "mac" : os.contains("linux") ? "linux" : os;
        String a = arch.equals("amd64") || arch.equals("x86_64") ? "x86_64"
                : arch.equals("aarch64") || arch.equals("arm64") ? "aarch64" : arch;
        return o + "-" + a;
    }

    /** Answers one protocol request (JSON text) with its response. */
    static String call(String request) {
        try {
            return call0(request);
        } catch (RuntimeException e) {
            throw DuibiaoException.internal(e);
        }
    }

    /** The response of {@code compile} for this source text; {@code file} may be null. */
    static String compile(String file, String source) {
        try {
            return compile0(file, source);
        } catch (RuntimeException e) {
            throw DuibiaoException.internal(e);
        }
    }

    /**
     * The response of {@code evaluate}, as UTF-8 JSON bytes, for facts as JSON text;
     * {@code options} may be null.
     */
    static byte[] evaluate(long standard, String facts, String options) {
        return evaluate(standard, facts == null ? null : facts.getBytes(StandardCharsets.UTF_8), options);
    }

    /**
     * The response of {@code evaluate}, as UTF-8 JSON bytes, for facts as UTF-8 JSON bytes;
     * {@code options} may be null.
     */
    static byte[] evaluate(long standard, byte[] facts, String options) {
        try {
            return evaluateUtf8(standard, facts, options);
        } catch (RuntimeException e) {
            throw DuibiaoException.internal(e);
        }
    }

    /** The response of {@code live_open} for facts as JSON text; {@code options} may be null. */
    static String liveOpen(long standard, String facts, String options) {
        try {
            return liveOpen0(standard, facts, options);
        } catch (RuntimeException e) {
            throw DuibiaoException.internal(e);
        }
    }

    /**
     * Answers {@code request} (a JSON object without its facts) with the field {@code name1} set
     * to the JSON text {@code text1} and, when {@code name2} is not null, {@code name2} to
     * {@code text2}.
     */
    static String callWith(String request, String name1, String text1, String name2, String text2) {
        try {
            return callWith0(request, name1, text1, name2, text2);
        } catch (RuntimeException e) {
            throw DuibiaoException.internal(e);
        }
    }

    // The native methods. Problems of a call are in the response they return; they throw only when
    // JNI itself fails (a RuntimeException from the jni crate's policy), which the wrappers above
    // turn into a DuibiaoException with the problem A0008.

    private static native String call0(String request);

    private static native String compile0(String file, String source);

    /** As {@code evaluate}, the facts and the response as UTF-8 bytes (no conversion to modified UTF-8). */
    static native byte[] evaluateUtf8(long standard, byte[] facts, String options);

    private static native String liveOpen0(long standard, String facts, String options);

    private static native String callWith0(String request, String name1, String text1, String name2, String text2);

    // ---- Handles released when their owner is forgotten (a Cleaner for Java 8) ----

    private static final ReferenceQueue<Object> QUEUE = new ReferenceQueue<Object>();
    private static final Set<Handle> LIVE_HANDLES = Collections.newSetFromMap(new ConcurrentHashMap<Handle, Boolean>());

    static {
        Thread reaper = new Thread(new Runnable() {
            @Override
            public void run() {
                while (true) {
                    try {
                        Reference<?> r = QUEUE.remove();
                        if (r instanceof Handle) {
                            ((Handle) r).release();
                        }
                    } catch (InterruptedException e) {
                        return;
                    } catch (Throwable t) {
                        // Keep reaping: a failed release leaves one handle in the runtime.
                    }
                }
            }
        }, "duibiao-handle-reaper");
        reaper.setDaemon(true);
        reaper.start();
    }

    /**
     * A standard's or live session's handle, released once: by {@code close()}, or by the reaper
     * thread when its owner became unreachable without being closed.
     */
    static final class Handle extends PhantomReference<Object> {
        final long value;
        private final boolean live;
        private final AtomicBoolean released = new AtomicBoolean();

        Handle(Object owner, long value, boolean live) {
            super(owner, QUEUE);
            this.value = value;
            this.live = live;
            LIVE_HANDLES.add(this);
        }

        /** Whether it has been released. */
        boolean isReleased() {
            return released.get();
        }

        /**
         * Releases the handle in the runtime, once.
         *
         * @return the response of {@code release} / {@code live_close}, or null when it was
         *     released already
         */
        String release() {
            if (!released.compareAndSet(false, true)) {
                return null;
            }
            LIVE_HANDLES.remove(this);
            clear();
            return call(live ? "{\"call\":\"live_close\",\"live\":" + value + "}"
                    : "{\"call\":\"release\",\"standard\":" + value + "}");
        }
    }

    /** How many handles are held and not yet released (for tests of the reaper). */
    static int heldHandles() {
        return LIVE_HANDLES.size();
    }
}
