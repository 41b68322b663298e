package dxrunner

/** What findFiles returns for each file, as pipeline-utility-steps' FileWrapper. */
class FoundFile implements Serializable {
    String name
    String path
    boolean directory
    long length
    long lastModified

    String toString() {
        path
    }
}
