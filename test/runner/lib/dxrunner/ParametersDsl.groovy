package dxrunner

/** The delegate of `parameters {}`: string, booleanParam, choice, text, password. */
class ParametersDsl {
    final List<Map> defs = []

    def methodMissing(String name, Object args) {
        Object[] a = (Object[]) args
        if (a.length != 1 || !(a[0] instanceof Map)) {
            throw new hudson.AbortException("parameters: ${name}(...) needs named arguments")
        }
        defs.addAll(normalize([[type: name] + (Map) a[0]]))
        null
    }

    /** Gives each definition a name, a type, and a default (first choice for choice). */
    static List<Map> normalize(List<Map> raw) {
        raw.collect { Map d ->
            Map m = new LinkedHashMap(d)
            if (!m.name) {
                throw new hudson.AbortException("parameters: ${m.type} without a name")
            }
            if (m.type == 'choice') {
                List choices = m.choices instanceof List ? (List) m.choices : m.choices.toString().readLines()
                m.choices = choices
                m.defaultValue = choices ? choices[0] : ''
            } else if (m.type == 'booleanParam') {
                m.defaultValue = m.defaultValue as boolean
            } else if (m.defaultValue == null) {
                m.defaultValue = ''
            }
            m
        }
    }
}
