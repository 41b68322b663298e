package dxrunner

/**
 * One box of the stage graph. Children are either sequential stages (nested `stages {}`) or, when
 * `parallel` is set, the lanes of a parallel block. Nodes are created before they run so the graph
 * keeps the Jenkinsfile's order whatever order threads start in.
 */
class StageNode {
    String name
    StageNode parent
    final List<StageNode> children = Collections.synchronizedList(new ArrayList<StageNode>())
    /** True when the children are parallel lanes. */
    boolean parallel
    /** SUCCESS, FAILED, SKIPPED, ABORTED, UNSTABLE, or null while not finished. */
    String status
    long startMillis
    long endMillis
    /** The error that ended this stage, if any (already masked). */
    String error

    StageNode child(String childName) {
        StageNode n = new StageNode(name: childName, parent: this)
        children.add(n)
        n
    }

    boolean isRoot() {
        parent == null
    }

    void start() {
        startMillis = System.currentTimeMillis()
    }

    /** Ends the stage; its status is the worse of what was recorded and its children's statuses. */
    void finish(String recorded) {
        String s = recorded
        synchronized (children) {
            for (StageNode c : children) {
                if (c.status != 'SKIPPED') {
                    s = Results.worseStage(s, c.status)
                }
            }
        }
        status = Results.worseStage(status, s ?: 'SUCCESS')
        endMillis = System.currentTimeMillis()
    }

    /** Marks this stage (and every stage it contains) SKIPPED unless it already has a status. */
    void skip() {
        if (status == null) {
            status = 'SKIPPED'
        }
        synchronized (children) {
            for (StageNode c : children) {
                c.skip()
            }
        }
    }

    /** The runner is being stopped: running stages become ABORTED, those not started SKIPPED. */
    void stopAll() {
        if (status == null && !root) {
            status = startMillis ? 'ABORTED' : 'SKIPPED'
            endMillis = System.currentTimeMillis()
        }
        synchronized (children) {
            for (StageNode c : children) {
                c.stopAll()
            }
        }
    }

    long getDurationMillis() {
        (startMillis && endMillis) ? endMillis - startMillis : 0L
    }

    /**
     * The console prefix of this stage: the names from the top, leaving out the root and any stage
     * that only holds parallel lanes, so "Prepare » 50% Subset » Create" prints as "50% Subset » Create".
     */
    String getPrefix() {
        List<String> names = []
        for (StageNode n = this; n != null && !n.root; n = n.parent) {
            if (n.is(this) || !n.parallel) {
                names.add(0, n.name)
            }
        }
        names.join(' \u00bb ')
    }

    /** The graph as plain maps for JSON: {name, status, durationMillis, error?, stages|parallel}. */
    Map toMap() {
        Map m = [name: name, status: status ?: 'NOT_EXECUTED', durationMillis: durationMillis]
        if (error) {
            m.error = error
        }
        List kids = []
        synchronized (children) {
            for (StageNode c : children) {
                kids.add(c.toMap())
            }
        }
        if (kids) {
            m[parallel ? 'parallel' : 'stages'] = kids
        }
        m
    }
}
