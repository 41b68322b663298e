import io.dxsteps.DxStep

/**
 * Creates, shares, unshares, deletes, lists or prunes bookmarks (dx-bookmark), on the engine or DCT.
 * Keys, credentials and exit codes: vars/delphixBookmark.txt.
 *
 * @param config the step's keys, for example
 *        [credentialsId: 'delphix', container: 'prep1', name: '2019-03-14 101502 50', tags: ['50%'], shared: true]
 * @return dx-bookmark's result: the bookmark (create and the others), bookmarks (list), or deleted, kept
 *         and skipped (prune)
 */
def call(Map config = [:]) {
    return new DxStep(this).run('delphixBookmark', config)
}
