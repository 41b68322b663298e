import io.dxsteps.DxStep

/**
 * Publishes the bookmarks this build created (build description and a JSON artifact), then
 * removes the build's .dxsteps/<BUILD_NUMBER> folder. Call it in post { always { ... } }.
 * Keys: vars/delphixCatalog.txt.
 *
 * @param config optional keys, for example [artifact: 'delphix-catalog.json', keepOutput: false]
 * @return the bookmarks: name, pod, template, tags, dataTime, shared, reference; with provenance also
 *         provenance and subset (what the bookmark holds: '50% simulated: all the data' after a simulated subset)
 */
def call(Map config = [:]) {
    return new DxStep(this).publishCatalog(config)
}
