// Every var has a .txt help page that says exactly what its defaults map says, and stays thin.

import io.dxsteps.Catalog
import io.dxsteps.Steps

import static TestKit.test

List<String> vars = new File('vars').list().findAll { it.endsWith('.groovy') }.collect { it - '.groovy' }.sort()

/** The keys of a var with their defaults; delphixCatalog runs no binary and has its own. */
Map defaults(String name) {
    return name == 'delphixCatalog' ? Catalog.DEFAULTS : Steps.defaults(name)
}

/** The vars that run binaries, whose help has exit codes, credentials and a credentialsId example. */
List<String> binaryVars(List<String> names) {
    return names - ['delphixCatalog']
}

/** The parameters a help page documents: name -> [type, 'Mandatory' or 'Optional', rest of the text]. */
Map<String, List<String>> documented(String help) {
    Map<String, List<String>> keys = [:]
    help.eachMatch(~/<dt><code>(\w+)<\/code><\/dt>\s*<dd>([^,<]+), (Mandatory|Optional)([^\n]*)<\/dd>/) { all, key, type, presence, rest ->
        assert !keys.containsKey(key): "${key} documented twice"
        keys[key] = [type, presence, rest]
    }
    return keys
}

test('the vars are the seven binaries\' steps, delphixPrepareDataset and delphixCatalog') {
    assert vars == (Steps.STEPS.keySet() + ['delphixPrepareDataset', 'delphixCatalog']).sort()
}

test('every var is a thin def call(Map config = [:]) handing this to DxStep') {
    for (String name in vars) {
        String code = new File("vars/${name}.groovy").text
        assert code.size() < 1024: "vars/${name}.groovy is ${code.size()} bytes"
        assert code.contains('def call(Map config = [:]) {')
        assert code.contains('new DxStep(this).')
    }
}

test('every var has a .txt documenting each key of its defaults map, and nothing else') {
    for (String name in vars) {
        File file = new File("vars/${name}.txt")
        assert file.exists(): "vars/${name}.txt is missing"
        assert documented(file.text).keySet() == defaults(name).keySet()
    }
}

test('the .txt says Mandatory exactly for the mandatory keys, and the right type and default') {
    for (String name in vars) {
        Map<String, List<String>> docs = documented(new File("vars/${name}.txt").text)
        for (Map.Entry entry in defaults(name).entrySet()) {
            def (String type, String presence, String rest) = docs[entry.key]
            String where = "vars/${name}.txt, ${entry.key}"
            Object value = entry.value
            assert presence == (value == Steps.MANDATORY ? 'Mandatory' : 'Optional'): where
            if (value instanceof Boolean) {
                assert type == 'Boolean': where
            } else if (value instanceof List) {
                assert type == 'List of String': where
            } else {
                assert type in ['String', 'Integer']: where
            }
            if (presence == 'Optional' && value != null) {
                String shown = value instanceof List ? '[]' : value.toString()
                assert rest.startsWith(", defaults to <code>${shown}</code>."): where
            } else if (presence == 'Optional') {
                assert rest.startsWith(', not set by default.') || rest.startsWith(', defaults to the environment variable'): where
            }
        }
    }
}

test('every .txt lists the exit codes, the credentials and an example calling the var') {
    for (String name in binaryVars(vars)) {
        String help = new File("vars/${name}.txt").text
        for (Object code in Steps.EXIT_CODES.keySet()) {
            assert help.contains("<dt>${code}</dt>"): "vars/${name}.txt lacks exit code ${code}"
        }
        assert help.contains('<strong>Credentials:</strong>')
        assert help.contains('withCredentials')
        assert help =~ /(?s)<pre>.*${name}\(credentialsId: .*<\/pre>/
    }
}
