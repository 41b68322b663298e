package io.dxsteps

import com.cloudbees.groovy.cps.NonCPS

/**
 * Keeps generated passwords out of the Jenkins workspace, which anyone with Workspace permission
 * can browse. The library checks the path as written, before it runs the binary; the binary
 * checks it again on the agent, through symlinks, which only the agent can see.
 */
class SecretFiles implements Serializable {

    private static final long serialVersionUID = 1L

    /**
     * Why a password file at `path` would be in `workspace`, or null: a relative path is taken
     * from `cwd` (the sh step's directory), `.` and `..` are followed as written, and the check
     * is by whole path elements, so WORKSPACE@tmp (Jenkins' WORKSPACE_TMP) is outside. Null when
     * no workspace is known.
     */
    @NonCPS
    static String passwordOutputProblem(String path, String workspace, String cwd) {
        if (!path || !workspace) {
            return null
        }
        String full = absolute(path) ? path : "${cwd ?: workspace}/${path}"
        List<String> file = elements(full)
        List<String> root = elements(workspace)
        boolean windows = workspace ==~ /^[A-Za-z]:.*/
        boolean inside = file.size() >= root.size()
        for (int i = 0; inside && i < root.size(); i++) {
            inside = windows ? file[i].equalsIgnoreCase(root[i]) : file[i] == root[i]
        }
        if (!inside) {
            return null
        }
        return "passwordOutput '${path}' is inside the workspace (${workspace}), which anyone with Workspace " +
            'permission can browse: give passwordCommand to keep generated passwords in your vault ' +
            '(or a passwordOutput outside the workspace, such as one under WORKSPACE_TMP)'
    }

    @NonCPS
    private static boolean absolute(String path) {
        return path.startsWith('/') || path.startsWith('\\') || path ==~ /^[A-Za-z]:[\\\/].*/
    }

    /** The path's elements with `.` and `..` followed as written. */
    @NonCPS
    private static List<String> elements(String path) {
        List<String> out = []
        for (String part in path.split(/[\\\/]+/)) {
            if (part == '..') {
                if (out) {
                    out.remove(out.size() - 1)
                }
            } else if (part && part != '.') {
                out << part
            }
        }
        return out
    }

}
