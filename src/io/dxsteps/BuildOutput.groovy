package io.dxsteps

import com.cloudbees.groovy.cps.NonCPS

/**
 * Where a build's dxsteps calls leave their JSON result and error files: one workspace folder per
 * build, .dxsteps/<BUILD_NUMBER>, which delphixCatalog reads and removes when the build ends.
 */
class BuildOutput implements Serializable {

    private static final long serialVersionUID = 1L

    /** Workspace folder holding one subfolder per build. */
    static final String ROOT = '.dxsteps'

    /**
     * The build folder's subfolder where the binaries hand each other the API version each engine
     * settled on (their DXSTEPS_API_VERSIONS): one negotiation per engine and build.
     */
    static final String API_VERSIONS = 'api-versions'

    /** Environment variable that keeps the build's folder when set to true. */
    static final String KEEP_ENV = 'DXSTEPS_KEEP_OUTPUT'

    /** The build's folder, relative to the workspace: .dxsteps/7 ('local' outside a build). */
    @NonCPS
    static String dir(Object env) {
        String build = env?.BUILD_NUMBER ?: 'local'
        return "${ROOT}/${build.replaceAll(/[^A-Za-z0-9._-]/, '_')}"
    }

    /** Whether the environment asks to keep the folder: DXSTEPS_KEEP_OUTPUT=true. */
    @NonCPS
    static boolean keepAsked(Object env) {
        return ((env == null ? null : env[KEEP_ENV]) ?: '').toString().trim().toLowerCase() == 'true'
    }

}
