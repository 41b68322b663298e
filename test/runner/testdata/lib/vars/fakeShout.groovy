// A var that calls steps and another var directly on its own `this`.
def call(String text) {
    echo "shouting ${text.toUpperCase()}"
    return fakeGreet(name: text.toUpperCase(), credentialsId: 'engine-login')
}

/** Another method of the var, called as fakeShout.whisper(...). */
String whisper(String text) {
    return text.toLowerCase()
}
