package dxrunner

import java.text.SimpleDateFormat
import java.util.concurrent.CopyOnWriteArrayList

/**
 * Everything the runner prints goes through here: one line at a time (so parallel lanes never
 * interleave within a line), prefixed with the stage it belongs to, with every bound secret
 * replaced by ****.
 */
class Console {
    private final PrintStream out
    private final List<String> secrets = new CopyOnWriteArrayList<String>()
    /** Set by `options { timestamps() }`: each line starts with the time of day. */
    volatile boolean timestamps
    /** Set after "Finished: ..." so nothing comes after it. */
    volatile boolean closed

    Console(PrintStream out) {
        this.out = out
    }

    /** From now on every occurrence of value is printed as ****. */
    void addSecret(String value) {
        if (value != null && value.trim() && !secrets.contains(value)) {
            secrets.add(value)
            // Longest first, so a secret that contains another is masked whole.
            List<String> sorted = new ArrayList<String>(secrets)
            sorted.sort { String a, String b -> b.length() <=> a.length() }
            secrets.clear()
            secrets.addAll(sorted)
        }
    }

    String mask(String text) {
        if (text == null) {
            return null
        }
        String s = text
        for (String secret : secrets) {
            s = s.replace(secret, '****')
        }
        s
    }

    /** Prints text (possibly several lines) under a stage prefix; prefix may be empty. */
    void print(String prefix, Object text) {
        if (closed) {
            return
        }
        String[] parts = String.valueOf(text).split('\r?\n', -1)
        int n = parts.length
        if (n > 1 && parts[n - 1].isEmpty()) {
            n--
        }
        String head = prefix ? "[${prefix}] " : ''
        synchronized (out) {
            for (int i = 0; i < n; i++) {
                out.println(stamp() + mask(head + parts[i]))
            }
            out.flush()
        }
    }

    private String stamp() {
        timestamps ? new SimpleDateFormat('HH:mm:ss.SSS ').format(new Date()) : ''
    }
}
