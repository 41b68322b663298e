// What Jenkins' CPS and script-security sandbox need from the library, checked where the local
// runner cannot: it runs neither.

import static TestKit.test

List<File> sources = []
new File('src').eachFileRecurse { File f -> if (f.name.endsWith('.groovy')) { sources << f } }
new File('vars').eachFileMatch(~/.*\.groovy/) { File f -> sources << f }

test('every library class is Serializable, as CPS keeps it across steps') {
    for (File f in sources.findAll { it.path.startsWith('src') }) {
        String name = f.path.replaceFirst('^src/', '').replace('.groovy', '').replace('/', '.')
        Class c = Class.forName(name, false, this.class.classLoader)
        assert Serializable.isAssignableFrom(c): "${name} does not implement Serializable"
    }
}

test('no collection is built by a copy constructor, which the sandbox refuses by default') {
    for (File f in sources) {
        f.readLines().eachWithIndex { String line, int i ->
            assert !(line =~ /new\s+(java\.util\.)?(LinkedHashMap|HashMap|TreeMap|ArrayList|LinkedList|HashSet|LinkedHashSet)\s*\(\s*[^)\s]/):
                "${f}:${i + 1}: ${line.trim()}"
        }
    }
}
