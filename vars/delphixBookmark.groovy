import io.dxsteps.DxStep

/**
 * Creates, shares, unshares, deletes or lists self-service bookmarks (dx-bookmark).
 * Keys, credentials and exit codes: vars/delphixBookmark.txt.
 *
 * @param config the step's keys, for example
 *        [credentialsId: 'delphix', container: 'prep1', name: '2019-03-14 101502 50', tags: ['50%'], shared: true]
 * @return dx-bookmark's result: the bookmark (create and the others) or bookmarks (list)
 */
def call(Map config = [:]) {
    return new DxStep(this).run('delphixBookmark', config)
}
