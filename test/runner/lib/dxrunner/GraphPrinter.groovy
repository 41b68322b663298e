package dxrunner

/** Prints the stage graph as a tree, one line per stage with its status and duration. */
class GraphPrinter {
    static List<String> lines(StageNode root) {
        List<String> out = []
        List<StageNode> top = new ArrayList<StageNode>(root.children)
        int width = nameWidth(root, 0)
        top.eachWithIndex { StageNode n, int i ->
            render(n, '', i == top.size() - 1, out, width, 0)
        }
        out
    }

    private static int nameWidth(StageNode n, int depth) {
        int w = n.root ? 0 : depth * 3 + label(n).length()
        for (StageNode c : new ArrayList<StageNode>(n.children)) {
            w = Math.max(w, nameWidth(c, n.root ? 0 : depth + 1))
        }
        w
    }

    private static String label(StageNode n) {
        n.parallel ? "${n.name} (parallel)" : n.name
    }

    private static void render(StageNode n, String indent, boolean last, List<String> out, int width, int depth) {
        String branch = last ? '\u2514\u2500 ' : '\u251c\u2500 '
        String text = indent + branch + label(n)
        String pad = ' ' * Math.max(1, width + 3 - text.length() + 1)
        String line = text + pad + (n.status ?: 'NOT_EXECUTED').padRight(9) + ' ' + duration(n)
        out.add(line.replaceAll(/\s+$/, ''))
        List<StageNode> kids = new ArrayList<StageNode>(n.children)
        String childIndent = indent + (last ? '   ' : '\u2502  ')
        kids.eachWithIndex { StageNode c, int i ->
            render(c, childIndent, i == kids.size() - 1, out, width, depth + 1)
        }
    }

    static String duration(StageNode n) {
        if (n.status == 'SKIPPED' || !n.startMillis) {
            return ''
        }
        format(n.durationMillis)
    }

    static String format(long ms) {
        if (ms < 1000) {
            return "${ms}ms"
        }
        if (ms < 60000) {
            return String.format('%.1fs', ms / 1000.0d)
        }
        "${(long) (ms / 60000)}m ${(long) ((ms % 60000) / 1000)}s"
    }
}
