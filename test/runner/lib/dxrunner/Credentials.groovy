package dxrunner

import groovy.json.JsonSlurperClassic

/**
 * The local credentials store, read from a JSON or YAML file mapping an id to one credential:
 *   {username, password}  usernamePassword (also usernameColonPassword)
 *   {secret}              secret text (string)
 *   {file} or {content}   secret file: a path to an existing file, or the file's content
 * Optional `usernameSecret: true` masks the username too.
 */
class Credentials {
    private final Map<String, Map> byId

    Credentials(Map<String, Map> byId) {
        this.byId = byId
    }

    static Credentials load(File f) {
        if (f == null) {
            return new Credentials([:])
        }
        if (!f.isFile()) {
            throw new IllegalArgumentException("credentials file ${f} does not exist")
        }
        String text = f.getText('UTF-8')
        boolean json = f.name.endsWith('.json') || (!f.name.endsWith('.yaml') && !f.name.endsWith('.yml') && text.trim().startsWith('{'))
        Map parsed = json ? (Map) new JsonSlurperClassic().parseText(text) : MiniYaml.parse(text, f.path)
        if (parsed.size() == 1 && parsed.credentials instanceof Map) {
            parsed = (Map) parsed.credentials
        }
        parsed.each { k, v ->
            if (!(v instanceof Map)) {
                throw new IllegalArgumentException("${f}: credential '${k}' must be a mapping (username/password, secret, file or content)")
            }
        }
        new Credentials((Map<String, Map>) parsed)
    }

    /** How Jenkins names each kind of credential, and the class a binding of each kind expects. */
    private static final Map<String, String> TYPE_NAMES = [string: 'Secret text', usernamePassword: 'Username with password',
                                                           file: 'Secret file']
    private static final Map<String, String> EXPECTED = [
        string: 'org.jenkinsci.plugins.plaincredentials.StringCredentials',
        usernamePassword: 'com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials',
        usernameColonPassword: 'com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials',
        file: 'org.jenkinsci.plugins.plaincredentials.FileCredentials']

    /**
     * The credential with this id, checked to be of the kind the binding expects (a secret text
     * bound as username/password fails as in Jenkins) and to hold the fields it needs.
     */
    Map get(String id, String kind) {
        Map c = byId[id]
        if (c == null) {
            throw new hudson.AbortException("Could not find credentials entry with ID '${id}'")
        }
        String held = kindOf(id)
        String wanted = kind == 'usernameColonPassword' ? 'usernamePassword' : kind
        if (EXPECTED.containsKey(kind) && held != wanted) {
            throw new hudson.AbortException("Credentials '${id}' is of type '${TYPE_NAMES[held]}' where '${EXPECTED[kind]}' was expected")
        }
        List<String> need = [usernamePassword: ['username', 'password'], usernameColonPassword: ['username', 'password'],
                             string: ['secret'], file: []][kind]
        if (kind == 'file' && c.file == null && c.content == null) {
            throw new hudson.AbortException("Credentials '${id}' is not a secret file (needs 'file' or 'content') as ${kind}() expects")
        }
        for (String field : need) {
            if (c[field] == null) {
                throw new hudson.AbortException("Credentials '${id}' has no '${field}', which ${kind}() needs")
            }
        }
        c
    }

    /** The kind an id holds, for `credentials('id')` in an environment block. */
    String kindOf(String id) {
        Map c = byId[id]
        if (c == null) {
            throw new hudson.AbortException("Could not find credentials entry with ID '${id}'")
        }
        c.secret != null ? 'string' : (c.password != null ? 'usernamePassword' : 'file')
    }
}
