package org.example.fake

import com.cloudbees.groovy.cps.NonCPS

/** A library class as Jenkins libraries write them: it gets the script and calls steps on it. */
class Greeter implements Serializable {
    private final Object script

    Greeter(Object script) {
        this.script = script
    }

    Map greet(Map config) {
        if (!config.name) {
            script.error('fakeGreet: name is required')
        }
        String greeting = ''
        script.withCredentials([script.usernamePassword(credentialsId: config.credentialsId,
                usernameVariable: 'FAKE_USER', passwordVariable: 'FAKE_PASSWORD')]) {
            greeting = script.sh(label: 'greet', returnStdout: true,
                    script: "printf 'hello %s from %s, job %s, password %s' '${quote(config.name)}' \"\$FAKE_USER\" \"\$JOB_NAME\" \"\$FAKE_PASSWORD\"")
        }
        script.echo("greeter saw BUILD_TAG=${script.env.BUILD_TAG}")
        return [greeting: greeting, tag: script.env.BUILD_TAG]
    }

    @NonCPS
    private static String quote(String s) {
        s.replace("'", "'\\''")
    }
}
